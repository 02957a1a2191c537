"""Who may do what with the messaging channels. Views, services and templates ask here."""

from __future__ import annotations

from goldendreams.core.auth import Role


def may_manage_channels(actor) -> bool:
    """Admins see each channel's state and choose who owns its account."""
    return bool(getattr(actor, "is_authenticated", False)) and actor.role == Role.ADMIN
