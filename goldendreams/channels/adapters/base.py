"""The common shape of a messaging platform: verify a webhook, read its deliveries into
``Event``s, send a text with quick replies and links, fetch an attachment.

Each platform is one ``Adapter`` subclass in its own module; the rest of the package (the
webhook, the queue's handling and sending) knows only this interface. Adapters talk HTTP
with ``httpx`` to ``<NAME>_API_BASE`` (the platform, or a local test server) and never log
a sender's id, number, name or words.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import ClassVar

import httpx
from flask import Request, Response

from goldendreams.channels.models import Platform

# httpx logs every request's full address at INFO: Messenger's page token (a query
# parameter, as Meta documents it) and Telegram's bot token (in the path) would land in the
# logs. Its warnings still show.
logging.getLogger("httpx").setLevel(logging.WARNING)


#: Redirects followed when fetching a file (Twilio's media address redirects once).
MAX_REDIRECTS = 3


class EventKind(StrEnum):
    MESSAGE = "message"  # the worker wrote (text, a quick reply, an attachment)
    STATUS = "status"  # the platform reports on a message we sent


class MediaKind(StrEnum):
    VOICE = "voice"  # a voice note or any audio
    PHOTO = "photo"
    VIDEO = "video"
    DOCUMENT = "document"


class DeliveryStatus(StrEnum):
    """What a platform reports about a message we sent (``inbox.models.Delivery``)."""

    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"


@dataclass
class Media:
    """An attachment as the platform announced it; fetched later by ``fetch_media``."""

    kind: str  # MediaKind
    #: What ``fetch_media`` needs: a URL, or the platform's media / file id.
    ref: str
    mime: str | None = None
    #: The size the platform announced, if it did (bytes).
    size: int | None = None


@dataclass
class Event:
    """One delivery, normalised. ``key`` is the platform's own id of it (a message id, or
    a report's id with its status), so the same delivery sent twice is stored once."""

    kind: str  # EventKind
    key: str
    # A message from a worker:
    sender_id: str | None = None
    text: str | None = None
    media: list[Media] = field(default_factory=list)
    #: The payload of a quick reply the worker tapped ("lang:my"), when the platform says.
    choice: str | None = None
    phone: str | None = None
    profile_name: str | None = None
    #: The language the platform says the worker's app uses (e.g. "my", "th-TH").
    locale: str | None = None
    #: Two letters, when the platform tells where the worker is (Viber does).
    country: str | None = None
    #: LINE: a reply costs nothing with this token, for about a minute.
    reply_token: str | None = None
    #: When the platform says the worker sent it (seconds since 1970): WhatsApp's window.
    sent_at: int | None = None
    # A report on a message we sent:
    message_id: str | None = None
    status: str | None = None  # DeliveryStatus
    error: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Event:
        data = dict(data)
        data["media"] = [Media(**item) for item in data.get("media") or []]
        return cls(**data)


@dataclass
class Outgoing:
    """A message to a worker: text, quick replies (payload, label) and links (label, URL).
    A platform without buttons gets them as lines of text."""

    text: str
    choices: list[tuple[str, str]] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    #: The same for every try of one part of one reply ("<message id>:<part>"): a platform
    #: that takes an idempotency key (LINE's retry key) sends a retried part once.
    key: str | None = None


@dataclass
class Recipient:
    """Who a reply goes to, as the platform knows them (from ``inbox.models.AppSender``)."""

    user_id: str
    phone: str | None = None
    #: LINE only: a fresh reply token from the message being answered.
    reply_token: str | None = None


@dataclass
class Fetched:
    data: bytes
    mime: str


class PlatformError(Exception):
    """The platform refused or could not be reached. ``reason`` is shown to caseworkers
    (the platform's own words, no worker's data); ``retry`` says whether trying again later
    may work (rate limits, server errors, timeouts), ``retry_after`` in seconds if known."""

    def __init__(self, reason: str, retry: bool = False, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason[:300]
        self.retry = retry
        self.retry_after = retry_after


class TooLarge(PlatformError):
    """An attachment larger than CHANNEL_MEDIA_MAX_BYTES: not kept."""

    def __init__(self) -> None:
        super().__init__("too large")


def hmac_sha256(secret: str, body: bytes) -> bytes:
    return hmac.new(secret.encode(), body, hashlib.sha256).digest()


class Adapter(ABC):
    """One platform. ``config`` is the app's config; ``required`` the settings (without the
    GOLDENDREAMS_ prefix) that must all be set for the channel to be on."""

    platform: ClassVar[Platform]
    required: ClassVar[tuple[str, ...]]
    #: The longest text one message may carry on this platform; longer replies are split.
    max_text: ClassVar[int] = 2000
    #: The most quick replies one message may carry.
    max_choices: ClassVar[int] = 10
    #: Hosts (with their subdomains) the platform keeps workers' files on, fetched over
    #: https; its API's own address is always allowed (``media_allowed``).
    media_hosts: ClassVar[tuple[str, ...]] = ()
    #: Does the platform check the webhook's address with a GET first (Meta does)?
    has_challenge: ClassVar[bool] = False

    def __init__(self, config) -> None:
        self.config = config

    @property
    def enabled(self) -> bool:
        return all(self.config.get(name) for name in self.required)

    def setting(self, name: str) -> str:
        return str(self.config.get(f"{self.platform.upper()}_{name}") or "")

    @property
    def api_base(self) -> str:
        return self.setting("API_BASE").rstrip("/")

    def client(self) -> httpx.Client:
        """A client for one call (or a few): the platform's address, the timeout."""
        return httpx.Client(timeout=float(self.config.get("CHANNEL_TIMEOUT", 10)))

    # --- receiving ------------------------------------------------------------------------

    def challenge(self, request: Request) -> Response | None:
        """Answer the platform's GET check of the webhook (Meta's hub.challenge), or None
        when the check fails (403). Only called where ``has_challenge``."""
        return None

    @abstractmethod
    def verify(self, request: Request) -> bool:
        """Does the request carry the platform's valid signature (of the raw body)?"""

    @abstractmethod
    def parse(self, request: Request) -> list[Event]:
        """The deliveries in a verified request; events this site does not use are left
        out. Raises ValueError for a body that is not the platform's format."""

    def acknowledge(self) -> Response:
        """What the platform expects back once the events are stored."""
        return Response("", 200)

    # --- sending --------------------------------------------------------------------------

    @abstractmethod
    def send(self, recipient: Recipient, message: Outgoing) -> str:
        """Send one message (its text at most ``max_text`` long); returns the platform's id
        of it. Raises PlatformError."""

    @abstractmethod
    def fetch_media(self, media: Media, max_bytes: int) -> Fetched:
        """Download an attachment through the platform's media API, refusing more than
        ``max_bytes`` (TooLarge) without reading the rest. Raises PlatformError."""

    def register_webhook(self, url: str) -> str:
        """Tell the platform where to send deliveries (``flask channels webhook <name>``),
        for platforms that take it through their API (Telegram, Viber); returns what the
        platform answered. The others are set in the platform's console (README)."""
        raise PlatformError("set this webhook in the platform's console (see the README)")

    # --- helpers for subclasses -----------------------------------------------------------

    def media_allowed(self, url: str) -> bool:
        """May a worker's file be fetched from ``url``? Only from the platform's API (its
        scheme, host and port, as set) or over https from the hosts it keeps files on: a
        delivery names the address, and must not make this server fetch from elsewhere
        (its own network, a cloud's metadata address)."""
        try:
            target, base = httpx.URL(url), httpx.URL(self.api_base)
        except (httpx.InvalidURL, TypeError):
            return False
        if (target.scheme, target.host, target.port) == (base.scheme, base.host, base.port):
            return True
        host = target.host.lower()
        return (
            target.scheme == "https"
            and target.port in (None, 443)
            and any(host == allowed or host.endswith("." + allowed) for allowed in self.media_hosts)
        )

    def download(self, url: str, max_bytes: int, headers: dict | None = None,
                 auth=None) -> Fetched:  # fmt: skip
        """GET ``url`` as a stream, stopping at ``max_bytes`` and after MEDIA_SECONDS in
        all. Redirects are followed by hand, each address checked (``media_allowed``); the
        headers and credentials go to the first host only."""
        deadline = time.monotonic() + float(self.config.get("CHANNEL_TIMEOUT", 10)) * 3
        first_host = httpx.URL(url).host if self.media_allowed(url) else None
        try:
            with self.client() as client:
                for _hop in range(MAX_REDIRECTS + 1):
                    if not self.media_allowed(url):
                        raise PlatformError("media: the address is not the platform's")
                    own = httpx.URL(url).host == first_host
                    with client.stream(
                        "GET", url, headers=(headers or {}) if own else {},
                        auth=auth if own else None,
                    ) as response:  # fmt: skip
                        if response.is_redirect and "location" in response.headers:
                            url = str(response.url.join(response.headers["location"]))
                            continue
                        return self._read(response, max_bytes, deadline)
                raise PlatformError("media: too many redirects")
        except httpx.HTTPError as error:
            raise PlatformError(f"media: {type(error).__name__}", retry=True) from error

    @staticmethod
    def _read(response: httpx.Response, max_bytes: int, deadline: float) -> Fetched:
        if response.status_code >= 400:
            raise PlatformError(
                f"media: HTTP {response.status_code}", retry=response.status_code >= 500
            )
        announced = response.headers.get("content-length")
        if announced and announced.isdigit() and int(announced) > max_bytes:
            raise TooLarge()
        data = bytearray()
        for chunk in response.iter_bytes():
            data += chunk
            if len(data) > max_bytes:
                raise TooLarge()
            if time.monotonic() > deadline:  # a server dripping bytes holds no consumer
                raise PlatformError("media: the download took too long")
        mime = response.headers.get("content-type", "application/octet-stream")
        return Fetched(bytes(data), mime.split(";")[0].strip())

    @staticmethod
    def retry_after(response: httpx.Response) -> float | None:
        value = response.headers.get("retry-after", "")
        return float(value) if value.replace(".", "", 1).isdigit() else None
