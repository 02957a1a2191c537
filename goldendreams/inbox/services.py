"""Writing conversations: a worker asks and writes with their code; caseworkers reply, note,
tag, assign, hand over, open a case and close. The only place that writes inbox tables.

One transaction per call. Staff actions are audited; a worker's own actions never are, and
carry no date finer than a day: nothing records when a worker acted.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from goldendreams.agencies.models import CASE_KINDS, COUNTRIES, CSO_KINDS, Organisation
from goldendreams.cases import services as case_services
from goldendreams.cases import taxonomy
from goldendreams.cases.permissions import is_caseworker
from goldendreams.core import audit, tracking
from goldendreams.core.base import today
from goldendreams.core.i18n import LANGUAGE_NAMES
from goldendreams.core.text import detect_language, normalise
from goldendreams.extensions import db
from goldendreams.inbox import outbound, permissions
from goldendreams.inbox.models import (
    AppSender,
    Channel,
    Contact,
    Conversation,
    ConversationState,
    Delivery,
    Message,
    MessageKind,
    Outcome,
    Topic,
)
from goldendreams.inbox.rules import (
    ORGANISATION_NAME_MAX,
    InboxError,
    add_message,
    close_now,
    contact_from,
    erase_workers_words,
    notify_new,
    route,
    text_of,
    worker_wrote,
)

# --- the worker's side (no account, no audit, days only) -------------------------------------


def ask(
    topic: str,
    country: str | None,
    language: str,
    text: str,
    organisation: Organisation | None = None,
    organisation_name: str | None = None,
    contact_method: str | None = None,
    contact_value: str | None = None,
) -> tuple[Conversation, str]:
    """A worker asks for help at /ask. Returns the conversation and its private code, which
    is not stored and cannot be shown again."""
    if topic not in set(Topic):
        raise InboxError(_l("Choose what it is about."))
    if country is not None and country not in COUNTRIES:
        raise InboxError(_l("Choose a country from the list."))
    if organisation is not None and organisation.kind not in CASE_KINDS:
        raise InboxError(_l("Choose an employer or agency from the list."))
    name = normalise(organisation_name or "").text or None
    if name and len(name) > ORGANISATION_NAME_MAX:
        raise InboxError(_l("This name is too long."))
    body, _found = text_of(text)
    # The language the worker wrote in; the page's language when the script says nothing.
    written = detect_language(body, default=language)
    language = written if written != "en" else language
    if language not in LANGUAGE_NAMES:
        language = "en"
    code = tracking.new_code()
    # An emergency goes to a CSO where the worker is now (the one that can send help), not
    # where the agency they name is.
    routed_by = None if topic == Topic.EMERGENCY else organisation
    conversation = Conversation(
        owner=route(language, country, routed_by), channel=Channel.WEB,
        language=language, country=country, topic=topic, state=ConversationState.NEW,
        urgent=topic == Topic.EMERGENCY, organisation=organisation,
        organisation_name=None if organisation is not None else name,
        code_hash=tracking.code_hash(code), opened_on=today(), last_activity_on=today(),
        contact=contact_from(contact_method, contact_value),
    )  # fmt: skip
    add_message(conversation, MessageKind.FROM_WORKER, text)
    db.session.add(conversation)
    db.session.flush()
    notify_new(conversation)
    db.session.commit()
    return conversation, code


def find_by_code(code: str) -> Conversation | None:
    """The conversation a private code opens (not a review's thread: see ``for_review``)."""
    digest = tracking.code_hash(code)
    if digest is None:
        return None
    return db.session.scalar(select(Conversation).filter_by(code_hash=digest))


def for_review(review_id: int) -> Conversation | None:
    """The thread of a review's worker (their review's code opens it), if one was started."""
    return db.session.scalar(select(Conversation).filter_by(review_id=review_id))


def for_case(case_id: int) -> Conversation | None:
    """The thread a case was opened from, if any."""
    return db.session.scalar(select(Conversation).filter_by(case_id=case_id))


def worker_writes(conversation: Conversation, text: str) -> Message:
    """The worker adds a message with their code."""
    # An urgent thread's caseworkers are mailed when the worker writes after their reply
    # (or after it closed), not at every message: they are working on it already.
    answered = conversation.state in (
        ConversationState.WAITING_FOR_WORKER, ConversationState.CLOSED,
    )  # fmt: skip
    message = add_message(conversation, MessageKind.FROM_WORKER, text)
    worker_wrote(conversation)
    if answered:
        notify_new(conversation)
    db.session.commit()
    return message


def worker_writes_on_review(review, text: str) -> Conversation:
    """A review's worker writes with the review's code: the review's thread, started now if
    nobody asked them anything yet. Routed like the review's case (its language and the
    organisation's country)."""
    if review.is_withdrawn:
        raise InboxError(_l("You cannot write here now."))
    conversation = for_review(review.id)
    if conversation is None:
        conversation = Conversation(
            owner=route(review.language, None, review.organisation), channel=Channel.WEB,
            language=review.language, topic=Topic.WORK, state=ConversationState.NEW,
            organisation=review.organisation, review_id=review.id, opened_on=today(),
            last_activity_on=today(),
        )  # fmt: skip
        db.session.add(conversation)
        add_message(conversation, MessageKind.FROM_WORKER, text)
        db.session.flush()
        notify_new(conversation)
        db.session.commit()
        return conversation
    worker_writes(conversation, text)
    return conversation


def worker_closes(conversation: Conversation) -> None:
    """The worker ends the conversation: it closes and their contact is erased."""
    if conversation.is_closed:
        return
    close_now(conversation, Outcome.CLOSED_BY_WORKER)
    db.session.commit()


def worker_erases(conversation: Conversation) -> int:
    """The worker erases every message they wrote (and their contact); caseworkers see
    "erased by the worker" in their place. Returns how many were erased."""
    erased = erase_workers_words(conversation)
    db.session.commit()
    return erased


def review_withdrawn(review_id: int) -> None:
    """A worker withdrew their review: its thread goes with it (their messages erased, the
    thread closed), so no caseworker reads or answers what they took back."""
    conversation = for_review(review_id)
    if conversation is None:
        return
    erase_workers_words(conversation)
    if not conversation.is_closed:
        close_now(conversation, Outcome.CLOSED_BY_WORKER)
    db.session.commit()


# --- the caseworkers' side (audited) ---------------------------------------------------------


def _may(check, actor, conversation, *more) -> None:
    if not check(actor, conversation, *more):
        raise InboxError(_l("Your role cannot make this step."))


def reply(conversation: Conversation, actor, text: str) -> Message:
    """A caseworker answers the worker (they read it with their code, or in their app)."""
    _may(permissions.may_reply, actor, conversation)
    refusal = outbound.refusal(conversation)
    if refusal:
        raise InboxError(refusal)
    message = add_message(conversation, MessageKind.TO_WORKER, text, actor)
    conversation.state = ConversationState.WAITING_FOR_WORKER
    if outbound.goes_through_app(conversation):
        message.delivery = Delivery.QUEUED
    db.session.flush()
    outbound.queue(message)
    audit.record(actor, "conversation.reply", "conversation", conversation.id)
    db.session.commit()
    return message


def add_note(conversation: Conversation, actor, text: str) -> Message:
    """An internal note: caseworkers only, never the worker."""
    _may(permissions.may_handle, actor, conversation)
    message = add_message(conversation, MessageKind.NOTE, text, actor)
    audit.record(actor, "conversation.note", "conversation", conversation.id)
    db.session.commit()
    return message


def tag(conversation: Conversation, actor, codes: list[str], urgent: bool) -> None:
    """Set the issues (from the case taxonomy) and whether it is urgent."""
    _may(permissions.may_handle, actor, conversation)
    found = [c for c in taxonomy.current() if c.code in set(codes)]
    if len(found) != len(set(codes)):
        raise InboxError(_l("Choose issues from the list."))
    conversation.categories, conversation.urgent = found, bool(urgent)
    audit.record(
        actor, "conversation.tag", "conversation", conversation.id,
        categories=sorted(codes), urgent=bool(urgent),
    )  # fmt: skip
    db.session.commit()


def assign(conversation: Conversation, actor, assignee) -> None:
    _may(permissions.may_assign_to, actor, conversation, assignee)
    conversation.assignee_id = assignee.id
    audit.record(
        actor, "conversation.assign", "conversation", conversation.id, assignee_id=assignee.id
    )
    db.session.commit()


def hand_over(conversation: Conversation, actor, cso: Organisation | None, note: str) -> None:
    """Give the conversation to another CSO of the network (it speaks the worker's language,
    works where the worker is). The note says why; the new owner's caseworkers read it."""
    _may(permissions.may_handle, actor, conversation)
    if cso is None or cso.kind not in CSO_KINDS or cso.id == conversation.owner_id:
        raise InboxError(_l("Choose another organisation of the network from the list."))
    if conversation.case_id is not None:
        raise InboxError(_l("A case was opened from this conversation. Refer the case instead."))
    add_message(conversation, MessageKind.NOTE, note, actor)
    audit.record(
        actor, "conversation.hand_over", "conversation", conversation.id,
        from_id=conversation.owner_id, to_id=cso.id,
    )  # fmt: skip
    conversation.owner, conversation.assignee_id = cso, None
    db.session.flush()
    notify_new(conversation)
    db.session.commit()


def close(conversation: Conversation, actor, outcome: str) -> None:
    """Close with an outcome; the worker's contact is erased now."""
    _may(permissions.may_handle, actor, conversation)
    if outcome not in set(Outcome) or outcome == Outcome.CLOSED_BY_WORKER:
        raise InboxError(_l("Choose how it ended from the list."))
    if outcome == Outcome.CASE_OPENED and conversation.case_id is None:
        raise InboxError(_l("Open the case first."))
    if conversation.is_closed:
        raise InboxError(_l("This conversation is closed already."))
    close_now(conversation, Outcome(outcome))
    audit.record(actor, "conversation.close", "conversation", conversation.id, outcome=outcome)
    db.session.commit()


def view_contact(conversation: Conversation, actor) -> Contact:
    """The worker's chosen contact, for those who handle the conversation. Every view is
    audited (committed before the contact is shown)."""
    _may(permissions.may_see_contact, actor, conversation)
    audit.record(actor, "conversation.contact_view", "conversation", conversation.id)
    db.session.commit()
    return conversation.contact


def open_case(
    conversation: Conversation, actor, organisation: Organisation | None, codes: list[str],
    severity: str, workers: int, summary: str,
):  # fmt: skip
    """Open a case from the conversation: the conversation's CSO runs it, and the worker
    follows it in the same thread (its status, what was done, "Was it fixed?")."""
    _may(permissions.may_open_case, actor, conversation)
    if organisation is None:
        raise InboxError(_l("Choose the employer or agency from the list."))
    review_id = conversation.review_id  # a review's worker: one case, the review's
    if review_id is not None and case_services.case_for_review(review_id) is not None:
        raise InboxError(_l("A case is open for this review already."))
    try:
        case = case_services.open_from_conversation(
            actor, conversation.owner, organisation, codes, severity, workers, summary,
            worker_language=conversation.language, review_id=review_id, commit=False,
        )  # fmt: skip
    except case_services.CaseError as error:
        raise InboxError(str(error)) from error
    conversation.case_id = case.id
    audit.record(actor, "conversation.case", "conversation", conversation.id, case_id=case.id)
    db.session.commit()
    return case


def ask_reviewer(review, actor, text: str) -> Conversation:
    """A caseworker asks a review's worker a question; the review's code shows it to them."""
    if not permissions.may_ask_reviewer(actor, review):
        raise InboxError(_l("Your role cannot make this step."))
    conversation = for_review(review.id)
    if conversation is None:
        # The caseworker who asks keeps the thread for their CSO (as with a call they took);
        # an admin's question goes where the routing rules send the review's case.
        owner = actor.organisation if is_caseworker(actor) else (
            route(review.language, None, review.organisation)
        )  # fmt: skip
        conversation = Conversation(
            owner=owner, owner_id=owner.id,  # (the id: may_handle reads it before a flush)
            channel=Channel.WEB, language=review.language, topic=Topic.WORK,
            state=ConversationState.NEW, organisation=review.organisation, review_id=review.id,
            opened_on=today(), last_activity_on=today(),
        )  # fmt: skip
    if not permissions.may_handle(actor, conversation):
        raise InboxError(_l("Another organisation of the network talks with this worker."))
    if conversation.is_closed:  # closed ends the talk: only the worker opens it again
        raise InboxError(_l("This conversation is closed already."))
    db.session.add(conversation)
    add_message(conversation, MessageKind.TO_WORKER, text, actor)
    conversation.state = ConversationState.WAITING_FOR_WORKER
    db.session.flush()
    audit.record(actor, "conversation.ask_reviewer", "conversation", conversation.id)
    db.session.commit()
    return conversation


def erase_expired_contacts() -> int:
    """Erase every contact given more than CONTACT_RETENTION_DAYS ago (daily task)."""
    cutoff = today() - timedelta(days=current_app.config["CONTACT_RETENTION_DAYS"])
    erased = db.session.execute(delete(Contact).where(Contact.given_on < cutoff)).rowcount
    erased += db.session.execute(delete(AppSender).where(AppSender.given_on < cutoff)).rowcount
    db.session.commit()
    return erased
