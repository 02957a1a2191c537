"""Who may sign off, verify, share, set the rule, and see the evidence. Views, services
and templates ask here.

Evidence is the organisation's (it may list workers' names): its own staff, the CSO that
runs the case (and admins), and, once that CSO shared the sign-off with the worker's
consent, the brands buying from the organisation. Nobody else.
"""

from __future__ import annotations

from goldendreams.cases import permissions as case_permissions
from goldendreams.cases.models import Case, CaseStatus
from goldendreams.cases.queries import supplier_ids
from goldendreams.cases.services import has_remediation
from goldendreams.core.auth import Role
from goldendreams.validation.models import SignOff

#: While the case is with the organisation and something was done to fix it.
SIGN_OFF_STATUSES = frozenset({CaseStatus.IN_REMEDIATION, CaseStatus.RESOLVED})


def _role(user) -> str | None:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "active", True):
        return None
    return getattr(user, "role", None)


def is_brand(user) -> bool:
    return _role(user) == Role.BRAND and user.organisation_id is not None


def may_sign_off(user, case: Case) -> bool:
    """The organisation's staff sign off the outcome of an open case they were sent, once
    remediation was recorded."""
    return (
        case_permissions.may_act_for_organisation(user, case)
        and case.status in SIGN_OFF_STATUSES
        and has_remediation(case)
    )


def may_see_as_organisation(user, case: Case) -> bool:
    """The organisation's staff see their own sign-offs and files (admins too, as on every
    portal page)."""
    return case_permissions.is_admin(user) or case_permissions.may_act_for_organisation(user, case)


def may_see_internal(user, case: Case) -> bool:
    """The workers' answers, the verifications, every sign-off and file: those who run the
    case."""
    return case_permissions.may_run_case(user, case)


def may_verify(user, case: Case) -> bool:
    """Those who run an open case record how they checked the fix, once one was recorded."""
    return (
        case_permissions.may_run_case(user, case)
        and case.status in SIGN_OFF_STATUSES
        and has_remediation(case)
    )


def may_share(user, case: Case, signoff: SignOff | None) -> bool:
    """Those who run the case share the latest sign-off with the brands, or stop sharing."""
    return signoff is not None and case_permissions.may_run_case(user, case)


def may_see_as_brand(user, case: Case) -> bool:
    """Brand staff see a case of a supplier once it was sent to that supplier."""
    return (
        is_brand(user)
        and case.shared_with_organisation
        and case.organisation_id in supplier_ids(user.organisation_id)
    )


def may_see_shared(user, case: Case, signoff: SignOff | None, documents_agreed: bool) -> bool:
    """A brand sees a sign-off and its files the CSO shared, while the worker's consent to
    share documents with brands stands."""
    return (
        signoff is not None
        and signoff.shared_with_brands
        and documents_agreed
        and may_see_as_brand(user, case)
    )


def may_use_rule_page(user) -> bool:
    """The rule page: admins and the CSO admins."""
    return case_permissions.is_admin(user) or (
        case_permissions.is_caseworker(user) and bool(user.org_admin)
    )


def may_set_rule(user, cso_id: int) -> bool:
    """A CSO's rule is set by its organisation admin or a site admin."""
    if case_permissions.is_admin(user):
        return True
    return may_use_rule_page(user) and user.organisation_id == cso_id
