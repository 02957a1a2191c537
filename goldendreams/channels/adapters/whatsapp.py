"""WhatsAppAdapter: to be written (issue 19)."""

from __future__ import annotations

from goldendreams.channels.adapters.base import Adapter
from goldendreams.channels.models import Platform


class WhatsAppAdapter(Adapter):
    platform = Platform.WHATSAPP
    required = (
        "WHATSAPP_APP_SECRET",
        "WHATSAPP_TOKEN",
        "WHATSAPP_PHONE_NUMBER_ID",
    )

    def verify(self, request):
        raise NotImplementedError

    def parse(self, request):
        raise NotImplementedError

    def send(self, recipient, message):
        raise NotImplementedError

    def fetch_media(self, media, max_bytes):
        raise NotImplementedError
