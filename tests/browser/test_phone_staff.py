"""Staff pages on a 360x640 phone: logging in and out, changing a password, the list of
logins. Each logs in (a session, an audit entry), so each has a server of its own."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from goldendreams.config import LOCALES
from goldendreams.demo import DEMO_PASSWORD
from tests.browser.steps import click_to_load, log_in
from tests.browser.test_phone import overflow, small_tap_targets

pytestmark = pytest.mark.browser


def test_staff_login_and_logout_without_javascript(live_server, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 640})
    page = context.new_page()
    page.goto(f"{live_server}/login")
    # Agency staff: their second step is optional (the demo gives them none), and setting
    # one up is a separate test (test_account_flow.py).
    page.fill("#email", "agency@demo.goldendreams.example")
    page.fill("#password", DEMO_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server}/staff/")
    page.click("text=Log out")
    expect(page).to_have_url(f"{live_server}/")
    context.close()


@pytest.mark.parametrize("locale", LOCALES)
def test_changing_a_password_on_a_phone(live_server, phone, artifacts, locale):
    phone.goto(f"{live_server}/language/{locale}?next=/")
    log_in(phone, live_server, "moderator")  # sets up two-step login first, in that language
    click_to_load(phone, "a[href='/staff/password']")
    phone.fill("#current", DEMO_PASSWORD)
    phone.fill("#new", "password1234")
    phone.fill("#again", "password1234")
    click_to_load(phone, "input[type=submit]")
    expect(phone.locator(".field.has-error #new")).to_have_count(1)  # too easy: refused
    phone.screenshot(path=artifacts / f"password-{locale}.png", full_page=True)
    assert overflow(phone) <= 0
    assert small_tap_targets(phone) == []


def test_the_list_of_logins_on_a_phone(live_server, phone, artifacts):
    phone.goto(f"{live_server}/language/km?next=/")
    log_in(phone, live_server, "caseworker")
    click_to_load(phone, "a[href='/staff/sessions']")
    expect(phone.locator(".card")).to_have_count(1)
    phone.screenshot(path=artifacts / "sessions-km.png", full_page=True)
    assert overflow(phone) <= 0
    assert small_tap_targets(phone) == []
