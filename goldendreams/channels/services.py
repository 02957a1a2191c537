"""The channels' writes: a webhook's deliveries stored (once each) and queued; an admin
naming the CSO that owns a platform's account; the sweep that queues again what a stopped
consumer left; the daily purge of old delivery keys.

One transaction per call; an admin's change is audited. Deliveries are a worker's actions:
never audited, dated by the day.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from goldendreams.agencies.models import CSO_KINDS, Organisation
from goldendreams.channels import handling, permissions, sending
from goldendreams.channels.adapters.base import Event
from goldendreams.channels.models import ChannelAccount, Inbound, InboundState, Platform
from goldendreams.core import audit, queue, tracking
from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.inbox.models import Delivery, Message, MessageKind

log = logging.getLogger("goldendreams.channels")


class ChannelError(ValueError):
    """A rule was broken; ``str(error)`` is a message in the reader's language."""


def accept(platform: Platform, events: list[Event]) -> int:
    """Store each delivery of a verified webhook (a delivery seen before is skipped) and
    queue its handling once committed. Returns how many were new."""
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    new = 0
    for event in events:
        row = {
            "platform": platform, "key_hash": tracking.keyed_hash(f"{platform}:{event.key}"),
            "payload": json.dumps(event.to_dict(), ensure_ascii=False),
            "state": InboundState.PENDING, "received_on": today(),
        }  # fmt: skip
        inbound_id = db.session.scalar(
            insert(Inbound).values(row).on_conflict_do_nothing().returning(Inbound.id)
        )
        if inbound_id is not None:
            new += 1
            queue.after_commit(handling.handle_inbound, inbound_id)
    db.session.commit()
    return new


def set_owner(actor, platform: Platform, owner: Organisation | None) -> ChannelAccount:
    """Who answers the conversations of a platform's account: a CSO, or None for the
    network (routing rules). Audited."""
    if not permissions.may_manage_channels(actor):
        raise ChannelError(_l("Your role cannot make this step."))
    if owner is not None and owner.kind not in CSO_KINDS:
        raise ChannelError(_l("Choose an organisation of the network from the list."))
    account = db.session.get(ChannelAccount, platform) or ChannelAccount(platform=platform)
    account.owner = owner
    db.session.add(account)
    db.session.flush()
    audit.record(
        actor, "channel.owner", "channel", 0, platform=str(platform),
        owner_id=owner.id if owner else None,
    )  # fmt: skip
    db.session.commit()
    return account


def owner_of(platform: str) -> Organisation | None:
    account = db.session.get(ChannelAccount, platform)
    return account.owner if account is not None else None


#: A delivery whose handling failed this many times (its own retries and the sweep's) is
#: given up: marked failed, its payload erased; admins see the failed tasks.
GIVE_UP_AFTER = 30
#: A reply still waiting to be sent after this many sweeps lost its task (a consumer was
#: killed holding it): its own retries are over by then (about a minute).
SEND_SWEEPS = 3


def _waiting_since(name: str, waiting: list[int], sweeps: int) -> list[int]:
    """Of the ids ``waiting`` now, those that already waited ``sweeps`` sweeps ago. Each
    sweep notes the highest id waiting (in the queue's own storage): ids only grow, so one
    at or below an old note was stored before that sweep."""
    key = f"channels.sweep.{name}"
    notes = queue.huey.get(key, peek=True) or []
    limit = notes[-sweeps] if len(notes) >= sweeps else 0
    queue.huey.put(key, [*notes, max(waiting, default=0)][-sweeps:])
    return [item for item in waiting if item <= limit]


def sweep() -> int:
    """Queue again every delivery still waiting since the previous sweep (its consumer
    stopped, or the queue lost it), and every reply waiting to be sent for SEND_SWEEPS
    sweeps. Handling and sending are idempotent, so work queued twice is still done once.
    Returns how many were queued."""
    waiting = list(db.session.scalars(
        select(Inbound.id).where(Inbound.state == InboundState.PENDING).order_by(Inbound.id)
    ))  # fmt: skip
    queued = 0
    for inbound_id in _waiting_since("inbound", waiting, 1):
        inbound = db.session.get(Inbound, inbound_id)
        if inbound.attempts >= GIVE_UP_AFTER:
            inbound.state, inbound.payload = InboundState.FAILED, None
            log.error("%s: a delivery failed %d times: given up", inbound.platform, GIVE_UP_AFTER)
            continue
        queue.after_commit(handling.handle_inbound, inbound_id)
        queued += 1
    # A reply waiting, or whose try never ended (its consumer was killed mid-send: sent
    # again, at least once), for SEND_SWEEPS sweeps.
    unsent = list(db.session.scalars(
        select(Message.id)
        .where(Message.delivery.in_((Delivery.QUEUED, Delivery.SENDING)),
               Message.kind == MessageKind.TO_WORKER)
        .order_by(Message.id)
    ))  # fmt: skip
    for message_id in _waiting_since("sends", unsent, SEND_SWEEPS):
        db.session.get(Message, message_id).delivery = Delivery.QUEUED
        queue.after_commit(sending.send_reply, message_id)
        queued += 1
    db.session.commit()
    return queued


def purge_deliveries() -> int:
    """Forget the keys of deliveries handled more than CHANNEL_DELIVERY_DAYS ago."""
    cutoff = today() - timedelta(days=current_app.config["CHANNEL_DELIVERY_DAYS"])
    purged = db.session.execute(
        delete(Inbound).where(Inbound.received_on < cutoff, Inbound.state != InboundState.PENDING)
    ).rowcount
    db.session.commit()
    return purged
