"""Forgot your password: a one-time link, mailed, to set a new one.

The page that asks for a link answers the same whatever the address: the view only checks
the form and the rate limits and queues :func:`request_reset` with the address typed; the
queue, not the request, looks the account up, so neither the answer nor its timing tells
whether an account has that address. A link works ``PASSWORD_RESET_MINUTES``, once; a newer
link and any password change (``services._set_password``) make it useless. Only the
SHA-256 of a link's token is stored.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from goldendreams.accounts import services, throttle
from goldendreams.accounts.models import PasswordReset, User
from goldendreams.core import audit, mail
from goldendreams.core.base import utcnow
from goldendreams.core.security import client_key
from goldendreams.core.throttle import FailureBudget
from goldendreams.extensions import db

#: Tokens are 43 characters; anything much longer is no token of ours.
_TOKEN_MAX = 100


def budgets(email: str) -> dict[str, FailureBudget]:
    """The limits a request for a link spends (every request, found or not): per address
    typed (a keyed hash, as the login lockouts) and per client network."""
    return {
        "address": FailureBudget(
            "PASSWORD_RESET_LIMIT", "reset-address", throttle.account_hash(email)
        ),
        "client": FailureBudget("PASSWORD_RESET_LIMIT", "reset-client", client_key()),
    }


def request_reset(email: str) -> str | None:
    """Mail a link to the active account with this address, if there is one (from the
    queue). Returns the link's token (for tests), or None when nothing was sent."""
    email = (email or "").strip().lower()
    if not email or "\x00" in email:
        return None
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if user is None or not user.active:
        return None
    return issue(user)


def issue(user: User) -> str:
    """A new link for ``user`` (older ones stop working), audited and mailed in the
    user's language once committed."""
    now = utcnow()
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(32)
    minutes = current_app.config["PASSWORD_RESET_MINUTES"]
    reset = PasswordReset(
        token_hash=services.token_hash(token),
        user_id=user.id,
        created_at=now,
        expires_at=now + timedelta(minutes=minutes),
    )
    db.session.add(reset)
    db.session.flush()
    audit.record(None, "account.password_reset_sent", "user", user.id, reset=reset.id)
    mail.send(
        user.email,
        "password_reset",
        user.preferred_locale,
        link=mail.site_url("password_reset.reset", token=token),
        minutes=minutes,
    )
    db.session.commit()
    return token


def open_reset(token: str) -> PasswordReset | None:
    """The reset this link's token opens: not used, not replaced, not expired, and its
    account still active."""
    if not token or len(token) > _TOKEN_MAX:
        return None
    reset = db.session.scalar(
        select(PasswordReset).where(PasswordReset.token_hash == services.token_hash(token))
    )
    if reset is None or reset.used_at is not None or reset.expires_at <= utcnow():
        return None
    if not reset.user.active:
        return None
    return reset


def use(reset: PasswordReset, new: str) -> User:
    """Set the new password with the link (one transaction): every link of the account is
    used up, every session of the account ends, audited."""
    user = reset.user
    problem = services.password_problem(new, user.email)
    if problem:
        raise services.AccountError(problem)
    claimed = db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if claimed.rowcount != 1:  # another request used it a moment ago
        db.session.rollback()
        raise services.AccountError(_("This link does not work any more."))
    services.set_password_with_link(user, new)
    return user
