"""Replies to a worker who wrote from a messaging app leave through ``channels``, which sits
above the inbox (DESIGN.md, "Layout"): it registers here how to check and queue a reply, so
the inbox never imports it.
"""

from __future__ import annotations

from typing import Protocol

from flask_babel import lazy_gettext as _l

from goldendreams.inbox.models import Channel, Conversation, Message

#: The channels whose replies go out through a platform (the rest are read on the site).
APP_CHANNELS = frozenset({
    Channel.MESSENGER, Channel.WHATSAPP, Channel.VIBER, Channel.LINE, Channel.TELEGRAM,
    Channel.SMS,
})  # fmt: skip


class Outbound(Protocol):
    def refusal(self, conversation: Conversation) -> str | None:
        """Why a reply cannot go now (the app is off, WhatsApp's 24 hours are over)."""

    def queue(self, message: Message) -> None:
        """Send ``message`` once the transaction that stored it commits."""


_outbound: Outbound | None = None


def register(outbound: Outbound) -> None:
    global _outbound
    _outbound = outbound


def goes_through_app(conversation: Conversation) -> bool:
    return conversation.channel in APP_CHANNELS


def refusal(conversation: Conversation) -> str | None:
    """Why a reply to this conversation cannot be sent now; None when it can."""
    if not goes_through_app(conversation):
        return None
    if _outbound is None:
        return str(_l("This app is not connected now. The reply cannot be sent."))
    return _outbound.refusal(conversation)


def queue(message: Message) -> None:
    if _outbound is not None and goes_through_app(message.conversation):
        _outbound.queue(message)
