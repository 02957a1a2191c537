"""The caseworkers' inbox in the load benchmark (scripts/bench_load.py runs it): which pages
it opens, how it logs in, and what it posts.

A caseworker of the busiest CSO (the one with most conversations in the benchmark data)
logs in the way people do: password, then the code of their second factor (the bench
caseworkers' key is in scripts/bench_inbox.py). wrk then sends that session's cookie with
every request. Pages: the inbox and the pages after it (following its "older" links), the
inbox filtered as caseworkers filter it (a state with a language, a channel, a topic,
urgent ones, their own, an issue), 200 conversations (the most recently active, the rest
at random) and a reply posted to 200 open conversations of the site (a reply to a
messaging app would queue an outbound message). Then workers write again with their codes
(/check/write, the code in the form as always) in 200 other open conversations, and get
their thread back. The messages posted are deleted afterwards and the conversations put
back as they were (the audit log keeps the replies' rows: it is append-only).
"""

from __future__ import annotations

import html
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

from scripts import bench_inbox

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
OLDER = re.compile(r'href="([^"]*[?&]older=[^"]+)"')
REPLY = "Thank you for writing. Your employer must pay the minimum wage; we call them today."


def pick(rng_seed: int = 18) -> dict:
    """The busiest CSO, its caseworker's email, and the inbox's addresses (without those
    that need a logged-in page: see ``follow_pages``). Needs an app context."""
    import random

    from sqlalchemy import func, select

    from goldendreams.cases.models import IssueCategory
    from goldendreams.extensions import db
    from goldendreams.inbox.models import Conversation, conversation_categories

    rng = random.Random(rng_seed)
    owner = db.session.scalar(
        select(Conversation.owner_id)
        .group_by(Conversation.owner_id)
        .order_by(func.count().desc(), Conversation.owner_id)
        .limit(1)
    )
    if owner is None:
        sys.exit("The database has no conversations: run scripts/bench_data.py first.")
    mine = select(Conversation.id).where(Conversation.owner_id == owner)
    recent = db.session.scalars(
        mine.order_by(Conversation.last_activity_on.desc(), Conversation.id.desc()).limit(100)
    ).all()
    every = db.session.scalars(mine.order_by(Conversation.id)).all()
    others = rng.sample(sorted(set(every) - set(recent)), min(100, len(every) - len(recent)))
    open_web = db.session.scalars(
        mine.where(Conversation.state != "closed", Conversation.channel == "web")
        .order_by(Conversation.last_activity_on.desc(), Conversation.id.desc())
        .limit(200)
    ).all()
    # Workers of other open conversations of the site write with their codes.
    workers = db.session.scalars(
        select(Conversation.id)
        .where(
            Conversation.state != "closed",
            Conversation.code_hash.is_not(None),
            Conversation.urgent.is_(False),  # an urgent one mails its CSO at each message
            Conversation.id.not_in(open_web),
        )
        .order_by(Conversation.last_activity_on.desc(), Conversation.id.desc())
        .limit(200)
    ).all()
    languages = db.session.scalars(
        select(Conversation.language)
        .where(Conversation.owner_id == owner)
        .group_by(Conversation.language)
        .order_by(func.count().desc())
        .limit(2)
    ).all()
    issue = db.session.scalar(
        select(IssueCategory.code)
        .join(conversation_categories)
        .group_by(IssueCategory.code)
        .order_by(func.count().desc())
        .limit(1)
    )
    email = bench_inbox.caseworker_email(owner)
    filtered = [
        f"/inbox/?state={state}&language={language}"
        for state in ("new", "waiting_for_us", "waiting_for_worker", "closed")
        for language in languages
    ] + [
        "/inbox/?state=waiting_for_us",
        "/inbox/?channel=whatsapp",
        "/inbox/?channel=line&state=waiting_for_worker",
        "/inbox/?topic=recruitment",
        "/inbox/?topic=emergency&state=closed",
        "/inbox/?urgent=1",
        "/inbox/?country=MY",
        "/inbox/?assignee=nobody&state=new",
        "/inbox/?assignee=me",
        f"/inbox/?issue={issue}",
    ]  # fmt: skip
    return {
        "owner": owner,
        "rows": len(every),
        "email": email,
        "inbox (filtered)": filtered,
        "conversation": [f"/inbox/{number}" for number in [*recent, *others]],
        "_reply": [f"/inbox/{number}/reply" for number in open_web],
        "_open_web": list(open_web),
        "_worker": list(workers),
    }


def opener_for(jar: CookieJar) -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def token(page: str) -> str:
    found = CSRF.search(page)
    if found is None:
        sys.exit("No CSRF token on the page: did the login or the page change?")
    return found.group(1)


def log_in(base: str, email: str) -> tuple[urllib.request.OpenerDirector, CookieJar]:
    """A caseworker's session: email and password, then the app's code."""
    import pyotp

    jar = CookieJar()
    opener = opener_for(jar)
    page = opener.open(base + "/login").read().decode()
    form = {"csrf_token": token(page), "email": email, "password": bench_inbox.PASSWORD}
    answer = opener.open(base + "/login", data=urllib.parse.urlencode(form).encode())
    page = answer.read().decode()
    if "/login/code" not in answer.geturl():
        sys.exit(f"The password step of {email} did not lead to the code step.")
    code = pyotp.TOTP(bench_inbox.TOTP_SECRET).now()
    form = {"csrf_token": token(page), "code": code}
    answer = opener.open(base + "/login/code", data=urllib.parse.urlencode(form).encode())
    if "/login" in urllib.parse.urlsplit(answer.geturl()).path:
        sys.exit(f"The code step of {email} failed (twice in 30 seconds? wait and retry).")
    return opener, jar


def cookie_of(jar: CookieJar) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def follow_pages(opener, base: str, count: int = 10) -> list[str]:
    """The inbox and the pages after it, as its "older" links lead."""
    paths, path = [], "/inbox/"
    while path and len(paths) < count:
        paths.append(path)
        page = opener.open(base + path).read().decode()
        found = OLDER.search(page)
        path = html.unescape(found.group(1)) if found else None
        if path and not path.startswith("/"):
            path = "/inbox/" + path.lstrip("./")
    return paths


def reply_body(opener, base: str, conversation_path: str, reply_path: str) -> str:
    """A reply's form body with a CSRF token of this session; one reply is posted to check
    that the form takes it."""
    page = opener.open(base + conversation_path).read().decode()
    # The page's forms have prefixes (reply-text, reply-csrf_token).
    found = re.search(r'name="reply-csrf_token"[^>]*value="([^"]+)"', page)
    if found is None or 'name="reply-text"' not in page:
        sys.exit("No reply form (reply-text, reply-csrf_token) on the conversation page.")
    body = urllib.parse.urlencode({"reply-csrf_token": found.group(1), "reply-text": REPLY})
    try:
        answer = opener.open(base + reply_path, data=body.encode())
    except urllib.error.HTTPError as error:
        sys.exit(f"The reply form refused the benchmark's reply ({error.code}).")
    if REPLY not in answer.read().decode():
        sys.exit("The reply is not on the conversation page it led back to.")
    return body


WORKER_TEXT = "My employer keeps my passport and has not paid me for two months."


def worker_bodies(base: str, ids: list[int]) -> tuple[list[str], str]:
    """A worker's message with the code of each conversation (one form body each) and the
    session cookie their CSRF token belongs to; the first is posted to check it is taken."""
    jar = CookieJar()
    opener = opener_for(jar)
    page = opener.open(base + "/check").read().decode()
    csrf = token(page)
    bodies = [
        urllib.parse.urlencode(
            {"csrf_token": csrf, "code": bench_inbox.worker_code(number), "text": WORKER_TEXT}
        )
        for number in ids
    ]
    try:
        answer = opener.open(base + "/check/write", data=bodies[0].encode()).read().decode()
    except urllib.error.HTTPError as error:
        sys.exit(f"The worker's message was refused ({error.code}): check the form's fields.")
    if WORKER_TEXT not in answer:
        sys.exit("The worker's message is not in the thread shown after sending it.")
    return bodies, cookie_of(jar)


def snapshot(ids: list[int]) -> tuple[int, list[dict]]:
    """The newest message and the replied conversations' fields a reply changes."""
    from sqlalchemy import func, select

    from goldendreams.extensions import db
    from goldendreams.inbox.models import Conversation, Message

    newest = db.session.scalar(select(func.max(Message.id))) or 0
    rows = db.session.execute(
        select(Conversation.id, Conversation.state, Conversation.last_activity_on).where(
            Conversation.id.in_(ids)
        )
    ).mappings()
    saved = [dict(row) for row in rows]
    db.session.commit()  # no transaction left open during the run
    return newest, saved


def restore(newest: int, rows: list[dict]) -> int:
    """Delete the replies the run posted and put the conversations back; returns how many
    replies there were."""
    from sqlalchemy import delete, update

    from goldendreams.extensions import db
    from goldendreams.inbox.models import Conversation, Message

    removed = db.session.execute(delete(Message).where(Message.id > newest)).rowcount
    for row in rows:
        db.session.execute(
            update(Conversation)
            .where(Conversation.id == row["id"])
            .values(state=row["state"], last_activity_on=row["last_activity_on"])
        )
    db.session.commit()
    return removed
