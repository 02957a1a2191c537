"""Who may manage staff accounts. Views and templates ask here."""

from __future__ import annotations

from goldendreams.core.auth import Role


def may_manage_accounts(user) -> bool:
    """Admins see every staff account and lift login lockouts."""
    return bool(getattr(user, "is_authenticated", False)) and user.role == Role.ADMIN
