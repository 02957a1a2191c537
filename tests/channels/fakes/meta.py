"""Meta's Graph API, as far as Messenger and WhatsApp use it, on one fake server:

- Messenger's Send API: ``POST /{version}/me/messages?access_token=<page token>``;
  attachments at Meta's CDN, here ``GET /fbcdn/<name>`` (no token, like the real signed
  addresses).
- WhatsApp Cloud API: ``POST /{version}/{phone-number-id}/messages`` and the media API
  ``GET /{version}/{media-id}`` (both with ``Authorization: Bearer <token>``), the file
  itself at ``GET /whatsapp_business/attachments/?mid=<id>`` (Bearer too).

Like the real API: a wrong or missing token answers Graph's OAuthException (code 190; 400 on
Messenger, 401 on WhatsApp); a body without its recipient, an empty or too long text, too
many or too long quick replies, rows or buttons answer code 100 (400); an unknown media id
answers code 100 too. Success bodies are the documented ones: ``{"recipient_id",
"message_id"}`` and ``{"messaging_product", "contacts", "messages": [{"id"}]}``.

Tests add files with ``fake.meta.add_media`` (a WhatsApp media id) or
``fake.meta.add_cdn_file`` (a Messenger attachment URL), and make answers fail with
``fake.fail_next(rate_limited())``, ``fake.fail_next(graph_error(...))``.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import re
import secrets
from dataclasses import dataclass, field

from PIL import Image

from tests.channels.fake_platform import Answer, Call, FakePlatform

VERSION = r"v\d+\.\d+"
MESSENGER_TEXT, MESSENGER_QUICK_REPLIES, MESSENGER_TITLE = 2000, 13, 20
WHATSAPP_TEXT, WHATSAPP_BUTTONS_BODY, WHATSAPP_BUTTONS, WHATSAPP_ROWS = 4096, 1024, 3, 10

#: A few bytes that start like an Ogg Opus voice note.
VOICE_NOTE = b"OggS\x00\x02" + bytes(20) + b"OpusHead\x01\x01" + bytes(40)


def graph_error(code: int, message: str, status: int = 400, *, type_: str = "OAuthException",
                subcode: int | None = None, details: str | None = None,
                headers: dict | None = None) -> Answer:  # fmt: skip
    """Graph's error answer."""
    error: dict = {"message": message, "type": type_, "code": code,
                   "fbtrace_id": "A" + secrets.token_urlsafe(8)}  # fmt: skip
    if subcode is not None:
        error["error_subcode"] = subcode
    if details is not None:
        error["error_data"] = {"messaging_product": "whatsapp", "details": details}
    return Answer(status, {"error": error}, headers or {})


def rate_limited(code: int = 613, status: int = 400) -> Answer:
    """Meta's throttling answer (613: "Calls to this api have exceeded the rate limit",
    130429 on WhatsApp: "Rate limit hit")."""
    messages = {
        4: "(#4) Application request limit reached",
        32: "(#32) Page request limit reached",
        613: "(#613) Calls to this api have exceeded the rate limit.",
        130429: "(#130429) Rate limit hit",
        131056: "(#131056) (Business Account, Consumer Account) pair rate limit hit",
    }
    return graph_error(code, messages.get(code, f"(#{code}) Rate limit"), status)


def re_engagement() -> Answer:
    """WhatsApp's refusal of a free-form message outside the 24-hour window."""
    return graph_error(
        131047, "(#131047) Re-engagement message",
        details="Message failed to send because more than 24 hours have passed since the "
        "customer last replied to this number.",
    )  # fmt: skip


def _bad_token() -> dict:
    return {"message": "Invalid OAuth access token - Cannot parse access token",
            "type": "OAuthException", "code": 190, "fbtrace_id": "AbCdEf"}  # fmt: skip


def _invalid(message: str) -> Answer:
    return graph_error(100, f"(#100) {message}")


def photo_with_location(size: tuple[int, int] = (64, 48)) -> bytes:
    """A JPEG as a phone takes it: with EXIF GPS coordinates and the phone's make."""
    image = Image.new("RGB", size, (40, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (16.0, 47.0, 1.5), 3: "E", 4: (96.0, 9.0, 30.25)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


@dataclass
class MetaState:
    fake: FakePlatform
    page_token: str
    whatsapp_token: str
    phone_number_id: str
    #: WhatsApp media: id -> (bytes, mime type).
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    #: Messenger attachments: name -> (bytes, mime type).
    cdn: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def base(self) -> str:
        return self.fake.base

    def add_media(self, data: bytes, mime: str) -> str:
        """A file a worker sent on WhatsApp; returns its media id."""
        media_id = str(1_000_000_000_000 + next(self._ids))
        self.media[media_id] = (data, mime)
        return media_id

    def add_cdn_file(self, data: bytes, mime: str) -> str:
        """A file a worker sent on Messenger; returns its attachment URL."""
        name = f"{next(self._ids)}_{secrets.token_hex(4)}_n"
        self.cdn[name] = (data, mime)
        return f"{self.base}/fbcdn/{name}?_nc_cat=1&oh=00_{secrets.token_hex(6)}"


def register(fake: FakePlatform, credentials: dict) -> None:
    state = MetaState(
        fake, credentials["MESSENGER_PAGE_TOKEN"], credentials["WHATSAPP_TOKEN"],
        credentials["WHATSAPP_PHONE_NUMBER_ID"],
    )  # fmt: skip
    fake.meta = state

    def messenger_send(call: Call, match: re.Match) -> Answer:
        if call.query.get("access_token") != [state.page_token]:
            return Answer(400, {"error": _bad_token()})
        try:
            body = call.json
        except ValueError:
            return _invalid("Invalid JSON")
        recipient = (body or {}).get("recipient") or {}
        if not recipient.get("id"):
            return _invalid("The parameter recipient is required")
        if body.get("messaging_type") not in ("RESPONSE", "UPDATE", "MESSAGE_TAG"):
            return _invalid("Param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}")
        message = body.get("message") or {}
        text = message.get("text")
        if not isinstance(text, str) or not text.strip():
            return _invalid("The parameter message[text] is required")
        if len(text) > MESSENGER_TEXT:
            return _invalid(f"Length of param message[text] must be less than or equal to "
                            f"{MESSENGER_TEXT}")  # fmt: skip
        replies = message.get("quick_replies")
        if replies is not None:
            if not isinstance(replies, list) or not 0 < len(replies) <= MESSENGER_QUICK_REPLIES:
                return _invalid("param message[quick_replies] must have 1 to 13 elements")
            for reply in replies:
                if reply.get("content_type") != "text" or not reply.get("payload"):
                    return _invalid("Quick replies of type text need a title and a payload")
                if not reply.get("title") or len(reply["title"]) > MESSENGER_TITLE:
                    return _invalid("param message[quick_replies][title] must be 1 to 20 "
                                    "characters")  # fmt: skip
        return Answer(200, {"recipient_id": recipient["id"],
                            "message_id": "m_" + secrets.token_urlsafe(30)})  # fmt: skip

    def cdn_file(call: Call, match: re.Match) -> Answer:
        found = state.cdn.get(match.group(1))
        if found is None:
            return Answer(404, b"")
        return Answer(200, found[0], {"Content-Type": found[1]})

    def bearer(call: Call) -> bool:
        return call.headers.get("authorization") == f"Bearer {state.whatsapp_token}"

    def whatsapp_send(call: Call, match: re.Match) -> Answer:
        if not bearer(call):
            return Answer(401, {"error": _bad_token()})
        if match.group(1) != state.phone_number_id:
            return _invalid(f"Unsupported post request. Object with ID '{match.group(1)}' does "
                            "not exist")  # fmt: skip
        try:
            body = call.json or {}
        except ValueError:
            return _invalid("Invalid JSON")
        if body.get("messaging_product") != "whatsapp":
            return _invalid("The parameter messaging_product is required.")
        if not body.get("to"):
            return _invalid("The parameter to is required.")
        problem = _whatsapp_content(body)
        if problem:
            return _invalid(problem)
        return Answer(200, {
            "messaging_product": "whatsapp",
            "contacts": [{"input": body["to"], "wa_id": body["to"]}],
            "messages": [{"id": "wamid." + secrets.token_urlsafe(36)}],
        })  # fmt: skip

    def whatsapp_media(call: Call, match: re.Match) -> Answer:
        if not bearer(call):
            return Answer(401, {"error": _bad_token()})
        found = state.media.get(match.group(1))
        if found is None:
            return _invalid(f"Unsupported get request. Object with ID '{match.group(1)}' does "
                            "not exist, cannot be loaded due to missing permissions, or does "
                            "not support this operation")  # fmt: skip
        data, mime = found
        return Answer(200, {
            "messaging_product": "whatsapp",
            "url": f"{state.base}/whatsapp_business/attachments/?mid={match.group(1)}"
                   f"&ext=1718000000&hash=ATu{secrets.token_urlsafe(6)}",
            "mime_type": mime, "sha256": hashlib.sha256(data).hexdigest(),
            "file_size": str(len(data)), "id": match.group(1),
        })  # fmt: skip

    def whatsapp_download(call: Call, match: re.Match) -> Answer:
        if not bearer(call):
            return Answer(401, {"error": _bad_token()})
        found = state.media.get((call.query.get("mid") or [""])[0])
        if found is None:
            return Answer(404, b"")
        return Answer(200, found[0], {"Content-Type": found[1]})

    fake.route("POST", rf"/{VERSION}/me/messages", messenger_send)
    fake.route("GET", r"/fbcdn/([\w.-]+)", cdn_file)
    fake.route("POST", rf"/{VERSION}/(\d+)/messages", whatsapp_send)
    fake.route("GET", rf"/{VERSION}/(\d+)", whatsapp_media)
    fake.route("GET", r"/whatsapp_business/attachments/", whatsapp_download)


def _whatsapp_content(body: dict) -> str | None:
    kind = body.get("type", "text")
    if kind == "text":
        text = (body.get("text") or {}).get("body")
        if not isinstance(text, str) or not text.strip():
            return "The parameter text['body'] is required."
        if len(text) > WHATSAPP_TEXT:
            return f"Param text['body'] must be at most {WHATSAPP_TEXT} characters long."
        return None
    if kind != "interactive":
        return f"Param type '{kind}' is not supported here."
    interactive = body.get("interactive") or {}
    text = (interactive.get("body") or {}).get("text")
    action = interactive.get("action") or {}
    if not isinstance(text, str) or not text.strip():
        return "The parameter interactive['body']['text'] is required."
    if interactive.get("type") == "button":
        buttons = action.get("buttons") or []
        if len(text) > WHATSAPP_BUTTONS_BODY:
            return "Param interactive['body']['text'] must be at most 1024 characters long."
        if not 0 < len(buttons) <= WHATSAPP_BUTTONS:
            return "Param interactive['action']['buttons'] must have 1 to 3 buttons."
        for button in buttons:
            reply = button.get("reply") or {}
            if button.get("type") != "reply" or not reply.get("id"):
                return "Each button needs type 'reply' and a reply id."
            if not reply.get("title") or len(reply["title"]) > 20:
                return "A button's title must be 1 to 20 characters long."
        return None
    if interactive.get("type") == "list":
        if len(text) > WHATSAPP_TEXT:
            return "Param interactive['body']['text'] must be at most 4096 characters long."
        if not action.get("button") or len(action["button"]) > 20:
            return "Param interactive['action']['button'] must be 1 to 20 characters long."
        sections = action.get("sections") or []
        rows = [row for section in sections for row in section.get("rows") or []]
        if not sections or not 0 < len(rows) <= WHATSAPP_ROWS:
            return "A list message needs 1 to 10 rows in all."
        for section in sections:
            if len(section.get("title") or "") > 24:
                return "A section's title must be at most 24 characters long."
        for row in rows:
            if not row.get("id") or len(row["id"]) > 200:
                return "A row's id must be 1 to 200 characters long."
            if not row.get("title") or len(row["title"]) > 24:
                return "A row's title must be 1 to 24 characters long."
        if len({row["id"] for row in rows}) != len(rows):
            return "Row ids must be unique."
        return None
    return f"Interactive type '{interactive.get('type')}' is not supported here."
