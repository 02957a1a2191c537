"""Steps the browser tests share, each waiting until the page it leads to is there.

A click that loads a new page returns before that page has arrived: counting elements or
reading text right after it looks at the old page (and "not on the page" passes there). So
every step below waits, with Playwright's waiting assertions, for the page it leads to.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from goldendreams.demo import DEMO_PASSWORD

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


def log_in(page: Page, server: str, who: str, password: str = DEMO_PASSWORD) -> None:
    """Log in as a demo user (``who``@demo...) and wait for the staff home page."""
    page.goto(f"{server}/login")
    page.fill("#email", f"{who}@demo.goldendreams.example")
    page.fill("#password", password)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/staff/$"))


def log_out(page: Page, server: str) -> None:
    page.click("text=Log out")
    expect(page).to_have_url(f"{server}/")
