"""The channels' writes: a webhook's deliveries stored (once each) and queued; an admin
naming the CSO that owns a platform's account; the sweep that queues again what a stopped
consumer left; the daily purge of old delivery keys.

One transaction per call; an admin's change is audited. Deliveries are a worker's actions:
never audited, dated by the day.
"""

from __future__ import annotations

import json
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from goldendreams.agencies.models import CSO_KINDS, Organisation
from goldendreams.channels import handling, permissions
from goldendreams.channels.adapters.base import Event
from goldendreams.channels.models import ChannelAccount, Inbound, InboundState, Platform
from goldendreams.core import audit, queue, tracking
from goldendreams.core.base import today
from goldendreams.extensions import db


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


_WATERMARK = "channels.sweep.watermark"


def sweep() -> int:
    """Queue again every delivery still waiting since the previous sweep (its consumer
    stopped, or the queue lost it). Handling is idempotent, so a delivery queued twice is
    still stored once. Returns how many were queued."""
    last = queue.huey.get(_WATERMARK, peek=True) or 0
    waiting = list(db.session.scalars(
        select(Inbound.id).where(Inbound.state == InboundState.PENDING).order_by(Inbound.id)
    ))  # fmt: skip
    queued = [inbound_id for inbound_id in waiting if inbound_id <= last]
    for inbound_id in queued:
        handling.handle_inbound(inbound_id)
    queue.huey.put(_WATERMARK, max(waiting, default=0))
    db.session.rollback()
    return len(queued)


def purge_deliveries() -> int:
    """Forget the keys of deliveries handled more than CHANNEL_DELIVERY_DAYS ago."""
    cutoff = today() - timedelta(days=current_app.config["CHANNEL_DELIVERY_DAYS"])
    purged = db.session.execute(
        delete(Inbound).where(Inbound.received_on < cutoff, Inbound.state != InboundState.PENDING)
    ).rowcount
    db.session.commit()
    return purged
