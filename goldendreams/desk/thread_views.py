"""The worker's side of a thread, with their code: write again (in their conversation, or in
their review's thread to add details or answer a question), close the conversation, erase
what they wrote. Neither audited nor dated finer than a day (inbox/services.py).

Only a stored message counts against WRITE_RATE_LIMIT; a refused worker gets the page back
with what they wrote.
"""

from __future__ import annotations

from flask import abort, flash
from flask_babel import gettext as _

from goldendreams.core.security import client_key
from goldendreams.core.throttle import FailureBudget
from goldendreams.desk import pages
from goldendreams.desk.views import bp, opened_by_code
from goldendreams.inbox import choices as inbox_choices
from goldendreams.inbox import services as inbox_services
from goldendreams.inbox.forms import WorkerCloseForm, WorkerEraseForm, WorkerWriteForm


def _write_budget() -> FailureBudget:
    """Messages a client adds with a code (WRITE_RATE_LIMIT): spent once one is stored."""
    return FailureBudget("WRITE_RATE_LIMIT", "write", client_key())


@bp.post("/check/write")
def write():
    """The worker writes again: it reopens a closed conversation, and starts their review's
    thread when nobody wrote in it yet."""
    form = WorkerWriteForm()
    opened = opened_by_code(form)
    if not pages.may_write(opened):
        abort(400)  # a right code, but nothing to write in (a withdrawn review, a case)
    opened.forms["write"] = form
    if not form.validate_on_submit():
        return pages.render(opened, form.code.data)
    budget = _write_budget()
    if budget.exhausted():
        form.text.errors.append(str(inbox_choices.TOO_MANY_MESSAGES))
        return pages.render(opened, form.code.data), 429
    try:
        if opened.review is not None:
            opened.conversation = inbox_services.worker_writes_on_review(
                opened.review, form.text.data
            )
        else:
            inbox_services.worker_writes(opened.conversation, form.text.data)
    except inbox_services.InboxError as error:
        form.text.errors.append(str(error))
        return pages.render(opened, form.code.data)
    budget.spend()
    flash(_("Thank you. We have your message."), "success")
    opened.forms.pop("write")
    return pages.render(opened, form.code.data)


@bp.post("/check/close")
def close():
    """The worker ends their conversation; the way to reach them is erased at once."""
    form = WorkerCloseForm()
    opened = opened_by_code(form)
    if opened.conversation is None or opened.conversation.is_closed:
        abort(400)
    if not form.confirm.data:
        form.confirm.errors = [_("Tick the box if you are sure. Nothing was changed yet.")]
        opened.forms["close"] = form
        return pages.render(opened, form.code.data), 400
    inbox_services.worker_closes(opened.conversation)
    flash(_("Your conversation is closed. You can still write to us with your code."), "success")
    return pages.render(opened, form.code.data)


@bp.post("/check/erase")
def erase():
    """The worker erases every message they wrote, and their contact. It cannot be undone:
    nothing is erased until they tick the box."""
    form = WorkerEraseForm()
    opened = opened_by_code(form)
    if opened.conversation is None:
        abort(400)
    if not form.confirm.data:
        form.confirm.errors = [_("Tick the box if you are sure. Nothing was erased yet.")]
        opened.forms["erase"] = form
        return pages.render(opened, form.code.data), 400
    inbox_services.worker_erases(opened.conversation)
    flash(_("Your messages are erased."), "success")
    return pages.render(opened, form.code.data)
