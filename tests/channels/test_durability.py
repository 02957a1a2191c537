"""Nothing a platform handed over is lost: a burst of signed Telegram deliveries posted to the
site under gunicorn (two workers) while the queue's consumer (``flask worker``) is killed
with SIGKILL in the middle; every delivery that got a 200 ends in the inbox exactly once,
every stored delivery is marked done, and each worker has one conversation.

On PostgreSQL the database fails too: once the server ends the site's connections
(``pg_terminate_backend``), and once it "restarts": the site and the new consumer reach it
through a relay in the test (``DatabaseLine``) that cuts all their connections, in the
middle of a query or a commit, and refuses new ones for 1.5 s (a real restart would also
cut everyone else's on a shared test server). The site answers 500 meanwhile.

Like a platform, the senders post each delivery again until it gets a 200, and some twice
on purpose (a platform that did not hear the answer). A killed consumer loses the tasks it
held, and one running while the database is down fails them; the sweep
(``channels.tasks.sweep_deliveries``, every minute in production: a delivery still waiting
at two sweeps is queued again) finds them. Here it runs twice once the queue is drained,
so the test does not wait for the clock. The figures (killed when, how many the sweep
queued again, greetings sent) are printed (``-s``) and kept in GOLDENDREAMS_TEST_ARTIFACTS.

The queue is a SQLite file, and Redis when ``GOLDENDREAMS_TEST_REDIS_URL`` is set; the
database is the tests' (SQLite: one file shared by the gunicorn workers and the consumer).
CI posts ``GOLDENDREAMS_CHANNEL_BURST`` deliveries (default 150).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from huey.storage import RedisStorage, SqliteStorage
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from goldendreams.channels.models import Inbound, InboundState
from goldendreams.config import PROJECT_ROOT
from goldendreams.core.queue import FailedTask
from goldendreams.extensions import db
from goldendreams.inbox.models import Conversation, Delivery, Message, MessageKind
from tests.channels.conftest import CREDENTIALS
from tests.channels.fakes.telegram import update
from tests.factories import network_cso
from tests.live_site import GUNICORN, LiveSite

pytestmark = pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed")

BURST = int(os.environ.get("GOLDENDREAMS_CHANNEL_BURST", "150"))
#: Each worker writes about five times; the first message of each starts a conversation
#: (and its greeting).
SENDERS = max(3, BURST // 5)
#: Deliveries posted per second (paced, so that the burst goes on while no consumer runs).
RATE = 30
THREADS = 8
FLASK = PROJECT_ROOT / ".venv/bin/flask"
PYTHON = PROJECT_ROOT / ".venv/bin/python"
MARKER = re.compile(r"\bkvx(\d{5})\b")
HEADERS = {
    "Content-Type": "application/json",
    "X-Telegram-Bot-Api-Secret-Token": CREDENTIALS["TELEGRAM_SECRET_TOKEN"],
}
SWEEP = (
    "from goldendreams import create_app\n"
    "from goldendreams.channels import services\n"
    "with create_app().app_context():\n"
    "    print(services.sweep() + services.sweep())\n"
)


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


@dataclass
class Burst:
    """What the senders saw."""

    accepted: set[int] = field(default_factory=set)
    refused: Counter = field(default_factory=Counter)  # non-200 answers and errors, retried
    duplicates_sent: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def answered(self) -> int:
        with self.lock:
            return len(self.accepted) + self.duplicates_sent


def delivery(n: int) -> bytes:
    """Delivery n: update n + 1 from sender n % SENDERS, its text marked kvx<n>."""
    chat_id = 880_000_000 + n % SENDERS
    body = update(n + 1, chat_id, text=f"Report kvx{n:05d}. My employer keeps my passport.")
    return json.dumps(body).encode()


def post(port: int, body: bytes) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        connection.request("POST", "/channels/telegram/webhook", body, HEADERS)
        return connection.getresponse().status
    finally:
        connection.close()


def send_until_accepted(port: int, n: int, burst: Burst, duplicate: bool = False) -> None:
    """Post delivery n until it gets a 200 (Telegram retries for a day; here, 25 s)."""
    deadline = time.monotonic() + 25
    while True:
        try:
            status = post(port, delivery(n))
        except (OSError, http.client.HTTPException) as error:
            status = type(error).__name__
        if status == 200:
            with burst.lock:
                if duplicate:
                    burst.duplicates_sent += 1
                else:
                    burst.accepted.add(n)
            return
        with burst.lock:
            burst.refused[str(status)] += 1
        if time.monotonic() > deadline:
            return
        time.sleep(0.2)


class Consumer:
    """``flask worker`` in a process of its own, with the site's settings."""

    def __init__(self, env: dict, log: Path):
        self.env, self.log = env, log
        self.process: subprocess.Popen | None = None

    def start(self) -> Consumer:
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                [str(FLASK), "--app", "goldendreams", "worker", "--workers", "2", "--no-scheduler"],
                env=self.env, cwd=PROJECT_ROOT, stdout=log, stderr=log, start_new_session=True,
            )  # fmt: skip
        return self

    def kill(self) -> None:
        """As the out-of-memory killer or a power cut would: no chance to finish a task."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)  # huey: finish the tasks in hand
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


class DatabaseLine:
    """A TCP relay between PostgreSQL and the site with its consumer, so that the test can
    do to their connections what a restart of the server does, and to nobody else's: cut
    every one (in the middle of a query or a commit) and refuse new ones for a while."""

    def __init__(self, host: str, port: int):
        self.upstream = (host, port)
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.down = threading.Event()
        self.open: set[socket.socket] = set()
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self.server.accept()
            except OSError:
                return  # closed
            try:
                if self.down.is_set():
                    raise OSError("the database is restarting")
                upstream = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self.lock:
                self.open |= {client, upstream}
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            self._cut([source, target])

    def _cut(self, sockets) -> None:
        for sock in sockets:
            with self.lock:
                self.open.discard(sock)
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def stop(self) -> int:
        """Cut every connection and refuse new ones (until ``start``); how many were cut."""
        self.down.set()
        with self.lock:
            cut = list(self.open)
        self._cut(cut)
        return len(cut) // 2

    def start(self) -> None:
        self.down.clear()

    def close(self) -> None:
        self.server.close()
        with self.lock:
            cut = list(self.open)
        self._cut(cut)


def queues() -> list:
    redis_url = os.environ.get("GOLDENDREAMS_TEST_REDIS_URL")
    return [
        "sqlite",
        pytest.param(
            redis_url, id="redis",
            marks=pytest.mark.skipif(not redis_url, reason="GOLDENDREAMS_TEST_REDIS_URL not set"),
        ),
    ]  # fmt: skip


@pytest.fixture(params=queues())
def queue_settings(request, tmp_path):
    name = f"goldendreams-test-{uuid.uuid4().hex[:8]}"
    if request.param == "sqlite":
        path = tmp_path / "queue.db"
        yield {"QUEUE_URL": f"sqlite:///{path}", "QUEUE_NAME": name}
        return
    yield {"QUEUE_URL": request.param, "QUEUE_NAME": name}
    RedisStorage(name, url=request.param).flush_all()  # this test's keys only


def queue_storage(settings: dict):
    url, name = settings["QUEUE_URL"], settings["QUEUE_NAME"]
    if url.startswith("sqlite:///"):
        return SqliteStorage(name, filename=url.removeprefix("sqlite:///"))
    return RedisStorage(name, url=url)


@pytest.fixture
def running(app, platform, tmp_path, database_url, queue_settings):
    """The site (two gunicorn workers) and its settings, the network's CSO with its rule."""
    network_cso()
    url = make_url(database_url)
    tag = f"gd-durability-{uuid.uuid4().hex[:8]}"
    line = None
    if url.get_backend_name() == "postgresql":
        line = DatabaseLine(url.host or "127.0.0.1", url.port or 5432)
        # Through the relay; its connections told apart from anyone else's on the server
        # (pg_stat_activity).
        url = url.set(host="127.0.0.1", port=line.port)
        url = url.update_query_dict({"application_name": tag})
    settings = {
        "DATABASE_URL": url.render_as_string(hide_password=False),
        "SECRET_KEY": app.config["SECRET_KEY"],  # the payloads are encrypted under it
        "TELEGRAM_BOT_TOKEN": CREDENTIALS["TELEGRAM_BOT_TOKEN"],
        "TELEGRAM_SECRET_TOKEN": CREDENTIALS["TELEGRAM_SECRET_TOKEN"],
        "TELEGRAM_API_BASE": platform.base,
        "FILES_URL": str(tmp_path / "files"),
        "MAIL_FOLDER": str(tmp_path / "mail"),
        "SEARCH_BACKEND": app.config["SEARCH_BACKEND"],
        "SEARCH_INDEX_PATH": str(tmp_path / "search-index"),
        **queue_settings,
    }  # fmt: skip
    try:
        with LiveSite(tmp_path / "gunicorn.log", workers=2, **settings) as site:
            site.env["GOLDENDREAMS_SITE_URL"] = site.base
            yield site, tag, line
    finally:
        if line is not None:
            line.close()


def counts() -> dict[str, int]:
    db.session.rollback()  # see what the other processes committed
    worker = select(func.count(Message.id)).where(Message.kind == MessageKind.FROM_WORKER)
    pending = select(func.count(Inbound.id)).where(Inbound.state == InboundState.PENDING)
    return {"inbox": db.session.scalar(worker), "pending": db.session.scalar(pending)}


def cut_connections(tag: str) -> int:
    """What a restart of PostgreSQL does to the site and the consumer: every connection of
    theirs ends, in the middle of whatever it was doing."""
    with db.engine.connect() as connection:
        return len(connection.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                 "WHERE datname = current_database() AND application_name = :tag"),
            {"tag": tag},
        ).all())  # fmt: skip


def drained(storage) -> None:
    """The queue is empty and the inbox has stopped moving for a second and a half."""
    last, since = None, time.monotonic()

    def still() -> bool:
        nonlocal last, since
        now = (storage.queue_size(), counts())
        if now != last:
            last, since = now, time.monotonic()
        return now[0] == 0 and time.monotonic() - since > 1.5

    wait_until(still, 90, "the queue to drain")


def test_a_burst_survives_a_killed_consumer_and_a_database_restart(
    app, running, tmp_path, platform, queue_settings
):
    site, tag, line = running
    on_postgres = db.engine.dialect.name == "postgresql"
    storage = queue_storage(queue_settings)
    started = time.monotonic()
    burst, figures = Burst(), {"sent": BURST, "senders": SENDERS}
    # Every tenth post sends again a delivery of just before, as a platform does when it
    # did not hear the answer in time.
    plan = []
    for n in range(BURST):
        plan.append((n, False))
        if n and n % 10 == 0:
            plan.append((n - 5, True))

    # Whatever the machine's speed, posts after 40 % wait for the kill, and on PostgreSQL
    # the last fifth for the database to be down: each fault falls in the middle of the burst.
    killed, down = threading.Event(), threading.Event()
    gates = [(4 * len(plan) // 10, killed), (8 * len(plan) // 10, down)]
    if not on_postgres:
        down.set()
    first = Consumer(site.env, tmp_path / "consumer-1.log").start()
    second = Consumer(site.env, tmp_path / "consumer-2.log")
    try:
        with ThreadPoolExecutor(THREADS) as pool:
            t0 = time.monotonic()

            def paced(index: int, n: int, duplicate: bool) -> None:
                for at, gate in gates:
                    if index >= at:
                        gate.wait(timeout=120)
                time.sleep(max(0.0, t0 + index / RATE - time.monotonic()))
                send_until_accepted(site.port, n, burst, duplicate)

            futures = [pool.submit(paced, i, n, dup) for i, (n, dup) in enumerate(plan)]
            try:
                # Some deliveries in the inbox, the consumer busy with others: kill it.
                wait_until(lambda: counts()["inbox"] >= max(3, BURST // 5), 60, "a consumer")
                first.kill()
                killed.set()
                figures["inbox_when_killed"] = counts()["inbox"]
                if on_postgres:  # the server ends the site's connections
                    wait_until(lambda: burst.answered >= len(plan) // 2, 60, "half answered")
                    figures["connections_ended"] = cut_connections(tag)
                # The burst goes on with no consumer; another starts before its end.
                wait_until(lambda: burst.answered >= 6 * len(plan) // 10, 60, "60 % answered")
                second.start()
                if on_postgres:  # the server restarts: down for a second and a half
                    wait_until(lambda: burst.answered >= 3 * len(plan) // 4, 60, "75 % answered")
                    figures["connections_cut_by_restart"] = line.stop()
                    down.set()
                    time.sleep(1.5)
                    line.start()
            finally:
                killed.set()
                down.set()
                if line is not None:
                    line.start()
            for future in futures:
                future.result(timeout=90)
        # The platform sends a few again long after (its retries after a timeout).
        for n in range(0, min(BURST, 5)):
            send_until_accepted(site.port, n, burst, duplicate=True)

        drained(storage)
        figures["pending_after_drain"] = counts()["pending"]
        sweep = subprocess.run(
            [str(PYTHON), "-c", SWEEP], env=site.env, cwd=PROJECT_ROOT,
            capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
        figures["queued_again_by_sweep"] = int(sweep.stdout.split()[-1])
        wait_until(lambda: counts()["pending"] == 0, 60, "the swept deliveries")
        drained(storage)
    finally:
        first.stop()
        second.stop()

    db.session.rollback()
    texts = db.session.scalars(
        select(Message.text).where(Message.kind == MessageKind.FROM_WORKER)
    ).all()
    in_inbox = Counter(int(MARKER.search(body).group(1)) for body in texts)
    assert burst.accepted == set(range(BURST)), f"refused for good: {burst.refused}"
    twice = {n: count for n, count in in_inbox.items() if count > 1}
    assert not twice, f"in the inbox more than once: {twice}"
    missing = burst.accepted - set(in_inbox)
    assert not missing, f"accepted, not in the inbox: {sorted(missing)}"
    assert set(in_inbox) <= burst.accepted
    states = dict(db.session.execute(
        select(Inbound.state, func.count(Inbound.id)).group_by(Inbound.state)
    ).all())  # fmt: skip
    assert states == {InboundState.DONE: BURST}, states
    conversations = db.session.scalar(select(func.count(Conversation.id)))
    assert conversations == SENDERS, "a worker's messages went to two conversations"
    if on_postgres:  # the restart happened during the burst: the platform had to retry
        assert burst.refused, "no delivery was refused while the database was down"

    figures.update({
        "accepted": len(burst.accepted), "duplicates_sent": burst.duplicates_sent,
        "refused_then_retried": dict(burst.refused), "in_inbox": len(in_inbox),
        "conversations": conversations,
        "greetings_stored": db.session.scalar(
            select(func.count(Message.id)).where(Message.kind == MessageKind.TO_WORKER)
        ),
        "greetings_sent": len(platform.calls(r"/sendMessage$", "POST")),
        "conversations_without_greeting": conversations - db.session.scalar(
            select(func.count(func.distinct(Message.conversation_id)))
            .where(Message.kind == MessageKind.TO_WORKER)
        ),
        # A reply's task the killed consumer held is lost: nothing sweeps those (yet).
        "replies_left_queued": db.session.scalar(
            select(func.count(Message.id)).where(Message.delivery == Delivery.QUEUED)
        ),
        "failed_tasks": db.session.scalar(select(func.count(FailedTask.id))),
        "database": db.engine.dialect.name, "queue": queue_settings["QUEUE_URL"].split(":")[0],
        "seconds": round(time.monotonic() - started, 1),
    })  # fmt: skip
    print(f"\nchannel burst: {json.dumps(figures)}")
    folder = os.environ.get("GOLDENDREAMS_TEST_ARTIFACTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        name = f"durability-channels-{figures['database']}-{figures['queue']}.json"
        Path(folder, name).write_text(json.dumps(figures, indent=1))
