"""Who sees which trends. Views, panels and templates ask here."""

from __future__ import annotations

from goldendreams.core.auth import ORG_ROLE_KINDS, Role

#: The kinds of organisation whose cases are charted (cases are about employers and agencies).
CHARTED_KINDS = frozenset({"employer", "agency"})


def _role(user) -> str | None:
    return getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None


def has_public_trends(org) -> bool:
    """The public organisation page shows trends for employers and agencies: public figures
    only, the same for every reader (the page is cached)."""
    return org.kind in CHARTED_KINDS


def may_see_portal_trends(user, org) -> bool:
    """An employer's or agency's own staff (and admins) see its figures in its portal."""
    role = _role(user)
    if role is None or org.kind not in CHARTED_KINDS:
        return False
    if role == Role.ADMIN:
        return True
    return role in ORG_ROLE_KINDS and user.organisation_id == org.id


def may_see_brand_trends(user, brand) -> bool:
    """A brand's staff (and admins) see its supply chain's trends and compare suppliers."""
    role = _role(user)
    if role is None or brand.kind != "buyer":
        return False
    return role == Role.ADMIN or (role == Role.BRAND and user.organisation_id == brand.id)
