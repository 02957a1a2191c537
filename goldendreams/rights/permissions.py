"""Who may do what with rights content. Views and templates ask here, never compare roles."""

from __future__ import annotations

from goldendreams.cases import permissions as case_permissions
from goldendreams.core.auth import Role


def _role(user) -> str | None:
    return getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None


def may_edit_articles(user) -> bool:
    """May write and publish know-your-rights articles: moderators and admins."""
    return _role(user) in (Role.ADMIN, Role.MODERATOR)


def may_edit_hotlines(user) -> bool:
    """May keep the hotlines and the exchange rates: admins."""
    return _role(user) == Role.ADMIN


def may_share_articles(user) -> bool:
    """May open the page of share links for know-your-rights articles: mobilizers and
    caseworkers (who talk with workers), and admins."""
    return (
        case_permissions.is_mobilizer(user)
        or case_permissions.is_caseworker(user)
        or case_permissions.is_admin(user)
    )
