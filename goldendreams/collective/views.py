"""Caseworkers' collective cases: the CSO's list, one page per collective case, its cases,
beneficiary lines and repayment schedule (/cases/collective/...)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from goldendreams.cases import permissions as case_permissions
from goldendreams.cases.models import Case
from goldendreams.collective import permissions, queries, services
from goldendreams.collective.forms import (
    AddCaseForm,
    BeneficiaryForm,
    CollectiveForm,
    InstalmentForm,
    JoinForm,
    PaymentForm,
)
from goldendreams.collective.models import Beneficiary, CollectiveCase, Instalment
from goldendreams.core.base import today
from goldendreams.core.forms import options
from goldendreams.core.templating import by_public_id_or_404
from goldendreams.extensions import db

bp = Blueprint("collective", __name__, url_prefix="/cases/collective", template_folder="templates")


def _may_work() -> None:
    if not permissions.may_work_on_collectives(current_user):
        abort(403)


def _run(collective_id: str) -> CollectiveCase:
    """A collective case the current user runs; another CSO's is not found."""
    _may_work()
    item = by_public_id_or_404(CollectiveCase, collective_id)
    if not permissions.may_run_collective(current_user, item):
        abort(404)
    return item


def _case(case_id: int) -> Case:
    """A case the current user runs (another CSO's: not found)."""
    _may_work()
    item = db.get_or_404(Case, case_id)
    if not case_permissions.may_run_case(current_user, item):
        abort(404)
    return item


def _line(collective: CollectiveCase, line_id: int) -> Beneficiary:
    line = db.get_or_404(Beneficiary, line_id)
    if line.collective_id != collective.id:
        abort(404)
    return line


def _instalment(collective: CollectiveCase, instalment_id: str) -> Instalment:
    instalment = by_public_id_or_404(Instalment, instalment_id)
    if instalment.collective_id != collective.id:
        abort(404)
    return instalment


def _back(collective: CollectiveCase, anchor: str | None = None):
    return redirect(
        url_for("collective.collective", collective_id=collective.public_id, _anchor=anchor)
    )


def _errors(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


@bp.get("/")
@login_required
def collective_list():
    _may_work()
    return render_template(
        "collective/list.html", collectives=queries.collectives_run_by(current_user)
    )


@bp.route("/start/<int:case_id>", methods=["GET", "POST"])
@login_required
def start(case_id: int):
    """Start a collective case from a case: the case is its first."""
    case = _case(case_id)
    form = CollectiveForm()
    if request.method == "GET":
        form.workers.data = form.workers.data or case.workers_affected
    if form.validate_on_submit():
        try:
            collective = services.start(
                current_user, case, form.grouping.data, form.description.data, form.workers.data
            )
        except services.CollectiveError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Saved."), "success")
            return _back(collective)
    return render_template("collective/start.html", form=form, case=case)


@bp.post("/join/<int:case_id>")
@login_required
def join(case_id: int):
    """Add a case to one of its CSO's open collective cases (from the case page)."""
    case = _case(case_id)
    form = JoinForm()
    form.collective_id.choices = options(
        (c.public_id, c.reference) for c in queries.open_collectives_for(case)
    )
    try:
        if not form.validate():
            raise services.CollectiveError(_("Choose a collective case from the list."))
        collective = by_public_id_or_404(CollectiveCase, form.collective_id.data)
        services.add_case(current_user, collective, case)
    except services.CollectiveError as error:
        flash(str(error), "error")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("cases.case", case_id=case.id))


def _page(collective: CollectiveCase, **forms):
    """The collective case's page; a form given shows what was typed and its errors."""
    add_case = forms.get("add_case") or AddCaseForm(formdata=None)
    add_case.case_id.choices = options(
        (c.id, c.reference) for c in queries.groupable_cases(collective)
    )
    instalment = forms.get("instalment") or InstalmentForm(formdata=None)
    return render_template(
        "collective/collective.html",
        collective=collective,
        totals=queries.schedule_totals(collective),
        add_case=add_case,
        instalment=instalment,
        line_form=BeneficiaryForm(formdata=None),
    )


@bp.get("/<public_id:collective_id>")
@login_required
def collective(collective_id: str):
    return _page(_run(collective_id))


@bp.route("/<public_id:collective_id>/edit", methods=["GET", "POST"])
@login_required
def edit(collective_id: str):
    item = _run(collective_id)
    form = CollectiveForm(obj=item if request.method == "GET" else None)
    if request.method == "GET":
        form.workers.data = item.workers_covered
    if form.validate_on_submit():
        try:
            services.edit(
                current_user, item, form.grouping.data, form.description.data, form.workers.data
            )
        except services.CollectiveError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Saved."), "success")
            return _back(item)
    return render_template("collective/edit.html", form=form, collective=item)


@bp.post("/<public_id:collective_id>/cases")
@login_required
def add_case(collective_id: str):
    item = _run(collective_id)
    form = AddCaseForm()
    form.case_id.choices = options((c.id, c.reference) for c in queries.groupable_cases(item))
    if form.validate():
        try:
            services.add_case(current_user, item, _case(form.case_id.data))
        except services.CollectiveError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Saved."), "success")
            return _back(item, "cases")
    return _page(item, add_case=form)


@bp.post("/<public_id:collective_id>/cases/<int:case_id>/remove")
@login_required
def remove_case(collective_id: str, case_id: int):
    item = _run(collective_id)
    try:
        services.remove_case(current_user, item, _case(case_id))
    except services.CollectiveError as error:
        flash(str(error), "error")
    else:
        flash(_("Saved."), "success")
    return _back(item, "cases")


@bp.post("/<public_id:collective_id>/<any(close, reopen):action>")
@login_required
def set_status(collective_id: str, action: str):
    item = _run(collective_id)
    try:
        services.set_status(current_user, item, close=action == "close")
    except services.CollectiveError as error:
        flash(str(error), "error")
    else:
        flash(_("Saved."), "success")
    return _back(item)


@bp.route("/<public_id:collective_id>/beneficiaries/new", methods=["GET", "POST"])
@bp.route("/<public_id:collective_id>/beneficiaries/<int:line_id>", methods=["GET", "POST"])
@login_required
def beneficiary(collective_id: str, line_id: int | None = None):
    """Add a beneficiary line, or change one."""
    item = _run(collective_id)
    line = _line(item, line_id) if line_id is not None else None
    form = BeneficiaryForm(obj=line if request.method == "GET" else None)
    if form.validate_on_submit():
        values = (
            form.label.data, form.amount_owed.data, form.amount_paid.data, form.currency.data,
            form.paid_on.data, form.paid_how.data or None,
        )  # fmt: skip
        try:
            if line is None:
                services.add_beneficiary(current_user, item, *values)
            else:
                services.edit_beneficiary(current_user, line, *values)
        except services.CollectiveError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Saved."), "success")
            return _back(item, "beneficiaries")
    return render_template("collective/beneficiary.html", form=form, collective=item, line=line)


@bp.post("/<public_id:collective_id>/beneficiaries/<int:line_id>/remove")
@login_required
def remove_beneficiary(collective_id: str, line_id: int):
    item = _run(collective_id)
    try:
        services.remove_beneficiary(current_user, _line(item, line_id))
    except services.CollectiveError as error:
        flash(str(error), "error")
    else:
        flash(_("Removed."), "success")
    return _back(item, "beneficiaries")


@bp.post("/<public_id:collective_id>/instalments")
@login_required
def add_instalment(collective_id: str):
    item = _run(collective_id)
    form = InstalmentForm()
    if form.validate():
        try:
            services.add_instalment(
                current_user, item, form.due_on.data, form.amount.data, form.currency.data
            )
        except services.CollectiveError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Saved."), "success")
            return _back(item, "schedule")
    return _page(item, instalment=form)


@bp.route(
    "/<public_id:collective_id>/instalments/<public_id:instalment_id>/confirm",
    methods=["GET", "POST"],
)
@login_required
def confirm(collective_id: str, instalment_id: str):
    """Confirm a payment: as the organisation reported it, or as the workers say."""
    item = _run(collective_id)
    instalment = _instalment(item, instalment_id)
    form = PaymentForm()
    if request.method == "GET":
        form.amount.data = instalment.amount_paid or instalment.amount
        form.paid_on.data = instalment.paid_on or min(instalment.due_on, today())
    if form.validate_on_submit():
        try:
            services.confirm_payment(current_user, instalment, form.amount.data, form.paid_on.data)
        except services.CollectiveError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Saved."), "success")
            return _back(item, "schedule")
    return render_template(
        "collective/confirm.html", form=form, collective=item, instalment=instalment
    )


@bp.post(
    "/<public_id:collective_id>/instalments/<public_id:instalment_id>/<any(reject, remove):action>"
)
@login_required
def instalment_action(collective_id: str, instalment_id: str, action: str):
    item = _run(collective_id)
    instalment = _instalment(item, instalment_id)
    try:
        if action == "reject":
            services.reject_report(current_user, instalment)
        else:
            services.remove_instalment(current_user, instalment)
    except services.CollectiveError as error:
        flash(str(error), "error")
    else:
        flash(_("Saved."), "success")
    return _back(item, "schedule")
