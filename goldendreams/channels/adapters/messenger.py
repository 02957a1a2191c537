"""MessengerAdapter: to be written (issue 19)."""

from __future__ import annotations

from goldendreams.channels.adapters.base import Adapter
from goldendreams.channels.models import Platform


class MessengerAdapter(Adapter):
    platform = Platform.MESSENGER
    required = (
        "MESSENGER_APP_SECRET",
        "MESSENGER_PAGE_TOKEN",
    )

    def verify(self, request):
        raise NotImplementedError

    def parse(self, request):
        raise NotImplementedError

    def send(self, recipient, message):
        raise NotImplementedError

    def fetch_media(self, media, max_bytes):
        raise NotImplementedError
