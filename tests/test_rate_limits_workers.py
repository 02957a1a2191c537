"""Rate limits on every public form hold across servers and restarts, with Redis as in
production, and the limiter stores no raw client address (needs GOLDENDREAMS_TEST_REDIS_URL).

Two gunicorn masters (two workers each) share the Redis storage: a client's tries are
spread over both, then both are restarted, and the next try is still refused. A second
client is not affected. Memory storage would fail this (each process counts alone).
"""

from __future__ import annotations

import os

import pytest
import redis

from goldendreams.core.auth import Role
from tests.factories import AgencyFactory, JobFactory, PublishedReviewFactory
from tests.live_site import Browser, LiveSite

REDIS_URL = os.environ.get("GOLDENDREAMS_TEST_REDIS_URL")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="GOLDENDREAMS_TEST_REDIS_URL is not set")

LIMIT = 3
CLIENT = "203.0.113.77"
OTHER_CLIENT = "198.51.100.23"
GUESSER = "192.0.2.15"
LIMITED_FORMS = ("REVIEW", "APPLY", "FLAG", "CODE", "LOGIN")


@pytest.fixture
def storage():
    connection = redis.Redis.from_url(REDIS_URL)
    connection.flushdb()
    yield connection
    connection.flushdb()
    connection.close()


@pytest.fixture
def sites(app, tmp_path, database_url, storage):
    settings = {
        "DATABASE_URL": database_url,
        "SECRET_KEY": app.config["SECRET_KEY"],
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "PROXY_COUNT": 1,  # as behind nginx: the client is the X-Forwarded-For address
        "SEARCH_INDEX_PATH": str(tmp_path / "search-index"),
        **{f"{form}_RATE_LIMIT": f"{LIMIT} per hour" for form in LIMITED_FORMS},
        "LOGIN_LOCKOUT": f"{LIMIT} per hour",
    }
    running = [
        LiveSite(tmp_path / f"gunicorn-{n}.log", workers=2, **settings).start() for n in (1, 2)
    ]
    yield running
    for site in running:
        site.stop()


def restart(sites: list[LiveSite]) -> None:
    for site in sites:
        site.stop()
    for site in sites:
        site.start()


def forms(agency_id: int, job_id: int, review_id: str, user_email: str):
    """Each public form: (name, path, a function giving the n-th valid submission)."""
    return [
        ("review", f"/organisations/{agency_id}/review", lambda n: {
            "rating": "4", "relationship_kind": "former", "year": "2025",
            "title": "Fair agency", "body": f"They explained every fee first. Visit {n}."}),
        ("application", f"/jobs/{job_id}/apply", lambda n: {
            "name": "Ko Min", "phone": f"09 450 333 {n:03d}", "origin_country": "MM",
            "language": "my", "consent": "y"}),
        ("review report", f"/reviews/{review_id}/report", lambda n: {
            "reason": "false", "note": f"Not true ({n})."}),
        ("job report", f"/jobs/{job_id}/report", lambda n: {
            "reason": "scam", "note": f"A scam ({n})."}),
        ("tracking code", "/check", lambda n: {"code": f"ABCD-EFGH-JK{n:02d}"}),
        ("login", "/login", lambda n: {"email": f"guess{n}@example.org", "password": "wrong"}),
        # Wrong passwords for one account from one network: that network waits for it, while
        # the owner elsewhere does not.
        ("account lockout", "/login", lambda n: {"email": user_email, "password": "wrong"}),
    ]  # fmt: skip


def as_client(site: LiveSite, address: str) -> Browser:
    return Browser(site.base, headers={"X-Forwarded-For": address})


def test_every_public_form_is_limited_across_servers_and_restarts(app, sites, storage, user_for):
    agency_id = AgencyFactory().id
    job_id = JobFactory().id
    review_id = PublishedReviewFactory().public_id
    user_email = user_for(Role.MODERATOR).email
    every_form = forms(agency_id, job_id, review_id, user_email)

    def tries(name: str) -> int:
        return LIMIT

    def client_for(name: str) -> str:
        # The lockout from its own network, so that the per-client budget is not what stops it.
        return GUESSER if name == "account lockout" else CLIENT

    for name, path, submission in every_form:
        for n in range(tries(name)):
            site = sites[n % 2]  # the tries alternate between the two servers
            status, _page = as_client(site, client_for(name)).submit(path, submission(n))
            assert status == 200, f"{name}: try {n + 1} was refused ({status})"
    restart(sites)
    for name, path, submission in every_form:
        n = tries(name)
        status, _page = as_client(sites[0], client_for(name)).submit(path, submission(n))
        assert status == 429, f"{name}: the limit did not hold across servers and a restart"
        other = as_client(sites[1], OTHER_CLIENT).submit(path, submission(n + 1))
        assert other[0] == 200, f"{name}: another client was refused"

    # What the limiter keeps: salted hashes only.
    keys = [key.decode() for key in storage.scan_iter("*")]
    assert keys, "the limiter stored nothing in Redis"
    for key in keys:
        assert CLIENT not in key and OTHER_CLIENT not in key and GUESSER not in key
        assert user_email not in key and user_email.split("@")[0] not in key
