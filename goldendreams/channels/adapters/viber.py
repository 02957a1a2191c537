"""Viber, through the REST bot API (https://developers.viber.com/docs/api/rest-bot-api/).

Receiving: Viber POSTs one callback per request to the webhook set with ``set_webhook``,
signed in ``X-Viber-Content-Signature`` (the hex HMAC-SHA256 of the raw body, keyed with
the bot's auth token). A ``message`` callback is a worker's message: its ``message_token``
is the delivery's key, ``sender.language`` and ``sender.country`` say the worker's app
language and country. ``delivered``, ``seen`` and ``failed`` report on a message the site
sent (by the ``message_token`` ``send_message`` answered). ``subscribed``,
``unsubscribed``, ``conversation_started`` and ``webhook`` (the check Viber makes when the
webhook is set, which must answer 200) give no event. Stickers, locations and contacts
are left out: a sticker says nothing a caseworker can read, and a location or a phone
book entry is more about the worker than the site keeps (photos lose their GPS too).

Sending: ``send_message`` with the ``X-Viber-Auth-Token`` header. The languages to choose
from are a keyboard of ``reply`` buttons: a tap sends the button's ``ActionBody``
("lang:my") back as a text message, silently (not shown in the worker's chat), which
``parse`` turns into ``Event.choice``. Links are written as lines of text. Viber answers
errors with HTTP 200 and a non-zero ``status``: ``tooManyRequests`` (12) is worth trying
again later, the others (``receiverNotSubscribed`` when the worker left the bot...) are
not.

Attachments: the ``media`` URL of a picture, video or file message is Viber's own,
temporary and public: downloaded as it is, without the auth token.
"""

from __future__ import annotations

import hmac
import json
import mimetypes

import httpx
from flask import Request

# A module (not a name): greeting imports this package's base, so it may be half loaded.
from goldendreams.channels import greeting
from goldendreams.channels.adapters.base import (
    Adapter,
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
    hmac_sha256,
)
from goldendreams.channels.models import Platform

SIGNATURE_HEADER = "X-Viber-Content-Signature"
AUTH_HEADER = "X-Viber-Auth-Token"

#: The name shown above the site's messages (Viber's ``sender.name``: at most 28 letters).
SENDER_NAME = "Golden Dreams"

#: The reports the site asks for; ``message`` and ``webhook`` callbacks always come.
EVENT_TYPES = ["delivered", "seen", "failed"]

#: Viber's reports on a message the site sent.
_REPORTS = {
    "delivered": DeliveryStatus.DELIVERED,
    "seen": DeliveryStatus.READ,
    "failed": DeliveryStatus.FAILED,
}

#: The message types that carry a file, and what each is to a caseworker (a ``file`` may
#: be a voice recording: its name says).
_MEDIA_TYPES = {"picture": MediaKind.PHOTO, "video": MediaKind.VIDEO, "file": MediaKind.DOCUMENT}

#: Viber's documented ``status`` codes (the answer's ``status_message`` may word them
#: differently).
STATUS_NAMES = {
    1: "invalidUrl",
    2: "invalidAuthToken",
    3: "badData",
    4: "missingData",
    5: "receiverNotRegistered",
    6: "receiverNotSubscribed",
    7: "publicAccountBlocked",
    8: "publicAccountNotFound",
    9: "publicAccountSuspended",
    10: "webhookNotSet",
    11: "receiverNoSuitableDevice",
    12: "tooManyRequests",
    13: "apiVersionNotSupported",
    14: "incompatibleWithVersion",
}
TOO_MANY_REQUESTS = 12


class ViberAdapter(Adapter):
    platform = Platform.VIBER
    media_hosts = ("viber.com",)
    required = ("VIBER_AUTH_TOKEN",)
    max_text = 7000
    #: Two buttons a row; more would push the keyboard past a phone's screen.
    max_choices = 12

    # --- receiving ------------------------------------------------------------------------

    def verify(self, request: Request) -> bool:
        given = request.headers.get(SIGNATURE_HEADER, "").strip().lower()
        token = self.setting("AUTH_TOKEN")
        if not given or not token:
            return False
        expected = hmac_sha256(token, request.get_data()).hex()
        return hmac.compare_digest(given.encode(), expected.encode())

    def parse(self, request: Request) -> list[Event]:
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("event"), str):
            raise ValueError("not a Viber callback")
        kind = body["event"]
        if kind in _REPORTS:
            return _report(body, _REPORTS[kind])
        if kind == "message":
            return _message(body)
        return []  # subscribed, unsubscribed, conversation_started, webhook...

    # --- sending --------------------------------------------------------------------------

    def send(self, recipient: Recipient, message: Outgoing) -> str:
        lines = [f"{label}: {url}" for label, url in message.links]
        text = "\n\n".join([message.text, *lines]) if lines else message.text
        if lines and len(text) > self.max_text:  # the links would not fit: a second message
            self._send_text(recipient.user_id, message.text)
            text = "\n\n".join(lines)
        return self._send_text(recipient.user_id, text, message.choices)

    def fetch_media(self, media: Media, max_bytes: int) -> Fetched:
        if media.size is not None and media.size > max_bytes:
            raise TooLarge()
        fetched = self.download(media.ref, max_bytes)
        if fetched.mime in ("application/octet-stream", "") and media.mime:
            fetched.mime = media.mime
        return fetched

    def register_webhook(self, url: str) -> str:
        """``set_webhook``: Viber checks the address at once with a ``webhook`` callback,
        so the site must be reachable there (and this channel on) before it is called."""
        answer = self._call("set_webhook", {
            "url": url, "event_types": EVENT_TYPES, "send_name": True, "send_photo": False,
        })  # fmt: skip
        kinds = answer.get("event_types")
        listed = ", ".join(kinds) if isinstance(kinds, list) else ", ".join(EVENT_TYPES)
        return f"Viber: webhook set ({listed})"

    # --- the REST API ---------------------------------------------------------------------

    def _send_text(self, receiver: str, text: str, choices=()) -> str:
        body: dict = {
            "receiver": receiver, "min_api_version": 1, "sender": {"name": SENDER_NAME},
            "type": "text", "text": text,
        }  # fmt: skip
        if choices:
            body["keyboard"] = _keyboard(list(choices)[: self.max_choices])
        answer = self._call("send_message", body)
        token = answer.get("message_token")
        if token is None:
            raise PlatformError("Viber: no message_token in the answer")
        return str(token)

    def _call(self, method: str, body: dict) -> dict:
        """POST one API method; its answer when ``status`` is 0, else PlatformError with
        Viber's own words for the status."""
        try:
            with self.client() as client:
                response = client.post(
                    f"{self.api_base}/pa/{method}", json=body,
                    headers={AUTH_HEADER: self.setting("AUTH_TOKEN")},
                )  # fmt: skip
        except httpx.HTTPError as error:
            raise PlatformError(f"Viber: {type(error).__name__}", retry=True) from None
        try:
            answer = response.json()
        except json.JSONDecodeError:
            answer = None
        if response.status_code != 200 or not isinstance(answer, dict):
            raise PlatformError(
                f"Viber: HTTP {response.status_code}",
                retry=response.status_code >= 500 or response.status_code == 429,
                retry_after=self.retry_after(response),
            )  # fmt: skip
        status = answer.get("status")
        if status == 0:
            return answer
        message = str(answer.get("status_message") or STATUS_NAMES.get(status, "generalError"))
        raise PlatformError(f"Viber: {message}", retry=status == TOO_MANY_REQUESTS)


def _report(body: dict, status: DeliveryStatus) -> list[Event]:
    token = body.get("message_token")
    if token is None:
        return []
    error = None
    if status == DeliveryStatus.FAILED:
        error = f"Viber: {body.get('desc') or 'failed'}"
    return [
        Event(
            kind=EventKind.STATUS, key=f"{body['event']}:{token}", message_id=str(token),
            status=status, error=error,
        )
    ]  # fmt: skip


def _message(body: dict) -> list[Event]:
    sender, message = body.get("sender"), body.get("message")
    token = body.get("message_token")
    if not isinstance(sender, dict) or not isinstance(message, dict) or token is None:
        raise ValueError("not a Viber message callback")
    if not sender.get("id"):
        return []
    kind = message.get("type")
    text, choice, media = None, None, []
    if kind == "text":
        text = message.get("text")
        if isinstance(text, str) and text.startswith(greeting.CHOICE_PREFIX):
            # A tap on the keyboard of languages: its ActionBody, not the worker's words.
            text, choice = None, text
    elif kind == "url":
        text = message.get("media")
    elif kind in _MEDIA_TYPES and message.get("media"):
        text = message.get("text") or None  # a picture's caption
        media = [_media(kind, message)]
    if not text and not choice and not media:
        return []  # a sticker, a location, a contact: not kept (see the module's doc)
    timestamp = body.get("timestamp")
    return [
        Event(
            kind=EventKind.MESSAGE,
            key=str(token),
            sender_id=str(sender["id"]),
            text=text,
            media=media,
            choice=choice,
            profile_name=sender.get("name") or None,
            locale=sender.get("language") or None,
            country=sender.get("country") or None,
            sent_at=timestamp // 1000 if isinstance(timestamp, int) else None,
        )
    ]


def _media(kind: str, message: dict) -> Media:
    media_kind = _MEDIA_TYPES[kind]
    mime = {"picture": "image/jpeg", "video": "video/mp4"}.get(kind)
    if kind == "file":
        mime = mimetypes.guess_type(str(message.get("file_name") or ""))[0]
        if mime and mime.startswith("audio/"):
            media_kind = MediaKind.VOICE
    size = message.get("size")
    return Media(media_kind, str(message["media"]), mime, size if isinstance(size, int) else None)


def _keyboard(choices: list[tuple[str, str]]) -> dict:
    """The choices as ``reply`` buttons, two a row. ``Silent``: the tap is not shown in the
    worker's chat (the greeting in the chosen language answers it)."""
    return {
        "Type": "keyboard",
        "DefaultHeight": False,
        "Buttons": [
            {"Columns": 3, "Rows": 1, "ActionType": "reply", "ActionBody": payload,
             "Text": label, "Silent": True}
            for payload, label in choices
        ],
    }  # fmt: skip
