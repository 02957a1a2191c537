"""Staff sessions live on the server: a new one at each login, ended by logout, by a long
pause, by age, by a password change or by switching the account off."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from goldendreams.accounts import services
from goldendreams.accounts.models import StaffSession
from goldendreams.core.auth import Role
from goldendreams.core.base import utcnow
from goldendreams.extensions import db
from tests.conftest import TEST_PASSWORD, login, translated


def session_cookie(client) -> str:
    return client.get_cookie("gd_session").value


def plant(client) -> None:
    """A session cookie from before the login, as a shared phone or an attacker leaves."""
    with client.session_transaction() as session:
        session["planted"] = "by someone else"


def logged_in(client) -> bool:
    return client.get("/staff/").status_code == 200


def sessions() -> list[StaffSession]:
    db.session.expire_all()
    return list(db.session.scalars(select(StaffSession)))


def test_each_login_starts_a_new_server_side_session(client, user_for):
    user = user_for(Role.MODERATOR)
    plant(client)
    before = session_cookie(client)
    login(client, user)
    first = [(row.user_id, row.token_hash) for row in sessions()]
    assert len(first) == 1 and first[0][0] == user.id
    assert session_cookie(client) != before
    client.post("/logout")
    login(client, user)
    second = [row.token_hash for row in sessions()]
    assert len(second) == 1 and second[0] != first[0][1]
    # The token is in the signed cookie; only its hash is in the database.
    assert second[0] not in session_cookie(client)


def test_a_cookie_set_before_login_opens_nothing_after_it(app, client, user_for):
    """Session fixation: an attacker's cookie planted in the victim's browser."""
    plant(client)
    planted = session_cookie(client)
    login(client, user_for(Role.ADMIN))
    with client.session_transaction() as session:
        assert "planted" not in session  # nothing from before the login is kept
    attacker = app.test_client()
    attacker.set_cookie("gd_session", planted)
    assert not logged_in(attacker)


def test_logout_ends_the_session_on_the_server(app, client, user_for):
    login(client, user_for(Role.CASEWORKER))
    stolen = session_cookie(client)
    assert client.post("/logout").status_code == 302
    assert sessions() == []
    replay = app.test_client()
    replay.set_cookie("gd_session", stolen)  # the cookie a thief copied before logout
    assert not logged_in(replay)


def test_two_browsers_have_two_sessions_and_logging_out_ends_one(app, client, user_for):
    user = user_for(Role.MODERATOR)
    login(client, user)
    phone = app.test_client()
    login(phone, user)
    assert len(sessions()) == 2
    client.post("/logout")
    assert not logged_in(client) and logged_in(phone)


def age(**fields) -> None:
    db.session.execute(update(StaffSession).values(**fields))
    db.session.commit()


def test_a_long_pause_ends_the_session_with_a_translated_message(app, client, user_for):
    login(client, user_for(Role.MODERATOR))
    idle = timedelta(minutes=app.config["STAFF_IDLE_MINUTES"])
    age(last_seen_at=utcnow() - idle + timedelta(minutes=2))
    assert logged_in(client)  # still inside the window, and the visit counts as activity
    age(last_seen_at=utcnow() - idle - timedelta(seconds=5))
    client.set_cookie("gd_lang", "km")
    response = client.get("/moderation/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    message = "You were away for a while, so we logged you out. Please log in again."
    assert translated("km", message) in page
    assert sessions() == []
    assert not logged_in(client)


def test_activity_keeps_a_session_open(app, client, user_for):
    login(client, user_for(Role.MODERATOR))
    idle = timedelta(minutes=app.config["STAFF_IDLE_MINUTES"])
    age(last_seen_at=utcnow() - idle + timedelta(minutes=1))
    assert logged_in(client)
    assert utcnow() - sessions()[0].last_seen_at < timedelta(minutes=1)


def test_a_session_ends_at_its_lifetime_even_when_active(app, client, user_for):
    login(client, user_for(Role.ADMIN))
    age(started_at=utcnow() - app.config["PERMANENT_SESSION_LIFETIME"] - timedelta(minutes=1))
    assert not logged_in(client)


def test_switching_an_account_off_ends_its_sessions(client, user_for):
    user = user_for(Role.CASEWORKER)
    login(client, user)
    services.set_active(user, False)
    assert sessions() == [] and not logged_in(client)


@pytest.mark.parametrize("locale", ["en", "my"])
def test_changing_the_password_ends_the_other_sessions(app, client, user_for, locale):
    user = user_for(Role.MODERATOR)
    login(client, user)
    other = app.test_client()
    login(other, user)
    client.set_cookie("gd_lang", locale)
    new = "a mango tree by the river"
    response = client.post(
        "/staff/password", data={"current": TEST_PASSWORD, "new": new, "again": new}
    )
    assert response.status_code == 302
    assert logged_in(client) and not logged_in(other)
    db.session.expire_all()
    assert services.authenticate(user.email, new) == user
    assert services.authenticate(user.email, TEST_PASSWORD) is None


def test_a_user_sees_their_sessions_and_ends_the_others(app, client, user_for):
    user = user_for(Role.CASEWORKER)
    login(client, user)
    assert "You are logged in only here." in client.get("/staff/sessions").get_data(as_text=True)
    lost_phone = app.test_client()
    login(lost_phone, user)
    someone_else = app.test_client()
    login(someone_else, user_for(Role.CASEWORKER))
    page = client.get("/staff/sessions").get_data(as_text=True)
    assert page.count('class="card"') == 2  # not the other account's
    assert "This browser" in page and "Another browser" in page
    client.set_cookie("gd_lang", "lo")
    response = client.post("/staff/sessions/end-others", follow_redirects=True)
    message = translated("lo", "You are logged out everywhere else.")
    assert message in response.get_data(as_text=True)
    assert logged_in(client) and not logged_in(lost_phone) and logged_in(someone_else)
