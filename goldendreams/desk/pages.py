"""What a worker's private code opens, and the page that shows it.

One code opens one thing, looked up in this order: a review (with its thread and its
case), a conversation (with the case opened from it), a case logged from a call (the code
the caseworker read out), an application. Every form on these pages sends the code back in
a hidden field: it never travels in a URL.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import render_template
from flask_babel import lazy_gettext as _l

from goldendreams.cases import referrals as case_referrals
from goldendreams.cases import services as case_services
from goldendreams.cases.choices import WORKER_STATUS
from goldendreams.cases.forms import AnswerForm, ReferralConsentForm
from goldendreams.cases.models import Case, CaseEvent, CaseSource, CaseStatus
from goldendreams.inbox import choices as inbox_choices
from goldendreams.inbox import queries as inbox_queries
from goldendreams.inbox import services as inbox_services
from goldendreams.inbox.forms import WorkerCloseForm, WorkerEraseForm, WorkerWriteForm
from goldendreams.inbox.models import Conversation, ConversationState, MessageKind
from goldendreams.jobs import services as job_services
from goldendreams.reviews import services as review_services
from goldendreams.reviews.forms import WithdrawForm
from goldendreams.reviews.models import Review

#: A case the worker did not open from a review: its first status says so plainly.
NEW_CASE = _l("We opened a case. A caseworker will look at it.")
#: Where a conversation stands, as the worker reads it.
WORKER_STATES = {
    ConversationState.NEW: _l("We have your message. A caseworker will answer soon."),
    ConversationState.WAITING_FOR_US: _l("We have your message. A caseworker will answer soon."),
    ConversationState.WAITING_FOR_WORKER: _l("A caseworker answered you. Read it below."),
    ConversationState.CLOSED: _l(
        "This conversation is closed. If you write again, it opens again."
    ),
}


@dataclass
class Opened:
    """What a code opened. ``conversation`` is the worker's thread: their own, or their
    review's (None while nobody wrote in it)."""

    review: Review | None = None
    conversation: Conversation | None = None
    case: Case | None = None
    application: object | None = None
    #: Forms sent back with what the worker typed and their errors, by name ("write",
    #: "close", "erase", "withdraw"); the others are drawn empty.
    forms: dict = field(default_factory=dict)


def open_code(code: str) -> Opened | None:
    """What ``code`` opens, or None."""
    review = review_services.find_by_code(code)
    if review is not None:
        return open_review(review)
    conversation = inbox_services.find_by_code(code)
    if conversation is not None:
        return Opened(conversation=conversation, case=conversation.case)
    case = case_services.find_by_code(code)
    if case is not None:
        return Opened(case=case)
    application = job_services.find_application_by_code(code)
    if application is not None:
        return Opened(application=application)
    return None


def open_review(review: Review, **forms) -> Opened:
    """A review, its thread and its case (opened from the review, or from its thread)."""
    thread = inbox_services.for_review(review.id)
    case = case_services.case_for_review(review.id) or (thread.case if thread else None)
    return Opened(review=review, conversation=thread, case=case, forms=forms)


def may_write(opened: Opened) -> bool:
    """The worker may write in their conversation, or in their review's thread while the
    review is theirs to speak for (not withdrawn)."""
    if opened.review is not None:
        return not opened.review.is_withdrawn
    return opened.conversation is not None


def shared_remediation(case: Case) -> list[CaseEvent]:
    """What was done to fix it, as shared with the organisation. Never the internal
    timeline, nor the details typed with them (written for the organisation, they may name
    other workers)."""
    return [e for e in case_services.fixing_events(case) if e.shared]


def worker_status(case: Case) -> str:
    """Where the case stands, in the worker's words (a case not opened from their review
    does not say "from your review")."""
    if case.status == CaseStatus.NEW and case.source != CaseSource.REVIEW:
        return str(NEW_CASE)
    return str(WORKER_STATUS[case.status])


def asking(case: Case | None):
    """The referral of an open case that waits for the worker's answer, if any."""
    if case is None or not case.is_open:
        return None
    return case_referrals.asking_worker(case)


def _case_context(case: Case | None, code: str, answer: AnswerForm | None) -> dict:
    if case is None:
        return {"case": None}
    can_answer = case_services.can_answer(case)
    if answer is None and can_answer:
        # Their earlier answer (or the one a caseworker recorded), to keep or change.
        answer = AnswerForm(code=code, answer=case.worker_answer, formdata=None)
    referral = asking(case)
    return {
        "case": case,
        "case_status": worker_status(case),
        "remediation": shared_remediation(case),
        "answer": answer if can_answer else None,
        "referral": referral,
        "consent": ReferralConsentForm(code=code, formdata=None) if referral else None,
        # For the forms of higher features' panels on this section (core/panels.py).
        "worker_code": code,
    }


def _emergency(conversation: Conversation | None) -> dict:
    """An open emergency keeps its country's numbers on the page."""
    if conversation is None or conversation.is_closed:
        return inbox_queries.emergency_help(None, None)
    return inbox_queries.emergency_help(conversation.topic, conversation.country)


def _thread_context(opened: Opened, code: str) -> dict:
    conversation, forms = opened.conversation, opened.forms
    context = {"conversation": conversation, "messages": [], "state": None,
               "contact_method": None, "write": None, "close": None, "erase": None}  # fmt: skip
    if may_write(opened):
        context["write"] = forms.get("write") or WorkerWriteForm(code=code, formdata=None)
        if opened.review is not None:
            context["write"].text.label.text = _l("Add details or answer")
    if conversation is None:
        return context
    # Notes are the caseworkers' own: never on the worker's page.
    messages = [m for m in conversation.messages if m.kind != MessageKind.NOTE]
    contact = conversation.contact
    context.update(
        messages=messages,
        state=WORKER_STATES[conversation.state],
        contact_method=contact.method if contact is not None else None,  # never its value
    )
    if not conversation.is_closed:
        context["close"] = forms.get("close") or WorkerCloseForm(code=code, formdata=None)
    if contact is not None or any(
        m.kind == MessageKind.FROM_WORKER and not m.erased for m in messages
    ):
        context["erase"] = forms.get("erase") or WorkerEraseForm(code=code, formdata=None)
    return context


def render(opened: Opened, code: str, answer: AnswerForm | None = None) -> str:
    """The page of what the code opened, with its forms (those in ``opened.forms`` keep what
    the worker typed, with their errors)."""
    if opened.application is not None:
        return render_template("desk/application.html", application=opened.application)
    context = {
        **_case_context(opened.case, code, answer),
        **_thread_context(opened, code),
        **_emergency(opened.conversation),
        "inbox_choices": inbox_choices,
    }
    if opened.review is not None:
        withdraw = opened.forms.get("withdraw") or WithdrawForm(code=code, formdata=None)
        return render_template(
            "desk/review.html", review=opened.review, withdraw=withdraw, **context
        )
    if opened.conversation is not None:
        return render_template("desk/conversation.html", **context)
    return render_template("desk/case.html", **context)
