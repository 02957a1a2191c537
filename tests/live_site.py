"""The site under gunicorn, as in production (deploy/gunicorn.conf.py), for tests that need
real worker processes: killing one, restarting, several servers sharing Redis.

`LiveSite` starts and stops one gunicorn master; `Browser` is a cookie-keeping client that
sends forms with their CSRF token, as a phone's browser would.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from goldendreams.config import PROJECT_ROOT
from tests.conftest import code_after
from tests.factories import TOTP_SECRET

GUNICORN = PROJECT_ROOT / ".venv/bin/gunicorn"
CONFIG = PROJECT_ROOT / "deploy/gunicorn.conf.py"
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
TRACKING_CODE = re.compile(r'class="code" translate="no">([^<]+)<')
#: The code step of a login, the key shown when setting up two-step login, and the last
#: TOTP step each test login used (per site and email: a step is never accepted twice).
_CODE_PAGE = 'autocomplete="one-time-code"'
_SECRET = re.compile(r'class="code secret" translate="no">([A-Z2-7 ]+)<')
_LAST_STEPS: dict[tuple[str, str], int] = {}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveSite:
    """One gunicorn master with its workers, on a free port, with these settings
    (``GOLDENDREAMS_`` names without the prefix)."""

    def __init__(self, log: Path, workers: int = 3, **settings):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log
        self.env = dict(os.environ)
        self.env.update({f"GOLDENDREAMS_{name}": str(value) for name, value in settings.items()})
        self.env.update({
            "GOLDENDREAMS_SESSION_COOKIE_SECURE": "false",  # plain http on loopback
            "GOLDENDREAMS_PAGE_CACHE_SECONDS": "0",
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(workers),
            "GUNICORN_MAX_REQUESTS": "0",
            "GUNICORN_ACCESS_LOG": "-",
        })  # fmt: skip
        self.process: subprocess.Popen | None = None

    def start(self) -> LiveSite:
        command = [str(GUNICORN), "-c", str(CONFIG), "--chdir", str(PROJECT_ROOT), "wsgi:app"]
        with self.log_path.open("a") as log:
            self.process = subprocess.Popen(
                command, env=self.env, stdout=log, stderr=log, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: {self.log_path.read_text()[-3000:]}")
            try:
                urllib.request.urlopen(self.base + "/", timeout=5).close()  # noqa: S310
                return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer: {self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def workers(self) -> list[int]:
        pid = self.process.pid
        listed = Path(f"/proc/{pid}/task/{pid}/children")
        if listed.exists():
            return [int(child) for child in listed.read_text().split()]
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                if stat.read_text().rsplit(")", 1)[1].split()[1] == str(pid):
                    found.append(int(stat.parent.name))
            except (OSError, IndexError):
                continue
        return found

    def kill_a_worker(self) -> int:
        """SIGKILL one worker, as the kernel's out-of-memory killer or a crash would."""
        victim = self.workers()[0]
        os.kill(victim, signal.SIGKILL)
        return victim

    def _client_sockets(self) -> set[str]:
        """The sockets (``socket:[inode]``) of connections to the site accepted by a worker:
        ESTABLISHED, local port ours (ones still in the listen queue have inode 0)."""
        found = set()
        with open("/proc/net/tcp") as table:
            next(table)
            for line in table:
                fields = line.split()
                local, state, inode = fields[1], fields[3], fields[9]
                ours = int(local.rsplit(":", 1)[1], 16) == self.port
                if state == "01" and ours and inode != "0":
                    found.add(f"socket:[{inode}]")
        return found

    def serving(self, pid: int) -> bool:
        """Whether this worker holds a client's connection: a request in flight (gunicorn's
        sync workers close it once the response is sent)."""
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
            links = {os.readlink(f"/proc/{pid}/fd/{fd}") for fd in fds}
        except OSError:  # gone, or a descriptor closed while we looked
            return False
        return bool(links & self._client_sockets())

    def kill_a_worker_in_flight(self, patience: float = 10.0) -> int | None:
        """SIGKILL a worker in the middle of a request. A worker seen serving is first
        stopped (SIGSTOP), so it cannot finish while we look again; if it still holds the
        connection it is killed, else let go and another is tried. None: no worker was
        caught serving within ``patience`` seconds."""
        deadline = time.monotonic() + patience
        while time.monotonic() < deadline:
            for pid in self.workers():
                if not self.serving(pid):
                    continue
                os.kill(pid, signal.SIGSTOP)
                if self.serving(pid):
                    os.kill(pid, signal.SIGKILL)
                    return pid
                os.kill(pid, signal.SIGCONT)
            time.sleep(0.001)
        return None

    def __enter__(self) -> LiveSite:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class Browser:
    """A client with its own cookies that fills in forms with their CSRF token."""

    def __init__(self, base: str, headers: dict | None = None):
        self.base = base
        self.headers = headers or {}
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def open(self, path: str, data: dict | None = None) -> tuple[int, str]:
        """Status and page; redirects are followed. Network errors are raised."""
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        url = self.base + path  # always http://127.0.0.1:<port>/...
        request = urllib.request.Request(url, data=body, headers=self.headers)  # noqa: S310
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def submit(self, path: str, data: dict, form_page: str | None = None) -> tuple[int, str]:
        """Open the form's page, then post ``data`` with the page's CSRF token."""
        status, page = self.open(form_page or path)
        token = _CSRF.search(page)
        if status != 200 or token is None:
            raise RuntimeError(f"no form at {form_page or path}: {status}")
        return self.open(path, {**data, "csrf_token": token.group(1)})

    def login(self, email: str, password: str, totp_secret: str = TOTP_SECRET) -> None:
        """Log in; with a code of ``totp_secret`` when the site asks for one (the factory
        users' key by default), after setting up two-step login when it must be."""
        status, page = self.submit("/login", {"email": email, "password": password})
        if status == 200 and _CODE_PAGE in page and not _SECRET.search(page):
            code = self._code(email, totp_secret)
            status, page = self.submit("/login/code", {"code": code})
        secret = _SECRET.search(page)
        if status == 200 and secret:  # a role that must set it up first
            totp_secret = secret.group(1).replace(" ", "")
            code = self._code(email, totp_secret)
            status, page = self.submit(
                "/staff/two-factor/confirm", {"code": code}, "/staff/two-factor"
            )
        if status != 200 or "/logout" not in page:
            raise RuntimeError(f"login failed: {status}")

    def _code(self, email: str, secret: str) -> str:
        """A code for a step later than the last one this test sent for ``email`` here."""
        code, _LAST_STEPS[self.base, email] = code_after(
            secret, _LAST_STEPS.get((self.base, email), 0)
        )
        return code
