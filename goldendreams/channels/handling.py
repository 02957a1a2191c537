"""The queue's side of a delivery: a stored ``Inbound`` becomes a message in the inbox (with
its attachments), a choice of language, a "forget me", or a delivery report.

Idempotent: a delivery is claimed and marked done in the same transaction as its
message, so one queued twice, or by the sweep after a consumer died, is in the inbox once.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from sqlalchemy import update

from goldendreams.channels import greeting, media, sending
from goldendreams.channels.adapters import adapter_for
from goldendreams.channels.adapters.base import Event, EventKind, Outgoing, Recipient
from goldendreams.channels.models import ChannelAccount, Inbound, InboundState, Platform
from goldendreams.core import queue, tracking
from goldendreams.extensions import db
from goldendreams.inbox import from_apps
from goldendreams.inbox.models import Channel, Delivery

log = logging.getLogger("goldendreams.channels")


@queue.task()
def handle_inbound(inbound_id: int) -> None:
    handle(inbound_id)


def handle(inbound_id: int) -> None:
    # Claimed by a conditional UPDATE, which every database serialises (PostgreSQL locks the
    # row; SQLite the file): of two consumers handling one delivery, the second changes no
    # row and stops. The claim commits with the delivery's message, or not at all.
    claimed = db.session.execute(
        update(Inbound)
        .where(Inbound.id == inbound_id, Inbound.state == InboundState.PENDING)
        .values(state=InboundState.DONE)
    ).rowcount
    if not claimed:  # handled already (queued twice, or by the sweep)
        db.session.rollback()
        return
    inbound = db.session.get(Inbound, inbound_id, populate_existing=True)
    platform = Platform(inbound.platform)
    event = Event.from_dict(json.loads(inbound.payload))
    inbound.payload = None
    if event.kind == EventKind.STATUS:
        _report(platform, event)
    else:
        _message(platform, event)
    db.session.commit()


def _report(platform: Platform, event: Event) -> None:
    if event.message_id and event.status:
        from_apps.reported(Channel(platform), event.message_id, Delivery(event.status), event.error)


def _message(platform: Platform, event: Event) -> None:
    adapter = adapter_for(platform)
    if adapter is None or not event.sender_id:
        return  # the channel was turned off since: nobody could answer
    sender_hash = tracking.keyed_hash(f"{platform}:{event.sender_id}")
    conversation = from_apps.find(Channel(platform), sender_hash)
    recipient = Recipient(event.sender_id, event.phone, event.reply_token)
    if greeting.wants_to_be_forgotten(event):
        language = conversation.language if conversation else greeting.language_of(event)
        if conversation is not None:
            from_apps.forget(conversation)
        # Said once, straight away: the identity needed to say it is gone after this.
        sending.say_once(adapter, recipient, Outgoing(greeting.forgotten(language)))
        return
    chosen = greeting.chosen_language(event)
    if chosen and conversation is not None and not conversation.is_closed:
        from_apps.choose_language(conversation, chosen)
        _greet(conversation, event)
        return
    if not (event.text or "").strip() and not event.media:
        # A button tapped with no conversation open (after "forget me"): nothing to keep,
        # but the worker hears in the language they chose.
        if chosen:
            sending.say_once(adapter, recipient, greeting.greeting(chosen, None))
        return
    country = greeting.country_of(event)
    account = db.session.get(ChannelAccount, str(platform))
    attachments = media.keep(adapter, event.media)
    try:
        conversation, _message, started = from_apps.worker_message(
            Channel(platform), sender_hash, event.sender_id,
            text=event.text, attachments=attachments,
            language=greeting.language_of(event), country=country,
            owner=account.owner if account else None, phone=event.phone,
            profile_name=event.profile_name, reply_window_until=_window(platform, event),
        )  # fmt: skip
    except Exception:
        # Not stored (the delivery waits for the sweep): its files must not stay behind.
        media.discard(attachments)
        raise
    if started:
        _greet(conversation, event)


def _greet(conversation, event: Event) -> None:
    outgoing = greeting.greeting(conversation.language, conversation.country)
    message = from_apps.automatic_reply(conversation, greeting.as_text(outgoing))
    db.session.commit()
    sending.send_reply(
        message.id, reply_token=event.reply_token, choices=outgoing.choices,
        links=outgoing.links, text=outgoing.text,
    )  # fmt: skip


def _window(platform: Platform, event: Event) -> datetime | None:
    """WhatsApp and Messenger: the end of the 24 hours, from the hour the worker wrote in
    (never the minute). Counting from the hour before errs on the side of asking them to
    write again."""
    if platform not in sending.WINDOWED:
        return None
    written = datetime.fromtimestamp(event.sent_at, UTC) if event.sent_at else datetime.now(UTC)
    return written.replace(minute=0, second=0, microsecond=0) + sending.REPLY_WINDOW
