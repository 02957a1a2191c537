"""Who may read and decide on what waits for moderation. Views and templates ask here."""

from __future__ import annotations

from goldendreams.agencies.models import ClaimStatus
from goldendreams.core.auth import Role
from goldendreams.reviews.models import ReviewStatus

#: Moderators (and admins) decide what becomes public.
MODERATORS = frozenset({Role.ADMIN, Role.MODERATOR})
#: Staff who read reviews with the worker's original text, and find them in the staff list;
#: caseworkers read them but do not decide on them.
READERS = MODERATORS | {Role.CASEWORKER}


def _role(user) -> str | None:
    return getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None


def may_moderate(user) -> bool:
    """May open the queue and publish, reject or take down."""
    return _role(user) in MODERATORS


def may_read_reviews(user) -> bool:
    """May search every review (any status) and open its staff page."""
    return _role(user) in READERS


def may_publish(user, review) -> bool:
    """May publish this review: it waits for a moderator."""
    return may_moderate(user) and review.status == ReviewStatus.PENDING


def may_reject(user, review) -> bool:
    """May decide not to publish this review, or take a published one down."""
    return may_moderate(user) and review.status in (ReviewStatus.PENDING, ReviewStatus.PUBLISHED)


def may_decide_claim(user, claim) -> bool:
    """May approve or refuse this request for an account: it waits for a moderator."""
    return may_moderate(user) and claim.status == ClaimStatus.PENDING
