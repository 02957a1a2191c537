"""The caseworkers' inbox: conversations of their CSO, one conversation's thread and what
they do with it (reply, note, tag, assign, hand over, close, see the worker's contact, open
a case), and a question to a review's worker.

A conversation belongs to one CSO: another CSO's conversation is not found (404), as cases
are; roles that never meet a conversation get 403 on every page here.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from goldendreams.accounts.models import User
from goldendreams.agencies.models import CASE_KINDS, Organisation
from goldendreams.cases import taxonomy
from goldendreams.cases.permissions import is_admin
from goldendreams.core.forms import options
from goldendreams.core.templating import MAX_ID
from goldendreams.extensions import db
from goldendreams.inbox import choices, outbound, permissions, queries, services
from goldendreams.inbox.forms import (
    AnswerPickForm,
    AskReviewerForm,
    AssignForm,
    CloseForm,
    ConversationCaseForm,
    HandOverForm,
    InboxFilterForm,
    NoteForm,
    ReplyForm,
    ShowContactForm,
    TagForm,
)
from goldendreams.inbox.models import Conversation
from goldendreams.reviews.models import Review

bp = Blueprint("inbox", __name__, template_folder="templates", url_prefix="/inbox")


def waiting_for(user) -> int:
    """Conversations waiting for a caseworker of the user's CSO (admins: the network's)."""
    return queries.waiting_count(None if is_admin(user) else user.organisation_id)


@bp.app_context_processor
def inbox_vocabulary() -> dict:
    """Templates ask these who may do what (never compare roles themselves)."""
    return {
        "inbox_choices": choices,
        "inbox_permissions": permissions,
        "inbox_waiting": waiting_for,
        # The case page (cases may not import inbox) links to the thread a case came from.
        "conversation_of_case": _conversation_of_case,
    }


def _conversation_of_case(case) -> Conversation | None:
    """The thread a case was opened from, when the reader may handle it."""
    conversation = services.for_case(case.id)
    if conversation is None or not permissions.may_handle(current_user, conversation):
        return None
    return conversation


def _locale() -> str:
    return str(get_locale() or "en")


def _may_use_inbox() -> None:
    if not permissions.may_use_inbox(current_user):
        abort(403)


def _handled(conversation_id: int) -> Conversation:
    """A conversation the current user handles; another CSO's is not found (its existence
    is not theirs to know)."""
    _may_use_inbox()
    item = db.get_or_404(Conversation, conversation_id)
    if not permissions.may_handle(current_user, item):
        abort(404)
    return item


def _back(item: Conversation):
    return redirect(url_for("inbox.conversation", conversation_id=item.id))


# --- the list ---------------------------------------------------------------------------------


def _owner_scope(owners: list[Organisation] | None) -> int | None:
    """Whose inbox: a caseworker's CSO; for admins the CSO they filter on, or all (None)."""
    if owners is None:
        return current_user.organisation_id
    wanted = request.args.get("owner", type=int)
    return wanted if wanted in {o.id for o in owners} else None


def _assignee(value: str | None) -> int | None:
    if value == "me":
        return current_user.id
    if value == "nobody":
        return 0
    return int(value) if value else None


@bp.get("/")
@login_required
def conversation_list():
    _may_use_inbox()
    owners = queries.csos() if is_admin(current_user) else None
    owner_id = _owner_scope(owners)
    form = InboxFilterForm(
        request.args, categories=taxonomy.current(), locale=_locale(),
        colleagues=queries.colleagues(owner_id), owners=owners,
    )  # fmt: skip
    values = form.values()
    filters = queries.Filters(
        owner_id=owner_id,
        state=values.get("state"),
        language=values.get("language"),
        country=values.get("country"),
        channel=values.get("channel"),
        topic=values.get("topic"),
        issue=values.get("issue"),
        urgent=bool(values.get("urgent")),
        assignee_id=_assignee(values.get("assignee")),
    )
    page = queries.page(
        filters,
        current_app.config["INBOX_PAGE_SIZE"],
        older=queries.parse_cursor(request.args.get("older")),
        newer=queries.parse_cursor(request.args.get("newer")),
    )
    return render_template(
        "inbox/list.html",
        form=form,
        filters=filters,
        page=page,
        counts=queries.state_counts(owner_id) if owner_id is not None else None,
        snippets=queries.snippets(page.rows),
        show_owner=owners is not None,
    )


# --- one conversation -------------------------------------------------------------------------


def _people(item: Conversation) -> list:
    """Whom the conversation can be given to; who has it now stays in the list."""
    people = [(u.id, u.email) for u in queries.colleagues(item.owner_id)]
    if item.assignee is not None and item.assignee_id not in dict(people):
        people.append((item.assignee_id, item.assignee.email))
    return ([] if item.assignee_id else [(0, _("Nobody yet"))]) + people


def _tag_form(item: Conversation, formdata=None) -> TagForm:
    form = TagForm(formdata=formdata, categories=taxonomy.current(), locale=_locale())
    if formdata is None:
        form.categories.data = [c.code for c in item.categories]
        form.urgent.data = item.urgent
    return form


def _assign_form(item: Conversation, formdata=None) -> AssignForm:
    form = AssignForm(formdata=formdata)
    form.assignee_id.choices = options(_people(item))
    if formdata is None:
        form.assignee_id.data = item.assignee_id or 0
    return form


def _page(item: Conversation, status: int = 200, contact=None, **given):
    """The conversation page, with the forms given (a refused one, with what was typed)
    and fresh ones for the rest."""
    answers = queries.saved_answers(item.owner_id, item.language)
    forms = {
        "reply": ReplyForm(formdata=None),
        "pick": AnswerPickForm(formdata=None, answers=answers),
        "note": NoteForm(formdata=None),
        "tag": _tag_form(item),
        "assign": _assign_form(item),
        "hand_over": HandOverForm(formdata=None, csos=queries.csos(except_id=item.owner_id)),
        "close": CloseForm(formdata=None, case_opened=item.case_id is not None),
        "contact_form": ShowContactForm(formdata=None),
        **given,
    }
    page = render_template(
        "inbox/conversation.html",
        conversation=item,
        thread=queries.thread(item),
        contact=contact,
        case=queries.case_of(item),
        # Why a reply through the worker's app cannot go now (shown above the kept form).
        refusal=outbound.refusal(item),
        **forms,
    )
    return page, status


@bp.get("/<int:conversation_id>")
@login_required
def conversation(conversation_id: int):
    item = _handled(conversation_id)
    if "answer" not in request.args:
        return _page(item)
    # "Use" a saved answer: the reply box starts with it, to edit before it is sent.
    answers = queries.saved_answers(item.owner_id, item.language)
    pick = AnswerPickForm(request.args, answers=answers)
    reply = ReplyForm(formdata=None)
    if pick.validate():
        reply.text.data = next(a.body for a in answers if a.id == pick.answer.data)
    return _page(item, 200 if not pick.errors else 400, pick=pick, reply=reply)


@bp.post("/<int:conversation_id>/reply")
@login_required
def reply(conversation_id: int):
    item = _handled(conversation_id)
    form = ReplyForm()
    if form.validate():
        if not permissions.may_reply(current_user, item):
            form.form_errors.append(
                _("This conversation is closed. It opens again when the worker writes.")
            )
        else:
            return _act(item, form, lambda: services.reply(item, current_user, form.text.data),
                        _("Sent to the worker."), "reply")  # fmt: skip
    return _page(item, 400, reply=form)


@bp.post("/<int:conversation_id>/note")
@login_required
def note(conversation_id: int):
    item = _handled(conversation_id)
    form = NoteForm()
    if form.validate():
        return _act(item, form, lambda: services.add_note(item, current_user, form.text.data),
                    _("Saved."), "note")  # fmt: skip
    return _page(item, 400, note=form)


def _act(item: Conversation, form, action, done: str, name: str):
    """Run a service for a form with typed text: on success back to the page, on a broken
    rule the page again with the text kept."""
    try:
        action()
    except services.InboxError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return _page(item, 400, **{name: form})
    flash(done, "success")
    return _back(item)


@bp.post("/<int:conversation_id>/tag")
@login_required
def tag(conversation_id: int):
    item = _handled(conversation_id)
    form = _tag_form(item, request.form)
    if not form.validate():
        flash(_("Choose issues from the list."), "error")
        return _back(item)
    return _quick(item, lambda: services.tag(item, current_user, form.categories.data or [],
                                             form.urgent.data))  # fmt: skip


def _quick(item: Conversation, action, done: str | None = None):
    """Run a service for a form with nothing typed: a flash says how it went."""
    try:
        action()
    except services.InboxError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        flash(done or _("Saved."), "success")
    return _back(item)


@bp.post("/<int:conversation_id>/assign")
@login_required
def assign(conversation_id: int):
    item = _handled(conversation_id)
    form = _assign_form(item, request.form)
    if not form.validate() or not form.assignee_id.data:
        flash(_("Choose a caseworker from the list."), "error")
        return _back(item)
    assignee = db.session.get(User, form.assignee_id.data)
    return _quick(item, lambda: services.assign(item, current_user, assignee))


@bp.post("/<int:conversation_id>/hand-over")
@login_required
def hand_over(conversation_id: int):
    item = _handled(conversation_id)
    form = HandOverForm(csos=queries.csos(except_id=item.owner_id))
    if form.validate():
        cso = db.session.get(Organisation, form.cso_id.data)
        try:
            services.hand_over(item, current_user, cso, form.note.data)
        except services.InboxError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            flash(_("Handed over to %(name)s.", name=cso.name), "success")
            if permissions.may_handle(current_user, item):  # admins
                return _back(item)
            return redirect(url_for("inbox.conversation_list"))
    return _page(item, 400, hand_over=form)


@bp.post("/<int:conversation_id>/close")
@login_required
def close(conversation_id: int):
    item = _handled(conversation_id)
    form = CloseForm(case_opened=item.case_id is not None)
    if not form.validate():
        flash(_("Choose how it ended from the list."), "error")
        return _back(item)
    return _quick(item, lambda: services.close(item, current_user, form.outcome.data),
                  _("Closed. The worker's contact is erased."))  # fmt: skip


@bp.post("/<int:conversation_id>/contact")
@login_required
def contact(conversation_id: int):
    """The worker's contact, shown in this answer only (each view audited first)."""
    item = _handled(conversation_id)
    if item.contact is None:
        flash(_("The worker left no way to reach them."), "error")
        return _back(item)
    try:
        shown = services.view_contact(item, current_user)
    except services.InboxError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _back(item)
    return _page(item, contact=shown)


@bp.route("/<int:conversation_id>/case", methods=["GET", "POST"])
@login_required
def open_case(conversation_id: int):
    """Open a case from the conversation (its own page: the list of employers and agencies
    is long)."""
    item = _handled(conversation_id)
    if not permissions.may_open_case(current_user, item):
        flash(_("A case was opened from this conversation already."), "error")
        return _back(item)
    organisations = db.session.scalars(
        select(Organisation)
        .where(Organisation.kind.in_(CASE_KINDS))
        .order_by(Organisation.sort_name)
    )
    form = ConversationCaseForm(organisations=organisations)
    if not form.is_submitted():
        form.organisation_id.data = item.organisation_id or 0
        form.categories.data = [c.code for c in item.categories]
    elif form.validate():
        organisation = (
            db.session.get(Organisation, form.organisation_id.data)
            if 0 < form.organisation_id.data <= MAX_ID else None
        )  # fmt: skip
        try:
            case = services.open_case(
                item, current_user, organisation, form.categories.data, form.severity.data,
                form.workers.data, form.summary.data,
            )  # fmt: skip
        except services.InboxError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            flash(_("Case %(reference)s opened.", reference=case.reference), "success")
            return _back(item)
    status = 400 if form.is_submitted() else 200
    return render_template("inbox/open_case.html", conversation=item, form=form), status


# --- a question to a review's worker (from the staff review page) ------------------------------


@bp.post("/ask-reviewer/<int:review_id>")
@login_required
def ask_reviewer(review_id: int):
    """A caseworker asks a review's worker a question; a refused question comes back on a
    page of its own with the text kept."""
    _may_use_inbox()
    review = db.get_or_404(Review, review_id)
    form = AskReviewerForm()
    if form.validate():
        try:
            conversation = services.ask_reviewer(review, current_user, form.text.data)
        except services.InboxError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            flash(_("Sent. The worker reads it with their review's code."), "success")
            return _back(conversation)
    return render_template("inbox/reviewer_question.html", review=review, form=form), 400
