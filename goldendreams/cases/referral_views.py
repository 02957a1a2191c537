"""Referrals between the network's members: the list, one referral (what the receiver may
read before it decides, and its answer), the proposal form's target, and the read-only view
a CSO keeps of a case it handed on.

Roles that never take part in referrals get 403; a referral or case of another CSO or
office is not found (404): its existence is not theirs to know.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from goldendreams.agencies.models import Organisation
from goldendreams.cases import permissions, referrals
from goldendreams.cases.forms import DeclineReferralForm, ReferForm
from goldendreams.cases.models import Case, CaseReferral
from goldendreams.core.templating import MAX_ID
from goldendreams.extensions import db

bp = Blueprint("referrals", __name__, url_prefix="/cases", template_folder="templates")


def _may_use_referrals() -> None:
    if not permissions.may_use_referrals(current_user):
        abort(403)


def refer_form(case: Case, formdata=None) -> ReferForm:
    """The proposal form of a case page (empty unless ``formdata``)."""
    return ReferForm(
        formdata=formdata,
        receivers=referrals.receivers(case),
        may_ask_worker=case.worker_has_code,
    )


@bp.app_context_processor
def referral_vocabulary() -> dict:
    return {"referral_form": refer_form}


def _referral(referral_id: int) -> CaseReferral:
    item = db.get_or_404(CaseReferral, referral_id)
    if not permissions.may_see_referral(current_user, item):
        abort(404)
    return item


@bp.get("/referrals/")
@login_required
def referral_list():
    _may_use_referrals()
    return render_template(
        "cases/referrals.html",
        incoming=referrals.incoming(current_user),
        sent=referrals.sent(current_user)
        if not permissions.is_government_officer(current_user)
        else [],
    )


@bp.get("/referrals/<int:referral_id>")
@login_required
def referral(referral_id: int):
    _may_use_referrals()
    item = _referral(referral_id)
    return render_template(
        "cases/referral.html", referral=item, case=item.case, decline=DeclineReferralForm()
    )


@bp.post("/referrals/<int:referral_id>/<any(accept, decline, withdraw):action>")
@login_required
def decide(referral_id: int, action: str):
    _may_use_referrals()
    item = _referral(referral_id)
    try:
        if action == "accept":
            referrals.accept(item, current_user)
        elif action == "decline":
            referrals.decline(item, current_user, request.form.get("reason", ""))
        else:
            referrals.withdraw(item, current_user)
    except referrals.ReferralError as error:
        flash(str(error), "error")
    else:
        flash(_("Saved."), "success")
    if action == "accept" and permissions.may_run_case(current_user, item.case):
        return redirect(url_for("cases.case", case_id=item.case_id))
    return redirect(url_for("referrals.referral", referral_id=item.id))


@bp.post("/<int:case_id>/refer")
@login_required
def refer(case_id: int):
    if not permissions.may_work_on_cases(current_user):
        abort(403)
    case = db.get_or_404(Case, case_id)
    if not permissions.may_run_case(current_user, case):
        abort(404)
    form = refer_form(case, request.form)
    if not form.validate():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for("cases.case", case_id=case.id, _anchor="refer"))
    to_id = form.to_id.data
    to_org = db.session.get(Organisation, to_id) if 0 < to_id <= MAX_ID else None
    try:
        item = referrals.propose(
            case, current_user, to_org, form.note.data, form.consent_method.data,
            form.consent_note.data,
        )  # fmt: skip
    except referrals.ReferralError as error:
        flash(str(error), "error")
        return redirect(url_for("cases.case", case_id=case.id, _anchor="refer"))
    flash(_("Saved."), "success")
    return redirect(url_for("referrals.referral", referral_id=item.id))


@bp.get("/<int:case_id>/followed")
@login_required
def followed(case_id: int):
    """The read-only view of a case the user's CSO handed on: its header, shared steps and
    referrals; never the summary, the contact, internal notes or the worker's comment."""
    _may_use_referrals()
    case = db.get_or_404(Case, case_id)
    if not permissions.may_follow_case(current_user, case):
        if permissions.may_run_case(current_user, case):
            return redirect(url_for("cases.case", case_id=case.id))
        abort(404)
    events = [e for e in case.events if e.shared or e.kind == "referral"]
    return render_template("cases/followed.html", case=case, events=events)
