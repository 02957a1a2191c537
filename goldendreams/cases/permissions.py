"""Who may do what with cases. Views, services and templates ask here, never compare roles.

The network's rules: a case belongs to one CSO (``Case.owner``); that CSO's caseworkers run
it, admins run every case. Moderators and caseworkers may open a case from a review. An
organisation (employer, agency) meets its case only once a caseworker sends it to them.
"""

from __future__ import annotations

from goldendreams.cases.models import CaseSource, CaseStatus, ReferralStatus
from goldendreams.core.auth import Role

#: A review that tells of an abuse can become a case: moderators meet it first,
#: caseworkers when they look for it in the staff list of reviews.
OPEN_FROM_REVIEW = frozenset({Role.ADMIN, Role.MODERATOR, Role.CASEWORKER})


def _role(user) -> str | None:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "active", True):
        return None
    return getattr(user, "role", None)


def is_admin(user) -> bool:
    return _role(user) == Role.ADMIN


def is_caseworker(user) -> bool:
    """A caseworker of a CSO (a caseworker's account always names one)."""
    return _role(user) == Role.CASEWORKER and user.organisation_id is not None


def may_work_on_cases(user) -> bool:
    """May open the case list (their CSO's cases; admins every case) and log a case."""
    return is_admin(user) or is_caseworker(user)


def may_run_case(user, case) -> bool:
    """May read all of a case (the worker's contact too) and move it on: the caseworkers of
    the CSO that owns it, and admins."""
    return is_admin(user) or (is_caseworker(user) and user.organisation_id == case.owner_id)


#: Cases the worker follows with a code of their own: a review's case opens with the
#: review's code, a conversation's in the conversation (its code or the worker's app).
CODE_SOURCES = frozenset({CaseSource.HOTLINE, CaseSource.OUTREACH, CaseSource.GROUP})


def may_give_worker_code(user, case) -> bool:
    """Those who run an open case logged from a call, outreach or a group complaint may give
    the worker a code to follow it and say whether it was fixed (a new one replaces the
    old)."""
    return may_run_case(user, case) and case.is_open and case.source in CODE_SOURCES


def may_record_worker_answer(user, case) -> bool:
    """Those who run a case record the worker's answer to "Was it fixed?" given on the
    phone, in person or in a message, whenever the worker could answer it themselves."""
    from goldendreams.cases.services import can_answer  # services imports this module

    return may_run_case(user, case) and can_answer(case)


def may_assign_to(user, case, assignee) -> bool:
    """A case is given to an active caseworker of the CSO that owns it."""
    return (
        may_run_case(user, case)
        and assignee is not None
        and assignee.active
        and assignee.role == Role.CASEWORKER
        and assignee.organisation_id == case.owner_id
    )


def may_open_from_review(user, review=None) -> bool:
    """May open a case from a review (any review the worker has not withdrawn)."""
    if _role(user) not in OPEN_FROM_REVIEW:
        return False
    if _role(user) == Role.CASEWORKER and not is_caseworker(user):
        return False
    return review is None or review.status != "withdrawn"


def may_act_for_organisation(user, case) -> bool:
    """Staff of the case's employer or agency answer it, once it was sent to them."""
    return (
        _role(user) in (Role.AGENCY_STAFF, Role.EMPLOYER_STAFF)
        and user.organisation_id == case.organisation_id
        and case.shared_with_organisation
    )


def may_answer_as_organisation(user, case) -> bool:
    """The organisation acknowledges, proposes a fix and records remediation while the
    case is with it."""
    return may_act_for_organisation(user, case) and case.status in (
        CaseStatus.REFERRED, CaseStatus.IN_REMEDIATION,
    )  # fmt: skip


def may_manage_routing(user) -> bool:
    """Admins set where new cases go (the network's routing rules)."""
    return is_admin(user)


# --- government offices and industry associations -------------------------------------------


def is_government_officer(user) -> bool:
    """An officer of a government office (their account always names the office)."""
    return _role(user) == Role.GOVERNMENT and user.organisation_id is not None


def may_see_as_office(user, case) -> bool:
    """An officer sees the shared part of a case a CSO referred to their office, once the
    office accepted it."""
    return is_government_officer(user) and any(
        referral.to_id == user.organisation_id and referral.status == ReferralStatus.ACCEPTED
        for referral in case.referrals
    )


def may_record_government_action(user, case) -> bool:
    """An officer records what their office did about an open case referred to it."""
    return may_see_as_office(user, case) and case.is_open


def may_see_country_figures(user) -> bool:
    """Officers see the case figures of their office's country (small ones suppressed)."""
    return is_government_officer(user)


def may_see_member_figures(user) -> bool:
    """Staff of an industry association see figures over its members' cases, never a case."""
    return _role(user) == Role.ASSOCIATION and user.organisation_id is not None


# --- community mobilizers ---------------------------------------------------------------------


def is_mobilizer(user) -> bool:
    """A community mobilizer of a CSO (their account always names one)."""
    return _role(user) == Role.MOBILIZER and user.organisation_id is not None


def may_log_group_case(user) -> bool:
    """May log a group complaint for workers who asked them, and list the ones they logged."""
    return is_mobilizer(user)


def logged_for(case) -> int:
    """The CSO a case was logged for: its owner, or, once handed on, the CSO that first
    sent it on (referrals are kept in order: the first one's sender was the first owner)."""
    return case.referrals[0].from_id if case.referrals else case.owner_id


def may_follow_group_case(user, case) -> bool:
    """The mobilizer who logged a group complaint follows it (status, shared steps, outcome)
    while they still work for the CSO they logged it for; nobody else does."""
    return (
        is_mobilizer(user)
        and case.logged_by_id == user.id
        and user.organisation_id == logged_for(case)
    )


# --- referrals between the network's members ------------------------------------------------

#: A referral is open while the worker is asked or the receiver has not decided.
OPEN_REFERRAL_STATUSES = frozenset({ReferralStatus.ASKING_WORKER, ReferralStatus.PROPOSED})
#: What a receiver ever meets: a referral offered to it (never one still waiting for the
#: worker's consent, refused by the worker or taken back).
OFFERED_REFERRAL_STATUSES = frozenset(
    {ReferralStatus.PROPOSED, ReferralStatus.ACCEPTED, ReferralStatus.DECLINED}
)


def may_use_referrals(user) -> bool:
    """May open the referrals pages: caseworkers, government officers and admins."""
    return is_admin(user) or is_caseworker(user) or is_government_officer(user)


def open_referral(case):
    """The referral of a case that waits for the worker or the receiver, if any."""
    return next((r for r in case.referrals if r.status in OPEN_REFERRAL_STATUSES), None)


def may_refer(user, case) -> bool:
    """Those who run an open case may offer it to another CSO or an office, one at a time."""
    return may_run_case(user, case) and case.is_open and open_referral(case) is None


def _of_receiver(user, referral) -> bool:
    member = is_caseworker(user) or is_government_officer(user)
    return member and user.organisation_id == referral.to_id


def _of_sender(user, referral) -> bool:
    return is_caseworker(user) and user.organisation_id == referral.from_id


def may_see_referral(user, referral) -> bool:
    """The sender's caseworkers, those who run the case now, and admins see a referral; the
    receiver's caseworkers or officers only once it was offered to them."""
    if is_admin(user) or _of_sender(user, referral) or may_run_case(user, referral.case):
        return True
    return _of_receiver(user, referral) and referral.status in OFFERED_REFERRAL_STATUSES


def may_decide_referral(user, referral) -> bool:
    """The receiver's caseworkers or officers (and admins) accept or decline an offer."""
    return (
        referral.status == ReferralStatus.PROPOSED
        and referral.case.is_open
        and (is_admin(user) or _of_receiver(user, referral))
    )


def may_withdraw_referral(user, referral) -> bool:
    """Those who run the case take back a referral not decided yet."""
    return (
        referral.status in OPEN_REFERRAL_STATUSES
        and referral.case.owner_id == referral.from_id
        and may_run_case(user, referral.case)
    )


def may_follow_case(user, case) -> bool:
    """A CSO that handed a case on to another CSO (which accepted it) keeps a read-only view
    of its header, shared steps and outcome; admins may look at that view of any case."""
    if is_admin(user):
        return True
    return (
        is_caseworker(user)
        and user.organisation_id != case.owner_id
        and any(
            r.from_id == user.organisation_id
            and r.status == ReferralStatus.ACCEPTED
            and r.receiver.is_cso
            for r in case.referrals
        )
    )


def may_close(user, case) -> bool:
    """Close a case the organisation fixed (the worker's answer decides the outcome)."""
    return may_run_case(user, case) and case.status == CaseStatus.RESOLVED


def may_record_remediation(user, case) -> bool:
    """Record what was done to fix it: those who run the case, once it went to the
    organisation."""
    return may_run_case(user, case) and case.status in (
        CaseStatus.REFERRED, CaseStatus.IN_REMEDIATION,
    )  # fmt: skip


def may_see_supplier_cases(user) -> bool:
    """May open the brand dashboard of its suppliers' cases: brand and buyer staff."""
    return _role(user) == Role.BRAND and user.organisation_id is not None
