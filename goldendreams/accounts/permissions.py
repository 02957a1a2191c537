"""Who may manage staff accounts. Views and templates ask here."""

from __future__ import annotations

from goldendreams.core.auth import Role, organisation_kinds

#: Whom an organisation's admin invites: a CSO's admin (a caseworker) its caseworkers and
#: mobilizers; every other organisation's admin colleagues of their own role. Mobilizers are
#: volunteers: none of them is a CSO's admin.
_COLLEAGUE_ROLES = {
    Role.CASEWORKER: [Role.CASEWORKER, Role.MOBILIZER],
    Role.MOBILIZER: [],
}


def may_manage_accounts(user) -> bool:
    """Admins see every staff account and lift login lockouts."""
    return bool(getattr(user, "is_authenticated", False)) and user.role == Role.ADMIN


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "active", False))


def colleague_roles(role: str) -> list[Role]:
    """The roles the admin of an organisation of ``role`` may invite ([] for the site's own
    staff, who belong to no organisation, and for mobilizers)."""
    if not organisation_kinds(role):
        return []
    return list(_COLLEAGUE_ROLES.get(Role(role), [Role(role)]))


def may_be_org_admin(role: str) -> bool:
    """Whether an account of ``role`` can hold the organisation-admin right."""
    return bool(colleague_roles(role))


def may_manage_colleagues(user) -> bool:
    """An organisation admin (of an employer, agency, buyer, CSO, government office or
    association): the right to invite and switch off colleagues of that organisation (and
    of no other)."""
    return (
        _signed_in(user)
        and may_be_org_admin(user.role)
        and user.organisation_id is not None
        and bool(user.org_admin)
    )


def may_manage_user(actor, user) -> bool:
    """Admins manage every account; an organisation admin the accounts of their own
    organisation, of the roles they may invite."""
    if may_manage_accounts(actor):
        return True
    return (
        may_manage_colleagues(actor)
        and user.role in colleague_roles(actor.role)
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
    only their organisation's (a CSO's admin caseworkers and mobilizers; never a role of the
    site's own staff)."""
    if may_manage_accounts(actor):
        return list(Role)
    if may_manage_colleagues(actor):
        return colleague_roles(actor.role)
    return []


def may_invite(actor, role: str, organisation) -> bool:
    """Invite someone to ``role`` at ``organisation``: admins anyone (the rules of roles and
    organisations are the service's), an organisation admin their roles at their own
    organisation only."""
    if may_manage_accounts(actor):
        return True
    return (
        role in invitable_roles(actor)
        and organisation is not None
        and organisation.id == actor.organisation_id
    )


def may_read_audit_log(user) -> bool:
    """Admins read the audit log (ids and actions, never an entry's detail)."""
    return may_manage_accounts(user)
