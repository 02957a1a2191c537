"""A local HTTP server standing in for a messaging platform's API, for the adapters' outbound
calls: each platform's fake (fakes.py) registers the endpoints it speaks, checks each
request's shape, headers and token, and answers as the real API does, including its error
and rate-limit answers.

Tests read what arrived (``requests``) and can make the next answers fail
(``fail_next``), as the platform would when overloaded or refusing.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Call:
    """One request the fake received."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes

    @property
    def json(self):
        return json.loads(self.body or b"null")

    @property
    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode())


@dataclass
class Answer:
    status: int = 200
    body: bytes | str | dict | list = b""
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self) -> tuple[bytes, str]:
        if isinstance(self.body, dict | list):
            return json.dumps(self.body).encode(), "application/json"
        if isinstance(self.body, str):
            return self.body.encode(), "text/plain; charset=utf-8"
        return self.body, "application/octet-stream"


Handler = Callable[[Call, re.Match], Answer]


class FakePlatform:
    """Routes (method, path pattern) to handlers; records every call; serves on a free
    port of 127.0.0.1 until ``stop``."""

    def __init__(self) -> None:
        self.routes: list[tuple[str, re.Pattern, Handler]] = []
        self.requests: list[Call] = []
        #: What the fake answered to each call (the platform's ids of sent messages: the
        #: site keeps only a keyed hash of them).
        self.responses: list[tuple[Call, Answer]] = []
        self._failures: list[Answer] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def route(self, method: str, pattern: str, handler: Handler) -> None:
        self.routes.append((method, re.compile(pattern + "$"), handler))

    def fail_next(self, answer: Answer, times: int = 1) -> None:
        """The next ``times`` calls (to any route) get ``answer`` instead."""
        with self._lock:
            self._failures += [answer] * times

    def calls(self, path_pattern: str = ".*", method: str | None = None) -> list[Call]:
        pattern = re.compile(path_pattern)
        return [c for c in self.requests if pattern.search(c.path) and method in (None, c.method)]

    @property
    def base(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_port}"

    def answer(self, call: Call) -> Answer:
        with self._lock:
            self.requests.append(call)
            if self._failures:
                return self._failures.pop(0)
        answer = Answer(404, {"error": "no such endpoint in the fake platform"})
        for method, pattern, handler in self.routes:
            match = pattern.match(call.path)
            if match and method == call.method:
                answer = handler(call, match)
                break
        with self._lock:
            self.responses.append((call, answer))
        return answer

    def answered(self, path_pattern: str) -> list:
        """The JSON bodies of the successful answers to calls whose path matches."""
        pattern = re.compile(path_pattern)
        return [
            answer.body for call, answer in self.responses
            if pattern.search(call.path) and answer.status < 300 and isinstance(answer.body, dict)
        ]  # fmt: skip

    def start(self) -> FakePlatform:
        fake = self

        class _Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                parts = urlsplit(self.path)
                call = Call(
                    self.command, parts.path, parse_qs(parts.query),
                    {k.lower(): v for k, v in self.headers.items()}, self.rfile.read(length),
                )  # fmt: skip
                answer = fake.answer(call)
                body, content_type = answer.encoded()
                self.send_response(answer.status)
                headers = {"Content-Type": content_type, **answer.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

            def log_message(self, *args) -> None:  # quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
