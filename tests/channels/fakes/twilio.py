"""A Twilio-compatible SMS gateway: the Messages resource (``POST /2010-04-01/Accounts/
<AccountSid>/Messages.json``, form-encoded, HTTP basic auth with the account SID and auth
token) and the media of incoming MMS (``GET .../Messages/<MM>/Media/<ME>``, same auth,
answered with a redirect to the file as Twilio does).

Like the real API: a wrong SID or token answers 401 with error 20003; a missing ``To``
(21604), ``From`` (21603) or body (21602), a body over 1600 letters (21617), a number that
is not one (21211) or that replied STOP (21610) answer 400 with Twilio's error body
``{code, message, more_info, status}``; success is 201 with the message resource.

Tests sign what they POST to the site as the gateway does with ``sign`` (written from the
documented algorithm, separately from the adapter's), add MMS files with
``fake.twilio.add_media`` and stop numbers with ``fake.twilio.unsubscribed``;
``too_many_requests`` is the answer for ``fake.fail_next``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import secrets
from dataclasses import dataclass, field

from tests.channels.fake_platform import Answer, Call, FakePlatform

MAX_BODY = 1600
API = "/2010-04-01/Accounts"


def error(status: int, code: int, message: str, headers: dict | None = None) -> Answer:
    return Answer(status, {
        "code": code, "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}", "status": status,
    }, headers or {})  # fmt: skip


def too_many_requests(retry_after: int = 2) -> Answer:
    return error(429, 20429, "Too Many Requests", {"Retry-After": str(retry_after)})


def sign(token: str, url: str, params: dict[str, str]) -> str:
    """X-Twilio-Signature: the URL, then each parameter's name and value by sorted name,
    HMAC-SHA1 with the auth token, in base64."""
    data = url + "".join(name + params[name] for name in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


@dataclass
class TwilioState:
    sid: str
    token: str
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    unsubscribed: set[str] = field(default_factory=set)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def add_media(self, base: str, data: bytes, mime: str) -> str:
        """An MMS attachment as the gateway keeps it; returns its MediaUrl."""
        message = "MM" + secrets.token_hex(16)
        media = "ME" + secrets.token_hex(16)
        self.media[media] = (data, mime)
        return f"{base}{API}/{self.sid}/Messages/{message}/Media/{media}"


def register(fake: FakePlatform, credentials: dict) -> None:
    state = fake.twilio = TwilioState(credentials["SMS_ACCOUNT_SID"], credentials["SMS_AUTH_TOKEN"])

    def authenticated(call: Call, account: str) -> bool:
        expected = "Basic " + base64.b64encode(f"{state.sid}:{state.token}".encode()).decode()
        given = call.headers.get("authorization", "")
        return account == state.sid and hmac.compare_digest(given, expected)

    def unauthorized() -> Answer:
        return error(401, 20003, "Authenticate", {"WWW-Authenticate": 'Basic realm="Twilio API"'})

    def create_message(call: Call, match) -> Answer:
        if not authenticated(call, match["account"]):
            return unauthorized()
        if not call.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            return error(400, 20001, "Invalid content type")
        form = {name: values[0] for name, values in call.form.items()}
        to, sender, body = form.get("To", ""), form.get("From", ""), form.get("Body", "")
        if not to:
            return error(400, 21604, "A 'To' phone number is required.")
        if not sender and not form.get("MessagingServiceSid"):
            return error(400, 21603, "A 'From' phone number is required.")
        if not body.strip() and not form.get("MediaUrl"):
            return error(400, 21602, "Message body is required.")
        if len(body) > MAX_BODY:
            return error(400, 21617, "The concatenated message body exceeds the 1600 "
                                     "character limit.")  # fmt: skip
        if not (to.startswith("+") and to[1:].isdigit() and 8 <= len(to) <= 16):
            return error(400, 21211, f"The 'To' number {to} is not a valid phone number.")
        if to in state.unsubscribed:
            return error(400, 21610, "Attempt to send to unsubscribed recipient")
        sid = "SM" + secrets.token_hex(16)
        return Answer(201, {
            "sid": sid, "account_sid": state.sid, "to": to, "from": sender, "body": body,
            "status": "queued", "direction": "outbound-api", "api_version": "2010-04-01",
            "num_segments": "1", "num_media": "0", "price": None, "error_code": None,
            "error_message": None, "date_sent": None,
            "uri": f"{API}/{state.sid}/Messages/{sid}.json",
        })  # fmt: skip

    def media(call: Call, match) -> Answer:
        if not authenticated(call, match["account"]):
            return unauthorized()
        if match["media"] not in state.media:
            return error(404, 20404, "The requested resource was not found")
        # Twilio answers with a redirect to the file on its content servers.
        return Answer(307, b"", {"Location": f"/twilio-cdn/{match['media']}"})

    def cdn(call: Call, match) -> Answer:
        if match["media"] not in state.media:
            return Answer(404, b"")
        data, mime = state.media[match["media"]]
        return Answer(200, data, {"Content-Type": mime})

    account = r"(?P<account>AC\w+)"
    fake.route("POST", rf"{API}/{account}/Messages\.json", create_message)
    fake.route("GET", rf"{API}/{account}/Messages/MM\w+/Media/(?P<media>ME\w+)", media)
    fake.route("GET", r"/twilio-cdn/(?P<media>ME\w+)", cdn)


def incoming(sid_number: int, sender: str, body: str = "", media: list[tuple[str, str]] = (),
             account: str = "", to: str = "+66800000000") -> dict[str, str]:  # fmt: skip
    """The form an incoming SMS or MMS is POSTed with."""
    params = {
        "ToCountry": "TH", "ToState": "", "SmsMessageSid": f"SM{sid_number:032x}",
        "NumMedia": str(len(media)), "ToCity": "", "FromZip": "", "SmsSid": f"SM{sid_number:032x}",
        "FromState": "", "SmsStatus": "received", "FromCity": "", "Body": body,
        "FromCountry": "MM", "To": to, "ToZip": "", "NumSegments": "1",
        "MessageSid": f"SM{sid_number:032x}", "AccountSid": account, "From": sender,
        "ApiVersion": "2010-04-01",
    }  # fmt: skip
    for number, (url, mime) in enumerate(media):
        params[f"MediaUrl{number}"] = url
        params[f"MediaContentType{number}"] = mime
    return params


def status(message_sid: str, state: str, account: str, error_code: str | None = None) -> dict:
    """The form a status callback is POSTed with."""
    params = {
        "SmsSid": message_sid, "SmsStatus": state, "MessageStatus": state,
        "To": "+959123456789", "MessageSid": message_sid, "AccountSid": account,
        "From": "+66800000000", "ApiVersion": "2010-04-01",
    }  # fmt: skip
    if error_code:
        params["ErrorCode"] = error_code
    return params
