"""Government officers' pages: the cases CSOs referred to their office (the shared part
only), the actions the office records, and their country's figures (small ones hidden)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from goldendreams.agencies.models import Organisation
from goldendreams.cases import choices, government, permissions, queries, services
from goldendreams.cases.forms import GovernmentActionForm
from goldendreams.cases.models import Case
from goldendreams.core.templating import by_public_id_or_404
from goldendreams.extensions import db

bp = Blueprint("office", __name__, url_prefix="/cases/office", template_folder="templates")


def _office() -> Organisation:
    """The current user's office; anyone but a government officer is turned away."""
    if not permissions.is_government_officer(current_user):
        abort(403)
    return db.get_or_404(Organisation, current_user.organisation_id)


def _referred_case(case_id: str) -> Case:
    """A case referred to the officer's office and accepted; any other is not found (its
    existence is not theirs to know). URLs carry its random public id: a case number would
    tell how many cases the network opened in between."""
    item = by_public_id_or_404(Case, case_id)
    if not permissions.may_see_as_office(current_user, item):
        abort(404)
    return item


def _locale() -> str:
    return str(get_locale() or "en")


@bp.get("/")
@login_required
def office_cases():
    office = _office()
    return render_template(
        "cases/office_list.html", office=office, cases=queries.office_cases(office.id)
    )


@bp.get("/<public_id:case_id>")
@login_required
def office_case(case_id: str):
    office = _office()
    item = _referred_case(case_id)
    return render_template(
        "cases/office_case.html",
        office=office,
        case=item,
        referrals=queries.referrals_to(item, office.id),
        events=[e for e in item.events if e.shared],
        form=GovernmentActionForm(),
    )


@bp.post("/<public_id:case_id>/action")
@login_required
def office_action(case_id: str):
    _office()
    item = _referred_case(case_id)
    form = GovernmentActionForm()
    if not form.validate():
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        flash(" ".join(errors) or _("Choose what was done from the list."), "error")
    else:
        try:
            government.record_action(
                item, current_user, form.action.data, form.text.data, form.workers.data
            )
        except services.CaseError as error:
            flash(str(error), "error")
        else:
            flash(_("Saved."), "success")
    return redirect(url_for("office.office_case", case_id=item.public_id))


@bp.get("/figures")
@login_required
def office_figures():
    office = _office()
    if not permissions.may_see_country_figures(current_user):
        abort(403)
    figures = queries.country_figures(office.country, _locale())
    actions = [(choices.GOVERNMENT_ACTION_LABELS[k], v) for k, v in figures["actions"]]
    return render_template(
        "cases/office_figures.html", office=office, figures=figures, actions=actions
    )
