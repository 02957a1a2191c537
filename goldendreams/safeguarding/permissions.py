"""Who may do what in safeguarding. Views, services and templates ask here.

Safeguarding belongs to those who run a case (the owning CSO's caseworkers, admins) or
handle a conversation. The worker's safe way to be contacted is shown only to the
caseworkers of the owning CSO (not admins), each view audited. Brands see retaliation on
their suppliers' referred cases as counts per supplier, month and kind (never a case); the
organisation a case is about never sees them (it is the one accused).
"""

from __future__ import annotations

from goldendreams.cases import permissions as case_permissions
from goldendreams.core.auth import Role
from goldendreams.inbox import permissions as inbox_permissions


def may_use_safeguarding(user) -> bool:
    """The on-call roster and the check-ins list: a CSO's caseworkers (admins: every
    CSO's check-ins)."""
    return case_permissions.may_work_on_cases(user)


def may_be_on_call(user) -> bool:
    """Only a CSO's caseworkers are on call (for their CSO)."""
    return case_permissions.is_caseworker(user)


def may_set_on_call(user, person) -> bool:
    """A caseworker puts themselves on call (or off); their CSO's organisation admin may
    set any active caseworker of the CSO."""
    if not may_be_on_call(user) or person is None or not person.active:
        return False
    if person.id == user.id:
        return True
    return (
        bool(getattr(user, "org_admin", False))
        and person.role == Role.CASEWORKER
        and person.organisation_id == user.organisation_id
    )


def may_see_case_safeguarding(user, case) -> bool:
    """The risk, the plan, the check-ins and the consent records of a case."""
    return case_permissions.may_run_case(user, case)


def may_assess_case(user, case) -> bool:
    return case_permissions.may_run_case(user, case) and case.is_open


def may_assess_conversation(user, conversation) -> bool:
    return inbox_permissions.may_handle(user, conversation)


def may_see_safe_contact_of_case(user, case) -> bool:
    """The worker's safe way and time to be contacted: the caseworkers of the CSO that runs
    the case, like a conversation's contact (DESIGN: not admins); each view audited."""
    return case_permissions.is_caseworker(user) and user.organisation_id == case.owner_id


def may_see_safe_contact_of_conversation(user, conversation) -> bool:
    """In a conversation: its CSO's caseworkers, like the worker's contact (not admins)."""
    return case_permissions.is_caseworker(user) and user.organisation_id == conversation.owner_id


def may_plan(user, case, level) -> bool:
    """A safeguarding plan is written for an open case assessed as high risk."""
    return may_assess_case(user, case) and level == "high"


def may_schedule_check_in(user, case, level) -> bool:
    """Check-ins are scheduled on an open case at high risk or already sent to the
    organisation (the retaliation watch)."""
    return may_assess_case(user, case) and (level == "high" or case.shared_with_organisation)


def may_record_check_in(user, check_in) -> bool:
    return case_permissions.may_run_case(user, check_in.case) and check_in.is_open


def may_report_retaliation(user, case) -> bool:
    """Retaliation is recorded on a case the organisation knows of (it was sent to it)."""
    return case_permissions.may_run_case(user, case) and case.shared_with_organisation


def worker_may_report_retaliation(case) -> bool:
    """The worker reports retaliation on their code page once their case went to the
    organisation."""
    return case is not None and case.shared_with_organisation


def may_see_brand_reports(user, brand) -> bool:
    """A brand's staff see the retaliation reports of its suppliers' cases."""
    return (
        case_permissions.may_see_supplier_cases(user)
        and brand is not None
        and user.organisation_id == brand.id
    )


def may_record_consent(user, case) -> bool:
    return case_permissions.may_run_case(user, case) and case.is_open


def may_withdraw_consent(user, case, record) -> bool:
    """The worker took their consent back: those who run the case record it."""
    return (
        record.case_id == case.id
        and case_permissions.may_run_case(user, case)
        and record.withdrawn_on is None
    )
