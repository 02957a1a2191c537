"""The organisation's plan pages (/portal/<org_id>/plans): write a plan for cases the
network sent it, add steps, move them on with evidence. Only the network verifies."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from goldendreams.agencies.models import Organisation
from goldendreams.cases import queries as case_queries
from goldendreams.core.auth import may_act_for
from goldendreams.core.templating import by_public_id_or_404
from goldendreams.extensions import db
from goldendreams.plans import evidence, pages, permissions, queries, services
from goldendreams.plans.forms import ItemForm, PlanForm, ProgressForm
from goldendreams.plans.models import Plan, PlanAuthor

bp = Blueprint(
    "plans_portal", __name__, url_prefix="/portal/<int:org_id>/plans", template_folder="templates"
)


def _own(org_id: int) -> Organisation:
    if not may_act_for(org_id):
        abort(403)
    org = db.get_or_404(Organisation, org_id)
    if org.kind not in permissions.PLAN_ORG_KINDS:
        abort(404)
    return org


def _own_plan(org: Organisation, plan_id: str) -> Plan:
    plan = by_public_id_or_404(Plan, plan_id)
    if plan.organisation_id != org.id or not permissions.may_see_as_organisation(
        current_user, plan
    ):
        abort(404)
    return plan


def _page(org: Organisation, plan: Plan, **extra):
    links = [
        (c.reference, url_for("cases_portal.portal_case", org_id=org.id, case_id=c.public_id))
        for c in queries.shared_case_references(plan)
    ]
    return pages.plan_page(
        plan, pages.Side.ORGANISATION, "plans_portal", links, {"org_id": org.id}, **extra
    )


def _back(org: Organisation, plan: Plan):
    return redirect(url_for("plans_portal.plan", org_id=org.id, plan_id=plan.public_id))


@bp.get("/")
@login_required
def plan_list(org_id: int):
    org = _own(org_id)
    return render_template(
        "plans/list.html", plans=queries.plans_of(org.id), org=org, ep="plans_portal",
        url_args={"org_id": org.id},
    )  # fmt: skip


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new(org_id: int):
    org = _own(org_id)
    linkable = [c for c in case_queries.cases_of(org.id) if c.shared_with_organisation]
    form = PlanForm(cases=[(c.public_id, c.reference) for c in linkable])
    if form.validate_on_submit():
        chosen = [c for c in linkable if c.public_id in set(form.cases.data or ())]
        try:
            plan = services.create_plan(
                current_user, org, PlanAuthor.ORGANISATION, form.title.data,
                form.categories.data, chosen,
            )  # fmt: skip
        except services.PlanError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Saved."), "success")
            return _back(org, plan)
    return render_template(
        "plans/new.html", form=form, org=org, no_cases=not linkable,
        action=url_for("plans_portal.new", org_id=org.id),
        back=url_for("plans_portal.plan_list", org_id=org.id),
    )  # fmt: skip


@bp.get("/<public_id:plan_id>")
@login_required
def plan(org_id: int, plan_id: str):
    org = _own(org_id)
    return _page(org, _own_plan(org, plan_id))


@bp.post("/<public_id:plan_id>/items")
@login_required
def add_item(org_id: int, plan_id: str):
    org = _own(org_id)
    item_plan = _own_plan(org, plan_id)
    form = ItemForm()
    if form.validate():
        try:
            services.add_item(
                current_user, item_plan, form.text.data, form.owner.data, form.due_on.data
            )
        except services.PlanError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Saved."), "success")
            return _back(org, item_plan)
    return _page(org, item_plan, item_form=form)


@bp.post("/<public_id:plan_id>/start")
@login_required
def start(org_id: int, plan_id: str):
    org = _own(org_id)
    item_plan = _own_plan(org, plan_id)
    try:
        services.start(current_user, item_plan)
    except services.PlanError as error:
        flash(str(error), "error")
    else:
        flash(_("Saved."), "success")
    return _back(org, item_plan)


@bp.post("/<public_id:plan_id>/items/<public_id:item_id>/progress")
@login_required
def progress(org_id: int, plan_id: str, item_id: str):
    """Move a step on, with evidence (words and an optional file)."""
    org = _own(org_id)
    item_plan = _own_plan(org, plan_id)
    item = pages.item_of(item_plan, item_id)
    form = ProgressForm(prefix=f"{item.public_id}-")
    if not permissions.may_progress(current_user, item) or form.validate():
        try:
            services.progress(current_user, item, form.evidence.data, pages.upload_of(form))
        except services.PlanError as error:
            if not permissions.may_progress(current_user, item):
                flash(str(error), "error")
                return _back(org, item_plan)
            form.form_errors.append(str(error))
            return _page(org, item_plan, failed=(item.public_id, form))
        flash(_("Saved."), "success")
        return _back(org, item_plan)
    return _page(org, item_plan, failed=(item.public_id, form))


@bp.get("/<public_id:plan_id>/items/<public_id:item_id>/evidence")
@login_required
def evidence_file(org_id: int, plan_id: str, item_id: str):
    org = _own(org_id)
    item = pages.item_of(_own_plan(org, plan_id), item_id)
    if not item.evidence_key:
        abort(404)
    try:
        return evidence.response(item.evidence_key, item.evidence_type)
    except FileNotFoundError:
        abort(404)
