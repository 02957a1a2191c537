"""Invitations: a one-time link, mailed, to set a password and so open a staff account."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from goldendreams.accounts import permissions
from goldendreams.accounts.models import Invitation, User
from goldendreams.accounts.services import (
    AccountError,
    add_user,
    normalise_email,
    organisation_problem,
    password_problem,
    token_hash,
)
from goldendreams.core import audit, mail
from goldendreams.core.auth import ROLE_LABELS, Role
from goldendreams.core.base import utcnow
from goldendreams.extensions import db


class AddressTaken(AccountError):
    """The address has an account, or an open invitation from elsewhere. Only site staff
    are told: an organisation's admin gets the answer of a sent invitation (no organisation
    learns who else has an account), and nothing is sent."""


def _site_staff(actor) -> bool:
    return actor is None or getattr(actor, "role", None) in (Role.ADMIN, Role.MODERATOR)


def add_invitation(
    actor,
    email: str,
    role: str,
    organisation=None,
    org_admin: bool = False,
    locale: str | None = None,
) -> Invitation:
    """Add an invitation to the current transaction and mail its link once the
    transaction commits (the caller commits). An earlier open invitation to the same
    address is withdrawn: only the newest link works. An organisation's admin withdraws
    only their own organisation's invitations."""
    email = normalise_email(email)
    role = checked_role(role, organisation)
    site_staff = _site_staff(actor)
    if not site_staff and not permissions.may_invite(actor, role, organisation):
        # A CSO's admin cannot invite into another CSO, nor to a role of the site's staff.
        raise AccountError(_("You may not invite someone to this role."))
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
        raise AddressTaken(_("An account with this e-mail exists already."))
    now = utcnow()
    open_ones = (func.lower(Invitation.email) == email, Invitation.used_at.is_(None))
    if not site_staff:
        elsewhere = select(Invitation.id).where(
            *open_ones,
            Invitation.expires_at > now,
            Invitation.organisation_id.is_distinct_from(organisation.id),
        )
        if db.session.scalar(elsewhere.limit(1)):
            raise AddressTaken(_("This address has an open invitation already."))
        open_ones = (*open_ones, Invitation.organisation_id == organisation.id)
    db.session.execute(update(Invitation).where(*open_ones).values(used_at=now))
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        token_hash=token_hash(token),
        email=email,
        role=role.value,
        organisation=organisation,
        org_admin=bool(
            org_admin and organisation is not None and permissions.may_be_org_admin(role)
        ),
        preferred_locale=locale,
        invited_by_id=getattr(actor, "id", None),
        created_at=now,
        expires_at=now + timedelta(hours=current_app.config["INVITATION_HOURS"]),
    )
    db.session.add(invitation)
    db.session.flush()
    audit.record(
        actor,
        "account.invited",
        "invitation",
        invitation.id,
        role=role.value,
        organisation=getattr(organisation, "id", None),
    )
    mail.send(
        email,
        "invitation",
        locale,
        link=mail.site_url("users.accept_invitation", token=token),
        # Lazy: translated when the mail is rendered, in the recipient's language.
        role_label=ROLE_LABELS[role],
        organisation_name=organisation.name if organisation is not None else None,
        hours=current_app.config["INVITATION_HOURS"],
        no_settings_line=True,  # no account yet
    )
    return invitation


def invite(
    actor,
    email: str,
    role: str,
    organisation=None,
    org_admin: bool = False,
    locale: str | None = None,
) -> Invitation:
    """Invite someone to a staff account (one transaction, audited, mailed)."""
    invitation = add_invitation(actor, email, role, organisation, org_admin, locale)
    db.session.commit()
    return invitation


def checked_role(role: str, organisation) -> Role:
    """The role, if it may be given with this organisation (or none); else AccountError."""
    try:
        role = Role(role)
    except ValueError as error:
        raise AccountError(_("Choose an answer from the list.")) from error
    problem = organisation_problem(role, organisation)
    if problem:
        raise AccountError(problem)
    return role


def open_invitation(token: str) -> Invitation | None:
    """The invitation this link's token opens: neither used, withdrawn nor expired."""
    if not token or len(token) > 100:
        return None
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == token_hash(token))
    )
    if invitation is None or invitation.used_at is not None or invitation.expires_at <= utcnow():
        return None
    return invitation


def accept(invitation: Invitation, password: str) -> User:
    """Open the invited account with its first password, in one transaction: the account
    (role, organisation, organisation-admin right and language of the invitation), the
    invitation marked used, an audit entry."""
    problem = password_problem(password, invitation.email)
    if problem:
        raise AccountError(problem)
    if db.session.scalar(select(User.id).where(func.lower(User.email) == invitation.email)):
        raise AccountError(_("An account with this e-mail exists already."))
    # Only one request can use the link, even two at the same moment.
    claimed = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        raise AccountError(_("This link does not work any more."))
    try:
        user = add_user(
            invitation.email,
            password,
            invitation.role,
            organisation=invitation.organisation,
            preferred_locale=invitation.preferred_locale,
            org_admin=invitation.org_admin,
        )
    except AccountError:
        db.session.rollback()
        raise
    audit.record(user, "account.created", "user", user.id, invitation=invitation.id)
    db.session.commit()
    return user


def withdraw(actor, invitation: Invitation) -> None:
    """Withdraw an open invitation: its link opens nothing any more."""
    invitation.used_at = utcnow()
    audit.record(actor, "account.invitation_withdrawn", "invitation", invitation.id)
    db.session.commit()
