"""Who may do what with cases. Views, services and templates ask here, never compare roles."""

from __future__ import annotations

from goldendreams.core.auth import Role

#: Caseworkers (and admins) run cases: the list, the case pages, every step.
CASEWORKERS = frozenset({Role.ADMIN, Role.CASEWORKER})
#: A review that tells of an abuse can become a case: moderators meet it first,
#: caseworkers when they look for it in the staff list of reviews.
OPEN_FROM_REVIEW = frozenset({Role.ADMIN, Role.MODERATOR, Role.CASEWORKER})


def _role(user) -> str | None:
    return getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None


def may_work_on_cases(user) -> bool:
    """May open the case list and a case's page, and move cases on."""
    return _role(user) in CASEWORKERS


def may_open_from_review(user, review=None) -> bool:
    """May open a case from a review (any review the worker has not withdrawn)."""
    if _role(user) not in OPEN_FROM_REVIEW:
        return False
    return review is None or review.status != "withdrawn"
