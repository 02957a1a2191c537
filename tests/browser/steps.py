"""Steps the browser tests share, each waiting until the page it leads to is there.

A click that loads a new page returns before that page has arrived: counting elements or
reading text right after it looks at the old page (and "not on the page" passes there). So
every step below waits, with Playwright's waiting assertions, for the page it leads to.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from goldendreams.demo import DEMO_PASSWORD
from tests.conftest import code_after

#: Set on the page before a click; a page loaded since has a fresh ``window`` without it.
_MARK = "() => { window.gdBeforeClick = true; }"
_NEW_PAGE = "() => window.gdBeforeClick === undefined && document.readyState !== 'loading'"


def click_to_load(page: Page, selector: str) -> None:
    """Click something that loads a page (a link, a form's button) and wait until the new
    page (even the same address again, after a POST) has replaced the old one. JavaScript
    must be on (the mark is a script variable); without it, wait for the new address."""
    page.evaluate(_MARK)
    page.click(selector)
    page.wait_for_function(_NEW_PAGE)


#: "I have saved them" under the recovery codes, in any language.
SAVED_THEM = "main a.button[href$='/staff/']"

#: Two-step login of the demo users: each one's key (set up at its first login on that
#: server) and the last TOTP step sent (a step is never accepted twice).
_KEYS: dict[tuple[str, str], str] = {}
_LAST_STEPS: dict[tuple[str, str], int] = {}


def log_in(page: Page, server: str, who: str, password: str = DEMO_PASSWORD) -> None:
    """Log in as a demo user (``who``@demo...) and wait for the staff home page. Admins,
    moderators and caseworkers set up two-step login at their first login (the demo gives
    them none), then type a code from the key each later time."""
    page.goto(f"{server}/login")
    page.fill("#email", f"{who}@demo.goldendreams.example")
    page.fill("#password", password)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/staff/(two-factor)?$|/login/code"))
    if "/login/code" in page.url:
        page.fill("#code", _code(server, who))
        page.click("input[type=submit]")
    elif page.url.endswith("/staff/two-factor"):
        key = page.inner_text(".code.secret").replace(" ", "")
        _KEYS[server, who] = key
        page.fill("#code", _code(server, who))
        click_to_load(page, "input[type=submit]")
        expect(page.locator(".recovery-codes li")).to_have_count(10)
        page.click(SAVED_THEM)
    page.wait_for_url(re.compile(r"/staff/$"))


def _code(server: str, who: str) -> str:
    key = (server, who)
    code, _LAST_STEPS[key] = code_after(_KEYS[key], _LAST_STEPS.get(key, 0))
    return code


def log_out(page: Page, server: str) -> None:
    page.click("text=Log out")
    expect(page).to_have_url(f"{server}/")
