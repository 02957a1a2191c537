"""Who may see the site's own machinery (failed queued tasks). Views and templates ask here."""

from __future__ import annotations

from goldendreams.core.auth import Role


def may_manage_tasks(user) -> bool:
    """Admins see the tasks that failed for good (e-mail a server refused, periodic work)
    and dismiss them once the cause is dealt with."""
    return bool(getattr(user, "is_authenticated", False)) and user.role == Role.ADMIN
