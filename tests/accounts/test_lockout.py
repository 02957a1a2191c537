"""Login lockout: after a few wrong passwords an account waits, whatever the client, and
unknown emails are treated the same (the lockout tells nobody which accounts exist)."""

from __future__ import annotations

from goldendreams.core.auth import Role
from tests.conftest import TEST_PASSWORD, translated


def attempt(app, email, password, address):
    client = app.test_client()  # a new client each time: the attacker changes address
    client.set_cookie("gd_lang", "th")
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def lockout_count(app) -> int:
    return int(app.config["LOGIN_LOCKOUT"].split()[0])


def test_an_account_is_locked_after_repeated_failures_from_many_addresses(app, user_for, caplog):
    user = user_for(Role.ADMIN)
    failures = lockout_count(app)
    for n in range(failures):
        response = attempt(app, user.email, f"guess number {n}", f"198.51.100.{n}")
        assert response.status_code == 200
    # Now even the right password waits, from any address.
    locked = attempt(app, user.email.upper(), TEST_PASSWORD, "203.0.113.50")
    assert locked.status_code == 429
    assert translated("th", "Too many tries") in locked.get_data(as_text=True)
    assert any(r.getMessage().startswith("login locked: account:") for r in caplog.records)
    # Another account is not affected.
    other = user_for(Role.MODERATOR)
    assert attempt(app, other.email, TEST_PASSWORD, "203.0.113.50").status_code == 302


def test_successful_logins_do_not_count_towards_the_lockout(app, user_for):
    user = user_for(Role.MODERATOR)
    for n in range(lockout_count(app) + 2):
        assert attempt(app, user.email, TEST_PASSWORD, f"198.51.100.{n}").status_code == 302


def test_unknown_emails_lock_the_same_way(app, user_for):
    user = user_for(Role.MODERATOR)
    known, unknown = [], []
    for n in range(lockout_count(app) + 1):
        address = f"198.51.100.{n}"
        known.append(attempt(app, user.email, "wrong guess", address).status_code)
        unknown.append(attempt(app, "nobody@example.org", "wrong guess", address).status_code)
    assert known == unknown == [200] * lockout_count(app) + [429]


def test_the_lockout_key_holds_no_email(app, user_for):
    from goldendreams.extensions import limiter

    user = user_for(Role.MODERATOR)
    attempt(app, user.email, "wrong guess", "198.51.100.1")
    keys = list(getattr(limiter.storage, "storage", {}).keys())
    assert any("account:" in key for key in keys)
    assert not any(user.email in key or user.email.split("@")[0] in key for key in keys)
