from goldendreams.core.auth import Role
from tests.conftest import TEST_PASSWORD, enter_code, login
from tests.factories import UserFactory


def test_login_and_logout(client):
    user = UserFactory(role="moderator")
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/login/code"  # tests/accounts/test_two_factor.py
    response = enter_code(client, user)
    assert response.headers["Location"] == "/staff/"
    page = client.get("/staff/").get_data(as_text=True)
    assert user.email in page and "Moderator" in page
    response = client.post("/logout", follow_redirects=True)
    assert "You are logged out." in response.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302


def test_wrong_password_is_explained_and_email_kept(client):
    user = UserFactory()
    response = client.post("/login", data={"email": user.email, "password": "wrong one!"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Wrong email or password." in page and f'value="{user.email}"' in page
    assert "wrong one!" not in page


def test_empty_login_form_shows_errors(client):
    page = client.post("/login", data={}).get_data(as_text=True)
    assert "Please enter your email." in page and "Please enter your password." in page


def test_inactive_user_cannot_log_in(client):
    user = UserFactory(active=False)
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 200


def test_login_follows_next_only_on_site(client):
    user = UserFactory(role="admin")
    response = client.post(
        "/login?next=/staff/organisations/",
        data={"email": user.email, "password": TEST_PASSWORD},
    )
    response = enter_code(client, user, response.headers["Location"])  # next kept
    assert response.headers["Location"] == "/staff/organisations/"
    client.post("/logout")
    response = client.post(
        "/login?next=https://evil.example/",
        data={"email": user.email, "password": TEST_PASSWORD},
    )
    response = enter_code(client, user, response.headers["Location"])
    assert response.headers["Location"] == "/staff/"


def test_logout_needs_post(client, login_as):
    login_as(Role.ADMIN)
    assert client.get("/logout").status_code == 405


def test_staff_pages_are_not_cached(client, login_as):
    login_as(Role.ADMIN)
    assert client.get("/staff/").headers["Cache-Control"] == "private, no-store"


def exhaust_login_limit(client, app) -> list[int]:
    limit = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    # A different account each time, so the per-account lockout does not come first.
    return [
        client.post("/login", data={"email": f"x{n}@example.org", "password": "wrong"}).status_code
        for n in range(limit + 1)
    ]


def test_login_is_rate_limited_per_client(app, client):
    codes = exhaust_login_limit(client, app)
    assert codes[:-1] == [200] * (len(codes) - 1)
    assert codes[-1] == 429
    client.set_cookie("gd_lang", "lo")
    response = client.post("/login", data={"email": "x@example.org", "password": "wrong pass"})
    assert response.status_code == 429
    assert "Too many tries" not in response.get_data(as_text=True)
    other = app.test_client()
    other_response = other.post(
        "/login",
        data={"email": "x@example.org", "password": "wrong pass"},
        environ_base={"REMOTE_ADDR": "198.51.100.9"},
    )
    assert other_response.status_code == 200
    assert client.get("/login").status_code == 200  # reading the form is not limited


def test_login_prompt_is_translated(client):
    client.set_cookie("gd_lang", "ne")
    page = client.get("/staff/", follow_redirects=True).get_data(as_text=True)
    assert 'class="flash info"' in page
    assert "Please log in to open this page." not in page


def test_staff_preferred_language_applies_without_a_cookie(client):
    user = UserFactory(preferred_locale="km")
    login(client, user)
    assert '<html lang="km">' in client.get("/staff/").get_data(as_text=True)
    client.set_cookie("gd_lang", "lo")  # an explicit choice still wins
    assert '<html lang="lo">' in client.get("/staff/").get_data(as_text=True)
