"""Fewer bytes: conditional GET on public pages, versioned static files cached for a year,
gzip when the app is alone, never gzip next to a CSRF token."""

import gzip
import re

import pytest

from goldendreams.core.auth import Role
from goldendreams.extensions import db
from tests import factories
from tests.conftest import RequestContextClient, make_config


def test_an_unchanged_page_costs_a_304_and_a_changed_one_a_new_page(client, app):
    org = factories.OrganisationFactory(name="Harbour Foods")
    db.session.commit()
    first = client.get(f"/organisations/{org.id}")
    etag = first.headers["ETag"]
    assert etag.startswith('W/"')
    assert "no-cache" in first.headers["Cache-Control"]
    again = client.get(f"/organisations/{org.id}", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    org.name = "Harbour Foods Renamed"
    db.session.commit()
    changed = client.get(f"/organisations/{org.id}", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert b"Harbour Foods Renamed" in changed.data


def test_logged_in_pages_get_no_etag(client, login_as):
    login_as(Role.MODERATOR)
    page = client.get("/")
    assert "ETag" not in page.headers
    assert "no-store" in page.headers["Cache-Control"]


def test_static_urls_carry_a_version_and_are_cached_for_a_year(client):
    home = client.get("/").get_data(as_text=True)
    href = re.search(r'href="(/static/style\.css\?v=[0-9a-f]{12})"', home).group(1)
    with client.get(href) as css:
        assert css.status_code == 200
        assert css.cache_control.max_age == 31536000
        assert css.cache_control.immutable
        assert not css.cache_control.no_cache  # else browsers would ask again each time
    for other in ("/static/style.css?v=000000000000", "/static/style.css"):
        with client.get(other) as stale:
            assert "immutable" not in stale.headers.get("Cache-Control", "")


def test_pages_and_styles_are_gzipped_when_the_browser_accepts_it(client):
    page = client.get("/", headers={"Accept-Encoding": "gzip, br"})
    assert page.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in page.headers["Vary"]
    assert b"<html" in gzip.decompress(page.data)
    css = client.get("/static/style.css", headers={"Accept-Encoding": "gzip"})
    assert css.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(css.data).strip()
    assert "Content-Encoding" not in client.get("/").headers  # not asked for


@pytest.fixture
def make_app(_schema, database_url):
    """Apps with other settings; their connections are closed at the end (PostgreSQL would
    otherwise warn about them in some later test)."""
    from goldendreams import create_app

    made = []

    def make(**settings):
        other = create_app(make_config(database_url, **settings))
        other.test_client_class = RequestContextClient
        made.append(other)
        return other

    yield make
    for other in made:
        with other.app_context():
            db.engine.dispose()


def test_a_page_with_a_csrf_token_is_never_compressed(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        page = app.test_client().get("/login", headers={"Accept-Encoding": "gzip"})
    assert b'name="csrf_token"' in page.data
    assert "Content-Encoding" not in page.headers
    assert "ETag" not in page.headers  # the token is this session's: nothing to share


def test_compression_can_be_turned_off(make_app):
    app = make_app(COMPRESS=False)
    with app.app_context():
        page = app.test_client().get("/", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in page.headers


def test_anonymous_readers_share_a_page_for_a_short_while(app, make_app, monkeypatch):
    from goldendreams.core import http_cache

    org = factories.OrganisationFactory(name="Harbour Foods")
    db.session.commit()
    cached = make_app(PAGE_CACHE_SECONDS=60)
    reader = cached.test_client()
    clock = [1000.0]
    monkeypatch.setattr(http_cache.time, "monotonic", lambda: clock[0])
    assert b"Harbour Foods" in reader.get(f"/organisations/{org.id}").data
    org.name = "Harbour Seafoods"
    db.session.commit()
    assert b"Harbour Seafoods" not in reader.get(f"/organisations/{org.id}").data
    # Another language is another page; a signed-in user always gets a fresh one.
    burmese_reader = cached.test_client()
    burmese_reader.set_cookie("gd_lang", "my")
    burmese = burmese_reader.get(f"/organisations/{org.id}").get_data(as_text=True)
    assert '<html lang="my">' in burmese
    assert "Harbour Seafoods" in burmese
    with reader.session_transaction() as session:
        session["anything"] = 1
    assert b"Harbour Seafoods" in reader.get(f"/organisations/{org.id}").data
    clock[0] += 61
    assert b"Harbour Seafoods" in cached.test_client().get(f"/organisations/{org.id}").data


def test_pages_with_a_csrf_token_are_not_shared_and_the_store_is_bounded(
    app, make_app, monkeypatch
):
    from flask import render_template_string

    from goldendreams.core import http_cache

    cached = make_app(PAGE_CACHE_SECONDS=60, WTF_CSRF_ENABLED=True)
    cached.add_url_rule(
        "/test-form",
        "test_form",
        http_cache.cached_page(lambda: render_template_string("{{ csrf_token() }}")),
    )
    first = cached.test_client().get("/test-form").data
    second = cached.test_client().get("/test-form").data
    assert first and second and first != second  # each session its own token
    monkeypatch.setattr(http_cache, "PAGE_CACHE_ENTRIES", 2)
    reader = cached.test_client()
    for query in ("a", "b", "c", "d"):
        reader.get(f"/search?q={query}")
    assert len(cached.extensions["goldendreams.pages"]) == 2


def test_a_static_address_outside_the_folder_is_never_read(client, monkeypatch):
    from goldendreams.core import http_cache

    read = []
    monkeypatch.setattr(http_cache, "_file_hash", lambda path, mtime: read.append(path) or "x")
    for path in ("/static/../../../../etc/passwd?v=1", "/static/..%2F..%2Fetc%2Fpasswd?v=1"):
        with client.get(path) as response:
            assert response.status_code == 404
    static = str(client.application.static_folder)
    assert read and all(path.startswith(static + "/") for path in read)  # the page's own CSS


def test_the_page_cache_keeps_recent_pages_and_skips_long_addresses(app, make_app, monkeypatch):
    from goldendreams.core import http_cache

    monkeypatch.setattr(http_cache, "PAGE_CACHE_ENTRIES", 2)
    cached = make_app(PAGE_CACHE_SECONDS=60)
    reader = cached.test_client()
    reader.get("/search?q=a")
    reader.get("/search?q=b")
    reader.get("/search?q=a")  # used again: now the most recent
    reader.get("/search?q=c")  # pushes out b, not a
    pages = cached.extensions["goldendreams.pages"]
    assert len(pages) == 2
    reader.get("/search?q=" + "x" * 600)
    assert len(pages) == 2  # too long to keep
    with cached.test_request_context("/search?q=a"):
        from flask_babel import get_locale

        key = http_cache.hashlib.sha256(
            repr(("/search?q=a", str(get_locale()), [])).encode()
        ).digest()
    assert key in pages


def _kept_page(worker, path: str, monkeypatch) -> str:
    from goldendreams.core import http_cache

    monkeypatch.setattr(http_cache.time, "monotonic", lambda: 1000.0)  # never expires here
    return worker.test_client().get(path).get_data(as_text=True)


@pytest.mark.parametrize("takedown", ["withdrawn", "taken down"])
def test_a_takedown_is_gone_at_once_from_every_workers_kept_pages(
    app, make_app, monkeypatch, takedown
):
    """Two workers (two apps on one database) each keep the organisation's review list; the
    writer withdraws the review through a third. Neither may serve it again, though their
    kept copies have not expired."""
    from goldendreams.reviews import services

    review = factories.PublishedReviewFactory(public_body="The agency kept zqtakedown fees.")
    db.session.commit()
    path = f"/organisations/{review.organisation_id}/reviews"
    workers = [make_app(PAGE_CACHE_SECONDS=3600) for _ in range(2)]
    for worker in workers:
        assert "zqtakedown" in _kept_page(worker, path, monkeypatch)
    with make_app().app_context():
        again = db.session.get(type(review), review.id)
        if takedown == "withdrawn":
            services.withdraw_review(again)
        else:
            services.reject_review(again, factories.UserFactory(role="moderator"), "abusive")
    for worker in workers:
        assert "zqtakedown" not in _kept_page(worker, path, monkeypatch)


def test_a_publication_may_wait_for_the_kept_page(app, make_app, monkeypatch):
    """Only takedowns move the generation: publishing keeps the page cache useful."""
    from goldendreams.core import freshness

    org = factories.AgencyFactory()
    db.session.commit()
    before = freshness.current()
    worker = make_app(PAGE_CACHE_SECONDS=3600)
    path = f"/organisations/{org.id}/reviews"
    _kept_page(worker, path, monkeypatch)
    factories.PublishedReviewFactory(organisation=org, public_body="New zqpublished text.")
    db.session.commit()
    assert freshness.current() == before
    assert "zqpublished" not in _kept_page(worker, path, monkeypatch)
