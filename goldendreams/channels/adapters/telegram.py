"""TelegramAdapter: to be written (issue 19)."""

from __future__ import annotations

from goldendreams.channels.adapters.base import Adapter
from goldendreams.channels.models import Platform


class TelegramAdapter(Adapter):
    platform = Platform.TELEGRAM
    required = (
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_SECRET_TOKEN",
    )

    def verify(self, request):
        raise NotImplementedError

    def parse(self, request):
        raise NotImplementedError

    def send(self, recipient, message):
        raise NotImplementedError

    def fetch_media(self, media, max_bytes):
        raise NotImplementedError
