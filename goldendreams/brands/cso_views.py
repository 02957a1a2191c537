"""A CSO's side of escalations: escalate a case or a pattern to brands, follow the answers
(/cases/escalations/)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from goldendreams.agencies.models import CASE_KINDS, Organisation
from goldendreams.brands import permissions, queries, services
from goldendreams.brands.forms import EscalationForm
from goldendreams.brands.models import Escalation
from goldendreams.cases import consent
from goldendreams.cases import permissions as case_permissions
from goldendreams.cases import queries as case_queries
from goldendreams.cases.models import Case, ConsentItem, ConsentRecipient
from goldendreams.core.forms import options
from goldendreams.core.templating import MAX_ID, by_public_id_or_404
from goldendreams.extensions import db

bp = Blueprint("brands_cso", __name__, url_prefix="/cases/escalations", template_folder="templates")


def _may_follow() -> None:
    if not permissions.may_follow_escalations(current_user):
        abort(403)


def _cso_id() -> int | None:
    """The CSO whose escalations the user follows (None: admins follow every CSO's)."""
    return None if case_permissions.is_admin(current_user) else current_user.organisation_id


@bp.get("/")
@login_required
def escalation_list():
    _may_follow()
    return render_template(
        "brands/cso_list.html", escalations=queries.escalations_of_cso(_cso_id())
    )


@bp.get("/<public_id:escalation_id>")
@login_required
def escalation(escalation_id: str):
    _may_follow()
    item = by_public_id_or_404(Escalation, escalation_id)
    if not permissions.may_see_escalation(current_user, item):
        abort(404)
    return render_template("brands/cso_escalation.html", escalation=item)


def _organisation() -> Organisation | None:
    """The organisation named in ?organisation= (or the case's, for ?case=), else None."""
    case_id = request.args.get("case", type=int)
    if case_id is not None:
        item = db.session.get(Case, case_id) if 0 < case_id <= MAX_ID else None
        if item is None or not case_permissions.may_run_case(current_user, item):
            abort(404)
        return item.organisation
    org_id = request.args.get("organisation", type=int)
    if org_id is None:
        return None
    org = db.session.get(Organisation, org_id) if 0 < org_id <= MAX_ID else None
    if org is None or org.kind not in CASE_KINDS:
        abort(404)
    return org


def _organisations() -> list[Organisation]:
    """The organisations where the user's CSO runs a case it could escalate."""
    found = {
        c.organisation_id: c.organisation
        for c in case_queries.cases_run_by(current_user)
        if c.is_open and c.shared_with_organisation
    }
    return sorted(found.values(), key=lambda o: o.sort_name or o.name)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Choose the organisation, then its cases (or its cases with some issues), a reason
    and a note; the worker's consent is checked for every case."""
    _may_follow()
    org = _organisation()
    if org is None:
        return render_template("brands/cso_choose.html", organisations=_organisations())
    cases = queries.escalatable_cases(_cso_id(), org.id)
    form = EscalationForm()
    locale = str(get_locale() or "en")
    form.cases.choices = options((str(c.id), c.reference) for c in cases)
    codes = sorted({cat.code: cat for c in cases for cat in c.categories}.items())
    form.categories.choices = options((code, f"{code} · {cat.name(locale)}") for code, cat in codes)
    if request.method == "GET":
        preselected = request.args.get("case")
        form.cases.data = [preselected] if preselected in {str(c.id) for c in cases} else []
    status = 200
    if request.method == "POST":
        if form.validate():
            chosen = set(form.cases.data or ())
            picked = [
                c for c in cases
                if str(c.id) in chosen
                or any(cat.code in set(form.categories.data or ()) for cat in c.categories)
            ]  # fmt: skip
            try:
                item = services.escalate(
                    current_user, org, picked, form.reason.data, form.note.data,
                    category_codes=form.categories.data, consent_method=form.consent_method.data,
                    consent_note=form.consent_note.data,
                )  # fmt: skip
            except services.EscalationError as error:
                form.form_errors.append(str(error))
            else:
                flash(_("Sent to %(num)s brands.", num=len(item.brands)), "success")
                return redirect(url_for("brands_cso.escalation", escalation_id=item.public_id))
        status = 400
    consented = {
        c.id: consent.has_consent(ConsentRecipient.BRAND, ConsentItem.ISSUE, case_id=c.id)
        for c in cases
    }
    page = render_template(
        "brands/cso_new.html", form=form, organisation=org, cases=cases, consented=consented,
        brands=queries.brands_for(org),
    )  # fmt: skip
    return page, status
