"""Writing conversations that come from messaging apps (called by ``channels``): a worker's
message, their choice of language, "forget me", automatic replies and delivery reports.
With ``services`` the only writer of inbox tables.

The worker is known by a keyed hash of the platform's id of them (``sender_hash``); the id,
number and name the platform gave (needed to reply) sit encrypted in ``AppSender``. Like a
site worker's actions, none of this is audited and every date is a day.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from goldendreams.agencies.models import Organisation
from goldendreams.core import pii, tracking
from goldendreams.core.base import today
from goldendreams.core.i18n import LANGUAGE_NAMES
from goldendreams.core.text import normalise
from goldendreams.extensions import db
from goldendreams.inbox.models import (
    AppSender,
    Channel,
    Conversation,
    ConversationState,
    Delivery,
    Message,
    MessageKind,
    Outcome,
    Topic,
)
from goldendreams.inbox.rules import (
    TEXT_MAX,
    close_now,
    erase_workers_words,
    has_replies_waiting,
    notify_new,
    route,
    worker_wrote,
)

#: A report never moves a message back (a late "delivered" after "read").
_PROGRESS = {
    Delivery.QUEUED: 0, Delivery.SENDING: 0, Delivery.SENT: 1, Delivery.DELIVERED: 2,
    Delivery.READ: 3,
}  # fmt: skip


def find(channel: str, sender_hash: str) -> Conversation | None:
    return db.session.scalar(
        select(Conversation).filter_by(channel=channel, sender_hash=sender_hash)
    )


def worker_message(
    channel: Channel, sender_hash: str, platform_user_id: str, *, text: str | None,
    attachments: list[dict], language: str, country: str | None, owner: Organisation | None,
    phone: str | None = None, profile_name: str | None = None,
    reply_window_until: datetime | None = None, greeting: str | None = None,
) -> tuple[Conversation, Message, bool]:  # fmt: skip
    """A worker wrote from an app: their conversation (started now if new, opened again if
    closed) gets the message. ``owner`` is the CSO of the app's account, or None for the
    network's (routing rules choose). A conversation started now gets ``greeting`` in the
    same transaction, as its last message, waiting to be sent. Returns (conversation,
    message, started now)."""
    if language not in LANGUAGE_NAMES:
        language = "en"
    conversation = find(channel, sender_hash)
    started = conversation is None
    if started:
        conversation = Conversation(
            owner=owner or route(language, country, None), channel=channel,
            language=language, country=country, topic=Topic.QUESTION,
            state=ConversationState.NEW, sender_hash=sender_hash, opened_on=today(),
            last_activity_on=today(),
        )  # fmt: skip
        db.session.add(conversation)
    elif country and not conversation.country:
        conversation.country = country
    body = normalise(text or "").text
    if len(body) > TEXT_MAX:  # an app cannot be told "too long": keep what fits
        body = body[: TEXT_MAX - 1] + "…"
    # Marked for the caseworker, as on the site: a worker's number or name in their words.
    found = [{"start": s.start, "end": s.end, "kind": s.kind} for s in pii.find_personal_data(body)]
    message = Message(
        kind=MessageKind.FROM_WORKER, text=body, personal_data=found, attachments=attachments,
        sent_on=today(),
    )  # fmt: skip
    conversation.messages.append(message)
    conversation.last_activity_on = today()
    answered = conversation.state in (
        ConversationState.WAITING_FOR_WORKER,
        ConversationState.CLOSED,
    )
    worker_wrote(conversation)
    _keep_sender(conversation, platform_user_id, phone, profile_name, reply_window_until)
    if started and greeting:
        automatic_reply(conversation, greeting)
    db.session.flush()
    if started or answered:
        notify_new(conversation)
    db.session.commit()
    return conversation, message, started


def _keep_sender(conversation, platform_user_id, phone, profile_name, window_until) -> None:
    sender = conversation.app_sender
    if sender is None:
        sender = conversation.app_sender = AppSender(platform_user_id=platform_user_id)
    sender.platform_user_id = platform_user_id
    sender.phone = phone or sender.phone
    sender.profile_name = profile_name or sender.profile_name
    if window_until is not None:
        sender.reply_window_until = window_until
    sender.given_on = today()  # the retention runs from the worker's last message


def choose_language(conversation: Conversation, language: str, reroute: bool = False) -> None:
    """The worker tapped their language in the greeting. On the network's account
    (``reroute``), a conversation nobody took yet goes where the routing rules send that
    language: the CSO that speaks it."""
    if language not in LANGUAGE_NAMES:
        return
    conversation.language = language
    if reroute and conversation.state == ConversationState.NEW and not conversation.assignee_id:
        conversation.owner = route(language, conversation.country, None)
    db.session.commit()


def forget(conversation: Conversation) -> None:
    """The worker wrote the "forget me" word: their words, attachments and platform identity
    are erased, and the conversation closes and no longer knows them (a later message starts
    a new one)."""
    erase_workers_words(conversation)
    conversation.app_sender, conversation.sender_hash = None, None
    if not conversation.is_closed:
        close_now(conversation, Outcome.CLOSED_BY_WORKER)
    db.session.commit()


def automatic_reply(conversation: Conversation, text: str) -> Message:
    """A reply the site sends by itself (the greeting): in the thread, so caseworkers see
    what the worker got. The caller queues it once committed (with its quick replies)."""
    message = Message(
        kind=MessageKind.TO_WORKER, text=text, personal_data=[], delivery=Delivery.QUEUED,
        automatic=True, sent_on=today(),
    )  # fmt: skip
    conversation.messages.append(message)
    db.session.flush()
    return message


def _platform_key(channel: str, platform_id: str) -> str:
    # A platform's id of a message may hold the worker's number (WhatsApp's wamid is the
    # number, encoded): kept as a keyed hash, enough to match its delivery reports.
    return tracking.keyed_hash(f"{channel}:{platform_id}")


def claim(message: Message) -> bool:
    """Take a reply waiting to be sent for this try (a conditional update: of two tasks
    sending one reply, the second gets False). Commits."""
    claimed = db.session.execute(
        update(Message)
        .where(Message.id == message.id, Message.delivery == Delivery.QUEUED)
        .values(delivery=Delivery.SENDING)
    ).rowcount
    db.session.commit()
    return bool(claimed)


def release(message: Message) -> None:
    """The try failed but another may work: waiting again."""
    message.delivery = Delivery.QUEUED
    db.session.commit()


def sent(message: Message, platform_id: str | None) -> None:
    """The platform took the message."""
    message.delivery_error = None
    channel = message.conversation.channel
    message.platform_id = _platform_key(channel, platform_id) if platform_id else None
    if _PROGRESS.get(message.delivery, -1) < _PROGRESS[Delivery.SENT]:
        message.delivery = Delivery.SENT
    _erase_sender_once_sent(message.conversation)
    db.session.commit()


def failed(message: Message, reason: str) -> None:
    """The platform refused the message for good (or every try failed)."""
    message.delivery, message.delivery_error = Delivery.FAILED, reason[:300]
    _erase_sender_once_sent(message.conversation)
    db.session.commit()


def _erase_sender_once_sent(conversation: Conversation) -> None:
    """A conversation closed with a reply still on its way kept the worker's app identity
    for it (rules.close_now): gone once nothing waits."""
    if conversation.is_closed and not has_replies_waiting(conversation):
        conversation.app_sender = None


def reported(channel: str, platform_id: str, state: Delivery, reason: str | None = None) -> bool:
    """A platform's report on a message we sent (delivered, read, failed). False if no
    message has that id (a report on someone else's, or an erased one)."""
    message = db.session.scalar(
        select(Message)
        .join(Conversation)
        .where(
            Message.platform_id == _platform_key(channel, platform_id),
            Conversation.channel == channel,
        )
    )
    if message is None or message.from_worker:
        return False
    if state == Delivery.FAILED:
        message.delivery, message.delivery_error = Delivery.FAILED, (reason or "")[:300]
    elif _PROGRESS.get(message.delivery, -1) < _PROGRESS[state]:
        message.delivery = state
    db.session.commit()
    return True
