"""Roles and the decorators that guard staff pages."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required


class Role(StrEnum):
    ADMIN = "admin"
    MODERATOR = "moderator"
    CASEWORKER = "caseworker"
    AGENCY_STAFF = "agency_staff"
    EMPLOYER_STAFF = "employer_staff"
    BRAND = "brand"
    GOVERNMENT = "government"
    ASSOCIATION = "association"
    MOBILIZER = "mobilizer"


ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.MODERATOR: _l("Moderator"),
    Role.CASEWORKER: _l("Caseworker"),
    Role.AGENCY_STAFF: _l("Agency staff"),
    Role.EMPLOYER_STAFF: _l("Employer staff"),
    Role.BRAND: _l("Brand or buyer staff"),
    Role.GOVERNMENT: _l("Government officer"),
    Role.ASSOCIATION: _l("Industry association staff"),
    Role.MOBILIZER: _l("Community mobilizer"),
}

#: Roles whose account belongs to one organisation, and the kind of that organisation.
ORG_ROLE_KINDS = {
    Role.AGENCY_STAFF: "agency",
    Role.EMPLOYER_STAFF: "employer",
    Role.BRAND: "buyer",
}

#: Members of the network whose account belongs to one organisation, and the kinds it may
#: be: caseworkers (one of them may be the CSO's admin) and mobilizers work for a CSO,
#: government officers for an office, association staff for their association. Unlike
#: ORG_ROLE_KINDS they have no organisation portal: their organisation is who they are.
MEMBER_ROLE_KINDS = {
    Role.CASEWORKER: ("ngo", "union"),
    Role.MOBILIZER: ("ngo", "union"),
    Role.GOVERNMENT: ("government",),
    Role.ASSOCIATION: ("association",),
}


def organisation_kinds(role: str) -> tuple[str, ...]:
    """The kinds of organisation an account of ``role`` belongs to; () for the site's own
    staff (admins, moderators), who belong to none."""
    if role in ORG_ROLE_KINDS:
        return (ORG_ROLE_KINDS[Role(role)],)
    return MEMBER_ROLE_KINDS.get(Role(role), ()) if role in set(Role) else ()


def roles_required(*roles: Role) -> Callable:
    """Let in logged-in users with one of ``roles``; others get 403, anonymous the login page."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def may_act_for(organisation_id: int) -> bool:
    """True when the current user is an admin or a staff member of that organisation."""
    if not current_user.is_authenticated:
        return False
    if current_user.role == Role.ADMIN:
        return True
    return current_user.role in ORG_ROLE_KINDS and current_user.organisation_id == organisation_id
