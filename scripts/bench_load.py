"""Load benchmark: the site under gunicorn (deploy/gunicorn.conf.py, as in production) driven
by wrk from another process, against a one-view Flask "hello" app under the same settings.

    .venv/bin/python scripts/bench_data.py --search-backend postgres \
        --database postgresql+psycopg://postgres@127.0.0.1:5432/bench
    .venv/bin/python scripts/bench_load.py --search-backend postgres \
        --database postgresql+psycopg://postgres@127.0.0.1:5432/bench

Needs wrk (Debian: ``apt-get install wrk``) and a database filled by scripts/bench_data.py.
For each page it runs wrk flat out (requests per second, ratio to hello), then paced at
``--rate`` requests per second (p50/p95/p99 latency at a steady load), samples every
worker's resident memory, and weighs the page (gzip of the HTML plus the stylesheet). The
review form is posted with its CSRF token (the review rate limit is lifted for the run;
each stored review is counted in the database afterwards). Then the caseworkers' inbox
(scripts/bench_inbox_load.py), logged in as a caseworker of the busiest CSO, paced at
``--inbox-rate`` (the issue's 20 requests per second): the list, the list filtered, a
conversation, and a reply posted (deleted afterwards). ``--pages inbox`` measures only
those (and hello). Results: a JSON file and a Markdown table in ``--out``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import bench_inbox_load

SITE_PORT, HELLO_PORT = 8100, 8101
CONFIG = ROOT / "deploy/gunicorn.conf.py"
LUA = ROOT / "scripts/wrk_report.lua"


def site_env(args) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "GOLDENDREAMS_DATABASE_URL": args.database,
        "GOLDENDREAMS_SEARCH_BACKEND": args.search_backend,
        "GOLDENDREAMS_SEARCH_INDEX_PATH": args.search_index,
        "GOLDENDREAMS_SECRET_KEY": "bench-" * 8,
        "GOLDENDREAMS_SESSION_COOKIE_SECURE": "false",
        "GOLDENDREAMS_REVIEW_RATE_LIMIT": "1000000 per hour",
        "GOLDENDREAMS_WRITE_RATE_LIMIT": "1000000 per hour",
        "GOLDENDREAMS_SEARCH_RATE_LIMIT": "1000000 per minute",
        "GUNICORN_ACCESS_LOG": "/dev/null" if args.quiet_log else "-",
        # No periodic restarts: they would empty the page cache at random moments and keep
        # every worker too young to show its full memory.
        "GUNICORN_MAX_REQUESTS": "0",
    })  # fmt: skip
    if args.redis:
        env["GOLDENDREAMS_RATELIMIT_STORAGE_URI"] = args.redis
    if args.workers:
        env["GUNICORN_WORKERS"] = str(args.workers)
    if args.page_cache is not None:
        env["GOLDENDREAMS_PAGE_CACHE_SECONDS"] = str(args.page_cache)
    return env


def start(app: str, port: int, env: dict, log) -> subprocess.Popen:
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            sys.exit(f"Port {port} is taken (an earlier run's server?): stop it first.")
    env = env | {"GUNICORN_BIND": f"127.0.0.1:{port}"}
    command = [str(ROOT / ".venv/bin/gunicorn"), "-c", str(CONFIG), "--chdir", str(ROOT), app]
    server = subprocess.Popen(command, env=env, stdout=log, stderr=log, start_new_session=True)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return server
        except urllib.error.HTTPError:
            return server  # it answers (the hello app has no "/")
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit(f"gunicorn did not start on port {port}: see the log")


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def children(pid: int) -> list[str]:
    """A process's children: from /proc's children list, or by scanning every process's
    parent where the kernel has no such list."""
    listed = Path(f"/proc/{pid}/task/{pid}/children")
    if listed.exists():
        return listed.read_text().split()
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == str(pid):
            found.append(stat.parent.name)
    return found


class MemoryWatch(threading.Thread):
    """The largest resident set any worker of a gunicorn master had (VmHWM), and the largest
    private part of it (RssAnon: without mapped files such as a Whoosh index, which the
    kernel shares and can drop), sampled every 0.2 s."""

    def __init__(self, master: int):
        super().__init__(daemon=True)
        self.master, self.peak, self.private, self.running = master, 0, 0, True

    def run(self) -> None:
        while self.running:
            for pid in children(self.master):
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                found = re.search(r"VmHWM:\s+(\d+) kB", status)
                if found:
                    self.peak = max(self.peak, int(found.group(1)) * 1024)
                found = re.search(r"RssAnon:\s+(\d+) kB", status)
                if found:
                    self.private = max(self.private, int(found.group(1)) * 1024)
            time.sleep(0.2)


def wrk(url: str, seconds: int, connections: int, delay_ms: int = 0, **lua_env) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        env = dict(os.environ, WRK_REPORT=report.name, WRK_DELAY_MS=str(delay_ms))
        env.update({f"WRK_{key.upper()}": value for key, value in lua_env.items()})
        subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", str(LUA), url],
            env=env, check=True, capture_output=True, timeout=seconds + 60,
        )  # fmt: skip
        result = json.loads(Path(report.name).read_text())
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


THAI = ("นายจ้าง ค่าจ้าง", "หนังสือเดินทาง", "ดอกเบี้ย", "ถุงมือ", "จังหวัด", "ตำรวจ", "ค่าธรรมเนียม",
        "สัญญาจ้าง", "วันหยุด", "ล่วงเวลา")  # fmt: skip
ENGLISH = ("passport fees", "gloves", "interest", "provinces", "renewing permits", "tourist visa",
           "seafood", "contract", "overtime", "Samut Sakhon")  # fmt: skip


def pick_pages(args) -> dict[str, list[str]]:
    """The paths of each page kind over the benchmark data: the 200 organisations with the
    most reviews, 200 open jobs, filters that match, ten searches per language."""
    os.environ.update(site_env(args))
    from sqlalchemy import func, select

    from goldendreams import create_app
    from goldendreams.agencies.models import Organisation
    from goldendreams.extensions import db
    from goldendreams.jobs.models import Job
    from goldendreams.reviews.models import OrganisationScore
    from goldendreams.rights.models import Article

    with create_app().app_context():
        inbox = bench_inbox_load.pick() if args.pages != "public" else None
        orgs = db.session.scalars(
            select(OrganisationScore.organisation_id)
            .order_by(OrganisationScore.review_count.desc())
            .limit(200)
        ).all()
        jobs = db.session.scalars(
            select(Job.id)
            .where(Job.status == "published", Job.deadline > func.now())
            .order_by(Job.id)
            .limit(200)
        ).all()
        slugs = db.session.scalars(select(Article.slug).where(Article.status == "published")).all()
        sectors = db.session.scalars(select(Job.sector).distinct()).all()
        listed = db.session.execute(
            select(Organisation.kind, Organisation.country)
            .where(Organisation.kind != "buyer")
            .distinct()
            .order_by(Organisation.kind, Organisation.country)
        ).all()
    quote = urllib.parse.quote
    return {
        "home": ["/"],
        "directory (filtered)": [
            f"/directory/?kind={kind}&country={country}" for kind, country in listed
        ],
        "organisation": [f"/organisations/{org}" for org in orgs],
        "jobs (filtered)": [
            f"/jobs/?country={country}&sector={sector}"
            for country in ("TH", "MY") for sector in sectors if sector
        ],
        "job": [f"/jobs/{job}" for job in jobs],
        "search (Thai)": [f"/search?q={quote(q)}" for q in THAI],
        "search (English)": [f"/search?q={quote(q)}" for q in ENGLISH],
        "article": [f"/rights/{slug}" for slug in slugs],
        "metrics": ["/metrics"],
        "_review_form": [f"/organisations/{orgs[0]}/review"],
        "_inbox": inbox,
    }  # fmt: skip


def review_post(base: str, form_path: str) -> tuple[str, str]:
    """A valid review form's body and the session cookie its CSRF token belongs to."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + form_path).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({
        "csrf_token": token, "rating": "4", "relationship_kind": "former", "year": "2025",
        "title": "Fair agency, clear costs",
        "body": "They explained every fee before I signed. The job was what they promised.",
    })  # fmt: skip
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    answer = opener.open(base + form_path, data=body.encode()).read().decode()
    if "csrf_token" in answer and 'name="title"' in answer:
        sys.exit("The review form did not accept the benchmark's review: check its fields.")
    return body, cookie


def newest_review() -> int:
    from sqlalchemy import func, select

    from goldendreams import create_app
    from goldendreams.extensions import db
    from goldendreams.reviews.models import Review

    with create_app().app_context():
        return db.session.scalar(select(func.max(Review.id))) or 0


def remove_reviews_after(review_id: int) -> int:
    """Delete the reviews the run posted (the next run starts from the same data)."""
    from sqlalchemy import delete

    from goldendreams import create_app
    from goldendreams.extensions import db
    from goldendreams.reviews.models import Review

    with create_app().app_context():
        removed = db.session.execute(delete(Review).where(Review.id > review_id)).rowcount
        db.session.commit()
        return removed


def weigh(base: str, paths: list[str], css: bytes, opener=None) -> int:
    """The heaviest of these pages with the stylesheet, each gzipped (level 6, as the app
    and our nginx example do)."""
    opener = opener or urllib.request.build_opener()
    pages = (opener.open(base + path).read() for path in paths)
    return max(len(gzip.compress(html, 6)) for html in pages) + len(gzip.compress(css, 6))


def measure(name, base, paths, args, hello_rps, rate=None, **lua_env) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as listed:
        listed.write("\n".join(paths) + "\n")
        listed.flush()
        url = base + paths[0]
        lua_env["paths"] = listed.name
        warm = wrk(url, 2, args.connections, **lua_env)  # warm up: caches, connections, imports
        flat = wrk(url, args.seconds, args.connections, **lua_env)
        # Paced: each connection sends, waits for the answer, then waits ``delay``; the
        # delay is set from a short trial so that together they send about --rate a second.
        rate = rate or args.rate
        connections = max(1, rate // 10)
        period = connections * 1000 / rate
        trial = wrk(url, 3, connections, delay_ms=int(period), **lua_env)
        # A server slower than the period cannot reach the rate: it is then measured at
        # what it manages, never flat out.
        delay = max(int(period / 2), int(period - trial["p50"] / 1000))
        paced = wrk(url, args.seconds, connections, delay_ms=delay, **lua_env)
    row = {
        "page": name,
        "url": url,
        "pages": len(paths),
        "rps": round(flat["rps"], 1),
        "ratio": round(flat["rps"] / hello_rps, 2) if hello_rps else None,
        "paced_rps": round(paced["rps"], 1),
        **{f"{p}_ms": round(paced[p] / 1000, 1) for p in ("p50", "p95", "p99")},
        "flat_p95_ms": round(flat["p95"] / 1000, 1),
        "rate": rate,
        "errors": sum(
            run["socket_errors"] + run["bad_status"] for run in (warm, flat, trial, paced)
        ),
        "sent": warm["requests"] + flat["requests"] + trial["requests"] + paced["requests"],
    }
    print(json.dumps(row, ensure_ascii=False), flush=True)
    return row


def measure_inbox(base: str, inbox: dict, args, hello_rps: float, css: bytes) -> list[dict]:
    """The inbox pages and a reply, as a caseworker of the busiest CSO, at --inbox-rate."""
    from goldendreams import create_app

    opener, jar = bench_inbox_load.log_in(base, inbox["email"])
    pages = {
        "inbox": bench_inbox_load.follow_pages(opener, base),
        "inbox (filtered)": inbox["inbox (filtered)"],
        "conversation": inbox["conversation"],
    }
    rows = []
    for name, paths in pages.items():
        cookie = bench_inbox_load.cookie_of(jar)
        row = measure(name, base, paths, args, hello_rps, args.inbox_rate, cookie=cookie)
        row["gzip_kb"] = round(weigh(base, paths, css, opener) / 1024, 1)
        rows.append(row)
    with create_app().app_context():
        newest, saved = bench_inbox_load.snapshot(inbox["_open_web"] + inbox["_worker"])
        try:
            body = bench_inbox_load.reply_body(
                opener, base, inbox["conversation"][0], inbox["_reply"][0]
            )
            cookie = bench_inbox_load.cookie_of(jar)
            reply = measure(
                "post a reply", base, inbox["_reply"], args, None, args.inbox_rate,
                body=body, cookie=cookie,
            )  # fmt: skip
            time.sleep(1)  # the requests wrk gave up on at its deadline finish here
            bodies, cookie = bench_inbox_load.worker_bodies(base, inbox["_worker"])
            with tempfile.NamedTemporaryFile("w", suffix=".txt") as listed:
                listed.write("\n".join(bodies) + "\n")
                listed.flush()
                write = measure(
                    "worker writes (code)", base, ["/check/write"], args, None,
                    args.inbox_rate, bodies=listed.name, cookie=cookie,
                )  # fmt: skip
            time.sleep(1)
        finally:
            posted = bench_inbox_load.restore(newest, saved)
    # Less the reply and the message the checks posted.
    reply["replies"], reply["inbox_rows"] = posted - 2, inbox["rows"]
    rows += [reply, write]
    return rows


def table(rows: list[dict], meta: dict) -> str:
    lines = [
        f"Load benchmark, {meta['when']}: {meta['database']}, search {meta['search']}, "
        f"{meta['workers']} sync workers (never restarted), {meta['cpus']} cores, "
        f"page cache {meta['page_cache']}; "
        f"wrk {meta['seconds']} s per run, "
        f"{meta['connections']} connections flat out, then paced at {meta['rate']} requests/s"
        + (f" (the inbox at {meta['inbox_rate']})" if meta.get("inbox_rate") else "")
        + ". "
        f"Peak RSS per worker: {meta['peak_rss_mb']} MB, of it private "
        f"{meta['peak_private_mb']} MB (hello: {meta['hello_rss_mb']} MB).",
        "",
        "| page (addresses) | req/s | x hello | p50 ms | p95 ms | p99 ms | at req/s | gzip KB "
        "| errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['page']} ({r['pages']}) | {r['rps']} | "
            f"{r['ratio'] if r['ratio'] is not None else ''} | "
            f"{r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | {r['paced_rps']} | "
            f"{r.get('gzip_kb', '')} | {r['errors']} |"
        )
    posted = next((r for r in rows if "stored" in r), None)
    if posted:
        lines += [
            "",
            f"Reviews posted: {posted['sent']} answered, {posted['stored']} stored (a few more "
            "than answered: wrk stops counting at its deadline while the last requests are "
            "still being served). The run deletes them afterwards.",
        ]
    replied = next((r for r in rows if "replies" in r), None)
    if replied:
        lines += [
            "",
            f"Inbox: logged in as a caseworker of the CSO with most conversations "
            f"({replied['inbox_rows']:,} of them), paced at {replied['rate']} requests/s. "
            f"Replies and workers' messages posted: {replied['sent'] + rows[-1]['sent']} "
            f"answered, {replied['replies']} stored; the run deletes them afterwards.",
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--search-backend", default="whoosh", choices=("whoosh", "postgres"))
    parser.add_argument("--search-index", default=str(ROOT / "instance/bench-search-index"))
    parser.add_argument("--redis", help="rate-limit storage, e.g. redis://127.0.0.1:6379/14")
    parser.add_argument("--workers", type=int, help="default: the gunicorn settings' own")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rate", type=int, default=50)
    parser.add_argument("--out", default=str(ROOT / "bench-results"))
    parser.add_argument(
        "--page-cache", type=int, help="seconds anonymous pages are reused (0: every request "
        "renders its page, the worst case); default: the site's own setting"
    )  # fmt: skip
    parser.add_argument("--quiet-log", action="store_true", help="send the access log nowhere")
    parser.add_argument("--pages", default="all", choices=("all", "public", "inbox"))
    parser.add_argument("--inbox-rate", type=int, default=20, help="the inbox's paced rate")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    if not (ROOT / ".venv/bin/gunicorn").exists():
        sys.exit("gunicorn is missing: scripts/setup.sh prod")

    pages = pick_pages(args)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    env = site_env(args)
    with open(out / "gunicorn.log", "w") as log:
        hello = start("scripts.bench_hello:app", HELLO_PORT, env, log)
        hello_watch = MemoryWatch(hello.pid)
        hello_watch.start()
        hello_base = f"http://127.0.0.1:{HELLO_PORT}"
        hello_row = measure("hello (ceiling)", hello_base, ["/hello"], args, 0)
        hello_watch.running = False
        stop(hello)

        site = start("wsgi:app", SITE_PORT, env, log)
        base = f"http://127.0.0.1:{SITE_PORT}"
        watch = MemoryWatch(site.pid)
        watch.start()
        css = urllib.request.urlopen(base + "/static/style.css").read()
        rows = [hello_row]
        try:
            for name, paths in pages.items():
                if name.startswith("_") or args.pages == "inbox":
                    continue
                row = measure(name, base, paths, args, hello_row["rps"])
                row["gzip_kb"] = round(weigh(base, paths, css) / 1024, 1)
                rows.append(row)
            if args.pages != "inbox":
                form = pages["_review_form"]
                before = newest_review()
                body, cookie = review_post(base, form[0])
                row = measure("post a review", base, form, args, None, body=body, cookie=cookie)
                time.sleep(1)  # the requests wrk gave up on at its deadline finish here
                row["stored"] = remove_reviews_after(before) - 1  # less review_post's own
                rows.append(row)
            if pages["_inbox"]:
                rows += measure_inbox(base, pages["_inbox"], args, hello_row["rps"], css)
        finally:
            watch.running = False
            stop(site)
    meta = {
        "when": time.strftime("%Y-%m-%d"),
        "database": args.database.split("://")[0].split("+")[0],
        "search": args.search_backend,
        "workers": env.get("GUNICORN_WORKERS") or os.cpu_count() * 2 + 1,
        "cpus": os.cpu_count(),
        "seconds": args.seconds,
        "connections": args.connections,
        "rate": args.rate,
        "inbox_rate": args.inbox_rate if args.pages != "public" else None,
        "page_cache": "off" if args.page_cache == 0 else "on",
        "peak_rss_mb": round(watch.peak / 2**20, 1),
        "peak_private_mb": round(watch.private / 2**20, 1),
        "hello_rss_mb": round(hello_watch.peak / 2**20, 1),
    }
    name = f"load-{meta['database']}" + ("-no-page-cache" if args.page_cache == 0 else "")
    (out / f"{name}.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=1))
    (out / f"{name}.md").write_text(table(rows, meta))
    print(table(rows, meta))


if __name__ == "__main__":
    main()
