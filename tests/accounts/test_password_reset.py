"""Forgot your password: the page never tells whether an account exists; the link works
once, for an hour, until a newer link or a password change; it ends every session."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from goldendreams.accounts import resets, services, tasks
from goldendreams.accounts.models import PasswordReset, StaffSession, User
from goldendreams.core.audit import AuditLog
from goldendreams.core.auth import Role
from goldendreams.core.base import utcnow
from goldendreams.extensions import db
from tests.conftest import TEST_PASSWORD, login, make_config
from tests.factories import UserFactory
from tests.mailbox import links_in, text_of

NEW_PASSWORD = "lantern orchard pebble comet"


@pytest.fixture
def app_config(database_url):
    """Two links an hour per address and per network (each test asks at most that)."""
    return make_config(database_url, PASSWORD_RESET_LIMIT="2 per hour")


def _ask(client, email: str, address: str = "198.51.100.7"):
    return client.post(
        "/login/forgot", data={"email": email}, environ_base={"REMOTE_ADDR": address}
    )


def _token(mailbox, email: str) -> str:
    link = next(link for link in links_in(mailbox.last_to(email)) if "/login/reset/" in link)
    return urlsplit(link).path.rsplit("/", 1)[1]


def _set(client, token: str, password: str = NEW_PASSWORD):
    return client.post(f"/login/reset/{token}", data={"new": password, "again": password})


def _resets() -> int:
    return db.session.scalar(select(func.count()).select_from(PasswordReset))


def test_the_login_page_links_here(client):
    assert "/login/forgot" in client.get("/login").get_data(as_text=True)
    assert client.get("/login/forgot").status_code == 200


def test_a_link_sets_a_new_password_and_ends_every_session(app, client, mailbox, user_for):
    user = user_for(Role.AGENCY_STAFF)
    user.preferred_locale = "lo"
    db.session.commit()
    logged_in = app.test_client()
    login(logged_in, user)

    response = _ask(client, user.email.upper())
    assert response.status_code == 200
    message = mailbox.last_to(user.email)
    assert message["Content-Language"] == "lo"
    token = _token(mailbox, user.email)
    reset = db.session.scalar(select(PasswordReset))
    assert reset.token_hash == services.token_hash(token)  # only the hash is stored
    assert token in text_of(message)
    minutes = (reset.expires_at - reset.created_at).total_seconds() / 60
    assert minutes == app.config["PASSWORD_RESET_MINUTES"] == 60

    assert client.get(f"/login/reset/{token}").status_code == 200
    response = _set(client, token)
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"
    db.session.expire_all()
    assert services.authenticate(user.email, NEW_PASSWORD) is not None
    assert services.authenticate(user.email, TEST_PASSWORD) is None
    assert not db.session.scalars(select(StaffSession).filter_by(user_id=user.id)).all()
    assert logged_in.get("/staff/").status_code == 302  # logged out there too
    entry = db.session.scalar(select(AuditLog).filter_by(action="password_changed"))
    assert (entry.actor_id, entry.target_id, entry.detail) == (
        user.id,
        user.id,
        {"by": "reset_link"},
    )
    # Single use.
    assert client.get(f"/login/reset/{token}").status_code == 404
    assert _set(client, token, "another fine long passphrase").status_code == 404


def test_same_answer_for_known_and_unknown_addresses(app, client, mailbox, user_for):
    user = user_for(Role.MODERATOR)
    known = _ask(client, user.email)
    unknown = _ask(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    assert known.get_data() == unknown.get_data()
    assert "If an account has this address" in known.get_data(as_text=True)
    assert [m["To"] for m in mailbox.messages] == [user.email]
    assert _resets() == 1


def test_inactive_accounts_get_nothing(app, client, mailbox):
    user = UserFactory(role="agency_staff", active=False)
    active = UserFactory(role="agency_staff")
    answer = _ask(client, user.email)
    assert answer.get_data() == _ask(client, active.email).get_data()
    assert not mailbox.to(user.email) and _resets() == 1


def test_a_bad_address_is_refused_on_the_form(client):
    for bad in ("", "not an address", "a" * 300 + "@example.org"):
        response = _ask(client, bad)
        assert response.status_code == 200
        assert re.search(r'<p class="error"', response.get_data(as_text=True))
    assert _resets() == 0


def test_a_link_expires(app, client, mailbox, user_for):
    user = user_for(Role.CASEWORKER)
    _ask(client, user.email)
    token = _token(mailbox, user.email)
    reset = db.session.scalar(select(PasswordReset))
    reset.expires_at = utcnow() - timedelta(seconds=1)  # an hour went by
    db.session.commit()
    response = _set(client, token)
    assert response.status_code == 404
    assert "This link does not work any more" in response.get_data(as_text=True)
    assert services.authenticate(user.email, NEW_PASSWORD) is None


def test_a_newer_link_kills_the_older(app, client, mailbox, user_for):
    user = user_for(Role.MODERATOR)
    _ask(client, user.email)
    first = _token(mailbox, user.email)
    _ask(client, user.email)
    second = _token(mailbox, user.email)
    assert first != second
    assert _set(client, first).status_code == 404
    assert _set(client, second).status_code == 302


def test_a_password_change_kills_the_links(app, client, mailbox, user_for):
    user = user_for(Role.MODERATOR)
    token = resets.issue(user)
    services.reset_password(user, "a whole other secret phrase")  # flask users set-password
    assert _set(client, token).status_code == 404
    token = resets.issue(user)
    services.change_password(user, "a whole other secret phrase", NEW_PASSWORD, keep_token=None)
    assert client.get(f"/login/reset/{token}").status_code == 404


def test_a_switched_off_account_cannot_use_its_link(app, client, user_for):
    user = user_for(Role.MODERATOR)
    token = resets.issue(user)
    services.set_active(user, False)
    assert _set(client, token).status_code == 404
    # Switched on again, within the link's hour: the old link stays dead.
    services.set_active(user, True)
    assert _set(client, token).status_code == 404


def test_the_invalid_pages_are_alike(app, client, user_for):
    user = user_for(Role.MODERATOR)
    used = resets.issue(user)
    _set(client, used)
    expired = resets.issue(user)
    db.session.scalar(select(PasswordReset).filter_by(used_at=None)).expires_at = utcnow()
    db.session.commit()
    unknown = "x" * 43
    reader = app.test_client()  # no message left from setting the password
    pages = {
        name: reader.get(f"/login/reset/{token}").get_data(as_text=True).replace(token, "T")
        for name, token in (("used", used), ("expired", expired), ("unknown", unknown))
    }
    assert pages["used"] == pages["expired"] == pages["unknown"]


def test_weak_passwords_are_refused_and_the_link_kept(app, client, user_for):
    user = user_for(Role.MODERATOR)
    token = resets.issue(user)
    response = _set(client, token, "password1234")
    assert response.status_code == 200
    assert "too easy to guess" in response.get_data(as_text=True)
    assert client.get(f"/login/reset/{token}").status_code == 200


def test_rate_limited_per_address(app, client, mailbox, user_for, caplog):
    user = user_for(Role.MODERATOR)
    caplog.set_level(logging.WARNING, "goldendreams.security")
    answers = [_ask(client, user.email, f"203.0.113.{n}").get_data() for n in range(3)]
    assert answers[0] == answers[1] == answers[2]  # the refusal looks the same
    assert len(mailbox.to(user.email)) == 2 and _resets() == 2
    assert any("password reset refused (address)" in r.getMessage() for r in caplog.records)
    assert user.email not in caplog.text  # logged by a keyed hash, never the address


def test_rate_limited_per_client_network(app, client, mailbox, user_for, caplog):
    users = [user_for(Role.MODERATOR) for _ in range(3)]
    caplog.set_level(logging.WARNING, "goldendreams.security")
    for user in users:
        assert _ask(client, user.email, "192.0.2.50").status_code == 200
    assert [len(mailbox.to(u.email)) for u in users] == [1, 1, 0]
    assert any("password reset refused (client)" in r.getMessage() for r in caplog.records)
    # Another network may still ask.
    _ask(client, users[2].email, "192.0.2.99")
    assert len(mailbox.to(users[2].email)) == 1


def test_logged_in_users_go_to_their_page(client, login_as):
    login_as(Role.MODERATOR)
    response = client.get("/login/forgot")
    assert response.status_code == 302


def test_the_work_is_queued_for_any_address(app, client, user_for, monkeypatch):
    """The request queues the same task for known and unknown addresses: no timing from
    the database in the answer."""
    queued = []
    monkeypatch.setattr(tasks, "send_password_reset", queued.append)
    user = user_for(Role.MODERATOR)
    _ask(client, user.email)
    _ask(client, "nobody@example.org")
    assert queued == [user.email, "nobody@example.org"]
    assert _resets() == 0
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
