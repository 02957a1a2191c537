"""Webhook benchmark (issue 19): signed Telegram deliveries posted at a steady rate to the
site under gunicorn (deploy/gunicorn.conf.py) on PostgreSQL, with the queue on Redis.

    .venv/bin/python scripts/bench_channels.py                 # 100 messages/s for 30 s
    .venv/bin/python scripts/bench_channels.py --consumer      # a consumer runs beside it

Open loop: delivery i is due at start + i/rate, whatever happened to the ones before, and
its latency is counted from that moment (a slow answer that holds up the next sends is
counted in theirs too: no coordinated omission). Each answer must be 200.

What the webhook does in the measured time: check the secret token, read the update, store
it once (encrypted) and queue its handling on Redis. Everything else (the inbox message,
the greeting, which posts to a fake Telegram API in this process) is the consumer's. By
default no consumer runs during the measurement, so the figures are the webhook's own;
``--consumer`` runs one on the same machine meanwhile, as a small deployment does.

Then a consumer drains the queue, the sweep (services.sweep, twice) queues again whatever
failed, and every delivery must be in the inbox exactly once. Exit status 1 when p95 is
above ``--limit-ms`` (the issue's 50 ms), a delivery was refused, or one is missing or
doubled in the inbox.

The database (``--database-url``, GOLDENDREAMS_BENCH_DATABASE_URL, or ``bench19`` on the
local server) is created if missing and migrated; a CSO with a catch-all routing rule is
added if it has none. Each run's senders and updates are new: runs can follow each other.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CONFIG = ROOT / "deploy/gunicorn.conf.py"
DEFAULT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/bench19"
BOT_TOKEN = "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11"  # noqa: S105 - the fake's
SECRET_TOKEN = "bench-telegram-secret-token"  # noqa: S105 - the fake's, not a real one
CHAT_BASE = 900_000_000


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=100, help="deliveries per second")
    parser.add_argument("--seconds", type=float, default=30, help="length of the measurement")
    parser.add_argument("--warmup", type=int, default=50, help="deliveries sent first, unmeasured")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("GOLDENDREAMS_BENCH_DATABASE_URL", DEFAULT_DATABASE),
    )
    parser.add_argument("--queue-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--queue-name", help="default: one of the run's own, emptied after")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: the config's)")
    parser.add_argument("--senders", type=int, default=500, help="workers writing in the run")
    parser.add_argument("--threads", type=int, default=64, help="client threads")
    parser.add_argument("--consumer", action="store_true", help="a consumer runs meanwhile")
    parser.add_argument(
        "--consumer-nice",
        type=int,
        default=0,
        help="the consumer's niceness (10: the webhook goes first for the CPU)",
    )
    parser.add_argument("--limit-ms", type=float, default=50, help="the highest p95 allowed")
    parser.add_argument("--drain-timeout", type=float, default=600)
    parser.add_argument("--log", help="gunicorn's and the consumer's log (default: temporary)")
    return parser.parse_args()


# --- the database ---------------------------------------------------------------------------


def prepare_database(url: str) -> None:
    """Create the database if the server has none of that name; migrate it."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        sys.exit("The benchmark measures PostgreSQL: give a postgresql+psycopg:// URL.")
    try:
        create_engine(parsed).connect().close()
    except OperationalError as error:
        if "does not exist" not in str(error):
            sys.exit(f"Cannot reach the database: {error.orig}")
        server = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with server.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
        server.dispose()
        print(f"Created database {parsed.database}.")


def setup_site(env: dict) -> None:
    """Migrate, and give the network a CSO that routing sends every conversation to."""
    os.environ.update(env)
    from flask_migrate import upgrade
    from sqlalchemy import select

    from goldendreams import create_app
    from goldendreams.agencies.models import Organisation
    from goldendreams.cases.models import RoutingRule
    from goldendreams.extensions import db

    with create_app().app_context():
        upgrade(directory=str(ROOT / "migrations"))
        if db.session.scalar(select(RoutingRule.id).limit(1)) is None:
            cso = Organisation(
                kind="ngo", name="Bench Workers' Aid", sort_name="bench workers' aid",
                country="TH", languages=["my", "th"], countries_covered=["TH", "MM"],
            )  # fmt: skip
            db.session.add_all([cso, RoutingRule(cso=cso)])
            db.session.commit()
        db.engine.dispose()


def inbox_check(marker: str, count: int) -> dict:
    """How many of the run's deliveries are in the inbox once, twice, not at all; how many
    deliveries still wait."""
    from sqlalchemy import func, select

    from goldendreams.channels.models import Inbound, InboundState
    from goldendreams.extensions import db
    from goldendreams.inbox.models import Message

    db.session.rollback()
    texts = db.session.scalars(select(Message.text).where(Message.text.like(f"{marker} %")))
    seen: dict[int, int] = {}
    for body in texts:
        number = int(body.split()[1].rstrip(":"))
        seen[number] = seen.get(number, 0) + 1
    pending = db.session.scalar(
        select(func.count(Inbound.id)).where(Inbound.state == InboundState.PENDING)
    )
    db.session.rollback()
    return {
        "in_inbox_once": sum(1 for n in range(count) if seen.get(n) == 1),
        "doubled": sum(1 for times in seen.values() if times > 1),
        "missing": sum(1 for n in range(count) if n not in seen),
        "pending": pending,
    }


# --- the servers ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_site(env: dict, port: int, log) -> subprocess.Popen:
    command = [str(ROOT / ".venv/bin/gunicorn"), "-c", str(CONFIG), "--chdir", str(ROOT),
               "wsgi:app"]  # fmt: skip
    env = env | {"GUNICORN_BIND": f"127.0.0.1:{port}"}
    site = subprocess.Popen(command, env=env, stdout=log, stderr=log, start_new_session=True)
    for _ in range(300):
        if site.poll() is not None:
            sys.exit("gunicorn stopped: see the log")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).close()
            return site
        except OSError:
            time.sleep(0.2)
    stop(site)
    sys.exit("gunicorn did not answer: see the log")


def start_consumer(env: dict, log, nice: int = 0) -> subprocess.Popen:
    command = [str(ROOT / ".venv/bin/flask"), "--app", "goldendreams", "worker", "--no-scheduler"]
    if nice:
        command = ["nice", "-n", str(nice), *command]
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=log,
                            start_new_session=True)  # fmt: skip


def cpu_seconds(*roots: subprocess.Popen | None) -> float:
    """CPU time (user + system) used so far by these processes and their children."""
    tick = os.sysconf("SC_CLK_TCK")
    pids = [root.pid for root in roots if root is not None]
    total = 0.0
    for pid in pids:
        children = Path(f"/proc/{pid}/task/{pid}/children")
        if children.exists():
            pids += [int(child) for child in children.read_text().split()]
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def machine_cpu() -> float:
    """Seconds every core together spent busy since boot (/proc/stat)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")  # not idle


def cpu_figures(before: tuple, site, consumer, count: int, elapsed: float) -> dict:
    cores = os.cpu_count() or 1
    return {
        # The webhook's cost: gunicorn's CPU time per delivery (PostgreSQL's not counted).
        "site_cpu_ms_each": round((cpu_seconds(site) - before[0]) * 1000 / count, 2),
        "consumer_cpu_percent": round((cpu_seconds(consumer) - before[1]) * 100 / elapsed, 1),
        # Everything the machine did meanwhile (other programs too), of all its cores.
        "machine_busy_percent": round((machine_cpu() - before[2]) * 100 / elapsed / cores, 1),
        "cores": cores,
    }


def stop(process: subprocess.Popen | None, sig: int = signal.SIGTERM) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, sig)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# --- the load -------------------------------------------------------------------------------


class Deliveries:
    """The run's signed Telegram updates: delivery n from one of ``senders`` new workers,
    its text marked with the run and n."""

    def __init__(self, port: int, senders: int):
        self.port, self.senders = port, senders
        self.run = secrets.token_hex(4)
        self.marker = f"Bench-{self.run}"
        self.first_update = secrets.randbelow(2**31) * 1_000_000
        self.chat_base = CHAT_BASE + secrets.randbelow(10**8)

    def body(self, n: int) -> bytes:
        chat = self.chat_base + n % self.senders
        return json.dumps({
            "update_id": self.first_update + n,
            "message": {
                "message_id": n + 1,
                "from": {"id": chat, "is_bot": False, "first_name": "A", "language_code": "my"},
                "chat": {"id": chat, "type": "private"},
                "date": int(time.time()),
                "text": f"{self.marker} {n}: my employer keeps my passport and my pay.",
            },
        }).encode()  # fmt: skip

    def post(self, n: int) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("POST", "/channels/telegram/webhook", self.body(n), {
                "Content-Type": "application/json",
                "X-Telegram-Bot-Api-Secret-Token": SECRET_TOKEN,
            })  # fmt: skip
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()


def measure(
    deliveries: Deliveries, first: int, count: int, rate: float, threads: int, limit_ms: float
) -> dict:
    """Post deliveries first..first+count-1, one due every 1/rate s; latencies in ms from
    each one's due time."""
    latencies: list[float] = []
    by_second: dict[int, list[float]] = {}
    errors: dict[str, int] = {}
    lock = threading.Lock()

    def send(n: int, due: float) -> None:
        try:
            status = deliveries.post(n)
        except (OSError, http.client.HTTPException) as error:
            status = type(error).__name__
        took = (time.perf_counter() - due) * 1000
        with lock:
            if status == 200:
                latencies.append(took)
                by_second.setdefault(int(due - start), []).append(took)
            else:
                errors[str(status)] = errors.get(str(status), 0) + 1

    with ThreadPoolExecutor(threads) as pool:
        start = time.perf_counter() + 0.1
        for i in range(count):
            due = start + i / rate
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            pool.submit(send, first + i, due)
    elapsed = time.perf_counter() - start
    latencies.sort()

    def pct(p: float, values: list[float] = latencies) -> float:
        return round(values[min(len(values) - 1, int(p / 100 * len(values)))], 1)

    seconds = {second: pct(95, sorted(values)) for second, values in by_second.items()}
    return {
        "sent": count,
        "ok": len(latencies),
        "errors": errors,
        "rate": round(count / elapsed, 1),
        "p50_ms": pct(50) if latencies else None,
        "p95_ms": pct(95) if latencies else None,
        "p99_ms": pct(99) if latencies else None,
        "max_ms": round(latencies[-1], 1) if latencies else None,
        # Whether slowness was spread out or came in stalls.
        "seconds_over_limit": sum(1 for value in seconds.values() if value > limit_ms),
        "p95_ms_each_second": [
            seconds.get(second) for second in range(max(seconds, default=-1) + 1)
        ],
    }


# --- the run --------------------------------------------------------------------------------


def settings(args, folder: Path, fake_base: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "GOLDENDREAMS_DATABASE_URL": args.database_url,
        "GOLDENDREAMS_SECRET_KEY": "bench-" * 8,
        "GOLDENDREAMS_QUEUE_URL": args.queue_url,
        "GOLDENDREAMS_QUEUE_NAME": args.queue_name,
        "GOLDENDREAMS_TELEGRAM_BOT_TOKEN": BOT_TOKEN,
        "GOLDENDREAMS_TELEGRAM_SECRET_TOKEN": SECRET_TOKEN,
        "GOLDENDREAMS_TELEGRAM_API_BASE": fake_base,
        "GOLDENDREAMS_FILES_URL": str(folder / "files"),
        "GOLDENDREAMS_MAIL_FOLDER": str(folder / "mail"),
        "GOLDENDREAMS_SEARCH_INDEX_PATH": str(folder / "search-index"),
        "GOLDENDREAMS_SESSION_COOKIE_SECURE": "false",
        "GUNICORN_ACCESS_LOG": "-",
        "GUNICORN_MAX_REQUESTS": "0",
    })  # fmt: skip
    if args.workers:
        env["GUNICORN_WORKERS"] = str(args.workers)
    return env


def drain(deliveries: Deliveries, total: int, timeout: float) -> dict:
    """Wait until the queue is empty and the inbox still; sweep twice; wait again."""
    from goldendreams.core.queue import huey

    started = time.perf_counter()

    def settle() -> dict:
        last, since = None, time.perf_counter()
        while time.perf_counter() - started < timeout:
            now = (huey.pending_count(), inbox_check(deliveries.marker, total))
            if now != last:
                last, since = now, time.perf_counter()
            elif now[0] == 0 and time.perf_counter() - since > 2:
                return now[1]
            time.sleep(0.25)
        return last[1]

    before = settle()
    drained_s = time.perf_counter() - started
    from goldendreams.channels import services

    swept = services.sweep() + services.sweep()
    after = settle() if swept else before
    return after | {"drained_s": round(drained_s, 1), "queued_again_by_sweep": swept}


def main() -> int:
    args = arguments()
    args.queue_name = args.queue_name or f"bench-channels-{secrets.token_hex(4)}"
    from tests.channels.fake_platform import FakePlatform
    from tests.channels.fakes import telegram as fake_telegram

    fake = FakePlatform()
    fake_telegram.register(fake, {"TELEGRAM_BOT_TOKEN": BOT_TOKEN})
    fake.start()
    folder = Path(tempfile.mkdtemp(prefix="bench-channels-"))
    env = settings(args, folder, fake.base)
    prepare_database(args.database_url)
    setup_site(env)
    log_path = Path(args.log) if args.log else folder / "servers.log"
    port = free_port()
    deliveries = Deliveries(port, args.senders)
    count = int(args.rate * args.seconds)
    total = args.warmup + count
    site = consumer = None
    from goldendreams import create_app
    from goldendreams.core.queue import huey

    app = create_app()
    context = app.app_context()
    context.push()
    with log_path.open("a") as log:
        try:
            site = start_site(env, port, log)
            if args.consumer:
                consumer = start_consumer(env, log, args.consumer_nice)
                time.sleep(3)  # ready to take tasks as the measurement starts
            for n in range(args.warmup):  # every worker imports, connects, fills its caches
                deliveries.post(n)
            before = cpu_seconds(site), cpu_seconds(consumer), machine_cpu()
            figures = measure(
                deliveries, args.warmup, count, args.rate, args.threads, args.limit_ms
            )
            figures |= cpu_figures(before, site, consumer, count, count / figures["rate"])
            figures["queued_when_done"] = huey.pending_count()
            if consumer is None:
                consumer = start_consumer(env, log)
            figures |= drain(deliveries, total, args.drain_timeout)
            figures["greetings_sent"] = len(fake.calls(r"/sendMessage$", "POST"))
        finally:
            stop(consumer, signal.SIGINT)
            stop(site)
            huey.storage.flush_all()  # the run's queue (its name is the run's)
            context.pop()
            fake.stop()
    figures |= {"consumer_during_measurement": args.consumer, "deliveries": total,
                "consumer_nice": args.consumer_nice,
                "workers": args.workers or "config", "log": str(log_path)}  # fmt: skip
    report(figures, args.limit_ms)
    failed = (
        figures["errors"] or figures["missing"] or figures["doubled"] or figures["pending"]
        or figures["p95_ms"] is None or figures["p95_ms"] > args.limit_ms
    )  # fmt: skip
    return 1 if failed else 0


def report(figures: dict, limit_ms: float) -> None:
    consumer = "no consumer"
    if figures["consumer_during_measurement"]:
        consumer = f"a consumer running (nice {figures['consumer_nice']})"
    print(f"Telegram webhook, {figures['rate']} deliveries/s measured, {consumer}:")
    print(f"  sent {figures['sent']}, answered 200: {figures['ok']}, errors: {figures['errors']}")
    print(f"  latency ms  p50 {figures['p50_ms']}  p95 {figures['p95_ms']}  "
          f"p99 {figures['p99_ms']}  max {figures['max_ms']}  "
          f"(limit p95 {limit_ms:g})")  # fmt: skip
    print(f"  seconds with p95 over the limit: {figures['seconds_over_limit']} of "
          f"{len(figures['p95_ms_each_second'])}")  # fmt: skip
    print(f"  CPU: the site {figures['site_cpu_ms_each']} ms a delivery; the consumer "
          f"{figures['consumer_cpu_percent']} % of a core; the machine (everything on it) "
          f"{figures['machine_busy_percent']} % busy of {figures['cores']} cores")  # fmt: skip
    print(f"  queued when the measurement ended: {figures['queued_when_done']}")
    print(f"  drained in {figures['drained_s']} s: {figures['in_inbox_once']} of "
          f"{figures['deliveries']} in the inbox once, {figures['missing']} missing, "
          f"{figures['doubled']} doubled, {figures['pending']} waiting; queued again by the "
          f"sweep: {figures['queued_again_by_sweep']}; greetings sent: "
          f"{figures['greetings_sent']}")  # fmt: skip
    print(json.dumps(figures))


if __name__ == "__main__":
    sys.exit(main())
