"""LINE, through the Messaging API (https://developers.line.biz/en/reference/messaging-api/).

Receiving: LINE POSTs ``{"destination", "events": [...]}`` to the webhook set in the LINE
Developers console, signed in ``X-Line-Signature`` (the base64 HMAC-SHA256 of the raw
body, keyed with the channel secret). Only events from a person in a one-to-one chat are
used: a ``message`` (text, image, video, audio, file; keyed by the message's id) and a
``postback`` (a tap on a language, keyed by the ``webhookEventId``). Follows, unfollows,
stickers, locations, groups and rooms give no event. LINE sends an event again when the
site did not answer (``deliveryContext.isRedelivery``) with the same ids: it is stored once.
LINE gives no app language: the worker's words and their choice decide it.

Sending: an event's ``replyToken`` answers it for free, once, for about a minute (the
greeting goes so: ``/v2/bot/message/reply``). A token LINE no longer takes ("Invalid reply
token") and every later reply go by ``/v2/bot/message/push``, with an ``X-Line-Retry-Key``:
a push tried again after a server error or a lost answer is sent once (LINE answers 409
to a key it took already). The languages are quick replies (at most 13, labels of at most
20 letters) of ``postback`` actions showing the language's name in the chat; links are
lines of text (a quick reply cannot open a page).

LINE has no delivery or read receipts for bots: a reply shows "sent" at most, nothing is
mapped to "delivered" or "read".

Attachments: ``GET /v2/bot/message/{id}/content`` on LINE's data host (api-data.line.me
beside api.line.me; LINE_API_BASE itself when it points elsewhere, as in tests). A file a
worker's app sent by address (``contentProvider.type`` "external") is downloaded from it.
A video or audio LINE is still preparing comes back empty: the attachment shows as missing.
"""

from __future__ import annotations

import base64
import hmac
import json
import mimetypes
import uuid

import httpx
from flask import Request

from goldendreams.channels.adapters.base import (
    Adapter,
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

SIGNATURE_HEADER = "X-Line-Signature"
RETRY_KEY_HEADER = "X-Line-Retry-Key"

DEFAULT_API_BASE = "https://api.line.me"
#: Where LINE serves the content of a worker's image, video, audio or file.
DEFAULT_DATA_BASE = "https://api-data.line.me"

#: LINE's limits: letters of a quick reply's label, messages in one request.
MAX_LABEL = 20
MAX_MESSAGES = 5

#: LINE's words for a reply token it does not take (used, too old, or not its own).
INVALID_REPLY_TOKEN = "Invalid reply token"  # noqa: S105 (words, not a secret)

_MEDIA_TYPES = {
    "image": (MediaKind.PHOTO, "image/jpeg"),
    "video": (MediaKind.VIDEO, "video/mp4"),
    "audio": (MediaKind.VOICE, "audio/mp4"),
    "file": (MediaKind.DOCUMENT, None),
}


class _InvalidReplyToken(PlatformError):
    """The reply token was refused: the message goes by push instead."""


class _ServerError(PlatformError):
    """LINE failed (5xx) or did not answer: the message may or may not have been taken."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, retry=True)


class LineAdapter(Adapter):
    platform = Platform.LINE
    media_hosts = ("line.me", "line-scdn.net")
    required = (
        "LINE_CHANNEL_SECRET",
        "LINE_ACCESS_TOKEN",
    )
    max_text = 5000
    max_choices = 13

    # --- receiving ------------------------------------------------------------------------

    def verify(self, request: Request) -> bool:
        given = request.headers.get(SIGNATURE_HEADER, "").strip()
        secret = self.setting("CHANNEL_SECRET")
        if not given or not secret:
            return False
        expected = base64.b64encode(hmac_sha256(secret, request.get_data())).decode()
        return hmac.compare_digest(given.encode(), expected.encode())

    def parse(self, request: Request) -> list[Event]:
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("events"), list):
            raise ValueError("not a LINE webhook body")
        events = []
        for item in body["events"]:
            if not isinstance(item, dict):
                raise ValueError("not a LINE webhook event")
            event = _event(item)
            if event is not None:
                events.append(event)
        return events

    # --- sending --------------------------------------------------------------------------

    def send(self, recipient: Recipient, message: Outgoing) -> str:
        messages = self._messages(message)
        if recipient.reply_token:
            try:
                return self._post("reply", {
                    "replyToken": recipient.reply_token, "messages": messages,
                })  # fmt: skip
            except _InvalidReplyToken:
                pass  # too late, or used already: the same message by push
        return self._push(recipient.user_id, messages, message.key)

    def fetch_media(self, media: Media, max_bytes: int) -> Fetched:
        if media.size is not None and media.size > max_bytes:
            raise TooLarge()
        if media.ref.startswith(("https://", "http://")):  # sent by address: not LINE's
            fetched = self.download(media.ref, max_bytes)
        elif not media.ref.isdigit():  # LINE's message ids are digits: nothing else in a path
            raise PlatformError("LINE: not a message id")
        else:
            fetched = self.download(
                f"{self.data_base}/v2/bot/message/{media.ref}/content", max_bytes,
                headers=self._auth(),
            )  # fmt: skip
        if not fetched.data:  # a video or audio LINE is still preparing (202): nothing yet
            raise PlatformError("LINE: the file is not ready")
        if fetched.mime in ("application/octet-stream", "") and media.mime:
            fetched.mime = media.mime
        return fetched

    @property
    def data_base(self) -> str:
        return DEFAULT_DATA_BASE if self.api_base == DEFAULT_API_BASE else self.api_base

    # --- the Messaging API ----------------------------------------------------------------

    def _messages(self, message: Outgoing) -> list[dict]:
        """The text (and its links), with the choices as quick replies on the last one."""
        lines = [f"{label}: {url}" for label, url in message.links]
        text = "\n\n".join([message.text, *lines]) if lines else message.text
        too_long = lines and len(text) > self.max_text  # the links: a second message
        texts = [message.text, "\n\n".join(lines)] if too_long else [text]
        messages = [{"type": "text", "text": part} for part in texts[:MAX_MESSAGES]]
        if message.choices:
            messages[-1]["quickReply"] = {"items": [
                {"type": "action", "action": {
                    "type": "postback", "label": label[:MAX_LABEL], "data": payload,
                    "displayText": label,
                }}
                for payload, label in message.choices[: self.max_choices]
            ]}  # fmt: skip
        return messages

    def _push(self, user_id: str, messages: list[dict], key: str | None = None) -> str:
        """Push, with one retry key: tried a second time at once after a server error or
        no answer (LINE sends it once, whichever try it took). The key comes from the
        reply's own (``Outgoing.key``), so a try the queue makes later is the same push."""
        key = str(uuid.uuid5(uuid.NAMESPACE_URL, f"goldendreams:{key}") if key else uuid.uuid4())
        body = {"to": user_id, "messages": messages}
        try:
            return self._post("push", body, key)
        except _ServerError:
            return self._post("push", body, key)

    def _post(self, kind: str, body: dict, retry_key: str | None = None) -> str:
        """POST a reply or a push; the id of the first message sent."""
        headers = self._auth()
        if retry_key:
            headers[RETRY_KEY_HEADER] = retry_key
        try:
            with self.client() as client:
                response = client.post(
                    f"{self.api_base}/v2/bot/message/{kind}", json=body, headers=headers
                )
        except httpx.HTTPError as error:
            raise _ServerError(f"LINE: {type(error).__name__}") from None
        try:
            answer = response.json()
        except json.JSONDecodeError:
            answer = None
        answer = answer if isinstance(answer, dict) else {}
        # 409: a push with this retry key was taken before (its answer was lost): sent.
        if response.status_code == 200 or (response.status_code == 409 and retry_key):
            sent = answer.get("sentMessages")
            if isinstance(sent, list) and sent and isinstance(sent[0], dict) and sent[0].get("id"):
                return str(sent[0]["id"])
            return uuid.uuid4().hex  # LINE did not say: an id of our own
        raise _error(response, answer)

    def _auth(self) -> dict:
        return {"Authorization": f"Bearer {self.setting('ACCESS_TOKEN')}"}


def _error(response: httpx.Response, answer: dict) -> PlatformError:
    """LINE's ``{"message", "details": [{"message", "property"}]}`` as a PlatformError:
    rate limits and server errors are tried again, a used-up month and refusals are not."""
    status = response.status_code
    message = str(answer.get("message") or f"HTTP {status}")
    details = answer.get("details")
    if isinstance(details, list) and details and isinstance(details[0], dict):
        first = details[0]
        where = f" ({first['property']})" if first.get("property") else ""
        message = f"{message}: {first.get('message', '')}{where}"
    reason = f"LINE: {message}"
    if status == 400 and str(answer.get("message")) == INVALID_REPLY_TOKEN:
        return _InvalidReplyToken(reason)
    if status == 429:
        # The month's messages are used up: trying again in a minute changes nothing.
        monthly = "monthly limit" in message.lower()
        return PlatformError(reason, retry=not monthly, retry_after=Adapter.retry_after(response))
    if status >= 500:
        return _ServerError(reason)
    return PlatformError(reason, retry_after=Adapter.retry_after(response))


def _event(item: dict) -> Event | None:
    source = item.get("source") or {}
    if source.get("type") != "user" or not source.get("userId"):
        return None  # a group, a room, or a person LINE does not name
    timestamp = item.get("timestamp")
    common = {
        "sender_id": str(source["userId"]),
        "reply_token": item.get("replyToken") or None,
        "sent_at": timestamp // 1000 if isinstance(timestamp, int) else None,
    }
    if item.get("type") == "postback":
        data = (item.get("postback") or {}).get("data")
        if not data or not item.get("webhookEventId"):
            return None
        return Event(EventKind.MESSAGE, key=f"postback:{item['webhookEventId']}",
                     choice=str(data), **common)  # fmt: skip
    if item.get("type") != "message":
        return None  # follow, unfollow, unsend, read...
    message = item.get("message") or {}
    if not message.get("id"):
        raise ValueError("a LINE message without an id")
    kind = message.get("type")
    if kind == "text" and message.get("text"):
        return Event(EventKind.MESSAGE, key=str(message["id"]), text=message["text"], **common)
    if kind in _MEDIA_TYPES:
        media = _media(kind, message)
        if media is not None:
            return Event(EventKind.MESSAGE, key=str(message["id"]), media=[media], **common)
    return None  # a sticker, a location: not kept


def _media(kind: str, message: dict) -> Media | None:
    media_kind, mime = _MEDIA_TYPES[kind]
    provider = message.get("contentProvider") or {"type": "line"}
    ref = str(message["id"])
    if provider.get("type") == "external":
        ref = provider.get("originalContentUrl") or ""
        if not ref.startswith("https://"):
            return None
    size = message.get("fileSize")
    if kind == "file":
        mime = mimetypes.guess_type(str(message.get("fileName") or ""))[0]
    return Media(media_kind, ref, mime, size if isinstance(size, int) else None)
