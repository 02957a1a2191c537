"""Staff user accounts. Workers and jobseekers never have one."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from goldendreams.core.auth import ORG_ROLE_KINDS, ROLE_LABELS, Role
from goldendreams.core.base import UTCDateTime, utcnow
from goldendreams.core.crypto import EncryptedText
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
    #: An organisation's staff member who may invite and remove colleagues of it.
    org_admin: Mapped[bool] = mapped_column(default=False)
    #: The kinds of notification (accounts/notifications.py) this person switched off;
    #: every other kind is on.
    muted_notifications: Mapped[list[str]] = mapped_column(JSON, default=list)
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


class Invitation(db.Model):
    """A one-time link to set a password and so open a new account (valid for
    ``INVITATION_HOURS``). Only the SHA-256 of the link's token is kept."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    role: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    org_admin: Mapped[bool] = mapped_column(default=False)
    preferred_locale: Mapped[str | None] = mapped_column(String(5))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: When the link was used or withdrawn: either way it opens nothing any more.
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation = relationship("Organisation")
    invited_by = relationship(User, foreign_keys=[invited_by_id])

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS[Role(self.role)])


class PasswordReset(db.Model):
    """A one-time "forgot your password" link (valid ``PASSWORD_RESET_MINUTES``); a newer
    link or a password change makes it useless. Only the token's SHA-256 is kept."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship(User)


class SecondFactor(db.Model):
    """A staff member's TOTP key (RFC 6238), encrypted at rest. ``confirmed_at`` is empty
    while enrolment waits for a first correct code."""

    __tablename__ = "second_factors"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    secret: Mapped[str] = mapped_column(EncryptedText)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The time step of the last code accepted: a code is never accepted twice.
    last_step: Mapped[int] = mapped_column(default=0)

    user = relationship(User, backref="second_factor_row")


class RecoveryCode(db.Model):
    """One of ten single-use codes for a lost phone, shown once; only a salted scrypt hash
    is kept (accounts/two_factor.py)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
