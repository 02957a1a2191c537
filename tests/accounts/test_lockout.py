"""Login throttles: only wrong passwords count; a guesser elsewhere cannot keep the owner
out; waits grow; every refusal is logged; an admin lets an account in again; unknown emails
are treated like known ones (the throttle tells nobody which accounts exist)."""

from __future__ import annotations

import pytest

from goldendreams.accounts.models import User
from goldendreams.core.audit import AuditLog
from goldendreams.core.auth import Role
from goldendreams.extensions import db
from tests.conftest import TEST_PASSWORD, RequestContextClient, login, translated

OWNER = "203.0.113.50"
ATTACKER = "198.51.100.7"


@pytest.fixture
def app_config(database_url):
    from tests.conftest import make_config

    # Short windows, so a test can pass through each; the defaults are in config.py.
    return make_config(
        database_url,
        LOGIN_RATE_LIMIT="8 per 15 minutes",
        LOGIN_LOCKOUT="2 per minute;4 per day",
        LOGIN_ACCOUNT_LIMIT="6 per hour",
    )


def attempt(app, email, password, address, locale="th"):
    app.test_client_class = RequestContextClient  # each request its own context, as served
    client = app.test_client()  # and a new client: no cookie carries over
    client.set_cookie("gd_lang", locale)
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_a_guesser_elsewhere_cannot_keep_the_owner_out(app, user_for, caplog):
    user = user_for(Role.ADMIN)
    for n in range(2):
        assert attempt(app, user.email, f"guess {n}", ATTACKER).status_code == 200
    refused = attempt(app, user.email, TEST_PASSWORD, ATTACKER)  # even the right one waits
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert translated("th", "Too many wrong passwords for this account. Wait a little, then "
                      "try again. An administrator can let you in sooner.") in page  # fmt: skip
    assert f'value="{user.email}"' in page  # what was typed is kept
    assert any("login refused (account_here)" in r.getMessage() for r in caplog.records)
    # The owner, on their own network, is not kept out.
    assert attempt(app, user.email, TEST_PASSWORD, OWNER).status_code == 302


def test_the_waits_grow(app, user_for, monkeypatch):
    """Past the short window, a longer one: the guesser gets 4 tries a day, not 2 a minute."""
    from limits.strategies import FixedWindowRateLimiter

    user = user_for(Role.MODERATOR)
    for n in range(2):
        attempt(app, user.email, f"guess {n}", ATTACKER)
    assert attempt(app, user.email, "guess", ATTACKER).status_code == 429
    minute_passed = {"hit": 0}
    original = FixedWindowRateLimiter.test

    def after_a_minute(self, item, *identifiers, cost=1):
        if item.GRANULARITY.name == "minute":
            minute_passed["hit"] += 1
            return True
        return original(self, item, *identifiers, cost=cost)

    monkeypatch.setattr(FixedWindowRateLimiter, "test", after_a_minute)
    for n in range(2):
        assert attempt(app, user.email, f"later {n}", ATTACKER).status_code == 200
    assert attempt(app, user.email, "again", ATTACKER).status_code == 429  # the day's budget
    assert minute_passed["hit"]


def test_many_networks_together_lock_the_account_and_it_is_logged(app, user_for, caplog):
    user = user_for(Role.MODERATOR)
    for n in range(6):
        attempt(app, user.email, "wrong guess", f"192.0.2.{n}")
    locked = attempt(app, user.email, TEST_PASSWORD, OWNER, locale="en")
    assert locked.status_code == 429
    assert "Ask an administrator to let you in." in locked.get_data(as_text=True)
    assert any("login refused (account)" in r.getMessage() for r in caplog.records)


def test_an_admin_lets_a_locked_account_in(app, user_for, client):
    user = user_for(Role.MODERATOR)
    for n in range(6):
        attempt(app, user.email, "wrong guess", f"192.0.2.{n}")
    assert attempt(app, user.email, TEST_PASSWORD, OWNER).status_code == 429
    admin = user_for(Role.ADMIN)
    login(client, admin)
    page = client.get("/staff/users").get_data(as_text=True)
    assert user.email in page
    response = client.post(f"/staff/users/{user.id}/let-in")
    assert response.status_code == 302
    assert attempt(app, user.email, TEST_PASSWORD, OWNER).status_code == 302
    assert attempt(app, user.email, TEST_PASSWORD, ATTACKER).status_code == 302
    entry = db.session.query(AuditLog).filter_by(action="account.lockout_lifted").one()
    assert (entry.actor_id, entry.target_id) == (admin.id, user.id)


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.CASEWORKER, Role.AGENCY_STAFF])
def test_only_admins_manage_accounts(client, login_as, role):
    login_as(role)
    target = db.session.query(User).first()
    assert client.get("/staff/users").status_code == 403
    assert client.post(f"/staff/users/{target.id}/let-in").status_code == 403


def test_successful_logins_never_count(app, user_for):
    """An office behind one address: colleague after colleague logs in all day."""
    users = [user_for(Role.MODERATOR) for _ in range(12)]
    for user in users:
        assert attempt(app, user.email, TEST_PASSWORD, OWNER).status_code == 302
    for _ in range(3):
        assert attempt(app, users[0].email, TEST_PASSWORD, OWNER).status_code == 302


def test_only_failures_count_per_address(app, user_for):
    """Eight wrong passwords (for different accounts) from one address, then it waits;
    good logins before them did not use the budget up."""
    good = user_for(Role.MODERATOR)
    for _ in range(10):
        assert attempt(app, good.email, TEST_PASSWORD, OWNER).status_code == 302
    codes = [attempt(app, f"x{n}@example.org", "wrong", OWNER).status_code for n in range(9)]
    assert codes == [200] * 8 + [429]
    assert attempt(app, "x@example.org", "wrong", "198.51.100.9").status_code == 200


def test_unknown_emails_wait_the_same_way(app, user_for):
    user = user_for(Role.MODERATOR)
    known = [attempt(app, user.email, "wrong", ATTACKER).status_code for _ in range(3)]
    unknown = [attempt(app, "nobody@example.org", "wrong", ATTACKER).status_code for _ in range(3)]
    assert known == unknown == [200, 200, 429]


def test_throttle_keys_hold_no_email_or_address(app, user_for):
    from goldendreams.extensions import limiter

    user = user_for(Role.MODERATOR)
    attempt(app, user.email, "wrong guess", ATTACKER)
    keys = list(getattr(limiter.storage, "storage", {}).keys())
    assert any("login-account" in key for key in keys)
    for key in keys:
        assert user.email not in key and user.email.split("@")[0] not in key
        assert ATTACKER not in key


def test_wrong_current_passwords_at_change_password_are_limited_and_logged(
    app, client, login_as, caplog
):
    user = login_as(Role.MODERATOR)
    new = "a fresh long passphrase for testing"
    for _ in range(5):
        response = client.post(
            "/staff/password", data={"current": "not it", "new": new, "again": new}
        )
        assert response.status_code == 200
    assert sum("wrong current password" in r.getMessage() for r in caplog.records) == 5
    refused = client.post(
        "/staff/password", data={"current": TEST_PASSWORD, "new": new, "again": new}
    )
    assert refused.status_code == 429
    assert any("password change refused" in r.getMessage() for r in caplog.records)
    from werkzeug.security import check_password_hash

    db.session.expire_all()
    assert check_password_hash(db.session.get(User, user.id).password_hash, TEST_PASSWORD)
