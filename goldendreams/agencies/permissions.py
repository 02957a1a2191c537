"""Who may change the directory. Views and templates ask here, never compare roles."""

from __future__ import annotations

from goldendreams.core.auth import Role

#: The site's staff who add and edit organisations (and link them).
DIRECTORY_EDITORS = (Role.ADMIN, Role.MODERATOR)


def _role(user) -> str | None:
    return getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None


def may_edit_directory(user) -> bool:
    """May add organisations, edit them and their links (/staff/organisations)."""
    return _role(user) in DIRECTORY_EDITORS
