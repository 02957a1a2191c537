"""The Telegram Bot API, as far as the site uses it: ``sendMessage``, ``getFile``, the file
download at ``/file/bot<token>/<file_path>`` and ``setWebhook``.

Like the real API: the bot's token is in the path (a wrong one answers 401 Unauthorized),
every answer is ``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code",
"description"[, "parameters": {"retry_after"}]}``, a text longer than 4096 letters or an
empty one is refused (400), a chat that blocked the bot answers 403.

Tests put files in with ``fake.telegram.add_file`` and block chats with
``fake.telegram.blocked``; ``too_many_requests`` is the answer for ``fake.fail_next``.
"""

from __future__ import annotations

import io
import itertools
import json
import time
from dataclasses import dataclass, field

from PIL import Image

from tests.channels.fake_platform import Answer, Call, FakePlatform

MAX_TEXT = 4096
#: The Bot API serves files up to this size to bots.
MAX_DOWNLOAD = 20 * 1024 * 1024


def error(code: int, description: str, **parameters) -> Answer:
    body: dict = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return Answer(code, body)


def too_many_requests(retry_after: int = 3) -> Answer:
    """Telegram's flood-control answer."""
    return error(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)


def ok(result) -> Answer:
    return Answer(200, {"ok": True, "result": result})


def photo_with_location(size: tuple[int, int] = (64, 48)) -> bytes:
    """A JPEG as a phone takes it: with EXIF GPS coordinates and the phone's make."""
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {  # GPSInfo
        1: "N", 2: (13.0, 45.0, 7.5), 3: "E", 4: (100.0, 30.0, 2.25),
    }  # fmt: skip
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


@dataclass
class TelegramState:
    token: str
    files: dict[str, tuple[str, bytes, str]] = field(default_factory=dict)
    blocked: set[str] = field(default_factory=set)
    webhook: dict = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def add_file(self, data: bytes, mime: str = "application/octet-stream",
                 folder: str = "documents", extension: str = "bin") -> str:  # fmt: skip
        """A file as Telegram keeps it; returns its ``file_id``."""
        number = next(self._ids)
        file_id = f"AwACAgUAAxkBAAI{number:06d}"
        self.files[file_id] = (f"{folder}/file_{number}.{extension}", data, mime)
        return file_id


def _params(call: Call) -> dict:
    """The Bot API takes a method's parameters as JSON, a form or the query string."""
    content_type = call.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        try:
            body = json.loads(call.body or b"{}")
        except json.JSONDecodeError:
            return {}
        return body if isinstance(body, dict) else {}
    source = call.form if content_type.startswith("application/x-www-form") else call.query
    return {name: values[0] for name, values in source.items()}


def register(fake: FakePlatform, credentials: dict) -> None:
    state = fake.telegram = TelegramState(credentials["TELEGRAM_BOT_TOKEN"])
    message_ids = itertools.count(1000)

    def method(call: Call, match) -> Answer:
        if match["token"] != state.token:
            return error(401, "Unauthorized")
        handler = methods.get(match["method"].lower())
        if handler is None:
            return error(404, "Not Found")
        return handler(_params(call))

    def send_message(params: dict) -> Answer:
        chat_id = str(params.get("chat_id") or "")
        text = params.get("text")
        if not chat_id:
            return error(400, "Bad Request: chat_id is empty")
        if not isinstance(text, str) or not text.strip():
            return error(400, "Bad Request: message text is empty")
        if len(text) > MAX_TEXT:
            return error(400, "Bad Request: message is too long")
        markup = params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        if markup is not None and not _valid_markup(markup):
            return error(400, "Bad Request: can't parse reply keyboard markup JSON object")
        if chat_id in state.blocked:
            return error(403, "Forbidden: bot was blocked by the user")
        return ok({
            "message_id": next(message_ids),
            "from": {"id": 123456, "is_bot": True, "first_name": "Golden Dreams",
                     "username": "golden_dreams_bot"},
            "chat": {"id": int(chat_id) if chat_id.lstrip("-").isdigit() else chat_id,
                     "type": "private"},
            "date": int(time.time()), "text": text,
        })  # fmt: skip

    def get_file(params: dict) -> Answer:
        file_id = str(params.get("file_id") or "")
        if not file_id:
            return error(400, "Bad Request: file_id is empty")
        if file_id not in state.files:
            return error(400, "Bad Request: invalid file_id")
        path, data, _mime = state.files[file_id]
        if len(data) > MAX_DOWNLOAD:
            return error(400, "Bad Request: file is too big")
        return ok({"file_id": file_id, "file_unique_id": "AgAD" + file_id[-6:],
                   "file_size": len(data), "file_path": path})  # fmt: skip

    def set_webhook(params: dict) -> Answer:
        if "url" not in params:
            return error(400, "Bad Request: bad webhook: URL must be provided")
        secret = params.get("secret_token")
        if secret is not None and not (
            1 <= len(secret) <= 256 and all(c.isalnum() or c in "_-" for c in secret)
        ):
            return error(400, "Bad Request: secret token contains unallowed characters")
        state.webhook = params
        return ok(True)

    methods = {"sendmessage": send_message, "getfile": get_file, "setwebhook": set_webhook}

    def download(call: Call, match) -> Answer:
        if match["token"] != state.token:
            return error(401, "Unauthorized")
        for path, data, mime in state.files.values():
            if path == match["path"]:
                return Answer(200, data, {"Content-Type": mime})
        return error(404, "Not Found")

    token = r"bot(?P<token>[^/]+)"
    fake.route("GET", rf"/file/{token}/(?P<path>.+)", download)
    fake.route("POST", rf"/{token}/(?P<method>\w+)", method)
    fake.route("GET", rf"/{token}/(?P<method>\w+)", method)


def _valid_markup(markup) -> bool:
    if not isinstance(markup, dict):
        return False
    if "keyboard" in markup:
        rows = markup["keyboard"]
        return (
            isinstance(rows, list) and bool(rows)
            and all(isinstance(row, list) and row for row in rows)
            and all(isinstance(b, dict) and isinstance(b.get("text"), str) and b["text"]
                    for row in rows for b in row)
        )  # fmt: skip
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        return isinstance(rows, list) and all(
            isinstance(b, dict) and b.get("text") and ("callback_data" in b or "url" in b)
            for row in rows for b in row
        )  # fmt: skip
    return "remove_keyboard" in markup or "force_reply" in markup


def update(update_id: int, chat_id: int, **message) -> dict:
    """A private chat's ``message`` update, as Telegram POSTs it to the webhook."""
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id % 10000,
            "from": {"id": chat_id, "is_bot": False, "first_name": "Aye",
                     "language_code": "my"},
            "chat": {"id": chat_id, "first_name": "Aye", "type": "private"},
            "date": int(time.time()),
            **message,
        },
    }  # fmt: skip
