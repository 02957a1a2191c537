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
from goldendreams.channels.adapters.base import Adapter, Event, EventKind, Outgoing, Recipient
from goldendreams.channels.models import ChannelAccount, Inbound, InboundState, Platform
from goldendreams.core import queue, tracking
from goldendreams.extensions import db
from goldendreams.inbox import from_apps
from goldendreams.inbox.models import Channel, Delivery

log = logging.getLogger("goldendreams.channels")


#: Tries of a delivery whose handling failed (the database restarting, two first messages
#: of one sender at once), after 2, 4, 8, 16 and 32 seconds; then the sweep's (tasks.py).
RETRIES = 5


@queue.task(retries=RETRIES, retry_delay=1)
def handle_inbound(inbound_id: int) -> None:
    handle(inbound_id)


def handle(inbound_id: int) -> None:
    inbound = db.session.get(Inbound, inbound_id)
    if inbound is None or inbound.state != InboundState.PENDING:
        db.session.rollback()
        return  # handled already (queued twice, or by the sweep)
    platform = Platform(inbound.platform)
    event = Event.from_dict(json.loads(inbound.payload))
    db.session.rollback()  # nothing held while the platform sends the worker's files
    adapter = adapter_for(platform)
    # What "forget me" or a language button carries is not kept: nothing to fetch.
    wanted = not greeting.wants_to_be_forgotten(event) and not greeting.chosen_language(event)
    attachments = media.keep(adapter, event.media) if adapter and event.media and wanted else []
    # Claimed by a conditional UPDATE, which every database serialises (PostgreSQL locks the
    # row; SQLite the file): of two consumers handling one delivery, the second changes no
    # row and stops. The claim commits with the delivery's message, or not at all.
    claimed = db.session.execute(
        update(Inbound)
        .where(Inbound.id == inbound_id, Inbound.state == InboundState.PENDING)
        .values(state=InboundState.DONE, payload=None)
    ).rowcount
    if not claimed:
        db.session.rollback()
        media.discard(attachments)
        return
    try:
        if event.kind == EventKind.STATUS:
            _report(platform, event)
        elif adapter is not None and event.sender_id:  # else: the app was turned off since
            _message(adapter, event, attachments)
        db.session.commit()
    except Exception:
        # Not stored (the delivery waits for a retry or the sweep): no file stays behind.
        db.session.rollback()
        media.discard(attachments)
        _count_failure(inbound_id)
        raise


def _count_failure(inbound_id: int) -> None:
    """One more failed try (services.sweep gives up after GIVE_UP_AFTER); best effort: the
    database may be what failed."""
    try:
        db.session.execute(
            update(Inbound).where(Inbound.id == inbound_id)
            .values(attempts=Inbound.attempts + 1)
        )  # fmt: skip
        db.session.commit()
    except Exception:  # the original error is the one to raise
        db.session.rollback()


def _report(platform: Platform, event: Event) -> None:
    if event.message_id and event.status:
        from_apps.reported(Channel(platform), event.message_id, Delivery(event.status), event.error)


def _message(adapter: Adapter, event: Event, attachments: list[dict]) -> None:
    platform = adapter.platform
    sender_hash = tracking.keyed_hash(f"{platform}:{event.sender_id}")
    conversation = from_apps.find(Channel(platform), sender_hash)
    recipient = Recipient(event.sender_id, event.phone, event.reply_token)
    if greeting.wants_to_be_forgotten(event):
        language = conversation.language if conversation else greeting.language_of(event)
        if conversation is not None:
            from_apps.forget(conversation)
        db.session.commit()
        # Said once, straight away: the identity needed to say it is gone after this.
        sending.say_once(adapter, recipient, Outgoing(greeting.forgotten(language)))
        return
    chosen = greeting.chosen_language(event)
    if chosen and conversation is not None and not conversation.is_closed:
        account = db.session.get(ChannelAccount, str(platform))
        from_apps.choose_language(conversation, chosen, reroute=not (account and account.owner))
        outgoing = greeting.greeting(chosen, conversation.country)
        message = from_apps.automatic_reply(conversation, greeting.as_text(outgoing))
        db.session.commit()
        _send_greeting(message, outgoing, event)
        return
    if not (event.text or "").strip() and not attachments:
        # A button tapped with no conversation open (after "forget me"): nothing to keep,
        # but the worker hears in the language they chose.
        db.session.commit()
        if chosen:
            sending.say_once(adapter, recipient, greeting.greeting(chosen, None))
        return
    language, country = greeting.language_of(event), greeting.country_of(event)
    outgoing = greeting.greeting(language, country)  # sent if the conversation starts now
    account = db.session.get(ChannelAccount, str(platform))
    conversation, _message, started = from_apps.worker_message(
        Channel(platform), sender_hash, event.sender_id,
        text=event.text, attachments=attachments, language=language, country=country,
        owner=account.owner if account else None, phone=event.phone,
        profile_name=event.profile_name, reply_window_until=_window(platform, event),
        greeting=greeting.as_text(outgoing),
    )  # fmt: skip
    if started:
        _send_greeting(conversation.messages[-1], outgoing, event)


def _send_greeting(message, outgoing: Outgoing, event: Event) -> None:
    """Queue the committed greeting with its quick replies and links. A queue that cannot
    take it now is not the delivery's failure (it is stored): the sweep sends it later."""
    try:
        sending.send_reply(
            message.id, reply_token=event.reply_token, choices=outgoing.choices,
            links=outgoing.links, text=outgoing.text,
        )  # fmt: skip
    except Exception:
        log.exception("%s: the greeting waits for the sweep", message.conversation.channel)


def _window(platform: Platform, event: Event) -> datetime | None:
    """WhatsApp and Messenger: the end of the 24 hours, from the hour the worker wrote in
    (never the minute). Counting from the hour before errs on the side of asking them to
    write again."""
    if platform not in sending.WINDOWED:
        return None
    written = datetime.fromtimestamp(event.sent_at, UTC) if event.sent_at else datetime.now(UTC)
    return written.replace(minute=0, second=0, microsecond=0) + sending.REPLY_WINDOW
