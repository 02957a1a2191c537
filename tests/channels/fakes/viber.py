"""The Viber REST bot API, as far as the site uses it: ``/pa/send_message``,
``/pa/set_webhook`` and the media addresses of workers' pictures and files.

Like the real API: every answer is HTTP 200 with ``{"status", "status_message", ...}``; a
missing or wrong ``X-Viber-Auth-Token`` answers status 2, a body that is not JSON 3
(badData), a missing ``receiver`` or ``sender.name`` 4 (missingData), a text longer than
7000 letters or a keyboard out of shape 3, a worker who left the bot 6
(receiverNotSubscribed). ``set_webhook`` calls the webhook at once with a signed
``webhook`` callback and answers 1 (invalidUrl) unless it got 200, as Viber does.

Tests put files in with ``fake.viber.add_media`` (its URL goes in the callback), mark
workers who left with ``fake.viber.unsubscribed``; ``too_many_requests`` is the answer for
``fake.fail_next``. ``callback`` and ``sign`` make what Viber POSTs to the webhook.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from dataclasses import dataclass, field

import httpx

from tests.channels.fake_platform import Answer, Call, FakePlatform

MAX_TEXT = 7000
MAX_SENDER_NAME = 28


def status(code: int, message: str, **more) -> Answer:
    return Answer(200, {"status": code, "status_message": message, **more})


def too_many_requests() -> Answer:
    """Viber's rate-control answer: HTTP 200, status 12."""
    return status(12, "tooManyRequests")


def sign(body: bytes, token: str) -> str:
    """``X-Viber-Content-Signature``: the hex HMAC-SHA256 of the raw body."""
    return hmac.new(token.encode(), body, hashlib.sha256).hexdigest()


def callback(event: str, message_token: int, **fields) -> dict:
    """A callback as Viber POSTs it (``timestamp`` in milliseconds)."""
    return {
        "event": event, "timestamp": int(time.time() * 1000), "chat_hostname": "SN-376_",
        "message_token": message_token, **fields,
    }  # fmt: skip


def message(message_token: int, sender_id: str, name: str = "Aye Aye", language: str = "my",
            country: str = "TH", **content) -> dict:  # fmt: skip
    """A ``message`` callback from a worker; ``content`` is the ``message`` object."""
    return callback(
        "message", message_token,
        sender={"id": sender_id, "name": name, "avatar": "https://avatar.example/a.jpg",
                "language": language, "country": country, "api_version": 10},
        message=content, silent=False,
    )  # fmt: skip


@dataclass
class ViberState:
    fake: FakePlatform
    token: str
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    unsubscribed: set[str] = field(default_factory=set)
    webhook: dict = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def add_media(self, data: bytes, mime: str = "image/jpeg", extension: str = "jpg") -> str:
        """A worker's file as Viber keeps it; returns its address (``message.media``)."""
        name = f"{next(self._ids):08d}.{extension}"
        self.media[name] = (data, mime)
        return f"{self.fake.base}/viber-media/{name}"


def register(fake: FakePlatform, credentials: dict) -> None:
    state = fake.viber = ViberState(fake, credentials["VIBER_AUTH_TOKEN"])
    tokens = itertools.count(5741311803571721087)

    def authorised(call: Call) -> tuple[dict | None, Answer | None]:
        given = call.headers.get("x-viber-auth-token")
        if not given:
            return None, status(2, "missing_auth_token")
        if not hmac.compare_digest(given, state.token):
            return None, status(2, "invalidAuthToken")
        try:
            body = json.loads(call.body or b"")
        except json.JSONDecodeError:
            return None, status(3, "badData")
        if not isinstance(body, dict):
            return None, status(3, "badData")
        return body, None

    def send_message(call: Call, match) -> Answer:
        body, refusal = authorised(call)
        if refusal:
            return refusal
        sender = body.get("sender")
        if not body.get("receiver") or not isinstance(sender, dict) or not sender.get("name"):
            return status(4, "missingData")
        if len(sender["name"]) > MAX_SENDER_NAME:
            return status(3, "badData")
        if body.get("type") != "text":
            return status(3, "badData")  # the site sends text only
        text = body.get("text")
        if not isinstance(text, str) or not text or len(text) > MAX_TEXT:
            return status(3, "badData")
        if "keyboard" in body and not _valid_keyboard(body["keyboard"]):
            return status(3, "badData")
        if body["receiver"] in state.unsubscribed:
            return status(6, "receiverNotSubscribed")
        return status(0, "ok", message_token=next(tokens), chat_hostname="SN-CHAT-05_")

    def set_webhook(call: Call, match) -> Answer:
        body, refusal = authorised(call)
        if refusal:
            return refusal
        url = body.get("url")
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            return status(1, "invalidUrl")
        # Viber checks the address at once: a signed ``webhook`` callback must answer 200.
        check = json.dumps(callback("webhook", next(tokens))).encode()
        try:
            answer = httpx.post(url, content=check, timeout=5, headers={
                "Content-Type": "application/json",
                "X-Viber-Content-Signature": sign(check, state.token),
            })  # fmt: skip
        except httpx.HTTPError:
            return status(1, "invalidUrl")
        if answer.status_code != 200:
            return status(1, "invalidUrl")
        state.webhook = body
        kinds = body.get("event_types") or ["delivered", "seen", "failed", "subscribed",
                                            "unsubscribed", "conversation_started"]  # fmt: skip
        return status(0, "ok", event_types=kinds)

    def media(call: Call, match) -> Answer:
        found = state.media.get(match["name"])
        if found is None:
            return Answer(404, b"")
        data, mime = found
        return Answer(200, data, {"Content-Type": mime})

    fake.route("POST", r"/pa/send_message", send_message)
    fake.route("POST", r"/pa/set_webhook", set_webhook)
    fake.route("GET", r"/viber-media/(?P<name>[\w.]+)", media)


def _valid_keyboard(keyboard) -> bool:
    if not isinstance(keyboard, dict) or keyboard.get("Type", "keyboard") != "keyboard":
        return False
    buttons = keyboard.get("Buttons")
    return (
        isinstance(buttons, list) and bool(buttons)
        and all(
            isinstance(b, dict) and isinstance(b.get("ActionBody"), str) and b["ActionBody"]
            and b.get("ActionType", "reply") in ("reply", "open-url", "none")
            and 1 <= b.get("Columns", 6) <= 6 and 1 <= b.get("Rows", 1) <= 2
            for b in buttons
        )
    )  # fmt: skip
