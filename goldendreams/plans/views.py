"""The network's plan pages (/cases/plans): the plans a CSO verifies, writing one with an
organisation from a case, adding steps, verifying them or sending them back."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from goldendreams.cases import queries as case_queries
from goldendreams.cases.models import Case
from goldendreams.core.templating import MAX_ID, by_public_id_or_404
from goldendreams.extensions import db
from goldendreams.plans import evidence, pages, permissions, queries, services
from goldendreams.plans.forms import ItemForm, PlanForm, SendBackForm
from goldendreams.plans.models import Plan, PlanAuthor

bp = Blueprint("plans", __name__, url_prefix="/cases/plans", template_folder="templates")


def _member() -> None:
    if not permissions.may_use_cso_plans(current_user):
        abort(403)


def _verified(plan_id: str) -> Plan:
    """A plan this CSO verifies; another CSO's is not found."""
    _member()
    plan = by_public_id_or_404(Plan, plan_id)
    if not permissions.may_see_as_cso(current_user, plan):
        abort(404)
    return plan


def _page(plan: Plan, **extra):
    links = [(c.reference, url_for("cases.case", case_id=c.id)) for c in plan.cases]
    return pages.plan_page(plan, pages.Side.CSO, "plans", links, **extra)


def _back(plan: Plan):
    return redirect(url_for("plans.plan", plan_id=plan.public_id))


@bp.get("/")
@login_required
def plan_list():
    _member()
    plans = queries.plans_verified_by(current_user)
    return render_template("plans/list.html", plans=plans, ep="plans", url_args={})


def _case_from_query() -> Case:
    case_id = request.args.get("case", type=int) or 0
    case = db.session.get(Case, case_id) if 0 < case_id <= MAX_ID else None
    if case is None or not permissions.may_write_for_case(current_user, case):
        abort(404)
    return case


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Write a plan with the organisation of a case (?case=<id>) this CSO runs."""
    _member()
    case = _case_from_query()
    org = case.organisation
    linkable = [
        c for c in case_queries.cases_of(org.id)
        if permissions.may_link_case(current_user, c, org.id)
    ]  # fmt: skip
    form = PlanForm(cases=[(c.public_id, c.reference) for c in linkable])
    if request.method == "GET":
        form.categories.data = [cat.code for cat in case.categories]
        form.cases.data = [case.public_id]
    if form.validate_on_submit():
        chosen = [c for c in linkable if c.public_id in set(form.cases.data or ())]
        try:
            plan = services.create_plan(
                current_user, org, PlanAuthor.CSO, form.title.data, form.categories.data, chosen
            )
        except services.PlanError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Saved."), "success")
            return _back(plan)
    return render_template(
        "plans/new.html", form=form, org=org,
        action=url_for("plans.new", case=case.id), back=url_for("cases.case", case_id=case.id),
    )  # fmt: skip


@bp.get("/<public_id:plan_id>")
@login_required
def plan(plan_id: str):
    return _page(_verified(plan_id))


@bp.post("/<public_id:plan_id>/items")
@login_required
def add_item(plan_id: str):
    item_plan = _verified(plan_id)
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
            return _back(item_plan)
    return _page(item_plan, item_form=form)


@bp.post("/<public_id:plan_id>/<any(start, complete):action>")
@login_required
def act(plan_id: str, action: str):
    item_plan = _verified(plan_id)
    try:
        if action == "start":
            services.start(current_user, item_plan)
        else:
            services.complete(current_user, item_plan)
    except services.PlanError as error:
        flash(str(error), "error")
    else:
        flash(_("Saved."), "success")
    return _back(item_plan)


@bp.post("/<public_id:plan_id>/items/<public_id:item_id>/verify")
@login_required
def verify(plan_id: str, item_id: str):
    item_plan = _verified(plan_id)
    try:
        services.verify(current_user, pages.item_of(item_plan, item_id))
    except services.PlanError as error:
        flash(str(error), "error")
    else:
        flash(_("Saved."), "success")
    return _back(item_plan)


@bp.post("/<public_id:plan_id>/items/<public_id:item_id>/send-back")
@login_required
def send_back(plan_id: str, item_id: str):
    item_plan = _verified(plan_id)
    item = pages.item_of(item_plan, item_id)
    form = SendBackForm(prefix=f"{item.public_id}-")
    if not permissions.may_verify(current_user, item) or form.validate():
        try:
            services.send_back(current_user, item, form.reason.data)
        except services.PlanError as error:
            flash(str(error), "error")
        else:
            flash(_("Saved."), "success")
        return _back(item_plan)
    return _page(item_plan, failed=(item.public_id, form))


@bp.get("/<public_id:plan_id>/items/<public_id:item_id>/evidence")
@login_required
def evidence_file(plan_id: str, item_id: str):
    item = pages.item_of(_verified(plan_id), item_id)
    if not item.evidence_key:
        abort(404)
    try:
        return evidence.response(item.evidence_key, item.evidence_type)
    except FileNotFoundError:
        abort(404)
