"""Creating accounts and checking passwords: the only place that writes users."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from goldendreams.accounts import throttle
from goldendreams.accounts.models import (
    PasswordReset,
    RecoveryCode,
    SecondFactor,
    StaffSession,
    User,
)
from goldendreams.accounts.permissions import may_be_org_admin
from goldendreams.core import audit, mail
from goldendreams.core.auth import Role, organisation_kinds
from goldendreams.core.base import utcnow
from goldendreams.extensions import db

MIN_PASSWORD_LENGTH = 12
#: zxcvbn's score (0-4): 3 means about 10^8 guesses or more, out of reach of guessing online
#: and costly offline against our slow hashes; common passwords and their variants score less.
MIN_PASSWORD_SCORE = 3
#: zxcvbn refuses longer input; what comes after this is not needed to judge a password.
_ZXCVBN_MAX = 72
#: A session's last activity is written at most this often (not on every page).
_TOUCH_EVERY = timedelta(minutes=1)
# Verifying against this hash when the email is unknown keeps the response time the same.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class AccountError(ValueError):
    """A rule about accounts was broken; the message says which."""


class WrongPasswordError(AccountError):
    """The password given to confirm an action is not the account's."""


#: What each role's account belongs to, said when a form pairs a role with the wrong kind
#: of organisation.
_NEEDS = {
    Role.AGENCY_STAFF: _l("Agency staff belong to a recruitment agency."),
    Role.EMPLOYER_STAFF: _l("Employer staff belong to an employer."),
    Role.BRAND: _l("Brand staff belong to a brand or buyer."),
    Role.CASEWORKER: _l("A caseworker belongs to an NGO or a union of the network."),
    Role.MOBILIZER: _l("A mobilizer belongs to an NGO or a union of the network."),
    Role.GOVERNMENT: _l("A government officer belongs to a government office."),
    Role.ASSOCIATION: _l("Association staff belong to an industry association."),
}


def organisation_problem(role: Role, organisation) -> str | None:
    """What is wrong with giving ``role`` with this organisation (or none), in the reader's
    language, or None: a role tied to organisations needs one of its kinds, the site's own
    roles none."""
    kinds = organisation_kinds(role)
    if kinds and (organisation is None or organisation.kind not in kinds):
        return f"{_('This role needs an organisation of the right kind.')} {_NEEDS[role]}"
    if not kinds and organisation is not None:
        return _("This role is not tied to an organisation.")
    return None


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise AccountError(f"not a valid email address: {email!r}") from error


def create_user(
    email: str,
    password: str,
    role: str,
    organisation=None,
    preferred_locale: str | None = None,
    org_admin: bool = False,
) -> User:
    """Create a staff account. Org roles need an organisation of the matching kind;
    ``org_admin`` makes the account its organisation's admin (invites colleagues)."""
    user = add_user(email, password, role, organisation, preferred_locale, org_admin)
    db.session.commit()
    return user


def add_user(
    email: str,
    password: str,
    role: str,
    organisation=None,
    preferred_locale: str | None = None,
    org_admin: bool = False,
) -> User:
    """Add a staff account to the current transaction (the caller commits): the rules of
    :func:`create_user`."""
    email = normalise_email(email)
    try:
        role = Role(role)
    except ValueError as error:
        raise AccountError(f"unknown role {role!r}; one of: {', '.join(Role)}") from error
    problem = password_problem(password, email)
    if problem:
        raise AccountError(problem)
    kinds = organisation_kinds(role)
    if kinds:
        if organisation is None:
            raise AccountError(f"the role {role} needs an organisation (--org)")
        if organisation.kind not in kinds:
            raise AccountError(
                f"the role {role} needs an organisation of kind {' or '.join(kinds)}, "
                f"not {organisation.kind}"
            )
    elif organisation is not None:
        raise AccountError(f"the role {role} is not tied to an organisation")
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
        raise AccountError(f"an account with the email {email} exists already")

    user = User(
        email=email,
        password_hash=generate_password_hash(password),
        role=role.value,
        organisation=organisation,
        preferred_locale=preferred_locale,
        org_admin=bool(org_admin and organisation is not None and may_be_org_admin(role)),
    )
    db.session.add(user)
    db.session.flush()
    return user


def password_problem(password: str, email: str = "") -> str | None:
    """What is wrong with a new password, in the reader's language, or None.

    Length and guessability only (no "one digit, one capital" rules, which make passwords
    harder to remember, not to guess): common passwords, keyboard runs, repeats, dates and
    words from the email address are refused.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("Use at least %(count)d characters.", count=MIN_PASSWORD_LENGTH)
    local_part = email.partition("@")[0]
    own_words = [email, local_part, *re.split(r"[^\w]+", local_part)]
    if zxcvbn(password[:_ZXCVBN_MAX], user_inputs=own_words)["score"] < MIN_PASSWORD_SCORE:
        return _(
            "This password is too easy to guess. Use a few words that only you would put together."
        )
    return None


def change_password(user: User, current: str, new: str, keep_token: str | None) -> None:
    """Set a new password after checking the current one, and end the user's other
    sessions (someone who knew the old password is logged out)."""
    if not check_password_hash(user.password_hash, current):
        raise WrongPasswordError(_("This is not your current password."))
    _set_password(user, new, actor=user, keep_token=keep_token)


def reset_password(user: User, new: str) -> None:
    """Set a password on the server's command line (the user forgot theirs); every session
    of the account ends."""
    _set_password(user, new, actor=None, keep_token=None)


def set_password_with_link(user: User, new: str) -> None:
    """Set a password with a "forgot your password" link (accounts/resets.py); every
    session of the account ends."""
    _set_password(user, new, actor=user, keep_token=None, by="reset_link")


def _set_password(
    user: User, new: str, actor, keep_token: str | None, by: str | None = None
) -> None:
    problem = password_problem(new, user.email)
    if problem:
        raise AccountError(problem)
    user.password_hash = generate_password_hash(new)
    _end_sessions(user, keep_token)
    # Whoever had a "forgot your password" link for the old password has nothing now.
    _spend_reset_links(user)
    by = by or ("user" if actor else "command")
    audit.record(actor, "password_changed", "user", user.id, by=by)
    db.session.commit()


def _spend_reset_links(user: User) -> None:
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=utcnow())
    )


def end_other_sessions(user: User, keep_token: str) -> None:
    """Log the user out on every other browser (a lost phone, a shared computer)."""
    _end_sessions(user, keep_token)
    db.session.commit()


def _end_sessions(user: User, keep_token: str | None) -> None:
    others = delete(StaffSession).where(StaffSession.user_id == user.id)
    if keep_token:
        others = others.where(StaffSession.token_hash != token_hash(keep_token))
    db.session.execute(others)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def session_expired(staff_session: StaffSession, now: datetime) -> bool:
    idle = timedelta(minutes=current_app.config["STAFF_IDLE_MINUTES"])
    lifetime = current_app.config["PERMANENT_SESSION_LIFETIME"]
    return now - staff_session.last_seen_at > idle or now - staff_session.started_at > lifetime


def start_session(user: User) -> str:
    """Record a new login and return its token (for the signed session cookie). The
    user's sessions that ran out are removed on the way."""
    now = utcnow()
    for old in db.session.scalars(select(StaffSession).where(StaffSession.user_id == user.id)):
        if session_expired(old, now):
            db.session.delete(old)
    token = secrets.token_urlsafe(32)
    db.session.add(StaffSession(token_hash=token_hash(token), user=user))
    db.session.commit()
    return token


def resume_session(token: str) -> tuple[User | None, bool]:
    """The active user whose session this token starts, and whether a session was found
    but had ended (idle too long, or too old). Notes the activity."""
    query = select(StaffSession).where(StaffSession.token_hash == token_hash(token))
    staff_session = db.session.scalar(query)
    if staff_session is None:
        return None, False
    now = utcnow()
    if session_expired(staff_session, now) or not staff_session.user.active:
        db.session.delete(staff_session)
        db.session.commit()
        return None, True
    user = staff_session.user
    if now - staff_session.last_seen_at > _TOUCH_EVERY:
        staff_session.last_seen_at = now
        db.session.commit()
    return user, False


def end_session(token: str) -> None:
    """Log out: the token no longer opens anything, even if the cookie is kept."""
    db.session.execute(delete(StaffSession).where(StaffSession.token_hash == token_hash(token)))
    db.session.commit()


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None."""
    email = email.strip().lower()
    user = None
    if "\x00" not in email:  # no account has one, and PostgreSQL refuses it even in a query
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


def staff_roles_of(organisation_id: int) -> set[str]:
    """The roles of the accounts tied to an organisation."""
    query = select(User.role).where(User.organisation_id == organisation_id).distinct()
    return set(db.session.scalars(query))


def lift_login_lockout(actor: User, user: User) -> None:
    """An admin lets an account's owner try to log in again at once, from everywhere (after
    someone guessing at the account made its logins wait)."""
    throttle.lift(user.email)
    audit.record(actor, "account.lockout_lifted", "user", user.id)
    db.session.commit()


def set_active(user: User, active: bool, actor=None) -> None:
    """Switch an account on or off (audited); an inactive account cannot log in, and its
    open sessions end. Nobody switches themselves off: the site keeps its admin."""
    if not active and actor is not None and actor.id == user.id:
        raise AccountError(_("You cannot switch off your own account."))
    user.active = active
    if not active:
        _end_sessions(user, keep_token=None)
        _spend_reset_links(user)  # none may open the account again once it is back on
    action = "account.switched_on" if active else "account.switched_off"
    audit.record(actor, action, "user", user.id)
    db.session.commit()


def change_role(actor: User, user: User, role: str, organisation=None, org_admin=False) -> None:
    """An admin gives an account another role or organisation (the rules of
    :func:`create_user`: an organisation's role needs an organisation of its kind, the
    site's roles none). Admins cannot demote themselves, so the site keeps an admin."""
    try:
        role = Role(role)
    except ValueError as error:
        raise AccountError(_("Choose an answer from the list.")) from error
    if actor.id == user.id and role != Role.ADMIN:
        raise AccountError(_("You cannot take the administrator role from yourself."))
    if not organisation_kinds(role):
        organisation = None
    problem = organisation_problem(role, organisation)
    if problem:
        raise AccountError(problem)
    before = (user.role, user.organisation_id, user.org_admin)
    user.role = role.value
    user.organisation = organisation
    user.org_admin = bool(org_admin and organisation is not None and may_be_org_admin(role))
    db.session.flush()
    audit.record(
        actor,
        "account.role_changed",
        "user",
        user.id,
        role_from=before[0],
        role_to=user.role,
        organisation_from=before[1],
        organisation_to=user.organisation_id,
        org_admin_from=before[2],
        org_admin_to=user.org_admin,
    )
    db.session.commit()


def reset_second_factor(actor: User, user: User) -> None:
    """An admin clears a member's second factor (a lost phone): its key and recovery codes
    go, every session of the account ends, and the member is told by e-mail. Members whose
    role requires one enrol again at their next login."""
    db.session.execute(delete(SecondFactor).where(SecondFactor.user_id == user.id))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    _end_sessions(user, keep_token=None)
    audit.record(actor, "account.second_factor_reset", "user", user.id)
    mail.send(
        user.email,
        "second_factor_reset",
        user.preferred_locale,
        link=mail.site_url("accounts.login"),
    )
    db.session.commit()
