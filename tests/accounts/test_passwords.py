"""Password rules: long enough, not easy to guess; changing one needs the current one."""

from __future__ import annotations

import pytest

from goldendreams.accounts import services
from goldendreams.core.auth import Role
from tests.conftest import TEST_PASSWORD, login, translated

EASY = [
    "password1234",  # the most common passwords, made long enough
    "qwertyuiop123",  # keyboard runs
    "aaaaaaaaaaaaaaa",  # repeats
    "123456789012",
    "iloveyou2024!",
    "somchai.worker1",  # the account's own email
]
GOOD = [
    "a mango tree by the river",
    "golden-dreams-demo",
    "rain on tin roof 7",
    "the long road from Mawlamyine to Mae Sot, and the long way back home again",
]


@pytest.mark.parametrize("password", EASY)
def test_easy_passwords_are_refused(app, password):
    with pytest.raises(services.AccountError, match="too easy"):
        services.create_user("somchai.worker@example.org", password, "moderator")


@pytest.mark.parametrize("password", ["short", "elevenchars"])
def test_short_passwords_are_refused(app, password):
    with pytest.raises(services.AccountError, match="at least 12"):
        services.create_user("a@example.org", password, "moderator")


@pytest.mark.parametrize("password", GOOD)
def test_long_passwords_of_any_kind_are_taken(app, password):
    """No rules about digits or capitals, and long passwords (and phrases) work."""
    user = services.create_user("a@example.org", password, "moderator")
    assert services.authenticate("a@example.org", password) == user


def test_a_very_long_password_is_judged_and_stored(app):
    password = "correct horse battery staple " * 30  # over zxcvbn's own limit of 72
    user = services.create_user("a@example.org", password, "moderator")
    assert services.authenticate("a@example.org", password) == user


def change(client, current, new, again=None):
    data = {"current": current, "new": new, "again": new if again is None else again}
    return client.post("/staff/password", data=data)


@pytest.mark.parametrize("locale", ["en", "my", "km", "th", "lo", "ne"])
def test_the_change_form_explains_each_refusal_in_the_readers_language(client, user_for, locale):
    user = user_for(Role.AGENCY_STAFF)
    login(client, user)
    client.set_cookie("gd_lang", locale)

    def says(response, message, **values):
        text = (message if locale == "en" else translated(locale, message)) % values
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and text in page, message

    says(change(client, "not my password", "a mango tree by the river"),
         "This is not your current password.")  # fmt: skip
    says(change(client, TEST_PASSWORD, "password1234"),
         "This password is too easy to guess. Use a few words that only you would put "
         "together.")  # fmt: skip
    says(change(client, TEST_PASSWORD, "short"), "Use at least %(count)d characters.", count=12)
    says(change(client, TEST_PASSWORD, "a mango tree by the river", "another tree"),
         "The two new passwords are not the same.")  # fmt: skip
    says(change(client, "", ""), "Please enter your password.")
    # Nothing was changed by any of these.
    assert services.authenticate(user.email, TEST_PASSWORD) == user


def test_the_change_is_audited_without_the_password(app, client, user_for):
    from sqlalchemy import select

    from goldendreams.core.audit import AuditLog
    from goldendreams.extensions import db

    user = user_for(Role.CASEWORKER)
    login(client, user)
    assert change(client, TEST_PASSWORD, "a mango tree by the river").status_code == 302
    entry = db.session.scalars(select(AuditLog).filter_by(action="password_changed")).one()
    assert entry.actor_id == user.id and entry.target_id == user.id
    assert "mango" not in str(entry.detail)


def test_the_change_page_needs_a_login(client):
    response = client.get("/staff/password")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
