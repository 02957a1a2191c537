"""Creating accounts and checking passwords: the only place that writes users."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from goldendreams.accounts.models import User
from goldendreams.core.auth import ORG_ROLE_KINDS, Role
from goldendreams.extensions import db

MIN_PASSWORD_LENGTH = 10
# Verifying against this hash when the email is unknown keeps the response time the same.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class AccountError(ValueError):
    """A rule about accounts was broken; the message says which."""


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
) -> User:
    """Create a staff account. Org roles need an organisation of the matching kind."""
    email = normalise_email(email)
    try:
        role = Role(role)
    except ValueError as error:
        raise AccountError(f"unknown role {role!r}; one of: {', '.join(Role)}") from error
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    if role in ORG_ROLE_KINDS:
        if organisation is None:
            raise AccountError(f"the role {role} needs an organisation (--org)")
        if organisation.kind != ORG_ROLE_KINDS[role]:
            raise AccountError(
                f"the role {role} needs an organisation of kind {ORG_ROLE_KINDS[role]}, "
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
    )
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
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


def set_active(user: User, active: bool) -> None:
    """Switch an account on or off; an inactive account cannot log in."""
    user.active = active
    db.session.commit()
