"""What the three sides' plan pages share: the page itself, the forms on it, the words and
checks templates use, and reading an uploaded file."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from flask import abort, render_template, url_for
from flask_login import current_user

from goldendreams.core.base import today
from goldendreams.core.templating import by_public_id_or_404
from goldendreams.plans import choices, evidence, permissions, queries
from goldendreams.plans.forms import ItemForm, ProgressForm, SendBackForm
from goldendreams.plans.models import Plan, PlanItem


def plan_vocabulary() -> dict:
    """What templates ask about plans (plans.init_app makes it a context processor)."""
    day = today()
    return {
        "plan_choices": choices,
        "plan_permissions": permissions,
        "plan_item_overdue": lambda item: item.is_overdue(day),
        "plan_overdue_count": lambda plans: queries.overdue_count(plans, day),
    }


def item_of(plan: Plan, item_id: str) -> PlanItem:
    """An item of this plan, or 404 (an item of another plan is not found here)."""
    item = by_public_id_or_404(PlanItem, item_id)
    if item.plan_id != plan.id:
        abort(404)
    return item


def upload_of(form: ProgressForm) -> bytes | None:
    """The file sent, read up to one byte past the cap (the service refuses more)."""
    storage = form.file.data
    if not storage or not getattr(storage, "filename", None):
        return None
    return storage.read(evidence.max_bytes() + 1)


class Side(StrEnum):
    """Whose page: what it offers depends on it (an admin may act for either side)."""

    ORGANISATION = "organisation"
    CSO = "cso"
    BRAND = "brand"


def _start_url(plan: Plan, side: Side, url_args: dict) -> str | None:
    if side == Side.CSO:
        return url_for("plans.act", plan_id=plan.public_id, action="start")
    if side == Side.ORGANISATION:
        return url_for("plans_portal.start", plan_id=plan.public_id, **url_args)
    return None


def _back_link(side: Side, url_args: dict) -> str:
    if side == Side.CSO:
        return url_for("plans.plan_list")
    if side == Side.ORGANISATION:
        return url_for("plans_portal.plan_list", **url_args)
    return "/brand/"  # the brand dashboard (brands/), where its plans are listed


def plan_page(
    plan: Plan,
    side: Side,
    ep: str,
    case_links: list[tuple[str, str | None]],
    url_args: dict | None = None,
    *,
    shows_evidence: Callable[[PlanItem], bool] = lambda item: True,
    item_form: ItemForm | None = None,
    failed: tuple[str, object] | None = None,
    status: int = 200,
):
    """The plan page for one side. ``ep``: the blueprint its links go to; ``case_links``:
    (reference, link or None) of the linked cases this reader may know of; ``failed``:
    (item public id, form) of a form sent back with its errors."""
    user = current_user
    progress = {}
    send_back = {}
    for item in plan.items:
        if side == Side.ORGANISATION and permissions.may_progress(user, item):
            progress[item.public_id] = ProgressForm(formdata=None, prefix=f"{item.public_id}-")
        if side == Side.CSO and permissions.may_verify(user, item):
            send_back[item.public_id] = SendBackForm(formdata=None, prefix=f"{item.public_id}-")
    can = {
        "start": side != Side.BRAND and permissions.may_start(user, plan),
        "complete": side == Side.CSO and permissions.may_complete(user, plan),
    }
    if failed:
        target = progress if isinstance(failed[1], ProgressForm) else send_back
        target[failed[0]] = failed[1]
    if item_form is None and side != Side.BRAND and permissions.may_add_item(user, plan):
        item_form = ItemForm(formdata=None)
    page = render_template(
        "plans/plan.html",
        plan=plan,
        ep=ep,
        url_args=url_args or {},
        case_links=case_links,
        shows_evidence=shows_evidence,
        item_form=item_form,
        progress=progress,
        send_back=send_back,
        can=can,
        start_url=_start_url(plan, side, url_args or {}),
        back_link=_back_link(side, url_args or {}),
    )
    return page, status
