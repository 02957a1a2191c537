"""Caseworkers' case pages, organisations' case portal, public metrics (brands' pages: brands/)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from goldendreams.accounts.models import User
from goldendreams.agencies.models import Organisation
from goldendreams.cases import choices, confirmation, corridors, permissions, queries, services
from goldendreams.cases.forms import (
    AssignForm,
    MoveForm,
    NewCaseForm,
    NoteForm,
    ProposalForm,
    RemediationForm,
    WorkerAnswerForm,
    WorkerCodeForm,
)
from goldendreams.cases.models import Case
from goldendreams.core.auth import Role, may_act_for
from goldendreams.core.export import csv_response
from goldendreams.core.forms import options
from goldendreams.core.http_cache import cached_page
from goldendreams.core.i18n import country_name
from goldendreams.core.templating import MAX_ID, by_public_id_or_404
from goldendreams.extensions import db

bp = Blueprint("cases", __name__, url_prefix="/cases", template_folder="templates")
portal_bp = Blueprint("cases_portal", __name__, url_prefix="/portal/<int:org_id>/cases")
public_bp = Blueprint("case_metrics", __name__)


def _may_work_on_cases() -> None:
    if not permissions.may_work_on_cases(current_user):
        abort(403)


def _run(case_id: int) -> Case:
    """A case the current user runs; another CSO's case is not found (its existence is
    not theirs to know)."""
    item = db.get_or_404(Case, case_id)
    if not permissions.may_run_case(current_user, item):
        abort(404)
    return item


@bp.app_context_processor
def case_vocabulary() -> dict:
    return {
        "case_choices": choices,
        "case_permissions": permissions,
        "case_due": services.due_on,
        "case_overdue": services.is_overdue,
        "case_followed_elsewhere": confirmation.followed_elsewhere,
        "status_rows": lambda rows: [(choices.STATUS_LABELS[k], v) for k, v in rows],
        "country_rows": lambda rows: [(country_name(k), v) for k, v in rows],
    }


def _step_order(step: tuple[str, str]) -> int:
    """Steps in the order of the workflow (TRANSITIONS is a set)."""
    return list(choices.STATUS_LABELS).index(step[1])


def _locale() -> str:
    return str(get_locale() or "en")


# --- caseworkers --------------------------------------------------------------------------


@bp.get("/")
@login_required
def case_list():
    _may_work_on_cases()
    cases = queries.cases_run_by(current_user)
    show = request.args.get("show")
    if show == "open":
        cases = [c for c in cases if c.is_open]
    elif show == "overdue":
        cases = [c for c in cases if services.is_overdue(c)]
    elif show == "mine":
        cases = [c for c in cases if c.assignee_id == current_user.id]
    return render_template("cases/list.html", cases=cases, show=show)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    _may_work_on_cases()
    form = NewCaseForm()
    orgs = db.session.scalars(
        select(Organisation)
        .where(Organisation.kind.in_(("employer", "agency")))
        .order_by(Organisation.sort_name)
    )
    form.organisation_id.choices = options((o.id, o.name) for o in orgs)
    if form.validate_on_submit():
        try:
            case = services.open_hotline_case(
                current_user, db.get_or_404(Organisation, form.organisation_id.data),
                form.source.data, form.categories.data, form.severity.data,
                form.workers.data, form.summary.data, form.contact.data,
                form.worker_country.data, form.worker_language.data,
                form.migration_stage.data,
            )  # fmt: skip
        except services.CaseError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("cases.case", case_id=case.id))
    return render_template("cases/new.html", form=form)


def _caseworkers(case: Case) -> list[User]:
    """Who may be given the case: the active caseworkers of the CSO that owns it."""
    query = select(User).where(
        User.role == Role.CASEWORKER, User.organisation_id == case.owner_id, User.active.is_(True)
    )
    return list(db.session.scalars(query.order_by(User.email)))


@bp.get("/<int:case_id>")
@login_required
def case(case_id: int):
    _may_work_on_cases()
    return _case_page(_run(case_id))


def _case_page(item: Case, worker_code: str | None = None, answer: WorkerAnswerForm | None = None):
    """The case page; ``worker_code``: a code just given, shown this once. Its forms start
    empty, also when a POST shows it again (only ``answer`` keeps what was typed)."""
    move_form = MoveForm(formdata=None)
    move_form.to_status.choices = options(
        (to, choices.STATUS_LABELS[to])
        for (frm, to) in sorted(choices.TRANSITIONS, key=_step_order)
        if frm == item.status
    )
    assign_form = AssignForm(formdata=None)
    people = [(u.id, u.email) for u in _caseworkers(item)]
    if item.assignee is not None and item.assignee_id not in dict(people):
        people.append((item.assignee_id, item.assignee.email))  # switched off: still shown
    # The menu shows who has the case now; unchanged, saving it changes nothing.
    nobody = [] if item.assignee_id else [(0, _("Nobody yet"))]
    assign_form.assignee_id.choices = options(nobody + people)
    assign_form.assignee_id.data = item.assignee_id or 0
    return render_template(
        "cases/case.html",
        case=item,
        move=move_form,
        assign=assign_form,
        note=NoteForm(formdata=None),
        remediation=RemediationForm(formdata=None),
        code_form=WorkerCodeForm(formdata=None),
        worker_code=worker_code,
        answer=answer or WorkerAnswerForm(formdata=None),
    )


@bp.post("/<int:case_id>/code")
@login_required
def give_code(case_id: int):
    """Give the worker a code (read out on the phone): shown once, on this answer only."""
    _may_work_on_cases()
    item = _run(case_id)
    try:
        code = confirmation.give_worker_code(item, current_user)
    except services.CaseError as error:
        flash(str(error), "error")
        return redirect(url_for("cases.case", case_id=item.id))
    return _case_page(item, worker_code=code)


@bp.post("/<int:case_id>/worker-answer")
@login_required
def record_answer(case_id: int):
    """Record the worker's answer to "Was it fixed?" given on the phone, in person or in a
    message. Bad input: the page again, with what was typed and the errors; a case that
    cannot take an answer (no fix recorded, closed): the page says why."""
    _may_work_on_cases()
    item = _run(case_id)
    form = WorkerAnswerForm()
    if not permissions.may_record_worker_answer(current_user, item) or form.validate():
        try:
            confirmation.record_worker_answer(
                item, current_user, form.answer.data, form.method.data, form.answer_note.data
            )
        except services.CaseError as error:
            flash(str(error), "error")
        else:
            flash(_("Saved."), "success")
        return redirect(url_for("cases.case", case_id=item.id))
    return _case_page(item, answer=form)


@bp.post("/<int:case_id>/<any(move, assign, note, remediation, close):action>")
@login_required
def act(case_id: int, action: str):
    _may_work_on_cases()
    item = _run(case_id)
    form = request.form
    try:
        if action == "move":
            services.move(item, current_user, form.get("to_status", ""))
        elif action == "assign":
            assignee_id = form.get("assignee_id", type=int) or 0
            assignee = db.session.get(User, assignee_id) if 0 < assignee_id <= MAX_ID else None
            services.assign(item, current_user, assignee)
        elif action == "note":
            services.add_note(item, current_user, form.get("text", ""), bool(form.get("shared")))
        elif action == "remediation":
            _record(item)
        else:
            services.close_resolved(item, current_user)
    except services.CaseError as error:
        flash(str(error), "error")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("cases.case", case_id=item.id))


def _record(item: Case) -> None:
    form = RemediationForm()
    if not form.validate():
        raise services.CaseError(
            " ".join(str(e) for errors in form.errors.values() for e in errors)
        )
    services.record_remediation(
        item, current_user, form.kind.data, form.amount.data, form.currency.data or None,
        form.workers.data, form.text.data,
    )  # fmt: skip


@bp.get("/export.csv")
@login_required
def export():
    _may_work_on_cases()
    rows = [["reference", "source", "organisation", "country", "categories", "severity", "status",
             "opened_on", "resolved_on", "closed_on", "outcome", "workers_affected",
             "worker_answer", "summary"]]  # fmt: skip
    for c in queries.cases_run_by(current_user):
        rows.append([c.reference, c.source, c.organisation.name, c.organisation.country,
                     " ".join(cat.code for cat in c.categories), c.severity, c.status,
                     c.opened_on, c.resolved_on, c.closed_on, c.outcome, c.workers_affected,
                     c.worker_answer, c.summary or ""])  # fmt: skip
    return csv_response(rows, "cases")


# --- organisations --------------------------------------------------------------------------


def _own(org_id: int) -> Organisation:
    if not may_act_for(org_id):
        abort(403)
    org = db.get_or_404(Organisation, org_id)
    if org.kind not in ("employer", "agency"):
        abort(404)
    return org


def _own_case(org: Organisation, case_id: str) -> Case:
    item = by_public_id_or_404(Case, case_id)
    if item.organisation_id != org.id or not item.shared_with_organisation:
        abort(404)
    return item


@portal_bp.get("/")
@login_required
def portal_cases(org_id: int):
    org = _own(org_id)
    cases = [c for c in queries.cases_of(org.id) if c.shared_with_organisation]
    return render_template("cases/portal_list.html", org=org, cases=cases)


@portal_bp.get("/<public_id:case_id>")
@login_required
def portal_case(org_id: int, case_id: str):
    org = _own(org_id)
    item = _own_case(org, case_id)
    return render_template(
        "cases/portal_case.html", org=org, case=item, proposal=ProposalForm(),
        remediation=RemediationForm(),
    )  # fmt: skip


@portal_bp.post("/<public_id:case_id>/<any(acknowledge, propose, remediation):action>")
@login_required
def portal_act(org_id: int, case_id: str, action: str):
    org = _own(org_id)
    item = _own_case(org, case_id)
    try:
        if action == "acknowledge":
            services.acknowledge(item, current_user)
        elif action == "propose":
            services.propose(item, current_user, request.form.get("text", ""))
        else:
            _record(item)
    except services.CaseError as error:
        flash(str(error), "error")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("cases_portal.portal_case", org_id=org.id, case_id=item.public_id))


# --- everyone -------------------------------------------------------------------------------


@public_bp.get("/metrics")
@cached_page
def metrics():
    return render_template(
        "cases/metrics.html",
        m=queries.public_metrics(_locale()),
        corridors=corridors.public_corridors(),
    )
