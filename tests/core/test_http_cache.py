"""Fewer bytes: conditional GET on public pages, versioned static files cached for a year,
gzip when the app is alone, never gzip next to a CSRF token."""

import gzip
import re

from goldendreams.core.auth import Role
from goldendreams.extensions import db
from tests import factories
from tests.conftest import make_config


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
        assert "max-age=31536000" in css.headers["Cache-Control"]
        assert "immutable" in css.headers["Cache-Control"]
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


def test_a_page_with_a_csrf_token_is_never_compressed(database_url, _schema):
    from goldendreams import create_app

    app = create_app(make_config(database_url, WTF_CSRF_ENABLED=True))
    with app.app_context():
        page = app.test_client().get("/login", headers={"Accept-Encoding": "gzip"})
    assert b'name="csrf_token"' in page.data
    assert "Content-Encoding" not in page.headers
    assert "ETag" not in page.headers  # the token is this session's: nothing to share


def test_compression_can_be_turned_off(database_url, _schema):
    from goldendreams import create_app

    app = create_app(make_config(database_url, COMPRESS=False))
    with app.app_context():
        page = app.test_client().get("/", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in page.headers
