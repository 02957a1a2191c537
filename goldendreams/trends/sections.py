"""The trends sections on other features' pages (core/panels.py): each context function
returns what templates/trends/_panel.html needs, or None when this reader must not see it."""

from __future__ import annotations

from flask_login import current_user

from goldendreams.trends import charts, permissions, queries


def organisation(org, **_page) -> dict | None:
    """The public organisation page: public figures only, as of yesterday, the same for
    every reader (the page is cached for everyone)."""
    if not permissions.has_public_trends(org):
        return None
    return {"trend_charts": charts.quarter_charts("org", queries.quarterly([org.id], public=True))}


def portal_cases(org, **_page) -> dict | None:
    """An employer's or agency's case list: its cases shared with it, still suppressed."""
    if not permissions.may_see_portal_trends(current_user, org):
        return None
    figures = queries.quarterly([org.id], public=False)
    return {"trend_charts": charts.quarter_charts("portal", figures)}


def brand_context(user, brand) -> dict | None:
    """For the brand dashboard (the brands feature includes trends/_brand.html): its supply
    chain per quarter and its suppliers compared over the last four quarters."""
    if not permissions.may_see_brand_trends(user, brand):
        return None
    return {
        "trend_charts": charts.quarter_charts("brand", queries.brand_trends(brand.id)),
        "comparison": queries.supplier_comparison(brand.id),
    }
