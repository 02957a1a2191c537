"""One adapter per messaging platform; ``adapter_for`` gives the one a webhook or a reply
needs, or None when the platform is off (no credentials set)."""

from __future__ import annotations

from flask import current_app

from goldendreams.channels.adapters.base import Adapter
from goldendreams.channels.adapters.line import LineAdapter
from goldendreams.channels.adapters.messenger import MessengerAdapter
from goldendreams.channels.adapters.sms import SmsAdapter
from goldendreams.channels.adapters.telegram import TelegramAdapter
from goldendreams.channels.adapters.viber import ViberAdapter
from goldendreams.channels.adapters.whatsapp import WhatsAppAdapter
from goldendreams.channels.models import Platform

ADAPTERS: dict[Platform, type[Adapter]] = {
    adapter.platform: adapter
    for adapter in (
        MessengerAdapter, WhatsAppAdapter, ViberAdapter, LineAdapter, TelegramAdapter,
        SmsAdapter,
    )
}  # fmt: skip


def adapter_for(name: str) -> Adapter | None:
    """The platform's adapter with the app's settings; None if unknown or off."""
    try:
        adapter = ADAPTERS[Platform(name)](current_app.config)
    except ValueError:
        return None
    return adapter if adapter.enabled else None
