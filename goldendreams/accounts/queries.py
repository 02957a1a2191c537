"""Reading staff accounts and their sessions."""

from __future__ import annotations

from sqlalchemy import select

from goldendreams.accounts.models import StaffSession, User
from goldendreams.accounts.services import session_expired, token_hash
from goldendreams.core.base import utcnow
from goldendreams.extensions import db


def open_sessions(user: User, token: str) -> list[tuple[StaffSession, bool]]:
    """The user's sessions that have not ended, newest first, each with whether it is the
    one holding ``token`` (this browser)."""
    now, mine = utcnow(), token_hash(token)
    query = select(StaffSession).filter_by(user_id=user.id).order_by(StaffSession.id.desc())
    return [
        (row, row.token_hash == mine)
        for row in db.session.scalars(query)
        if not session_expired(row, now)
    ]


def staff_accounts() -> list[User]:
    """Every staff account, active first, then by email."""
    return list(db.session.scalars(select(User).order_by(User.active.desc(), User.email)))
