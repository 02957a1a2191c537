"""Replies to workers in their app: checked before they are stored (is the app on, is the
worker still reachable, is WhatsApp's 24-hour window open), then sent from the queue with
retries and back-off; each message shows whether it was sent, delivered, read or failed
(with the platform's reason).

Registered with ``inbox.outbound`` (the inbox cannot import this package).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l

from goldendreams.channels.adapters import adapter_for
from goldendreams.channels.adapters.base import Adapter, Outgoing, PlatformError, Recipient
from goldendreams.core import queue
from goldendreams.extensions import db
from goldendreams.inbox import from_apps, outbound
from goldendreams.inbox.choices import CHANNELS
from goldendreams.inbox.models import Channel, Conversation, Delivery, Message

log = logging.getLogger("goldendreams.channels")

#: Tries of a reply the platform could not take (rate limit, server error, no answer),
#: waiting 2, 4, 8, 16 then 32 seconds (core/queue.py doubles the wait).
RETRIES = 5

#: How long Meta's apps let a business answer freely after the worker's last message.
REPLY_WINDOW = timedelta(hours=24)
#: The apps with that window (Messenger's "human agent" tag needs Meta's review: not used).
WINDOWED = frozenset({Channel.WHATSAPP, Channel.MESSENGER})
WINDOW_CLOSED = _l(
    "%(app)s lets us answer only within 24 hours of the worker's last message. "
    "The worker must write again first."
)
APP_OFF = _l("This app is not connected now. The reply cannot be sent.")
UNREACHABLE = _l(
    "The worker's app details were erased (the conversation closed, or the worker asked "
    "to be forgotten). A reply cannot reach them."
)


def _refusal(conversation: Conversation) -> str | None:
    if adapter_for(conversation.channel) is None:
        return str(APP_OFF)
    sender = conversation.app_sender
    if sender is None:
        return str(UNREACHABLE)
    if conversation.channel in WINDOWED and not window_open(sender.reply_window_until):
        return WINDOW_CLOSED % {"app": CHANNELS[conversation.channel]}
    return None


def window_open(until: datetime | None) -> bool:
    return until is not None and datetime.now(UTC) < until


class _Outbound:
    refusal = staticmethod(_refusal)

    @staticmethod
    def queue(message: Message) -> None:
        queue.after_commit(send_reply, message.id)


outbound.register(_Outbound())


@queue.task(retries=RETRIES, retry_delay=1, context=True)
def send_reply(message_id: int, reply_token: str | None = None, choices=(), links=(),
               text: str | None = None, task=None) -> None:  # fmt: skip
    """Send a stored reply. The greeting comes with its quick replies and links, and its
    ``text`` without the links written out (the thread keeps them as text)."""
    message = db.session.get(Message, message_id)
    if message is None or message.delivery != Delivery.QUEUED:
        return  # erased, sent already, or being sent by another task
    conversation = message.conversation
    refusal = _refusal(conversation)
    if refusal:
        from_apps.failed(message, refusal)
        return
    adapter = adapter_for(conversation.channel)
    sender = conversation.app_sender
    recipient = Recipient(sender.platform_user_id, sender.phone, reply_token)
    parts = split(text or message.text or "", adapter.max_text)
    if not from_apps.claim(message):
        return  # another task is sending it (the sweep queued it again)
    try:
        platform_id = None
        for number, part in enumerate(parts, start=1):
            last = number == len(parts)
            outgoing = Outgoing(
                part, [tuple(c) for c in choices] if last else [],
                [tuple(link) for link in links] if last else [], key=f"{message.id}:{number}",
            )  # fmt: skip
            platform_id = adapter.send(recipient, outgoing)
            recipient.reply_token = None  # a reply token answers once
    except PlatformError as error:
        tries_left = task.retries if task is not None and not queue.huey.immediate else 0
        if error.retry and tries_left:
            if error.retry_after and task is not None:
                task.retry_delay = max(task.retry_delay or 0, error.retry_after / 2)
            log.warning("%s: a reply will be tried again: %s", adapter.platform, error.reason)
            from_apps.release(message)
            raise
        from_apps.failed(message, error.reason)
        return
    from_apps.sent(message, platform_id)


def say_once(adapter: Adapter, recipient: Recipient, message: Outgoing) -> None:
    """Send now, once, and keep nothing (the answer to "forget me")."""
    try:
        adapter.send(recipient, message)
    except PlatformError as error:
        log.warning("%s: a message could not be sent: %s", adapter.platform, error.reason)


def split(text: str, limit: int) -> list[str]:
    """``text`` in parts of at most ``limit`` letters, cut at a paragraph, else a line, else
    a space in the second half of the part; else in the middle of a word."""
    parts = []
    while len(text) > limit:
        for separator in ("\n\n", "\n", " "):
            cut = text.rfind(separator, 0, limit)
            if cut > limit // 2:
                break
        else:
            cut = limit
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [*parts, text.rstrip()] if text or not parts else parts
