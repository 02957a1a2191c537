"""Nothing lost under load and faults: reviews and job applications sent at the same time to
gunicorn on PostgreSQL while one worker is killed (SIGKILL) in the middle.

Every submission that got a tracking code is stored exactly once; a submission that failed
is stored whole or not at all; reviews published while another worker is killed are all
found by search afterwards, and the organisation's score counts every one of them.

CI sends a few dozen of each (`GOLDENDREAMS_DURABILITY_SUBMISSIONS`, default 60);
`scripts/durability.sh` sends 500.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from goldendreams.core import tracking
from goldendreams.core.audit import AuditLog
from goldendreams.core.auth import Role
from goldendreams.extensions import db
from goldendreams.jobs.models import Application
from goldendreams.reviews.models import OrganisationScore, Review
from goldendreams.search.models import SearchChange
from tests.conftest import TEST_PASSWORD
from tests.factories import AgencyFactory, JobFactory
from tests.live_site import TRACKING_CODE, Browser, LiveSite

pytestmark = pytest.mark.skipif(
    not os.environ.get("GOLDENDREAMS_TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="several gunicorn workers writing at once: PostgreSQL only (as in production)",
)

SUBMISSIONS = int(os.environ.get("GOLDENDREAMS_DURABILITY_SUBMISSIONS", "60"))
THREADS = 16
MARKER = re.compile(r"\bkvx(\d{4})\b")


@dataclass
class Outcome:
    """What the senders saw: a tracking code per acknowledged submission, and failures."""

    sent: int = 0
    codes: dict[int, str] = field(default_factory=dict)
    failed: Counter = field(default_factory=Counter)
    killed: int | None = None

    @property
    def acknowledged(self) -> int:
        return len(self.codes)


def tracking_code(status: int, page: str) -> str | None:
    found = TRACKING_CODE.search(page) if status == 200 else None
    return found.group(1) if found else None


def send_all(site: LiveSite, count: int, send_one, acknowledged=tracking_code) -> Outcome:
    """Run ``send_one(n)`` for n in range(count) from many threads; when a third have
    answered, kill a worker that is in the middle of a request. ``acknowledged(status,
    page)`` is what the sender was told (a tracking code), or None."""
    outcome = Outcome(sent=count)
    lock = threading.Lock()
    with ThreadPoolExecutor(THREADS) as pool:
        futures = {pool.submit(send_one, n): n for n in range(count)}
        for done, future in enumerate(as_completed(futures), start=1):
            n = futures[future]
            try:
                status, page = future.result()
            # The connection the killed worker held: reset, or cut in the middle of the answer.
            except (OSError, http.client.HTTPException) as error:
                with lock:
                    outcome.failed[type(error).__name__] += 1
            else:
                answer = acknowledged(status, page)
                if answer:
                    outcome.codes[n] = answer
                else:
                    outcome.failed[f"HTTP {status}"] += 1
            if done == count // 3:
                outcome.killed = site.kill_a_worker_in_flight()
    # Else the kill proved nothing: a worker killed between requests loses nothing.
    assert outcome.killed is not None, "no worker was caught in the middle of a request"
    return outcome


def report(name: str, figures: dict) -> None:
    """Print the figures (shown with -s) and keep them with the test artifacts."""
    print(f"\n{name}: {json.dumps(figures)}")
    folder = os.environ.get("GOLDENDREAMS_TEST_ARTIFACTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"durability-{name}.json"), "w") as out:
            json.dump(figures, out, indent=1)


@pytest.fixture
def site(app, tmp_path, database_url):
    settings = {
        "DATABASE_URL": database_url,
        "SECRET_KEY": app.config["SECRET_KEY"],  # tracking codes hash the same here
        "SEARCH_BACKEND": "postgres",
        "REVIEW_RATE_LIMIT": "1000000 per hour",  # every sender comes from 127.0.0.1
        "APPLY_RATE_LIMIT": "1000000 per hour",
    }
    with LiveSite(tmp_path / "gunicorn.log", workers=3, **settings) as running:
        yield running


def stored(*columns):
    db.session.expire_all()
    return db.session.execute(select(*columns)).all()


def test_reviews_survive_a_killed_worker_and_search_catches_up(app, site, user_for):
    agency_id = AgencyFactory().id  # plain values: the threads have no app context
    moderator_email = user_for(Role.MODERATOR).email

    def send_review(n: int):
        form = {
            "rating": str(1 + n % 5), "relationship_kind": "former", "year": "2025",
            "title": "They kept my passport",
            "body": f"Report kvx{n:04d}. The agency kept my passport for a year and more.",
        }  # fmt: skip
        return Browser(site.base).submit(f"/organisations/{agency_id}/review", form)

    sent = send_all(site, SUBMISSIONS, send_review)
    rows = stored(Review.id, Review.body, Review.tracking_hash, Review.status)
    by_marker = Counter(int(MARKER.search(body).group(1)) for _id, body, _h, _s in rows)
    assert all(count == 1 for count in by_marker.values()), "a submission stored twice"
    hashes = {
        tracking_hash: int(MARKER.search(body).group(1)) for _i, body, tracking_hash, _s in rows
    }
    for n, code in sent.codes.items():
        assert hashes.get(tracking.code_hash(code)) == n, f"acknowledged {n} is not stored"
    # A stored review is whole: its code, its text, its answers, waiting for a moderator.
    assert all(h and "passport" in body and s == "pending" for _i, body, h, s in rows)
    assert sent.acknowledged >= SUBMISSIONS // 2, sent

    # Publish them all while another worker is killed: a publication commits its review,
    # its audit entry, its search change and the organisation's score together.
    moderating = Browser(site.base)
    moderating.login(moderator_email, TEST_PASSWORD)
    review_ids = [review_id for review_id, *_ in rows]

    def publish(index: int):
        review_id = review_ids[index]
        return moderating.submit(
            f"/moderation/reviews/{review_id}/publish", {},
            form_page=f"/moderation/reviews/{review_id}",
        )  # fmt: skip

    def said_published(status: int, page: str) -> str | None:
        return "published" if status == 200 and "Published." in page else None

    published_run = send_all(site, len(review_ids), publish, said_published)
    db.session.expire_all()
    published = set(db.session.scalars(select(Review.id).filter_by(status="published")))
    assert {review_ids[i] for i in published_run.codes} <= published
    audited = set(db.session.scalars(select(AuditLog.target_id).filter_by(action="review.publish")))
    logged = set(db.session.scalars(select(SearchChange.record_id).filter_by(kind="review")))
    assert published == audited and published <= logged, "a publication was half-stored"
    score = db.session.scalar(select(OrganisationScore).filter_by(organisation_id=agency_id))
    assert score.review_count == len(published), "the score missed a publication"

    # Search catches up on its own (the next search request applies the change log) and
    # finds every published review by its own word.
    Browser(site.base).open("/search?q=passport")
    searcher = Browser(site.base)
    missing = []
    for review_id, body, *_ in rows:
        if review_id in published:
            marker = MARKER.search(body).group(0)
            status, page = searcher.open(f"/search?q={marker}")
            if status != 200 or f"/organisations/{agency_id}" not in page or marker not in page:
                missing.append(marker)
    assert missing == [], f"search did not find {len(missing)} published reviews"

    report("reviews", {
        "sent": sent.sent, "acknowledged": sent.acknowledged, "stored": len(rows),
        "stored_without_answer": len(rows) - sent.acknowledged,
        "failed": dict(sent.failed), "publish_sent": published_run.sent,
        "publish_acknowledged": published_run.acknowledged, "published": len(published),
        "found_by_search": len(published) - len(missing),
    })  # fmt: skip


def test_applications_survive_a_killed_worker(app, site):
    job = JobFactory()
    job_id, title = job.id, job.texts[0].title

    def send_application(n: int):
        form = {
            "name": f"Applicant kvx{n:04d}", "phone": f"09 450 {n:03d} {n % 1000:03d}",
            "origin_country": "MM", "language": "my", "consent": "y",
        }  # fmt: skip
        return Browser(site.base).submit(f"/jobs/{job_id}/apply", form)

    sent = send_all(site, SUBMISSIONS, send_application)
    rows = stored(Application.name, Application.tracking_hash, Application.phone)
    by_marker = Counter(int(MARKER.search(name).group(1)) for name, _h, _p in rows)
    assert all(count == 1 for count in by_marker.values()), "an application stored twice"
    hashes = {tracking_hash: int(MARKER.search(name).group(1)) for name, tracking_hash, _ in rows}
    for n, code in sent.codes.items():
        assert hashes.get(tracking.code_hash(code)) == n, f"acknowledged {n} is not stored"
    assert all(h and phone for _n, h, phone in rows), "an application was half-stored"
    assert sent.acknowledged >= SUBMISSIONS // 2, sent
    # Each acknowledged applicant can follow the application with the code.
    checker = Browser(site.base)
    for code in list(sent.codes.values())[:5]:
        status, page = checker.submit("/check", {"code": code})
        assert status == 200 and title in page

    report("applications", {
        "sent": sent.sent, "acknowledged": sent.acknowledged, "stored": len(rows),
        "stored_without_answer": len(rows) - sent.acknowledged, "failed": dict(sent.failed),
    })  # fmt: skip
