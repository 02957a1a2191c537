"""Who may do what with cases. Views, services and templates ask here, never compare roles.

The network's rules: a case belongs to one CSO (``Case.owner``); that CSO's caseworkers run
it, admins run every case. Moderators and caseworkers may open a case from a review. An
organisation (employer, agency) meets its case only once a caseworker sends it to them.
"""

from __future__ import annotations

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
