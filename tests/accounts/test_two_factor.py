"""Two-step login (TOTP, RFC 6238): enrolment with a real code, the second step of a login,
a code never accepted twice, the ±1 step window, single-use hashed recovery codes, the
guard that keeps people who must enrol away from every other page, the pending login's
time limit, wrong codes spending the login budgets, the key encrypted at rest."""

from __future__ import annotations

import logging
import re

import pyotp
import pytest
from sqlalchemy import select, text, update
from werkzeug.security import check_password_hash

from goldendreams.accounts import services, two_factor
from goldendreams.accounts.models import RecoveryCode, SecondFactor
from goldendreams.accounts.views import PENDING_LOGIN, PENDING_LOGIN_SECONDS
from goldendreams.core.audit import AuditLog
from goldendreams.core.auth import Role
from goldendreams.extensions import db
from tests.conftest import TEST_PASSWORD, TOTP_SECRET, login, second_factor_code
from tests.factories import OrganisationFactory, UserFactory

#: A fixed step for the tests that look at the window (replaces two_factor.current_step).
NOW = 60_000_000


@pytest.fixture
def at_step(monkeypatch):
    """Stand the site's clock at a TOTP step; returns a function to move it."""

    def stand(step: int) -> None:
        monkeypatch.setattr(two_factor, "current_step", lambda: step)

    stand(NOW)
    return stand


def code_at(step: int, secret: str = TOTP_SECRET) -> str:
    return pyotp.TOTP(secret).generate_otp(step)


def password_step(client, user, next_url: str | None = None, password: str = TEST_PASSWORD):
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"email": user.email, "password": password})


def factor(user) -> SecondFactor:
    db.session.expire_all()
    return db.session.get(SecondFactor, user.id)


def enrol(client, user) -> tuple[str, list[str]]:
    """Go through enrolment as the logged-in ``user``; returns the key and the codes."""
    page = client.get("/staff/two-factor").get_data(as_text=True)
    secret = re.search(r'class="code secret" translate="no">([A-Z2-7 ]+)<', page)[1]
    secret = secret.replace(" ", "")
    response = client.post(
        "/staff/two-factor/confirm", data={"code": code_at(two_factor.current_step(), secret)}
    )
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([A-Z2-7]{5}-[A-Z2-7]{5})</code></li>", response.text)
    return secret, codes


# --- enrolment -------------------------------------------------------------------------------


def test_enrolment_with_a_real_code_shows_ten_recovery_codes_once(app, client, at_step):
    user = UserFactory(role="admin", second_factor=False)
    login(client, user)
    page = client.get("/staff/two-factor").get_data(as_text=True)
    assert "<svg" in page and "<?xml" not in page
    shown = re.search(r'class="code secret" translate="no">([A-Z2-7 ]+)<', page)[1]
    assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", shown)  # 160 bits, in fours
    secret = shown.replace(" ", "")
    assert factor(user).secret == secret and factor(user).confirmed_at is None
    # The page again: the same key (the phone may already hold it).
    assert shown in client.get("/staff/two-factor").get_data(as_text=True)

    wrong = client.post("/staff/two-factor/confirm", data={"code": "000000"})
    assert wrong.status_code == 200 and "This code is not right" in wrong.text
    assert factor(user).confirmed_at is None

    response = client.post("/staff/two-factor/confirm", data={"code": code_at(NOW, secret)})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([A-Z2-7]{5}-[A-Z2-7]{5})</code></li>", response.text)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "I have saved them" in response.text
    row = factor(user)
    assert row.confirmed_at is not None and row.last_step == NOW
    # Stored as salted scrypt hashes only: none is the code, each matches one code.
    stored = list(db.session.scalars(select(RecoveryCode.code_hash).filter_by(user_id=user.id)))
    assert all(h.startswith("scrypt:") for h in stored) and len(set(stored)) == 10
    plain = [c.replace("-", "") for c in codes]
    assert not any(p in h for p in plain for h in stored)
    assert sorted(
        next(i for i, c in enumerate(plain) if check_password_hash(h, c)) for h in stored
    ) == list(range(10))
    assert db.session.scalar(select(AuditLog.id).filter_by(action="two_factor.enrolled"))
    # Shown once: the page now says it is on, without the codes or the key.
    page = client.get("/staff/two-factor").get_data(as_text=True)
    assert "10 unused recovery codes" in page
    assert not any(code in page for code in codes) and shown not in page
    # Confirming again does nothing.
    assert (
        client.post(
            "/staff/two-factor/confirm", data={"code": code_at(NOW + 1, secret)}
        ).status_code
        == 302
    )


def test_the_key_is_encrypted_at_rest(app, client):
    user = UserFactory(role="moderator", second_factor=False)
    login(client, user)
    client.get("/staff/two-factor")
    secret = factor(user).secret
    raw = db.session.execute(
        text("SELECT secret FROM second_factors WHERE user_id = :id"), {"id": user.id}
    ).scalar()
    assert secret not in raw and secret.lower() not in raw.lower()
    assert len(secret) == 32


def test_the_qr_code_is_an_inline_svg_made_from_the_otpauth_uri(app, client):
    import segno

    user = UserFactory(role="caseworker", second_factor=False, email="cw@example.org")
    login(client, user)
    page = client.get("/staff/two-factor").get_data(as_text=True)
    secret = factor(user).secret
    uri = two_factor.provisioning_uri(user, secret)
    assert uri.startswith("otpauth://totp/Golden%20Dreams:cw%40example.org?")
    assert f"secret={secret}" in uri and "issuer=Golden%20Dreams" in uri
    assert pyotp.parse_uri(uri).secret == secret
    svg = re.search(r"<svg.*?</svg>", page, re.S)[0]
    # segno draws the same matrix from the URI: the same path is in the page.
    expected_path = re.search(r' d="([^"]+)"', segno.make(uri, error="m").svg_inline(
        scale=5, light="#fff", dark="#000", lineclass=None
    ).split("<path", 2)[2])[1]  # fmt: skip
    assert expected_path in svg
    # Nothing the Content-Security-Policy refuses: no style, no script.
    assert not re.search(r"\sstyle=|<style|<script|\son[a-z]+=", svg)
    assert "style-src 'self'" in client.get("/staff/two-factor").headers["Content-Security-Policy"]


# --- the second step of a login --------------------------------------------------------------


def test_login_asks_for_a_code_and_keeps_next(app, client, at_step):
    user = UserFactory(role="moderator")
    response = password_step(client, user, "/moderation/")
    assert response.headers["Location"] == "/login/code?next=/moderation/"
    # The password alone opens nothing.
    assert client.get("/staff/").status_code == 302
    with client.session_transaction() as session:
        assert "_user_id" not in session and "sid" not in session
    page = client.get("/login/code?next=/moderation/").get_data(as_text=True)
    assert "6-digit code" in page
    response = client.post("/login/code?next=/moderation/", data={"code": code_at(NOW)})
    assert response.headers["Location"] == "/moderation/"
    assert client.get("/staff/").status_code == 200
    assert factor(user).last_step == NOW


def test_wrong_replayed_and_old_codes_are_refused(app, client, at_step):
    app.config["LOGIN_LOCKOUT"] = "100 per minute"  # more wrong codes than the lockout allows
    user = UserFactory(role="admin")
    password_step(client, user)
    for code in ("000000", "12345", "abcdef", code_at(NOW - 2), code_at(NOW + 2), "٠١٢٣٤٥"):
        response = client.post("/login/code", data={"code": code})
        assert response.status_code == 200, code
        assert "This code is not right" in response.text
    assert client.post("/login/code", data={"code": code_at(NOW)}).status_code == 302
    client.post("/logout")
    # The same code again (someone who saw it typed): refused, and the step before too.
    password_step(client, user)
    assert client.post("/login/code", data={"code": code_at(NOW)}).status_code == 200
    assert client.post("/login/code", data={"code": code_at(NOW - 1)}).status_code == 200
    # A later step within the window works.
    assert client.post("/login/code", data={"code": code_at(NOW + 1)}).status_code == 302


@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_one_step_either_side_is_accepted(app, client, at_step, offset):
    user = UserFactory(role="caseworker")
    password_step(client, user)
    response = client.post("/login/code", data={"code": code_at(NOW + offset)})
    assert response.status_code == 302 and response.headers["Location"] == "/staff/"
    assert factor(user).last_step == NOW + offset


def test_a_code_with_spaces_works(app, client, at_step):
    user = UserFactory(role="caseworker")
    password_step(client, user)
    code = code_at(NOW)
    assert client.post("/login/code", data={"code": f" {code[:3]} {code[3:]} "}).status_code == 302


def test_recovery_codes_work_once(app, client, at_step, caplog):
    caplog.set_level(logging.INFO, logger="goldendreams.security")
    user = UserFactory(role="admin", second_factor=False)
    login(client, user)
    _secret, codes = enrol(client, user)
    client.post("/logout")

    password_step(client, user)
    # Typed in lower case, without the dash: still the code.
    typed = codes[0].replace("-", "").lower()
    response = client.post("/login/code", data={"code": typed})
    assert response.status_code == 302 and response.headers["Location"] == "/staff/"
    assert "9 are left" in client.get("/staff/").text
    client.post("/logout")

    password_step(client, user)
    assert client.post("/login/code", data={"code": codes[0]}).status_code == 200
    assert client.post("/login/code", data={"code": codes[1]}).status_code == 302
    used = db.session.scalar(
        select(RecoveryCode.id).filter_by(user_id=user.id).where(RecoveryCode.used_at.is_not(None))
    )
    assert used
    messages = " ".join(r.getMessage() for r in caplog.records)
    assert "recovery code used: user" in messages
    assert not any(c in messages or c.replace("-", "") in messages for c in codes)


def test_new_recovery_codes_need_the_password_or_a_code_and_replace_the_old(app, client, at_step):
    user = UserFactory(role="moderator", second_factor=False)
    login(client, user)
    secret, old_codes = enrol(client, user)
    refused = client.post("/staff/two-factor/recovery-codes", data={"proof": "not it"})
    assert refused.status_code == 200 and "neither your password nor a current code" in refused.text
    response = client.post("/staff/two-factor/recovery-codes", data={"proof": TEST_PASSWORD})
    new_codes = re.findall(r"<li><code>([A-Z2-7]{5}-[A-Z2-7]{5})</code></li>", response.text)
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    response = client.post(
        "/staff/two-factor/recovery-codes", data={"proof": code_at(NOW + 1, secret)}
    )
    newest = re.findall(r"<li><code>([A-Z2-7]{5}-[A-Z2-7]{5})</code></li>", response.text)
    assert len(newest) == 10
    assert (
        db.session.scalar(select(db.func.count(RecoveryCode.id)).filter_by(user_id=user.id)) == 10
    )
    client.post("/logout")
    password_step(client, user)
    assert client.post("/login/code", data={"code": old_codes[0]}).status_code == 200
    assert client.post("/login/code", data={"code": new_codes[0]}).status_code == 200
    assert client.post("/login/code", data={"code": newest[0]}).status_code == 302


# --- the pending login ------------------------------------------------------------------------


def test_the_pending_login_expires(app, client, at_step):
    user = UserFactory(role="admin")
    password_step(client, user)
    with client.session_transaction() as session:
        pending = session[PENDING_LOGIN]
        # As if the password had been typed just over five minutes ago.
        session[PENDING_LOGIN] = {**pending, "at": pending["at"] - PENDING_LOGIN_SECONDS - 1}
    response = client.post("/login/code", data={"code": code_at(NOW)})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert "The time for the code ran out" in page
    # Not usable afterwards either, and nobody was logged in.
    assert client.post("/login/code", data={"code": code_at(NOW)}).status_code == 302
    assert client.get("/staff/").status_code == 302
    assert factor(user).last_step == 0


def test_the_code_page_without_a_password_first(app, client):
    response = client.get("/login/code")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    response = client.post("/login/code", data={"code": "123456"})
    assert response.status_code == 302 and response.headers["Location"] == "/login"


def test_a_switched_off_account_cannot_finish_its_login(app, client, at_step):
    user = UserFactory(role="admin")
    password_step(client, user)
    user.active = False
    db.session.commit()
    response = client.post("/login/code", data={"code": code_at(NOW)})
    assert response.headers["Location"] == "/login"
    assert client.get("/staff/").status_code == 302


# --- wrong codes spend the login budgets -------------------------------------------------------


def test_wrong_codes_reach_the_lockout(app, client, at_step, caplog):
    """LOGIN_LOCKOUT: 3 wrong tries a minute for an account from one network."""
    caplog.set_level(logging.INFO, logger="goldendreams.security")
    user = UserFactory(role="moderator")
    password_step(client, user)
    for _ in range(3):
        assert client.post("/login/code", data={"code": "000000"}).status_code == 200
    refused = client.post("/login/code", data={"code": code_at(NOW)})  # even the right one
    assert refused.status_code == 429
    assert "Too many wrong passwords or codes for this account" in refused.text
    # The password step waits as well: the same budgets.
    client.post("/logout")
    other = app.test_client()
    response = other.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 429
    messages = [r.getMessage() for r in caplog.records if r.name == "goldendreams.security"]
    assert sum(m == f"code wrong: user {user.id}" for m in messages) == 3
    assert any(m.startswith("code refused (account_here)") for m in messages)
    assert not any("000000" in m or code_at(NOW) in m for m in messages)
    assert factor(user).last_step == 0


# --- the guard: enrol first --------------------------------------------------------------------

#: Everything else a required role might open before enrolling, read or sent.
GUARDED = [
    ("GET", "/staff/"),
    ("GET", "/staff/password"),
    ("POST", "/staff/password"),
    ("GET", "/staff/sessions"),
    ("POST", "/staff/sessions/end-others"),
    ("GET", "/staff/organisations/"),
    ("POST", "/staff/organisations/new"),
    ("GET", "/staff/accounts"),
    ("GET", "/moderation/"),
    ("POST", "/moderation/reviews/1/publish"),
    ("GET", "/cases/"),
    ("POST", "/cases/new"),
    ("GET", "/portal/"),
    ("GET", "/staff/articles/"),
    ("GET", "/staff/two-factor/../"),
    ("POST", "/staff/two-factor/recovery-codes"),
    ("POST", "/staff/two-factor/off"),
    ("GET", "/"),
    ("GET", "/jobs/"),
    ("GET", "/no/such/page"),
    ("GET", "/login"),
    ("GET", "/login/code"),
    ("POST", "/login"),
]


@pytest.mark.parametrize("role", [Role.ADMIN, Role.MODERATOR, Role.CASEWORKER])
def test_required_roles_must_enrol_before_anything_else(app, client, role):
    user = UserFactory(role=role.value, second_factor=False)
    login(client, user)
    for method, url in GUARDED:
        response = client.open(url, method=method, data={"title": "x", "status": "published"})
        assert response.status_code == 302, (method, url)
        assert response.headers["Location"] == "/staff/two-factor", (method, url)
    assert client.get("/staff/two-factor").status_code == 200
    assert db.session.scalar(select(AuditLog.id)) is None  # nothing was done
    stylesheet = client.get("/static/style.css")
    stylesheet.close()
    assert stylesheet.status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/staff/").headers["Location"].startswith("/login")


def test_after_enrolling_everything_opens(app, client, at_step):
    user = UserFactory(role="admin", second_factor=False)
    login(client, user)
    enrol(client, user)
    assert client.get("/staff/").status_code == 200
    assert client.get("/staff/sessions").status_code == 200


def test_an_admin_reset_means_enrolling_again_at_the_next_login(app, client, at_step):
    user = UserFactory(role="caseworker")
    login(client, user)
    client.post("/logout")
    # What the admin's reset does: the rows go.
    db.session.execute(db.delete(RecoveryCode).filter_by(user_id=user.id))
    db.session.execute(db.delete(SecondFactor).filter_by(user_id=user.id))
    db.session.commit()
    response = password_step(client, user)
    assert response.headers["Location"] == "/staff/"  # no code to ask for
    assert client.get("/staff/").headers["Location"] == "/staff/two-factor"
    assert "Set up two-step login" in client.get("/staff/two-factor").text


def test_optional_roles_need_no_second_factor(app, client):
    org = OrganisationFactory(kind="agency")
    user = UserFactory(role="agency_staff", organisation=org)
    assert factor(user) is None
    login(client, user)
    assert client.get("/staff/").status_code == 200
    assert "Set up two-step login" in client.get("/staff/two-factor").text


def test_a_setting_can_require_it_of_other_roles(app, client):
    app.config["TWO_FACTOR_ROLES"] = [*app.config["TWO_FACTOR_ROLES"], "brand"]  # this app's
    org = OrganisationFactory(kind="buyer")
    user = UserFactory(role="brand", organisation=org)
    assert factor(user) is not None  # the factory follows the setting
    db.session.delete(factor(user))
    db.session.commit()
    login(client, user)
    assert client.get("/brand/").headers["Location"] == "/staff/two-factor"


# --- turning it off ---------------------------------------------------------------------------


def test_required_roles_cannot_turn_it_off(app, client, at_step):
    user = UserFactory(role="admin")
    login(client, user)
    assert "cannot be turned off" in client.get("/staff/two-factor").text
    assert client.post("/staff/two-factor/off", data={"code": code_at(NOW + 1)}).status_code == 403
    assert factor(user) is not None
    with pytest.raises(two_factor.TwoFactorError):
        two_factor.turn_off(user, code_at(NOW + 1))


def test_optional_roles_turn_it_off_with_a_code(app, client, at_step):
    org = OrganisationFactory(kind="employer")
    user = UserFactory(role="employer_staff", organisation=org, second_factor=True)
    login(client, user)
    page = client.get("/staff/two-factor").text
    assert "Turn off two-step login" in page
    wrong = client.post("/staff/two-factor/off", data={"code": "000000"})
    assert wrong.status_code == 200 and "This code is not right" in wrong.text
    response = client.post("/staff/two-factor/off", data={"code": code_at(NOW + 1)})
    assert response.status_code == 302
    assert factor(user) is None
    assert db.session.scalar(select(RecoveryCode.id).filter_by(user_id=user.id)) is None
    assert db.session.scalar(select(AuditLog.id).filter_by(action="two_factor.turned_off"))
    client.post("/logout")
    assert password_step(client, user).headers["Location"] == "/staff/"


# --- the test helper itself ---------------------------------------------------------------------


def test_the_login_helper_logs_one_user_in_many_times(app, client):
    """tests/conftest.login picks a step the site has not used yet."""
    user = UserFactory(role="moderator")
    for _ in range(3):
        login(client, user)
        assert client.get("/staff/").status_code == 200
        client.post("/logout")


def test_demo_staff_set_it_up_at_their_first_login(app, client):
    from goldendreams.demo import DEMO_PASSWORD

    result = app.test_cli_runner().invoke(args=["demo"])
    assert (
        "Two-step login: admin, moderator, caseworker, government, mobilizer set it up at "
        "their first login"
    ) in result.output
    data = {"email": "caseworker@demo.goldendreams.example", "password": DEMO_PASSWORD}
    assert client.post("/login", data=data).headers["Location"] == "/staff/"
    assert client.get("/cases/").headers["Location"] == "/staff/two-factor"
    assert "Set up two-step login" in client.get("/staff/two-factor").text


def test_the_staff_home_links_to_the_settings(app, client):
    login(client, UserFactory(role="moderator"))
    assert 'href="/staff/two-factor"' in client.get("/staff/").text


def test_one_code_sent_twice_at_once_opens_only_one_login(app, at_step, monkeypatch):
    """Two logins racing with one code: the other request takes the step between this
    one's check and its write; this one is then refused (a conditional update)."""
    user = UserFactory(role=Role.MODERATOR.value)
    two_factor.factor_of(user)  # loaded before the other request writes
    check = two_factor._matching_step

    def the_other_request_wins(row, code):
        step = check(row, code)
        with db.engine.begin() as connection:
            connection.execute(
                update(SecondFactor).where(SecondFactor.user_id == user.id).values(last_step=step)
            )
        return step

    monkeypatch.setattr(two_factor, "_matching_step", the_other_request_wins)
    assert two_factor.verify(user, code_at(NOW)) is None


def test_a_password_changed_meanwhile_ends_a_pending_login(client, app):
    """Someone who had the old password and reached the code step cannot finish once the
    owner has set a new one; opening /login again also drops the step."""
    user = UserFactory(role=Role.MODERATOR.value)
    password_step(client, user)
    services.reset_password(user, "a brand new passphrase for the owner")
    response = client.post("/login/code", data={"code": second_factor_code(user)})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert client.get("/staff/").status_code == 302  # not logged in

    password_step(client, user, password="a brand new passphrase for the owner")
    client.get("/login")
    response = client.post("/login/code", data={"code": second_factor_code(user)})
    assert client.get("/staff/").status_code == 302
