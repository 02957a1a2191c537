"""The sections plans add to other features' pages (core/panels.py): the caseworker's case
page, the organisation's case list and the brand dashboard. Each context function asks
the permissions whether this reader sees the section (None: not shown)."""

from __future__ import annotations

from flask_login import current_user

from goldendreams.cases import permissions as case_permissions
from goldendreams.core.auth import may_act_for
from goldendreams.plans import permissions, queries


def case_panel(case, **_page) -> dict | None:
    """Plans that name this case, and a link to write one (slot ``case``)."""
    if not case_permissions.may_run_case(current_user, case):
        return None
    plans = [
        p for p in queries.plans_of_case(case.id) if permissions.may_see_as_cso(current_user, p)
    ]
    return {"plans": plans, "may_write": permissions.may_write_for_case(current_user, case)}


def portal_cases_panel(org, **_page) -> dict | None:
    """The organisation's plans and how many steps are late (slot ``portal_cases``)."""
    if not may_act_for(org.id) or org.kind not in permissions.PLAN_ORG_KINDS:
        return None
    return {"plans": queries.plans_of(org.id)}


def brand_panel(brand, **_page) -> dict | None:
    """The plans of a brand's suppliers and their agencies, late steps counted (slot
    ``brand``, the brand dashboard)."""
    if not permissions.is_brand_of(current_user, brand.id):
        return None
    return {"plans": queries.plans_for_brand(brand.id)}
