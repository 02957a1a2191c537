"""Saved answers: the replies a CSO's caseworkers start from (rights links, hotline numbers),
one per language. A caseworker keeps their CSO's; admins every CSO's. Another CSO's answer
is not found (404), as its conversations are not."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from goldendreams.agencies.models import Organisation
from goldendreams.cases.permissions import is_admin
from goldendreams.core.i18n import LANGUAGE_NAMES
from goldendreams.extensions import db
from goldendreams.inbox import permissions, queries, saved_answers, services
from goldendreams.inbox.forms import RemoveForm, SavedAnswerForm
from goldendreams.inbox.models import SavedAnswer

bp = Blueprint("answers", __name__, template_folder="templates", url_prefix="/inbox/answers")


def _may_use_inbox() -> None:
    if not permissions.may_use_inbox(current_user):
        abort(403)


def _managed(answer_id: int) -> SavedAnswer:
    _may_use_inbox()
    answer = db.get_or_404(SavedAnswer, answer_id)
    if not permissions.may_manage_saved_answer(current_user, answer):
        abort(404)
    return answer


@bp.get("/")
@login_required
def answer_list():
    _may_use_inbox()
    admin = is_admin(current_user)
    answers = queries.saved_answers(None if admin else current_user.organisation_id)
    owners = {o.id: o.name for o in queries.csos()} if admin else {}
    return render_template(
        "inbox/answers.html", answers=answers, owners=owners, remove=RemoveForm(formdata=None)
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    _may_use_inbox()
    owners = queries.csos() if is_admin(current_user) else None
    form = SavedAnswerForm(owners=owners)
    if not form.is_submitted():
        locale = str(get_locale() or "en")
        form.language.data = locale if locale in LANGUAGE_NAMES else "en"
    elif form.validate():
        owner = (
            current_user.organisation
            if owners is None
            else db.session.get(Organisation, form.owner_id.data)
        )
        try:
            saved_answers.add_saved_answer(
                current_user, owner, form.language.data, form.title.data, form.body.data
            )
        except services.InboxError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("answers.answer_list"))
    status = 400 if form.is_submitted() else 200
    return render_template("inbox/answer_form.html", form=form, answer=None), status


@bp.route("/<int:answer_id>", methods=["GET", "POST"])
@login_required
def edit(answer_id: int):
    answer = _managed(answer_id)
    form = SavedAnswerForm(obj=answer)
    if form.is_submitted() and form.validate():
        try:
            saved_answers.change_saved_answer(
                answer, current_user, form.language.data, form.title.data, form.body.data
            )
        except services.InboxError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("answers.answer_list"))
    status = 400 if form.is_submitted() else 200
    return render_template("inbox/answer_form.html", form=form, answer=answer), status


@bp.post("/<int:answer_id>/remove")
@login_required
def remove(answer_id: int):
    answer = _managed(answer_id)
    if RemoveForm().validate():
        try:
            saved_answers.remove_saved_answer(answer, current_user)
        except services.InboxError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            flash(_("Removed."), "success")
    return redirect(url_for("answers.answer_list"))
