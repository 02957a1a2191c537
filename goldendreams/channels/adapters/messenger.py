"""Facebook Messenger, through the Messenger Platform (Meta's Send API and webhooks).

Receiving (meta.py: the GET check, the signature): a delivery is ``{"object": "page",
"entry": [{"id", "time", "messaging": [...]}]}``; each ``messaging`` item names the worker
by ``sender.id``, the page-scoped id (PSID) this page knows them by, and holds one of:

- ``message``: ``text``, a tapped quick reply's ``quick_reply.payload`` (the choice), and
  ``attachments`` of type audio, image, video or file, each with ``payload.url`` (fetched
  from there). The page's own messages come back as echoes (``is_echo``) and are left out,
  as is the thumbs-up "like" sticker sent alone: a tap that asks nothing. A link the worker
  shared (a ``fallback`` attachment) is kept as its address in the text.
- ``delivery``: the ``mids`` of our messages now on the worker's phone, one report each.
- ``read``: Messenger says only "everything sent before this ``watermark`` time is read",
  never which messages. This site keeps no time of day for a message (DESIGN.md: dates are
  days), so nothing can be matched to the watermark: read reports are left out and a
  Messenger reply shows "delivered" at most.
- ``postback``: a tapped postback button ("Get Started", a menu item): its payload is the
  choice, its title the text.

Reactions, edits, opt-ins, referrals and the rest are left out.

Sending: ``POST /{version}/me/messages?access_token=<page token>`` (as Meta's examples do)
with ``messaging_type: RESPONSE``: a text of at most 2000 letters with up to 13 text quick
replies (titles cut to 20 letters); links are written as "label: URL" lines, which
Messenger shows as tappable links. Messenger lets a page answer freely within 24 hours of
the worker's last message; later, Meta refuses (code 10, subcode 2018278) and the reply
shows failed with Meta's words.
"""

from __future__ import annotations

from flask import Request

from goldendreams.channels.adapters.base import (
    DeliveryStatus,
    Event,
    EventKind,
    Fetched,
    Media,
    MediaKind,
    Outgoing,
    PlatformError,
    Recipient,
)
from goldendreams.channels.adapters.meta import MetaAdapter, fit
from goldendreams.channels.models import Platform

#: Messenger's attachment types this site keeps, and what each is to a caseworker.
_MEDIA_TYPES = {
    "audio": MediaKind.VOICE,
    "image": MediaKind.PHOTO,
    "video": MediaKind.VIDEO,
    "file": MediaKind.DOCUMENT,
}

#: The "like" button's stickers (small, medium, large thumbs-up).
_LIKE_STICKERS = frozenset({369239263222822, 369239343222814, 369239383222810})

#: Meta's limits on a quick reply's title and payload.
_TITLE_MAX, _PAYLOAD_MAX = 20, 1000


class MessengerAdapter(MetaAdapter):
    platform = Platform.MESSENGER
    media_hosts = ("fbcdn.net", "fbsbx.com", "facebook.com")
    required = (
        "MESSENGER_APP_SECRET",
        "MESSENGER_PAGE_TOKEN",
    )
    max_text = 2000
    max_choices = 13
    webhook_object = "page"
    label = "Messenger"

    # --- receiving ------------------------------------------------------------------------

    def parse(self, request: Request) -> list[Event]:
        events: list[Event] = []
        for entry in self.entries(request):
            for item in entry.get("messaging") or ():
                if isinstance(item, dict):
                    events += _events(item)
        return events

    # --- sending --------------------------------------------------------------------------

    def send(self, recipient: Recipient, message: Outgoing) -> str:
        first, last = fit(message.text, message.links, self.max_text)
        if first:
            self._send(recipient, {"text": first})
        body: dict = {"text": last}
        if message.choices:
            body["quick_replies"] = [
                {"content_type": "text", "title": label[:_TITLE_MAX],
                 "payload": payload[:_PAYLOAD_MAX]}
                for payload, label in message.choices[: self.max_choices]
            ]  # fmt: skip
        return self._send(recipient, body)

    def _send(self, recipient: Recipient, message: dict) -> str:
        answer = self.graph(
            "POST", "me/messages", params={"access_token": self.setting("PAGE_TOKEN")},
            json_body={"recipient": {"id": recipient.user_id}, "messaging_type": "RESPONSE",
                       "message": message},
        )  # fmt: skip
        if not answer.get("message_id"):
            raise PlatformError("Messenger: no message_id in the answer", retry=True)
        return str(answer["message_id"])

    def fetch_media(self, media: Media, max_bytes: int) -> Fetched:
        """The attachment's ``payload.url`` is a signed address on Meta's servers, open for
        a while without the page's token."""
        fetched = self.download(media.ref, max_bytes)
        if fetched.mime in ("application/octet-stream", "") and media.mime:
            fetched.mime = media.mime
        return fetched


def _events(item: dict) -> list[Event]:
    sender = str((item.get("sender") or {}).get("id") or "")
    if isinstance(item.get("message"), dict):
        event = _message(sender, item["message"], item.get("timestamp"))
        return [event] if event else []
    if isinstance(item.get("delivery"), dict):
        return [
            Event(kind=EventKind.STATUS, key=f"delivery:{mid}", message_id=str(mid),
                  status=DeliveryStatus.DELIVERED)
            for mid in item["delivery"].get("mids") or ()
            if mid
        ]  # fmt: skip
    if isinstance(item.get("postback"), dict) and sender:
        postback = item["postback"]
        key = postback.get("mid") or f"postback:{sender}:{item.get('timestamp')}"
        return [
            Event(kind=EventKind.MESSAGE, key=str(key), sender_id=sender,
                  text=postback.get("title"), choice=postback.get("payload"),
                  sent_at=_seconds(item.get("timestamp")))
        ]  # fmt: skip
    return []  # read (see the module's docstring), reaction, optin, referral...


def _message(sender: str, message: dict, timestamp) -> Event | None:
    if message.get("is_echo") or not sender or not message.get("mid"):
        return None
    media, shared = [], []
    for attachment in message.get("attachments") or ():
        if not isinstance(attachment, dict):
            continue
        payload = attachment.get("payload")
        payload = payload if isinstance(payload, dict) else {}
        url = payload.get("url")
        if payload.get("sticker_id") in _LIKE_STICKERS:
            continue
        if attachment.get("type") in _MEDIA_TYPES and url:
            media.append(Media(_MEDIA_TYPES[attachment["type"]], url))
        elif attachment.get("type") == "fallback" and url:
            shared.append(str(url))  # a link the worker shared
    text = "\n".join(part for part in (message.get("text"), *shared) if part) or None
    choice = (message.get("quick_reply") or {}).get("payload")
    if not text and not media and not choice:
        return None  # a "like", a location, an unsupported share: nothing to read
    return Event(
        kind=EventKind.MESSAGE, key=str(message["mid"]), sender_id=sender, text=text,
        media=media, choice=choice, sent_at=_seconds(timestamp),
    )  # fmt: skip


def _seconds(milliseconds) -> int | None:
    return int(milliseconds) // 1000 if isinstance(milliseconds, int | float) else None
