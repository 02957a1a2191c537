"""An admin invites a moderator; the moderator sets a password from the e-mailed link, must
set up two-step login before anything else, and logs in with a code the next time. On a
phone-sized screen, as a new member of staff would."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.steps import SAVED_THEM, click_to_load, log_in, log_out
from tests.conftest import code_after
from tests.mailbox import links_in

pytestmark = pytest.mark.browser

NEW_PASSWORD = "lantern copper harbour violet"


def test_invite_set_password_enrol_and_log_in(live_server, phone, mailbox, artifacts):
    log_in(phone, live_server, "admin")
    phone.goto(f"{live_server}/staff/users/invite")
    phone.fill("#email", "new.moderator@example.org")
    phone.select_option("#role", "moderator")
    click_to_load(phone, "form input[type=submit]")
    expect(phone.locator(".flash, .message").first).to_be_visible()
    log_out(phone, live_server)

    (link,) = [
        url
        for url in links_in(mailbox.last_to("new.moderator@example.org"))
        if "/invitation/" in url
    ]
    phone.goto(live_server + urlsplit(link).path)
    phone.fill("#new", NEW_PASSWORD)
    phone.fill("#again", NEW_PASSWORD)
    click_to_load(phone, "form input[type=submit]")
    expect(phone).to_have_url(re.compile(r"/login$"))

    phone.fill("#email", "new.moderator@example.org")
    phone.fill("#password", NEW_PASSWORD)
    click_to_load(phone, "form input[type=submit]")
    expect(phone).to_have_url(f"{live_server}/staff/two-factor")
    # Another address does not get round it.
    phone.goto(f"{live_server}/moderation/")
    expect(phone).to_have_url(f"{live_server}/staff/two-factor")
    phone.screenshot(path=str(artifacts / "two-factor-enrol-360.png"), full_page=True)
    assert phone.locator("svg").count() >= 1  # the QR code, drawn on the server
    key = phone.inner_text(".code.secret").replace(" ", "")
    code, step = code_after(key, 0)
    phone.fill("#code", code)
    click_to_load(phone, "form input[type=submit]")
    expect(phone.locator(".recovery-codes li")).to_have_count(10)
    click_to_load(phone, SAVED_THEM)
    expect(phone).to_have_url(f"{live_server}/staff/")
    phone.goto(f"{live_server}/moderation/")
    expect(phone).to_have_url(f"{live_server}/moderation/")
    log_out(phone, live_server)

    phone.goto(f"{live_server}/login")
    phone.fill("#email", "new.moderator@example.org")
    phone.fill("#password", NEW_PASSWORD)
    click_to_load(phone, "form input[type=submit]")
    expect(phone).to_have_url(re.compile(r"/login/code"))
    code, _ = code_after(key, step)
    phone.fill("#code", code)
    click_to_load(phone, "form input[type=submit]")
    expect(phone).to_have_url(f"{live_server}/staff/")
    no_overflow = "document.documentElement.scrollWidth <= window.innerWidth"
    assert phone.evaluate(no_overflow)
