"""The employer's or agency's view of a collective case (/portal/<org>/collective/...):
its reference, the workers it covers, the schedule and totals; never a beneficiary line,
never a case's summary. The organisation says when it paid an instalment."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from goldendreams.agencies.models import CASE_KINDS, Organisation
from goldendreams.collective import permissions, queries, services
from goldendreams.collective.forms import PaymentForm
from goldendreams.collective.models import CollectiveCase, Instalment
from goldendreams.core.auth import may_act_for
from goldendreams.core.templating import by_public_id_or_404
from goldendreams.extensions import db

portal_bp = Blueprint(
    "collective_portal",
    __name__,
    url_prefix="/portal/<int:org_id>/collective",
    template_folder="templates",
)


def _own(org_id: int) -> Organisation:
    if not may_act_for(org_id):
        abort(403)
    org = db.get_or_404(Organisation, org_id)
    if org.kind not in CASE_KINDS:
        abort(404)
    return org


def _own_collective(org: Organisation, collective_id: str) -> CollectiveCase:
    """A collective case about this organisation that it was told of; else not found."""
    item = by_public_id_or_404(CollectiveCase, collective_id)
    if item.organisation_id != org.id or not permissions.may_see_as_organisation(
        current_user, item
    ):
        abort(404)
    return item


def _page(org: Organisation, item: CollectiveCase, form: PaymentForm | None = None,
          reporting: Instalment | None = None):  # fmt: skip
    return render_template(
        "collective/portal.html",
        org=org,
        collective=item,
        totals=queries.schedule_totals(item),
        payment=form or PaymentForm(formdata=None),
        reporting=reporting,
    )


@portal_bp.get("/<public_id:collective_id>")
@login_required
def collective(org_id: int, collective_id: str):
    org = _own(org_id)
    return _page(org, _own_collective(org, collective_id))


@portal_bp.post("/<public_id:collective_id>/instalments/<public_id:instalment_id>/paid")
@login_required
def report_paid(org_id: int, collective_id: str, instalment_id: str):
    """The organisation says it paid an instalment: how much, which day."""
    org = _own(org_id)
    item = _own_collective(org, collective_id)
    instalment = by_public_id_or_404(Instalment, instalment_id)
    if instalment.collective_id != item.id:
        abort(404)
    form = PaymentForm()
    if form.validate():
        try:
            services.report_payment(current_user, instalment, form.amount.data, form.paid_on.data)
        except services.CollectiveError as error:
            flash(str(error), "error")
        else:
            flash(_("Thank you. The caseworker will check with the workers."), "success")
        return redirect(
            url_for(
                "collective_portal.collective", org_id=org.id, collective_id=item.public_id,
                _anchor="schedule",
            )
        )  # fmt: skip
    return _page(org, item, form, reporting=instalment)
