"""Safeguarding's pages and the forms its panels post to (request → service → redirect).

The forms sit on the case page and the conversation page (panels.py); a refused form
comes back to that page with the reason, nothing stored.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from goldendreams.accounts.models import User
from goldendreams.cases import permissions as case_permissions
from goldendreams.cases.models import Case, ConsentRecord
from goldendreams.core.templating import MAX_ID
from goldendreams.extensions import db
from goldendreams.inbox import permissions as inbox_permissions
from goldendreams.inbox.models import Conversation
from goldendreams.safeguarding import permissions, queries, services
from goldendreams.safeguarding.forms import (
    CheckInForm,
    CheckInResultForm,
    ConsentForm,
    OnCallForm,
    PlanForm,
    RetaliationForm,
    RiskForm,
    ShowSafeContactForm,
    TelegramForm,
)
from goldendreams.safeguarding.models import CheckIn

bp = Blueprint("safeguarding", __name__, url_prefix="/cases/safeguarding",
               template_folder="templates")  # fmt: skip


def _errors(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _case(case_id: int) -> Case:
    """A case the current user runs; another CSO's case is not found."""
    if not case_permissions.may_work_on_cases(current_user):
        abort(403)
    item = db.get_or_404(Case, case_id)
    if not case_permissions.may_run_case(current_user, item):
        abort(404)
    return item


def _back(item: Case, anchor: str = "safeguarding"):
    return redirect(url_for("cases.case", case_id=item.id, _anchor=anchor))


def _save(form, action) -> None:
    """Validate ``form`` and run ``action``; flash what happened."""
    if not form.validate():
        flash(_errors(form), "error")
        return
    try:
        action()
    except services.SafeguardingError as error:
        flash(str(error), "error")
    else:
        flash(_("Saved."), "success")


# --- a case -----------------------------------------------------------------------------------


@bp.post("/case/<int:case_id>/risk")
@login_required
def case_risk(case_id: int):
    item = _case(case_id)
    form = RiskForm()
    _save(form, lambda: services.assess_case(
        item, current_user, form.answers(), form.safe_contact.data
    ))  # fmt: skip
    return _back(item)


@bp.post("/case/<int:case_id>/plan")
@login_required
def plan(case_id: int):
    item = _case(case_id)
    form = PlanForm(prefix="plan")
    _save(form, lambda: services.save_plan(
        item, current_user, form.text.data, form.next_check_in.data, form.method.data
    ))  # fmt: skip
    return _back(item)


@bp.post("/case/<int:case_id>/check-in")
@login_required
def schedule(case_id: int):
    item = _case(case_id)
    form = CheckInForm(prefix="schedule")
    _save(form, lambda: services.schedule_check_in(
        item, current_user, form.due_on.data, form.method.data
    ))  # fmt: skip
    return _back(item, "check-ins")


@bp.post("/check-in/<int:check_in_id>")
@login_required
def check_in(check_in_id: int):
    if not case_permissions.may_work_on_cases(current_user):
        abort(403)
    found = db.session.get(CheckIn, check_in_id) if 0 < check_in_id <= MAX_ID else None
    if found is None or not case_permissions.may_run_case(current_user, found.case):
        abort(404)
    form = CheckInResultForm(prefix=f"checkin{found.id}")
    _save(form, lambda: services.record_check_in(
        found, current_user, form.outcome.data, form.note.data, form.kind.data
    ))  # fmt: skip
    return _back(found.case, "check-ins")


@bp.post("/case/<int:case_id>/retaliation")
@login_required
def retaliation(case_id: int):
    item = _case(case_id)
    form = RetaliationForm(prefix="retaliation")
    _save(form, lambda: services.report_retaliation(
        item, current_user, form.kind.data, form.note.data
    ))  # fmt: skip
    return _back(item, "retaliation")


@bp.post("/case/<int:case_id>/consent")
@login_required
def consent(case_id: int):
    item = _case(case_id)
    form = ConsentForm(prefix="consent")
    _save(form, lambda: services.record_consent(
        item, current_user, form.recipient.data, form.items.data, form.method.data,
        form.note.data,
    ))  # fmt: skip
    return _back(item, "consent")


@bp.post("/case/<int:case_id>/consent/<int:record_id>/withdraw")
@login_required
def withdraw_consent(case_id: int, record_id: int):
    item = _case(case_id)
    record = db.session.get(ConsentRecord, record_id) if 0 < record_id <= MAX_ID else None
    if record is None or record.case_id != item.id:
        abort(404)
    try:
        services.withdraw_consent(item, current_user, record)
    except services.SafeguardingError as error:
        flash(str(error), "error")
    else:
        flash(_("Saved."), "success")
    return _back(item, "consent")


def _show_safe_contact(back: str, **target):
    """The worker's safe contact on a page of its own, this once (the view is audited);
    refused: back to the case or conversation with the reason."""
    if not ShowSafeContactForm().validate():
        abort(400)
    try:
        contact = services.view_safe_contact(current_user, **target)
    except services.SafeguardingError as error:
        flash(str(error), "error")
        return redirect(back)
    return render_template("safeguarding/safe_contact.html", contact=contact, back=back)


@bp.post("/case/<int:case_id>/safe-contact")
@login_required
def case_safe_contact(case_id: int):
    item = _case(case_id)
    back = url_for("cases.case", case_id=item.id, _anchor="safeguarding")
    return _show_safe_contact(back, case=item)


# --- a conversation ---------------------------------------------------------------------------


@bp.post("/conversation/<int:conversation_id>/risk")
@login_required
def conversation_risk(conversation_id: int):
    if not inbox_permissions.may_use_inbox(current_user):
        abort(403)
    item = db.get_or_404(Conversation, conversation_id)
    if not inbox_permissions.may_handle(current_user, item):
        abort(404)
    form = RiskForm()
    _save(form, lambda: services.assess_conversation(
        item, current_user, form.answers(), form.safe_contact.data
    ))  # fmt: skip
    return redirect(url_for("inbox.conversation", conversation_id=item.id, _anchor="risk"))


@bp.post("/conversation/<int:conversation_id>/safe-contact")
@login_required
def conversation_safe_contact(conversation_id: int):
    if not inbox_permissions.may_use_inbox(current_user):
        abort(403)
    item = db.get_or_404(Conversation, conversation_id)
    if not inbox_permissions.may_handle(current_user, item):
        abort(404)
    back = url_for("inbox.conversation", conversation_id=item.id, _anchor="risk")
    return _show_safe_contact(back, conversation=item)


# --- the CSO's pages --------------------------------------------------------------------------


@bp.get("/on-call")
@login_required
def on_call():
    if not permissions.may_be_on_call(current_user):
        abort(403)
    setting = queries.setting_of(current_user.id)
    telegram = TelegramForm(formdata=None)
    telegram.chat.data = setting.telegram_chat if setting else None
    return render_template(
        "safeguarding/on_call.html", roster=queries.roster(current_user.organisation_id),
        form=OnCallForm(formdata=None), telegram=telegram,
    )  # fmt: skip


@bp.post("/on-call/<int:user_id>/<any(on, off):state>")
@login_required
def set_on_call(user_id: int, state: str):
    if not permissions.may_be_on_call(current_user):
        abort(403)
    person = db.session.get(User, user_id) if 0 < user_id <= MAX_ID else None
    if person is None or person.organisation_id != current_user.organisation_id:
        abort(404)
    _save(OnCallForm(), lambda: services.set_on_call(current_user, person, state == "on"))
    return redirect(url_for("safeguarding.on_call"))


@bp.post("/on-call/telegram")
@login_required
def telegram():
    if not permissions.may_be_on_call(current_user):
        abort(403)
    form = TelegramForm()
    _save(form, lambda: services.set_telegram_chat(current_user, form.chat.data))
    return redirect(url_for("safeguarding.on_call"))


@bp.get("/check-ins")
@login_required
def check_ins():
    if not permissions.may_use_safeguarding(current_user):
        abort(403)
    owner = None if case_permissions.is_admin(current_user) else current_user.organisation_id
    return render_template("safeguarding/check_ins.html", check_ins=queries.open_check_ins(owner))
