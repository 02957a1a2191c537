"""Spent one-time links go: invitations and password resets a week after they were used
or expired (daily, from the queue: accounts/tasks.py)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete

from goldendreams.accounts.models import Invitation, PasswordReset
from goldendreams.core.base import utcnow
from goldendreams.extensions import db

#: Days used or expired links are kept: the pages that refuse them need nothing from them,
#: and a week answers "did the invitation go out?". Not audited: no one acts, and the
#: audit log keeps the invitation's creation.
SPENT_LINK_DAYS = 7


def delete_spent_links(days: int = SPENT_LINK_DAYS) -> int:
    """Delete invitations and password-reset links used or expired over ``days`` days ago
    (one transaction). Returns how many went."""
    cutoff = utcnow() - timedelta(days=days)
    removed = 0
    for model in (Invitation, PasswordReset):
        spent = (model.used_at < cutoff) | (model.expires_at < cutoff)
        removed += db.session.execute(delete(model).where(spent)).rowcount or 0
    db.session.commit()
    return removed
