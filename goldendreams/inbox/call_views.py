"""The contact log (/inbox/calls): caseworkers log the calls they take that are not
conversations, so every contact is counted; the page lists their CSO's logged calls and its
contact figures. Also the public contact figures that /metrics shows."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from goldendreams.agencies.models import Organisation
from goldendreams.core.templating import page_number
from goldendreams.extensions import db
from goldendreams.inbox import call_log, choices, figures, permissions, services
from goldendreams.inbox.forms import CallForm
from goldendreams.inbox.models import CallLog

bp = Blueprint("calls", __name__, url_prefix="/inbox/calls", template_folder="templates")

CALLS_PAGE_SIZE = 25
#: What the form keeps for the next call (sent back in the address after saving).
KEPT = ("channel", "language", "country")


@bp.app_context_processor
def contact_figures() -> dict:
    """/metrics (a cases template: cases may not import inbox) asks for the contact figures
    by calling ``contact_figures()``."""
    return {"contact_figures": figures.public_contacts}


def _form() -> CallForm:
    """A new form: the channel, language and country of the last call (from the address),
    or the CSO's first language and its country."""
    form = CallForm(formdata=None)
    cso = current_user.organisation
    if cso is not None:
        form.language.data = next(iter(cso.languages or ()), form.language.data)
        form.country.data = cso.country or ""
    for name in KEPT:
        value = request.args.get(name)
        field = form[name]
        if value is not None and value in {str(choice[0]) for choice in field.iter_choices()}:
            field.data = value
    return form


def _page(form: CallForm, status: int = 200):
    owner_id = None if permissions.is_admin(current_user) else current_user.organisation_id
    query = select(CallLog).options(selectinload(CallLog.category)).order_by(CallLog.id.desc())
    if owner_id is not None:
        query = query.where(CallLog.owner_id == owner_id)
    page = db.paginate(
        query, page=page_number(), per_page=CALLS_PAGE_SIZE, max_per_page=CALLS_PAGE_SIZE,
        error_out=False, count=True,
    )  # fmt: skip
    if page.page > max(page.pages, 1):
        abort(404)
    cso_names = {}
    if owner_id is None and page.items:  # admins: whose call it was
        ids = {call.owner_id for call in page.items}
        query = select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
        cso_names = dict(db.session.execute(query).all())
    return render_template(
        "inbox/calls.html", form=form, page=page, cso_names=cso_names,
        figures=figures.staff_figures(owner_id), inbox_choices=choices,
        may_log=permissions.may_log_call(current_user),
    ), status  # fmt: skip


@bp.route("/", methods=["GET", "POST"])
@login_required
def calls():
    if not permissions.may_use_inbox(current_user):
        abort(403)
    if request.method == "GET":
        return _page(_form())
    if not permissions.may_log_call(current_user):
        abort(403)  # admins take no calls: they see every CSO's log
    form = CallForm()
    if form.validate():
        try:
            call_log.log_call(
                current_user, form.channel.data, form.topic.data, form.category.data or None,
                form.language.data, form.country.data or None, form.outcome.data,
                form.minutes.data,
            )  # fmt: skip
        except services.InboxError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("The call is counted."), "success")
            kept = {name: form[name].data for name in KEPT if form[name].data}
            return redirect(url_for("calls.calls", **kept))
    return _page(form)
