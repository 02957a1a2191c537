"""The sections collective cases add to lower features' pages (core/panels.py): the case
page, the organisation's case list, the brand dashboard and the public metrics."""

from __future__ import annotations

from flask_login import current_user

from goldendreams.cases import permissions as case_permissions
from goldendreams.collective import permissions, queries
from goldendreams.collective.forms import JoinForm
from goldendreams.core.auth import may_act_for
from goldendreams.core.forms import options


def case_panel(case, **_page) -> dict | None:
    """Caseworkers who run the case: its collective case, or join / start one."""
    if not case_permissions.may_run_case(current_user, case):
        return None
    collective = queries.collective_of(case)
    join = None
    if collective is None:
        candidates = queries.open_collectives_for(case)
        if candidates:
            join = JoinForm(formdata=None)
            join.collective_id.choices = options((c.public_id, c.reference) for c in candidates)
    return {"collective": collective, "join": join}


def portal_panel(org, **_page) -> dict | None:
    """The organisation's staff (and admins): its collective cases and what it paid back."""
    if not may_act_for(org.id):
        return None
    collectives = queries.shared_collectives_of(org.id)
    if not collectives:
        return None
    return {"collectives": collectives, "paid": queries.organisation_totals(org.id)}


def brand_panel(brand, **_page) -> dict | None:
    """A brand's staff: what its supply chain paid back, rounded, small figures hidden."""
    if brand is None or not permissions.may_see_supply_chain_totals(current_user, brand):
        return None
    return {"chain": queries.supply_chain_totals(brand.id)}


def metrics_panel(**_page) -> dict:
    """Everyone (a cached page): the same rounded, suppressed figures for every reader."""
    return {"collective_figures": queries.public_totals()}
