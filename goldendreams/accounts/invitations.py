"""Invitations: a one-time link, mailed, to set a password and so open a staff account."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select, update

from goldendreams.accounts.models import Invitation, User
from goldendreams.accounts.services import AccountError, normalise_email, token_hash
from goldendreams.core import audit, mail
from goldendreams.core.auth import ORG_ROLE_KINDS, Role
from goldendreams.core.base import utcnow
from goldendreams.extensions import db


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
    address is withdrawn: only the newest link works."""
    email = normalise_email(email)
    role = _checked_role(role, organisation)
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
        raise AccountError(f"an account with the email {email} exists already")
    now = utcnow()
    db.session.execute(
        update(Invitation)
        .where(func.lower(Invitation.email) == email, Invitation.used_at.is_(None))
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        token_hash=token_hash(token),
        email=email,
        role=role.value,
        organisation=organisation,
        org_admin=bool(org_admin and organisation is not None),
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
        role_label=role,
        organisation_name=organisation.name if organisation is not None else None,
        hours=current_app.config["INVITATION_HOURS"],
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


def _checked_role(role: str, organisation) -> Role:
    try:
        role = Role(role)
    except ValueError as error:
        raise AccountError(f"unknown role {role!r}") from error
    if role in ORG_ROLE_KINDS:
        if organisation is None or organisation.kind != ORG_ROLE_KINDS[role]:
            raise AccountError(
                f"the role {role} needs an organisation of kind {ORG_ROLE_KINDS[role]}"
            )
    elif organisation is not None:
        raise AccountError(f"the role {role} is not tied to an organisation")
    return role
