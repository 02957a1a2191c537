"""Who may do what with brand dashboards and escalations. Views, services, panels and
templates ask here (templates through the ``brand_permissions`` context processor).

The rules: a brand's staff see the referred cases of the employers their brand buys from,
and the escalations sent to their brand (another brand's are not found: 404). A CSO's
caseworkers escalate the cases they run, once the organisation knows of them and is late or
the problem is severe, and follow what brands answer. The organisation sees escalations
about itself and what brands committed to, never who escalated nor the CSO's note.
"""

from __future__ import annotations

from goldendreams.brands import queries
from goldendreams.cases import consent
from goldendreams.cases import permissions as case_permissions
from goldendreams.cases import queries as case_queries
from goldendreams.cases.models import ConsentItem, ConsentRecipient
from goldendreams.cases.services import is_overdue
from goldendreams.core.auth import Role

#: Severities that let a caseworker escalate at once, without waiting for a deadline.
SEVERE = frozenset({"high", "urgent"})


def _role(user) -> str | None:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "active", True):
        return None
    return getattr(user, "role", None)


def is_brand_staff(user) -> bool:
    """Staff of a brand or buyer (the dashboard's readers)."""
    return case_permissions.may_see_supplier_cases(user)


def may_see_case(user, case) -> bool:
    """A brand reads the shared part of a case at one of its suppliers once the supplier was
    told of it, or of a case escalated to it (an agency's, say)."""
    if not is_brand_staff(user):
        return False
    brand_id = user.organisation_id
    suppliers = case_queries.supplier_ids(brand_id)
    if case.shared_with_organisation and case.organisation_id in suppliers:
        return True
    # An escalation is no lasting licence: once the worker withdraws consent for brands,
    # the brand no longer reaches the case through it.
    return queries.escalated_to(brand_id, case.id) and consent.has_consent(
        ConsentRecipient.BRAND, ConsentItem.ISSUE, case_id=case.id
    )


def may_see_brand_escalation(user, brand_escalation) -> bool:
    """Only the brand an escalation was sent to sees its part of it."""
    return is_brand_staff(user) and brand_escalation.brand_id == user.organisation_id


def may_acknowledge(user, brand_escalation) -> bool:
    return (
        may_see_brand_escalation(user, brand_escalation)
        and brand_escalation.acknowledged_on is None
    )


def may_commit(user, brand_escalation) -> bool:
    """The brand records what it will do (recording a commitment acknowledges too)."""
    return may_see_brand_escalation(user, brand_escalation)


def may_mark_done(user, commitment) -> bool:
    return may_see_brand_escalation(user, commitment.brand_escalation) and not commitment.is_done


# --- the CSO ------------------------------------------------------------------------------


def may_follow_escalations(user) -> bool:
    """Caseworkers (their CSO's escalations) and admins (every one)."""
    return case_permissions.may_work_on_cases(user)


def may_see_escalation(user, escalation) -> bool:
    """The caseworkers of the CSO that escalated, those who run one of its cases now, and
    admins."""
    if case_permissions.is_admin(user):
        return True
    if not case_permissions.is_caseworker(user):
        return False
    return user.organisation_id == escalation.cso_id or any(
        case_permissions.may_run_case(user, case) for case in escalation.cases
    )


def is_severe(case) -> bool:
    return case.severity in SEVERE


def may_escalate_case(user, case) -> bool:
    """Those who run an open case escalate it to brands once the organisation was told of it
    (a brand never hears of a case before its supplier) and either missed its deadline or
    the problem is severe."""
    return (
        case_permissions.may_run_case(user, case)
        and case.is_open
        and case.shared_with_organisation
        and (is_overdue(case) or is_severe(case))
    )


# --- the organisation -----------------------------------------------------------------------


def may_see_as_organisation(user, organisation) -> bool:
    """An employer's or agency's staff (and admins) see the escalations about it."""
    if case_permissions.is_admin(user):
        return True
    return (
        _role(user) in (Role.AGENCY_STAFF, Role.EMPLOYER_STAFF)
        and user.organisation_id == organisation.id
    )
