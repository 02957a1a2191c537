"""The LINE Messaging API, as far as the site uses it: ``/v2/bot/message/reply``,
``/v2/bot/message/push`` and ``/v2/bot/message/{id}/content`` (api-data.line.me's).

Like the real API: ``Authorization: Bearer <channel access token>`` or 401; errors are
``{"message", "details": [{"message", "property"}]}``; 1 to 5 messages, a text of 1 to 5000
letters, at most 13 quick replies with labels of at most 20 letters (postback or message
actions); a reply token answers once (else 400 "Invalid reply token"); a reply refuses
``X-Line-Retry-Key``, a push takes it (a UUID) and answers 409 to a key it took already;
a user id LINE does not know answers 400 "Failed to send messages". Success is
``{"sentMessages": [{"id", "quoteToken"}]}``.

Tests get valid reply tokens from ``fake.line.reply_token()``, put a worker's file in with
``fake.line.add_content`` (its message id goes in the event), and name unknown users in
``fake.line.unknown``; ``too_many_requests`` is the answer for ``fake.fail_next``.
``event``, ``body`` and ``sign`` make what LINE POSTs to the webhook.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import secrets
import time
import uuid
from dataclasses import dataclass, field

from tests.channels.fake_platform import Answer, Call, FakePlatform

MAX_TEXT = 5000
MAX_MESSAGES = 5
MAX_QUICK_REPLIES = 13
MAX_LABEL = 20
AUTH_FAILED = (
    "Authentication failed. Confirm that the access token in the authorization header is valid."
)


def error(code: int, message: str, *details: tuple[str, str], headers=None) -> Answer:
    body: dict = {"message": message}
    if details:
        body["details"] = [{"message": text, "property": where} for text, where in details]
    return Answer(code, body, headers or {})


def too_many_requests(retry_after: int | None = None) -> Answer:
    """LINE's rate-limit answer (LINE itself sends no Retry-After; a proxy may)."""
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
    return error(429, "The API rate limit has been exceeded. Try again later.", headers=headers)


def sign(body: bytes, secret: str) -> str:
    """``X-Line-Signature``: the base64 HMAC-SHA256 of the raw body."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def body(*events: dict) -> dict:
    return {"destination": "U0123456789abcdef0123456789abcdef", "events": list(events)}


def event(kind: str, user_id: str, reply_token: str | None = None, redelivery: bool = False,
          event_id: str | None = None, **fields) -> dict:  # fmt: skip
    """One webhook event from a person in a one-to-one chat (``timestamp`` in ms)."""
    item = {
        "type": kind, "mode": "active", "timestamp": int(time.time() * 1000),
        "source": {"type": "user", "userId": user_id},
        "webhookEventId": event_id or "01" + secrets.token_hex(12).upper(),
        "deliveryContext": {"isRedelivery": redelivery}, **fields,
    }  # fmt: skip
    if reply_token:
        item["replyToken"] = reply_token
    return item


def message(user_id: str, message_id: str, reply_token: str | None = None, **content) -> dict:
    """A ``message`` event; ``content`` is the message object (``type`` and the rest)."""
    return event("message", user_id, reply_token, message={"id": message_id, **content})


@dataclass
class LineState:
    token: str
    content: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    unknown: set[str] = field(default_factory=set)
    reply_tokens: set[str] = field(default_factory=set)
    retry_keys: dict[str, list] = field(default_factory=dict)
    #: Pushes LINE takes and sends, but whose answer is lost (a 500 comes back instead).
    lose_answers: int = 0
    _ids: itertools.count = field(default_factory=lambda: itertools.count(468789577898262530))

    def reply_token(self) -> str:
        """A reply token LINE would put in an event: good for one reply."""
        token = secrets.token_hex(16)
        self.reply_tokens.add(token)
        return token

    def add_content(self, data: bytes, mime: str) -> str:
        """A worker's image, video, audio or file as LINE keeps it; returns its message id."""
        message_id = str(next(self._ids))
        self.content[message_id] = (data, mime)
        return message_id

    def sent(self, count: int) -> list[dict]:
        return [{"id": str(next(self._ids)), "quoteToken": secrets.token_urlsafe(24)}
                for _ in range(count)]  # fmt: skip


def register(fake: FakePlatform, credentials: dict) -> None:
    state = fake.line = LineState(credentials["LINE_ACCESS_TOKEN"])

    def authorised(call: Call) -> Answer | None:
        given = call.headers.get("authorization", "")
        if not hmac.compare_digest(given, f"Bearer {state.token}"):
            return error(401, AUTH_FAILED)
        return None

    def parsed(call: Call) -> tuple[dict | None, Answer | None]:
        refusal = authorised(call)
        if refusal:
            return None, refusal
        try:
            data = json.loads(call.body or b"")
        except json.JSONDecodeError:
            return None, error(400, "The request body could not be parsed as JSON")
        if not isinstance(data, dict):
            return None, error(400, "The request body could not be parsed as JSON")
        problems = _check_messages(data.get("messages"))
        if problems:
            return None, error(400, f"The request body has {len(problems)} error(s)", *problems)
        return data, None

    def reply(call: Call, match) -> Answer:
        data, refusal = parsed(call)
        if refusal:
            return refusal
        if "x-line-retry-key" in call.headers:
            return error(400, "The retry key is not supported by this API")
        token = data.get("replyToken")
        if not token:
            return error(400, "The request body has 1 error(s)", ("May not be empty", "replyToken"))
        if token not in state.reply_tokens:
            return error(400, "Invalid reply token")
        state.reply_tokens.discard(token)  # once
        return Answer(200, {"sentMessages": state.sent(len(data["messages"]))},
                      {"X-Line-Request-Id": str(uuid.uuid4())})  # fmt: skip

    def push(call: Call, match) -> Answer:
        data, refusal = parsed(call)
        if refusal:
            return refusal
        key = call.headers.get("x-line-retry-key")
        if key is not None:
            try:
                uuid.UUID(key)
            except ValueError:
                return error(400, "The value for the 'X-Line-Retry-Key' header is invalid")
            if key in state.retry_keys:
                return Answer(409, {"message": "The retry key is already accepted",
                                    "sentMessages": state.retry_keys[key]},
                              {"X-Line-Accepted-Request-Id": str(uuid.uuid4())})  # fmt: skip
        to = data.get("to")
        if not to:
            return error(400, "The request body has 1 error(s)", ("May not be empty", "to"))
        if to in state.unknown:
            return error(400, "Failed to send messages")
        sent = state.sent(len(data["messages"]))
        if key is not None:
            state.retry_keys[key] = sent
        if state.lose_answers:
            state.lose_answers -= 1
            return error(500, "Internal server error")
        return Answer(200, {"sentMessages": sent}, {"X-Line-Request-Id": str(uuid.uuid4())})

    def content(call: Call, match) -> Answer:
        refusal = authorised(call)
        if refusal:
            return refusal
        found = state.content.get(match["id"])
        if found is None:
            return error(404, "Not found")
        data, mime = found
        return Answer(200, data, {"Content-Type": mime})

    fake.route("POST", r"/v2/bot/message/reply", reply)
    fake.route("POST", r"/v2/bot/message/push", push)
    fake.route("GET", r"/v2/bot/message/(?P<id>\d+)/content", content)


def _check_messages(messages) -> list[tuple[str, str]]:
    """LINE's validation of ``messages``: (what, where) for each problem."""
    if not isinstance(messages, list) or not 1 <= len(messages) <= MAX_MESSAGES:
        return [(f"Size must be between 1 and {MAX_MESSAGES}", "messages")]
    problems = []
    for number, item in enumerate(messages):
        where = f"messages[{number}]"
        if not isinstance(item, dict) or item.get("type") != "text":
            problems.append(("Must be one of the following values: [text]", f"{where}.type"))
            continue
        text = item.get("text")
        if not isinstance(text, str) or not text:
            problems.append(("May not be empty", f"{where}.text"))
        elif len(text) > MAX_TEXT:
            problems.append((f"Length must be between 0 and {MAX_TEXT}", f"{where}.text"))
        if "quickReply" in item:
            problems += _check_quick_reply(item["quickReply"], f"{where}.quickReply")
    return problems


def _check_quick_reply(quick_reply, where: str) -> list[tuple[str, str]]:
    items = quick_reply.get("items") if isinstance(quick_reply, dict) else None
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_QUICK_REPLIES:
        return [(f"Size must be between 1 and {MAX_QUICK_REPLIES}", f"{where}.items")]
    problems = []
    for number, item in enumerate(items):
        at = f"{where}.items[{number}]"
        action = item.get("action") if isinstance(item, dict) else None
        if not isinstance(item, dict) or item.get("type") != "action" or not action:
            problems.append(("May not be empty", f"{at}.action"))
            continue
        label = action.get("label")
        if not isinstance(label, str) or not 1 <= len(label) <= MAX_LABEL:
            problems.append((f"Length must be between 1 and {MAX_LABEL}", f"{at}.action.label"))
        kind = action.get("type")
        if kind == "postback":
            if not action.get("data") or len(action["data"]) > 300:
                problems.append(("Length must be between 1 and 300", f"{at}.action.data"))
        elif kind == "message":
            if not action.get("text"):
                problems.append(("May not be empty", f"{at}.action.text"))
        else:  # a quick reply cannot open a page (uri)
            problems.append(("Invalid action type", f"{at}.action.type"))
    return problems
