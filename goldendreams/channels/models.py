"""What the channels keep: who owns each platform's account, and each delivery a platform
made until it is in the inbox.

A delivery (``Inbound``) is stored, encrypted, before the webhook answers, so nothing a
platform handed over is lost when a consumer or the database stops; the queue then turns
it into a conversation's message. Its payload is erased once it is in the inbox; its keyed
id stays CHANNEL_DELIVERY_DAYS, so a platform sending it again is recognised.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from goldendreams.agencies.models import Organisation
from goldendreams.core.crypto import EncryptedText
from goldendreams.extensions import db


class Platform(StrEnum):
    """The messaging apps, by the name in their webhook's address (/channels/<name>/webhook).
    Each is also an ``inbox.models.Channel``."""

    MESSENGER = "messenger"
    WHATSAPP = "whatsapp"
    VIBER = "viber"
    LINE = "line"
    TELEGRAM = "telegram"
    SMS = "sms"


class InboundState(StrEnum):
    PENDING = "pending"  # stored, waiting for the queue
    DONE = "done"  # in the inbox (or nothing to do): the payload is erased
    FAILED = "failed"  # could not be read: kept for an admin (payload erased)


class ChannelAccount(db.Model):
    """A platform's account (a Facebook page, a WhatsApp number, a bot) belongs to the
    network, whose routing rules place each conversation, or to one CSO, which answers
    every conversation that comes in on it. Credentials are settings, not rows."""

    __tablename__ = "channel_accounts"

    platform: Mapped[str] = mapped_column(String(10), primary_key=True)  # Platform
    #: None: the network's account (routing rules choose the CSO).
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )

    owner: Mapped[Organisation | None] = relationship()


class Inbound(db.Model):
    """One message (or delivery report) a platform handed over."""

    __tablename__ = "channel_inbound"
    __table_args__ = (
        UniqueConstraint("platform", "key_hash"),
        # The sweep: what is still waiting, oldest first.
        Index("ix_channel_inbound_state", "state", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(10))  # Platform
    #: Keyed hash of the platform's id of the message (or of the report): a delivery sent
    #: twice is stored once.
    key_hash: Mapped[str] = mapped_column(String(64))
    #: The normalised event (``adapters.base.Event``) as JSON, encrypted; None once handled.
    payload: Mapped[str | None] = mapped_column(EncryptedText)
    state: Mapped[str] = mapped_column(String(10), default=InboundState.PENDING)
    #: How often its handling failed (services.GIVE_UP_AFTER, then it is given up).
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    received_on: Mapped[date] = mapped_column(index=True)
