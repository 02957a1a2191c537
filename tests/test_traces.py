"""What the site keeps about anonymous clients is useless for finding them: rate-limit keys
that rotate and name a crowd, no log line dating a review, no erased words left in the
database file."""

from __future__ import annotations

import logging
import re
from datetime import date
from pathlib import Path

import pytest

from goldendreams.core import security
from goldendreams.core.security import PRIVATE_PATHS, RedactClientAddress, client_key
from goldendreams.extensions import db
from goldendreams.reviews import services
from tests import factories
from tests.reviews.test_services import GOOD


def key_for(app, address: str) -> str:
    with app.test_request_context(environ_base={"REMOTE_ADDR": address}):
        return client_key()


def test_client_keys_rotate_daily_and_name_a_crowd(app, monkeypatch):
    monkeypatch.setattr(security, "utc_day", lambda: date(2026, 12, 2))
    today = key_for(app, "203.0.113.7")
    assert re.fullmatch(r"[0-9a-f]{5}", today)  # 20 bits: thousands of addresses per key
    assert key_for(app, "203.0.113.7") == today
    assert key_for(app, "203.0.113.8") != today
    monkeypatch.setattr(security, "utc_day", lambda: date(2026, 12, 3))
    assert key_for(app, "203.0.113.7") != today  # yesterday's keys match nothing today
    app.config["SECRET_KEY"] = "another-secret-key-long-enough-0123456789"
    monkeypatch.setattr(security, "utc_day", lambda: date(2026, 12, 2))
    assert key_for(app, "203.0.113.7") != today


def test_an_ipv6_client_is_its_slash_64(app):
    """A phone gets a whole /64 and may pick any address in it: one client, one key."""
    first = key_for(app, "2001:db8:1:2:aaaa::1")
    assert key_for(app, "2001:db8:1:2:ffff:eeee:dddd:cccc") == first
    assert key_for(app, "2001:db8:1:3::1") != first
    assert key_for(app, "::ffff:203.0.113.7") == key_for(app, "203.0.113.7")
    assert security.client_network("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64"


def test_a_key_stands_for_many_addresses(app):
    """Cut to 20 bits, a key cannot be turned back into one address even by someone who
    holds the secret: among 2**14 addresses many already share keys."""
    keys = [key_for(app, f"10.{i // 256}.{i % 256}.1") for i in range(2**14)]
    assert len(keys) - len(set(keys)) > 50  # about 128 expected


def werkzeug_line(path: str, method: str = "POST") -> logging.LogRecord:
    return logging.LogRecord(
        "werkzeug", logging.INFO, __file__, 1,
        '%s - - [02/Dec/2026 10:00:00] "%s" %s %s\n',
        ("203.0.113.7", f"{method} {path} HTTP/1.1", "200", "-"), None,
    )  # fmt: skip


@pytest.mark.parametrize(
    "path",
    [
        "/organisations/12/review",
        "/jobs/4/apply",
        "/jobs/4/report",
        "/reviews/AbCdEfGh_jKlM-nO/report",
        "/check",
        "/check/answer",
        "/check/withdraw",
        "/check/write",
        "/ask",
        "/channels/telegram/webhook",
        "/channels/whatsapp/webhook",
        "/login/reset/one-time-secret-token",
        "/invitation/one-time-secret-token",
    ],
)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_no_log_line_dates_opening_or_sending_a_private_form(path, method):
    assert PRIVATE_PATHS.match(path)
    assert RedactClientAddress().filter(werkzeug_line(path, method)) is False


def test_other_development_server_lines_keep_neither_address_nor_time():
    record = werkzeug_line("/jobs/", "GET")
    assert RedactClientAddress().filter(record) is True
    line = record.getMessage()
    assert "203.0.113.7" not in line and "10:00:00" not in line and "/jobs/" in line


def test_gunicorn_and_nginx_leave_out_the_same_pages():
    from goldendreams.config import PROJECT_ROOT

    gunicorn = (PROJECT_ROOT / "deploy/gunicorn.conf.py").read_text()
    assert "PRIVATE_PATHS.match(req.path)" in gunicorn and "req.method" not in gunicorn
    nginx = (PROJECT_ROOT / "deploy/nginx.conf").read_text()
    assert f'"~{PRIVATE_PATHS.pattern}" 0;' in nginx
    assert "map $uri $goldendreams_loggable" in nginx  # every method, not only POST


def test_withdrawn_words_do_not_survive_in_the_sqlite_file(app):
    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        pytest.skip("PostgreSQL keeps old row versions until VACUUM (README: Erased data)")
    secret = "Zqwithdrawnsecret" * 3
    review, _code = services.submit_review(
        factories.AgencyFactory(), GOOD.__class__(**{**GOOD.__dict__, "body": secret * 5})
    )
    services.withdraw_review(review)
    path = Path(url.database)
    for file in (path, path.with_name(path.name + "-wal")):
        if file.exists():
            assert secret.encode() not in file.read_bytes(), file.name
