"""A brand's read-only view of a plan of one of its suppliers, or of an agency recruiting
for them (/brand/plans). Linked cases show as references, only those the supplier was
sent; evidence only once the network verified the step."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from goldendreams.core.auth import Role, roles_required
from goldendreams.core.templating import by_public_id_or_404
from goldendreams.plans import evidence, pages, permissions, queries
from goldendreams.plans.models import Plan

bp = Blueprint("plans_brand", __name__, url_prefix="/brand/plans", template_folder="templates")


def _visible(plan_id: str) -> Plan:
    plan = by_public_id_or_404(Plan, plan_id)
    if not permissions.may_see_as_brand(current_user, plan, queries.brand_ids(plan)):
        abort(404)
    return plan


@bp.get("/<public_id:plan_id>")
@roles_required(Role.BRAND)
def plan(plan_id: str):
    item_plan = _visible(plan_id)
    links = [(c.reference, None) for c in queries.shared_case_references(item_plan)]
    return pages.plan_page(
        item_plan,
        pages.Side.BRAND,
        "plans_brand",
        links,
        shows_evidence=permissions.may_see_evidence_as_brand,
    )


@bp.get("/<public_id:plan_id>/items/<public_id:item_id>/evidence")
@roles_required(Role.BRAND)
def evidence_file(plan_id: str, item_id: str):
    item = pages.item_of(_visible(plan_id), item_id)
    if not item.evidence_key or not permissions.may_see_evidence_as_brand(item):
        abort(404)
    try:
        return evidence.response(item.evidence_key, item.evidence_type)
    except FileNotFoundError:
        abort(404)
