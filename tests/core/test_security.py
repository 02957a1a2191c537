import logging
import re
import time
from datetime import timedelta

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from goldendreams.config import PROJECT_ROOT
from tests.conftest import TEST_PASSWORD, enter_code, make_config, translated
from tests.factories import UserFactory


def test_security_headers_on_every_response(client):
    for path in ("/", "/missing", "/static/style.css"):
        with client.get(path) as response:
            headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["X-Content-Type-Options"] == "nosniff"


#: Pages, not e-mails: mail readers ignore stylesheets, so e-mails carry their own style
#: (and no script: tests/core/test_mail.py).
PAGE_TEMPLATES = sorted(
    path
    for path in (PROJECT_ROOT / "goldendreams").rglob("*.html")
    if "mail" not in path.relative_to(PROJECT_ROOT / "goldendreams").parts[-2:-1]
)


@pytest.mark.parametrize("path", PAGE_TEMPLATES, ids=lambda p: p.name)
def test_templates_have_no_inline_script_or_style(path):
    """Pages work without JavaScript; the only script is the offline reader's, from a file."""
    source = path.read_text()
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", source, re.S)
    assert source.count("<script") == len(scripts)
    for body in scripts:
        assert body == ""
    if scripts:
        assert path.name == "_offline.html"
    assert not re.search(r"\sstyle=|<style|\son[a-z]+=", source)


@pytest.fixture
def app_config(database_url):
    return make_config(database_url, WTF_CSRF_ENABLED=True)


def csrf_token(client, path="/login") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_post_without_csrf_token_gets_an_explained_400(client):
    UserFactory(email="mod@example.org")
    data = {"email": "mod@example.org", "password": TEST_PASSWORD}
    response = client.post("/login", data=data)
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    client.set_cookie("gd_lang", "th")
    page = client.post("/login", data=data).get_data(as_text=True)
    assert '<html lang="th">' in page and "This form has expired" not in page
    assert translated("th", "This form has expired") in page


def test_forms_work_over_https_without_a_referer(client):
    """We send Referrer-Policy: no-referrer, so browsers send no Referer back."""
    UserFactory(email="mod@example.org")
    token = csrf_token(client)
    response = client.post(
        "/login",
        base_url="https://localhost",
        data={"email": "mod@example.org", "password": TEST_PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302


def test_post_with_csrf_token_passes(client):
    UserFactory(email="mod@example.org")
    response = client.post(
        "/login",
        data={
            "email": "mod@example.org",
            "password": TEST_PASSWORD,
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 302


def aged_csrf_token(app, client, age: timedelta) -> str:
    """The login form's token, signed again as if the page had been opened ``age`` ago."""
    secret = app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key
    raw = URLSafeTimedSerializer(secret, salt="wtf-csrf-token").loads(csrf_token(client))
    then = int(time.time() - age.total_seconds())

    class Then(TimestampSigner):
        def get_timestamp(self) -> int:
            return then

    return URLSafeTimedSerializer(secret, salt="wtf-csrf-token", signer=Then).dumps(raw)


def test_csrf_token_lasts_hours(app, client):
    """A form left open for over four hours (a worker's break) still sends; a token older
    than the limit is refused."""
    UserFactory(email="mod@example.org")
    data = {"email": "mod@example.org", "password": TEST_PASSWORD}
    token = aged_csrf_token(app, client, timedelta(hours=4, minutes=5))
    assert client.post("/login", data={**data, "csrf_token": token}).status_code == 302
    other = app.test_client()  # not logged in
    limit = timedelta(seconds=app.config["WTF_CSRF_TIME_LIMIT"] or 0)
    token = aged_csrf_token(app, other, limit + timedelta(minutes=5))
    assert other.post("/login", data={**data, "csrf_token": token}).status_code == 400


def test_session_cookie_flags(client):
    user = UserFactory()
    response = client.post(
        "/login",
        data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": csrf_token(client)},
    )
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("gd_session=")]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_session_holds_no_address_or_browser_hash(app, client):
    user = UserFactory()
    client.post(
        "/login",
        data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": csrf_token(client)},
        environ_base={"REMOTE_ADDR": "203.0.113.7"},
        headers={"User-Agent": "UniqueTestBrowser/1.0"},
    )
    enter_code(client, user)  # the second step of a moderator's login
    with client.session_transaction() as session:
        assert "_id" not in session
        assert "_user_id" in session


def test_pages_vary_with_language(client):
    vary = client.get("/").headers["Vary"]
    assert "Cookie" in vary and "Accept-Language" in vary


# Client keys and development-server log lines: tests/test_traces.py.


def test_passwords_are_hashed_with_a_current_algorithm(app):
    from goldendreams.accounts import services

    user = services.create_user("new@example.org", "a long password", "moderator")
    assert user.password_hash.startswith("scrypt:")
    assert "a long password" not in user.password_hash


def test_a_session_cookie_with_a_wrong_signature_opens_nothing(app, client):
    user = UserFactory(role="admin")
    data = {"email": user.email, "password": TEST_PASSWORD, "csrf_token": csrf_token(client)}
    assert client.post("/login", data=data).status_code == 302
    enter_code(client, user)
    good = client.get_cookie("gd_session").value
    payload, _, signature = good.rpartition(".")
    forged = payload + "." + ("A" if signature[0] != "A" else "B") + signature[1:]
    thief = app.test_client()
    thief.set_cookie("gd_session", forged)
    response = thief.get("/staff/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_no_cross_origin_access_and_a_strict_policy(client):
    response = client.get("/", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers
    csp = dict(
        part.strip().split(" ", 1)
        for part in response.headers["Content-Security-Policy"].split(";")
    )
    assert csp["default-src"] == "'self'" and csp["object-src"] == "'none'"
    assert csp["base-uri"] == "'none'" and csp["form-action"] == "'self'"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_say_their_charset(client):
    assert client.get("/").headers["Content-Type"] == "text/html; charset=utf-8"


def test_staff_security_events_are_logged_without_secrets(app, client, caplog):
    caplog.set_level(logging.INFO, logger="goldendreams.security")
    user = UserFactory(role="moderator")
    client.post(
        "/login",
        data={"email": user.email, "password": "my-wrong-secret", "csrf_token": csrf_token(client)},
        environ_base={"REMOTE_ADDR": "203.0.113.9"},
    )
    data = {"email": user.email, "password": TEST_PASSWORD, "csrf_token": csrf_token(client)}
    assert client.post("/login", data=data).status_code == 302
    enter_code(client, user)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/staff/password")})
    messages = [r.getMessage() for r in caplog.records if r.name == "goldendreams.security"]
    assert messages[0].startswith("login failed: account:")
    assert f"login: user {user.id}" in messages and f"logout: user {user.id}" in messages
    logged = " ".join(messages)
    for secret in ("my-wrong-secret", TEST_PASSWORD, user.email, "203.0.113.9"):
        assert secret not in logged


def test_a_refused_page_is_logged_with_the_account(app, client, caplog):
    from tests.conftest import login

    app.config["WTF_CSRF_ENABLED"] = False
    caplog.set_level(logging.INFO, logger="goldendreams.security")
    user = UserFactory(role="brand")
    login(client, user)
    assert client.get("/moderation/").status_code == 403
    assert f"refused: user {user.id} GET /moderation/" in caplog.text


def test_logout_clears_the_browser_cache(app, client):
    from tests.conftest import login

    app.config["WTF_CSRF_ENABLED"] = False
    login(client, UserFactory())
    assert client.post("/logout").headers["Clear-Site-Data"] == '"cache"'
