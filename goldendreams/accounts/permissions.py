"""Who may manage staff accounts. Views and templates ask here."""

from __future__ import annotations

from goldendreams.core.auth import ORG_ROLE_KINDS, Role


def may_manage_accounts(user) -> bool:
    """Admins see every staff account and lift login lockouts."""
    return bool(getattr(user, "is_authenticated", False)) and user.role == Role.ADMIN


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "active", False))


def may_manage_colleagues(user) -> bool:
    """An organisation admin: staff of an organisation with the right to invite and
    switch off colleagues of that organisation (and of no other)."""
    return (
        _signed_in(user)
        and user.role in ORG_ROLE_KINDS
        and user.organisation_id is not None
        and bool(user.org_admin)
    )


def may_manage_user(actor, user) -> bool:
    """Admins manage every account; an organisation admin the accounts of their own
    organisation."""
    if may_manage_accounts(actor):
        return True
    return (
        may_manage_colleagues(actor)
        and user.role in ORG_ROLE_KINDS
        and user.organisation_id == actor.organisation_id
    )


def may_switch_off(actor, user) -> bool:
    """Switch an account off: those who manage it, never their own (the site keeps its
    admins, an organisation its organisation admin)."""
    return may_manage_user(actor, user) and actor.id != user.id and user.active


def may_manage_invitation(actor, invitation) -> bool:
    """See and withdraw an invitation: admins any, organisation admins their own
    organisation's."""
    if may_manage_accounts(actor):
        return True
    return (
        may_manage_colleagues(actor)
        and invitation.organisation_id is not None
        and invitation.organisation_id == actor.organisation_id
    )


def invitable_roles(actor) -> list[Role]:
    """The roles an actor may invite someone to: admins every role, an organisation admin
    only their organisation's (never a role of the site's own staff)."""
    if may_manage_accounts(actor):
        return list(Role)
    if may_manage_colleagues(actor):
        return [Role(actor.role)]
    return []


def may_read_audit_log(user) -> bool:
    """Admins read the audit log (ids and actions, never an entry's detail)."""
    return may_manage_accounts(user)
