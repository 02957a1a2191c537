"""SMS (and MMS) through a Twilio-compatible gateway: Twilio itself, or a cheaper local
gateway that speaks the same API (``SMS_API_BASE``).

Receiving: the gateway POSTs a form to the webhook, for a worker's message (``From``,
``Body``, ``MessageSid``, ``NumMedia``, ``MediaUrl<N>``, ``MediaContentType<N>``) and for
each status of a message we sent (``MessageSid``, ``MessageStatus``, ``ErrorCode``: the
webhook is also the ``StatusCallback`` of every reply). It signs each request in the
``X-Twilio-Signature`` header: base64(HMAC-SHA1(auth token, the full URL it called + each
POST parameter's name and value, sorted by name)). That URL is the public one the gateway
was given, which the site cannot see behind a proxy: it is rebuilt from SITE_URL, so
SITE_URL must be exactly the scheme and host registered with the gateway
(``<SITE_URL>/channels/sms/webhook``). The answer is an empty TwiML document (nothing is
sent back from the webhook: replies go through the queue).

Sending: ``POST /2010-04-01/Accounts/<SID>/Messages.json`` with HTTP basic auth (SID, auth
token), from SMS_FROM. SMS has no buttons: quick replies become a line of their labels (a
worker who writes a language's name back chooses it), links are lines of text. The
gateway reports back (delivered, undelivered, failed) to the webhook.

A worker is known by their phone number, which is also what the site replies to. The
gateway's error messages sometimes repeat the number: it is cut out of every reason.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from urllib.parse import urlsplit

import httpx
from flask import Request, Response

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
)
from goldendreams.channels.models import Platform

SIGNATURE_HEADER = "X-Twilio-Signature"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
#: The path of the webhook, which is also every reply's StatusCallback.
WEBHOOK_PATH = "/channels/sms/webhook"

#: A status report's ``MessageStatus`` → what the caseworker sees; others are left out
#: (queued, sending, sent: the reply shows "sent" already).
_STATUSES = {
    "delivered": DeliveryStatus.DELIVERED,
    "read": DeliveryStatus.READ,
    "undelivered": DeliveryStatus.FAILED,
    "failed": DeliveryStatus.FAILED,
}
#: The gateway's code for "too many requests" (with HTTP 429).
RATE_LIMITED = 20429
#: A phone number in an error message (kept out of reasons and logs).
_NUMBER = re.compile(r"\+?\d[\d ()-]{5,}\d")


class SmsAdapter(Adapter):
    platform = Platform.SMS
    media_hosts = ("twilio.com", "twiliocdn.com", "amazonaws.com")
    #: SMS_FROM too: without a number to send from, no reply could leave.
    required = ("SMS_ACCOUNT_SID", "SMS_AUTH_TOKEN", "SMS_FROM")
    #: Twilio's limit for one message's Body (sent as up to 10 segments).
    max_text = 1600

    # --- receiving ------------------------------------------------------------------------

    def verify(self, request: Request) -> bool:
        token = self.setting("AUTH_TOKEN")
        given = request.headers.get(SIGNATURE_HEADER, "")
        if not token or not given:
            return False
        url = str(self.config.get("SITE_URL") or "").rstrip("/") + request.full_path
        expected = signature(token, url.removesuffix("?"), request.form)
        if not hmac.compare_digest(given.encode(), expected.encode()):
            return False
        account = request.form.get("AccountSid", "").encode()
        return hmac.compare_digest(account, self.setting("ACCOUNT_SID").encode())

    def parse(self, request: Request) -> list[Event]:
        form = request.form
        sid = form.get("MessageSid") or form.get("SmsSid")
        if not sid:
            raise ValueError("not a gateway's message or status")
        status = form.get("MessageStatus") or form.get("SmsStatus") or ""
        if status and status not in ("received", "receiving"):
            return self._status(sid, status, form.get("ErrorCode"))
        sender = form.get("From", "").strip()
        media = _media(form)
        text = form.get("Body")
        if not sender or (not text and not media):
            return []
        return [
            Event(
                kind=EventKind.MESSAGE, key=sid, sender_id=sender, phone=sender, text=text,
                media=media,
            )
        ]  # fmt: skip

    @staticmethod
    def _status(sid: str, status: str, code: str | None) -> list[Event]:
        state = _STATUSES.get(status)
        if state is None:
            return []
        error = f"SMS: error {code}" if state == DeliveryStatus.FAILED and code else None
        if state == DeliveryStatus.FAILED and not error:
            error = f"SMS: {status}"
        return [
            Event(
                kind=EventKind.STATUS, key=f"{sid}:{status}", message_id=sid, status=state,
                error=error,
            )
        ]  # fmt: skip

    def acknowledge(self) -> Response:
        return Response(EMPTY_TWIML, 200, content_type="text/xml")

    # --- sending --------------------------------------------------------------------------

    def send(self, recipient: Recipient, message: Outgoing) -> str:
        extras = []
        if message.choices:
            extras.append(", ".join(label for _payload, label in message.choices))
        extras += [f"{label}: {url}" for label, url in message.links]
        text = "\n\n".join([message.text, *extras])
        if len(text) > self.max_text:  # what is added would not fit: a second message
            self._create(recipient, message.text)
            text = "\n\n".join(extras)
        return self._create(recipient, text)

    def _create(self, recipient: Recipient, body: str) -> str:
        sid = self.setting("ACCOUNT_SID")
        site = str(self.config.get("SITE_URL") or "").rstrip("/")
        form = {
            "To": recipient.phone or recipient.user_id, "From": self.setting("FROM"),
            "Body": body, "StatusCallback": site + WEBHOOK_PATH,
        }  # fmt: skip
        url = f"{self.api_base}/2010-04-01/Accounts/{sid}/Messages.json"
        try:
            with self.client() as client:
                response = client.post(url, data=form, auth=(sid, self.setting("AUTH_TOKEN")))
        except httpx.HTTPError as error:
            raise PlatformError(f"SMS: {type(error).__name__}", retry=True) from None
        try:
            answer = response.json()
        except json.JSONDecodeError:
            answer = None
        if response.status_code < 300 and isinstance(answer, dict) and answer.get("sid"):
            return str(answer["sid"])
        answer = answer if isinstance(answer, dict) else {}
        code = answer.get("code")
        text = _NUMBER.sub("…", str(answer.get("message") or f"HTTP {response.status_code}"))
        retry = response.status_code == 429 or code == RATE_LIMITED or response.status_code >= 500
        raise PlatformError(f"SMS: {text}", retry=retry, retry_after=self.retry_after(response))

    def fetch_media(self, media: Media, max_bytes: int) -> Fetched:
        """MMS: the gateway keeps each attachment at a URL of its API, behind the same basic
        auth (which goes to the gateway's own host only)."""
        own = urlsplit(media.ref).netloc == urlsplit(self.api_base).netloc
        auth = (self.setting("ACCOUNT_SID"), self.setting("AUTH_TOKEN")) if own else None
        fetched = self.download(media.ref, max_bytes, auth=auth)
        if fetched.mime in ("application/octet-stream", "") and media.mime:
            fetched.mime = media.mime
        return fetched


def signature(token: str, url: str, params) -> str:
    """The gateway's signature of a request: ``params`` a dict or a MultiDict (a name sent
    several times counts each of its values, sorted)."""
    getlist = getattr(params, "getlist", None)
    data = url
    for name in sorted(params):
        values = getlist(name) if getlist else [params[name]]
        for value in sorted(values):
            data += name + value
    digest = hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _media(form) -> list[Media]:
    count = form.get("NumMedia", "0")
    found = []
    for number in range(int(count) if count.isdigit() else 0):
        url = form.get(f"MediaUrl{number}")
        if not url:
            continue
        mime = form.get(f"MediaContentType{number}") or None
        found.append(Media(_kind(mime or ""), url, mime))
    return found


def _kind(mime: str) -> MediaKind:
    if mime.startswith("image/"):
        return MediaKind.PHOTO
    if mime.startswith("audio/"):
        return MediaKind.VOICE
    if mime.startswith("video/"):
        return MediaKind.VIDEO
    return MediaKind.DOCUMENT
