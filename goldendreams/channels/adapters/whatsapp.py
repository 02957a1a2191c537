"""WhatsApp, through Meta's WhatsApp Cloud API.

Receiving (meta.py: the GET check, the signature): a delivery is ``{"object":
"whatsapp_business_account", "entry": [{"id", "changes": [{"field": "messages", "value":
{...}}]}]}``. Changes for another of the business's numbers (``metadata.phone_number_id``)
are left out. A ``value`` holds:

- ``messages``: each with ``from`` (the worker's WhatsApp number: their id here and their
  phone), ``id`` (the key), ``timestamp`` (seconds: the 24-hour window counts from it) and
  one ``type``: ``text``; ``interactive`` (a tapped ``button_reply`` or ``list_reply``:
  its ``id`` is the choice); ``button`` (a template's quick reply: its ``payload``);
  ``audio``/``voice``, ``image``, ``video``, ``document`` and ``sticker`` (a media ``id``,
  fetched through the media API; a caption is the text). Reactions, locations, shared
  contacts, ``unsupported`` and ``system`` messages are left out. ``contacts[].profile.name``
  is the worker's profile name.
- ``statuses``: our message ``id`` with ``delivered``, ``read`` or ``failed`` (with
  ``errors[]``, e.g. 131047 when the 24 hours were over); ``sent`` adds nothing to the
  answer of the send call, and is left out. Each report's key is "status:<id>:<status>".

Sending: ``POST /{version}/{WHATSAPP_PHONE_NUMBER_ID}/messages`` with the token as a Bearer
header. A plain reply is a ``text`` message (at most 4096 letters, ``preview_url`` on, so
the rights link shows its page). Choices come as reply buttons (up to 3, titles up to 20
letters) or else an interactive list (up to 10 rows, titles up to 24 letters); their
label is the text's last line (the question they answer, in the worker's language). Links
are written as "label: URL" lines. Outside the 24-hour window only approved templates may
be sent: ``sending`` refuses such replies before they are stored, and a refusal from Meta
(131047) shows failed with Meta's words.

Attachments: ``GET /{version}/{media-id}`` (Bearer) gives ``url``, ``mime_type`` and
``file_size``; the file at ``url`` is downloaded with the same Bearer header.
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
    TooLarge,
)
from goldendreams.channels.adapters.meta import MetaAdapter, describe, fit
from goldendreams.channels.models import Platform

#: WhatsApp's media message types this site keeps, and what each is to a caseworker.
_MEDIA_TYPES = {
    "audio": MediaKind.VOICE,
    "voice": MediaKind.VOICE,
    "image": MediaKind.PHOTO,
    "sticker": MediaKind.PHOTO,
    "video": MediaKind.VIDEO,
    "document": MediaKind.DOCUMENT,
}

#: The statuses of our messages that say more than the send call's answer did.
_STATUSES = {
    "delivered": DeliveryStatus.DELIVERED,
    "read": DeliveryStatus.READ,
    "failed": DeliveryStatus.FAILED,
}

#: Meta's limits: reply buttons (3, titles 20, body 1024), a list (10 rows, titles 24, its
#: button 20, body 4096), a row's or button's id (200 and 256: 200 for both).
_BUTTONS, _BUTTON_TITLE, _BUTTONS_BODY = 3, 20, 1024
_ROWS, _ROW_TITLE, _LIST_BUTTON, _SECTION_TITLE = 10, 24, 20, 24
_ID_MAX = 200


class WhatsAppAdapter(MetaAdapter):
    platform = Platform.WHATSAPP
    media_hosts = ("fbcdn.net", "fbsbx.com", "facebook.com", "whatsapp.net")
    required = (
        "WHATSAPP_APP_SECRET",
        "WHATSAPP_TOKEN",
        "WHATSAPP_PHONE_NUMBER_ID",
    )
    max_text = 4096
    max_choices = _ROWS
    webhook_object = "whatsapp_business_account"
    label = "WhatsApp"

    # --- receiving ------------------------------------------------------------------------

    def parse(self, request: Request) -> list[Event]:
        events: list[Event] = []
        number = self.setting("PHONE_NUMBER_ID")
        for entry in self.entries(request):
            for change in entry.get("changes") or ():
                if not isinstance(change, dict) or change.get("field", "messages") != "messages":
                    continue
                value = change.get("value")
                if not isinstance(value, dict):
                    continue
                metadata = value.get("metadata") or {}
                if str(metadata.get("phone_number_id") or number) != number:
                    continue  # another number of the business
                names = {
                    str(contact.get("wa_id")): (contact.get("profile") or {}).get("name")
                    for contact in value.get("contacts") or ()
                    if isinstance(contact, dict)
                }  # fmt: skip
                for message in value.get("messages") or ():
                    event = _message(message, names) if isinstance(message, dict) else None
                    if event is not None:
                        events.append(event)
                for status in value.get("statuses") or ():
                    event = _status(status) if isinstance(status, dict) else None
                    if event is not None:
                        events.append(event)
        return events

    # --- sending --------------------------------------------------------------------------

    def send(self, recipient: Recipient, message: Outgoing) -> str:
        to = recipient.phone or recipient.user_id
        choices = message.choices[: self.max_choices]
        limit = _BUTTONS_BODY if 0 < len(choices) <= _BUTTONS else self.max_text
        first, last = fit(message.text, message.links, limit)
        if first:
            self._send(to, _text(first))
        if not choices:
            return self._send(to, _text(last))
        if len(choices) <= _BUTTONS:
            action = {"buttons": [
                {"type": "reply",
                 "reply": {"id": payload[:_ID_MAX], "title": _cut(title, _BUTTON_TITLE)}}
                for payload, title in choices
            ]}  # fmt: skip
            interactive = {"type": "button", "body": {"text": last}, "action": action}
        else:
            label = _label(message.text)
            rows = [{"id": payload[:_ID_MAX], "title": _cut(title, _ROW_TITLE)}
                    for payload, title in choices]  # fmt: skip
            interactive = {
                "type": "list", "body": {"text": last},
                "action": {"button": _cut(label, _LIST_BUTTON),
                           "sections": [{"title": _cut(label, _SECTION_TITLE), "rows": rows}]},
            }  # fmt: skip
        return self._send(to, {"type": "interactive", "interactive": interactive})

    def _send(self, to: str, content: dict) -> str:
        answer = self.graph(
            "POST", f"{self.setting('PHONE_NUMBER_ID')}/messages", headers=self._auth(),
            json_body={"messaging_product": "whatsapp", "recipient_type": "individual",
                       "to": to, **content},
        )  # fmt: skip
        messages = answer.get("messages")
        if not isinstance(messages, list) or not messages or not messages[0].get("id"):
            raise PlatformError("WhatsApp: no message id in the answer", retry=True)
        return str(messages[0]["id"])

    def fetch_media(self, media: Media, max_bytes: int) -> Fetched:
        if media.size is not None and media.size > max_bytes:
            raise TooLarge()
        if not media.ref.isalnum():  # Meta's media ids are digits: never a path
            raise PlatformError("WhatsApp: not a media id")
        info = self.graph(
            "GET", media.ref, headers=self._auth(),
            params={"phone_number_id": self.setting("PHONE_NUMBER_ID")},
        )  # fmt: skip
        size = info.get("file_size")
        if str(size).isdigit() and int(size) > max_bytes:
            raise TooLarge()
        if not info.get("url"):
            raise PlatformError("WhatsApp: the media has no address")
        fetched = self.download(str(info["url"]), max_bytes, headers=self._auth())
        if fetched.mime in ("application/octet-stream", ""):
            fetched.mime = str(info.get("mime_type") or media.mime or fetched.mime)
        return fetched

    def _auth(self) -> dict:
        return {"Authorization": f"Bearer {self.setting('TOKEN')}"}


def _message(message: dict, names: dict) -> Event | None:
    sender, kind = str(message.get("from") or ""), message.get("type")
    if not sender or not message.get("id"):
        return None
    text = choice = None
    media: list[Media] = []
    if kind == "text":
        text = (message.get("text") or {}).get("body")
    elif kind == "interactive":
        interactive = message.get("interactive") or {}
        reply = interactive.get(interactive.get("type") or "") or {}
        if interactive.get("type") in ("button_reply", "list_reply") and reply.get("id"):
            choice, text = str(reply["id"]), reply.get("title")
    elif kind == "button":
        button = message.get("button") or {}
        choice, text = button.get("payload"), button.get("text")
    elif kind in _MEDIA_TYPES and isinstance(message.get(kind), dict):
        item = message[kind]
        if item.get("id"):
            size = item.get("file_size")
            media.append(Media(_MEDIA_TYPES[kind], str(item["id"]), item.get("mime_type"),
                               int(size) if str(size).isdigit() else None))  # fmt: skip
        text = item.get("caption")
    if not text and not choice and not media:
        return None  # a reaction, a location, a contact card, "unsupported", "system"...
    timestamp = str(message.get("timestamp") or "")
    return Event(
        kind=EventKind.MESSAGE, key=str(message["id"]), sender_id=sender, text=text,
        media=media, choice=choice, phone=sender, profile_name=names.get(sender),
        sent_at=int(timestamp) if timestamp.isdigit() else None,
    )  # fmt: skip


def _status(status: dict) -> Event | None:
    state = _STATUSES.get(str(status.get("status")))
    if state is None or not status.get("id"):
        return None  # sent, played, deleted: nothing the send call did not say
    error = None
    if state == DeliveryStatus.FAILED:
        errors = [e for e in status.get("errors") or () if isinstance(e, dict)]
        if errors:
            data = errors[0].get("error_data")
            error = "WhatsApp: " + describe(
                errors[0].get("code"),
                errors[0].get("message") or errors[0].get("title") or "failed",
                data.get("details") if isinstance(data, dict) else None,
            )  # fmt: skip
        else:
            error = "WhatsApp: failed"
    return Event(
        kind=EventKind.STATUS, key=f"status:{status['id']}:{state}", message_id=str(status["id"]),
        status=state, error=error,
    )  # fmt: skip


def _text(body: str) -> dict:
    return {"type": "text", "text": {"body": body, "preview_url": True}}


def _label(text: str) -> str:
    """The question the choices answer: the text's last line ("Choose your language:")."""
    last = text.strip().rsplit("\n", 1)[-1].strip().rstrip(":\uff1a").strip()
    return last or "☰"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
