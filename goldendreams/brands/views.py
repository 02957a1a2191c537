"""A brand's pages: its suppliers' cases (filtered, paginated), one case's shared timeline,
the escalations sent to it, where it acknowledges and records commitments."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from goldendreams.agencies.models import Organisation
from goldendreams.brands import choices, permissions, queries, services
from goldendreams.brands.forms import CommitmentForm, DashboardFilters
from goldendreams.brands.models import BrandEscalation, Commitment
from goldendreams.cases import choices as case_choices
from goldendreams.cases import queries as case_queries
from goldendreams.cases import services as case_services
from goldendreams.cases import taxonomy
from goldendreams.cases.models import Case
from goldendreams.core.export import csv_response
from goldendreams.core.forms import options
from goldendreams.core.templating import by_public_id_or_404, page_number
from goldendreams.extensions import db
from goldendreams.trends import sections as trend_sections

bp = Blueprint("brands", __name__, url_prefix="/brand", template_folder="templates")


@bp.app_context_processor
def brand_vocabulary() -> dict:
    """What the brands feature's templates (and its panels on others' pages) ask."""
    return {
        "brand_choices": choices,
        "brand_permissions": permissions,
        "ack_overdue": services.ack_overdue,
        "commitment_overdue": services.commitment_overdue,
        "escalation_overdue": services.escalation_overdue,
    }


def _brand() -> Organisation:
    """The current user's brand; anyone else is turned away (403)."""
    if not permissions.is_brand_staff(current_user):
        abort(403)
    return db.get_or_404(Organisation, current_user.organisation_id)


def _locale() -> str:
    return str(get_locale() or "en")


def _filters(brand: Organisation) -> DashboardFilters:
    form = DashboardFilters(request.args)
    locale = _locale()
    form.supplier.choices = options(
        [("", _("All suppliers"))] + [(str(o.id), o.name) for o in queries.suppliers(brand.id)]
    )
    form.issue.choices = options(
        [("", _("All issues"))]
        + [(c.code, f"{c.code} · {c.name(locale)}") for c in taxonomy.current()]
    )
    form.severity.choices = options([("", _("Any severity")), *case_choices.SEVERITIES.items()])
    form.period.choices = options(
        [("", _("Any time"))]
        + [
            (key, _("%(year)s, quarter %(num)s", year=year, num=number))
            for key, year, number in queries.recent_quarters()
        ]
    )
    form.validate()
    return form


def _chosen(form: DashboardFilters) -> dict:
    """The filters that are set and valid (a value not offered is ignored and marked)."""

    def value(field):
        return field.data if field.data and not field.errors else None

    supplier = value(form.supplier)
    return {
        "supplier_id": int(supplier) if supplier else None,
        "category": value(form.issue),
        "severity": value(form.severity),
        "quarter": value(form.period),
    }


def _trends(brand: Organisation) -> dict | None:
    """The trends feature's quarterly charts of the supply chain and its suppliers compared
    (trends/_brand.html), or None when this reader may not see them."""
    return trend_sections.brand_context(current_user, brand)


@bp.get("/")
@login_required
def dashboard():
    brand = _brand()
    form = _filters(brand)
    cases = queries.filter_cases(case_queries.cases_of_suppliers(brand.id), **_chosen(form))
    page = queries.page_of(cases, page_number())
    if page.page > page.pages:
        abort(404)
    return render_template(
        "brands/dashboard.html",
        brand=brand,
        form=form,
        page=page,
        figures=case_queries.dashboard(cases, _locale(), case_services.is_overdue),
        escalations=queries.brand_escalations(brand.id),
        upstream=queries.upstream(brand.id),
        trend_section=_trends(brand),
    )


@bp.get("/cases.csv")
@login_required
def export():
    """The supplier cases as a spreadsheet: references, months, labels' keys; never a day, a
    summary, a note or anything a worker said."""
    brand = _brand()
    rows = [["reference", "employer", "categories", "status", "opened_month", "outcome"]]
    for c in case_queries.cases_of_suppliers(brand.id):
        rows.append([c.reference, c.organisation.name,
                     " ".join(cat.code for cat in c.categories), c.status,
                     c.opened_on.strftime("%Y-%m"), c.outcome])  # fmt: skip
    return csv_response(rows, "supplier-cases")


@bp.get("/cases/<public_id:case_id>")
@login_required
def case(case_id: str):
    brand = _brand()
    item = by_public_id_or_404(Case, case_id)
    if not permissions.may_see_case(current_user, item):
        abort(404)
    parts = [part for part in queries.brand_escalations(brand.id) if item in part.escalation.cases]
    return render_template("brands/case.html", brand=brand, case=item, parts=parts)


def _part(escalation_id: str) -> BrandEscalation:
    """The current brand's part of an escalation; another brand's is not found."""
    _brand()
    part = by_public_id_or_404(BrandEscalation, escalation_id)
    if not permissions.may_see_brand_escalation(current_user, part):
        abort(404)
    return part


@bp.get("/escalations/<public_id:escalation_id>")
@login_required
def escalation(escalation_id: str):
    part = _part(escalation_id)
    return _escalation_page(part, CommitmentForm(formdata=None))


def _escalation_page(part: BrandEscalation, form: CommitmentForm, status: int = 200):
    return (
        render_template("brands/escalation.html", brand=part.brand, part=part, form=form),
        status,
    )


@bp.post("/escalations/<public_id:escalation_id>/acknowledge")
@login_required
def acknowledge(escalation_id: str):
    part = _part(escalation_id)
    try:
        services.acknowledge(current_user, part)
    except services.EscalationError as error:
        flash(str(error), "error")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("brands.escalation", escalation_id=part.public_id))


@bp.post("/escalations/<public_id:escalation_id>/commitments")
@login_required
def commit(escalation_id: str):
    part = _part(escalation_id)
    form = CommitmentForm()
    if not form.validate():
        return _escalation_page(part, form, 400)
    try:
        services.add_commitment(
            current_user, part, form.kind.data, form.text.data, form.due_on.data
        )
    except services.EscalationError as error:
        form.form_errors.append(str(error))
        return _escalation_page(part, form, 400)
    flash(_("Saved."), "success")
    return redirect(url_for("brands.escalation", escalation_id=part.public_id))


@bp.post("/escalations/<public_id:escalation_id>/commitments/<public_id:commitment_id>/done")
@login_required
def done(escalation_id: str, commitment_id: str):
    part = _part(escalation_id)
    commitment = by_public_id_or_404(Commitment, commitment_id)
    if commitment.brand_escalation_id != part.id:
        abort(404)
    try:
        services.mark_done(current_user, commitment)
    except services.EscalationError as error:
        flash(str(error), "error")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("brands.escalation", escalation_id=part.public_id))
