"""What Messenger and WhatsApp share: both are Meta's Graph API and Meta's webhooks.

Receiving: Meta checks the webhook's address first with a GET carrying ``hub.mode=subscribe``,
``hub.verify_token`` (the token typed into the app's dashboard, <NAME>_VERIFY_TOKEN here) and
``hub.challenge``, which is answered back as it came. Every delivery is a POST of JSON
(``{"object": ..., "entry": [...]}``) signed in ``X-Hub-Signature-256: sha256=<hex>``, the
HMAC-SHA256 of the raw body with the app's secret (<NAME>_APP_SECRET).

Sending: ``{API_BASE}/{META_GRAPH_VERSION}/...``. A refusal is Graph's error JSON,
``{"error": {"message", "type", "code", "error_subcode", "error_data", "fbtrace_id"}}``;
its ``code`` says whether trying again later can work (Graph's error-handling guide:
1 and 2 are passing faults, 4, 17, 32, 613 and 80007 throttling; WhatsApp adds 130429 and
131056, and says ``is_transient``). Only Meta's own words reach a ``PlatformError``: never the
address (Messenger's holds the page token) nor a worker's id.
"""

from __future__ import annotations

import hmac
import json
from typing import ClassVar

import httpx
from flask import Request, Response

from goldendreams.channels.adapters.base import Adapter, PlatformError, hmac_sha256

SIGNATURE_HEADER = "X-Hub-Signature-256"

#: Graph's codes for "too many calls, wait": API Too Many Calls (4), User Too Many Calls
#: (17), Page request limit (32), calls within one hour exceeded (613), WhatsApp's rate
#: limits (80007 the account's, 130429 the number's throughput, 131056 one pair's), and the
#: passing faults API Unknown (1) and API Service (2).
RETRY_CODES = frozenset({1, 2, 4, 17, 32, 613, 80007, 130429, 131056})


class MetaAdapter(Adapter):
    """A platform on Meta's Graph API (subclasses: Messenger, WhatsApp)."""

    has_challenge = True
    #: The ``object`` of this platform's webhook deliveries.
    webhook_object: ClassVar[str]
    #: How a caseworker knows the platform in a refusal's reason.
    label: ClassVar[str]

    # --- receiving ------------------------------------------------------------------------

    def challenge(self, request: Request) -> Response | None:
        expected = self.setting("VERIFY_TOKEN").encode()
        given = request.args.get("hub.verify_token", "").encode()
        if (
            request.args.get("hub.mode") != "subscribe"
            or not expected
            or not hmac.compare_digest(given, expected)
        ):
            return None
        return Response(request.args.get("hub.challenge", ""), 200, mimetype="text/plain")

    def verify(self, request: Request) -> bool:
        header = request.headers.get(SIGNATURE_HEADER, "")
        secret = self.setting("APP_SECRET")
        if not secret or not header.startswith("sha256="):
            return False
        expected = hmac_sha256(secret, request.get_data(cache=True)).hex()
        return hmac.compare_digest(header.removeprefix("sha256=").lower().encode(),
                                   expected.encode())  # fmt: skip

    def entries(self, request: Request) -> list[dict]:
        """The ``entry`` list of a delivery; ValueError when it is not this platform's."""
        try:
            body = json.loads(request.get_data(cache=True))
        except (ValueError, UnicodeDecodeError) as error:
            raise ValueError("not JSON") from error
        if not isinstance(body, dict) or body.get("object") != self.webhook_object:
            raise ValueError(f"not a {self.webhook_object} delivery")
        entries = body.get("entry")
        if not isinstance(entries, list):
            raise ValueError("no entry list")
        return [entry for entry in entries if isinstance(entry, dict)]

    # --- the Graph API --------------------------------------------------------------------

    def graph_url(self, path: str) -> str:
        version = str(self.config.get("META_GRAPH_VERSION") or "v21.0").strip("/")
        return f"{self.api_base}/{version}/{path.lstrip('/')}"

    def graph(self, method: str, path: str, *, json_body: dict | None = None,
              params: dict | None = None, headers: dict | None = None) -> dict:  # fmt: skip
        """One Graph call; its JSON answer, or PlatformError with Meta's words."""
        try:
            with self.client() as client:
                response = client.request(
                    method, self.graph_url(path), json=json_body, params=params,
                    headers=headers,
                )  # fmt: skip
        except httpx.HTTPError as error:
            raise PlatformError(f"{self.label}: {type(error).__name__}", retry=True) from None
        if response.status_code >= 400:
            raise graph_error(self.label, response)
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise PlatformError(f"{self.label}: the answer was not Graph's JSON", retry=True)
        return answer


def graph_error(label: str, response: httpx.Response) -> PlatformError:
    """A Graph error answer as a ``PlatformError``: "<label>: (#<code>) <message>", to be
    tried again for throttling, passing faults, HTTP 429 and 5xx."""
    status = response.status_code
    try:
        error = response.json().get("error")
    except (ValueError, AttributeError):
        error = None
    retry_after = Adapter.retry_after(response)
    if not isinstance(error, dict):
        return PlatformError(f"{label}: HTTP {status}", retry=status == 429 or status >= 500,
                             retry_after=retry_after)  # fmt: skip
    code = error.get("code")
    data = error.get("error_data")
    details = data.get("details") if isinstance(data, dict) else None
    message = describe(code, error.get("message") or f"HTTP {status}", details)
    retry = (
        status == 429 or status >= 500 or code in RETRY_CODES or error.get("is_transient") is True
    )
    return PlatformError(f"{label}: {message}", retry=retry, retry_after=retry_after)


def describe(code, message: str, details: str | None = None) -> str:
    """Meta's words for an error, "(#<code>) <message>: <details>" (the code first, as
    Graph writes it in most of its messages)."""
    message = str(message)
    if code is not None and not message.startswith("(#"):
        message = f"(#{code}) {message}"
    if details and str(details) not in message:
        message = f"{message}: {details}"
    return message


def fit(text: str, links: list[tuple[str, str]], limit: int) -> tuple[str | None, str]:
    """``text`` with the links written under it as "label: URL" lines, as at most two
    messages: (a plain one to send first, or None; the one that carries the buttons, at
    most ``limit`` letters). When all of it does not fit, the last paragraph (the question
    the buttons answer) stays with the links and the buttons, and the rest goes first.
    ``text`` itself is at most a plain message long (``sending.split``)."""
    lines = "\n\n".join(f"{label}: {url}" for label, url in links)
    whole = "\n\n".join(part for part in (text, lines) if part)
    if len(whole) <= limit:
        return None, whole
    head, _, last = text.rpartition("\n\n")
    tail = "\n\n".join(part for part in (last, lines) if part)
    if head and len(tail) <= limit:
        return head, tail
    if lines and len(lines) <= limit:
        return text, lines
    # One paragraph longer than the buttons take: its end goes with them.
    return text[: len(text) - limit].rstrip() or None, text[len(text) - limit :].lstrip()
