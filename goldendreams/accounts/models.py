"""Staff user accounts. Workers and jobseekers never have one."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from goldendreams.core.auth import ORG_ROLE_KINDS, ROLE_LABELS, Role
from goldendreams.core.base import UTCDateTime, utcnow
from goldendreams.extensions import db


class User(UserMixin, db.Model):
    """A staff member: admin, moderator, caseworker, or staff of one organisation."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    preferred_locale: Mapped[str | None] = mapped_column(String(5))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation = relationship("Organisation", lazy="joined")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def is_org_staff(self) -> bool:
        return self.role in ORG_ROLE_KINDS

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS[Role(self.role)])

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class StaffSession(db.Model):
    """One logged-in browser of a staff member, so that logging out, a password change or
    a long pause ends it on the server, not only in the browser's signed cookie.

    The cookie holds a random token; only its SHA-256 is stored, so a copy of this table
    cannot be used to log in.
    """

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship(User, lazy="joined")
