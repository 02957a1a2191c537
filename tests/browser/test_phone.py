"""The site on a 360x640 phone, in a real headless Chromium, in all six languages.

These tests only read, so they share one server with the demo data (``shared_live_server``);
the ones that log in or change something are in test_phone_staff.py, each with its own.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from goldendreams.config import LOCALES
from tests.browser.steps import click_to_load

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "directory": "/directory/",
    "rights": "/rights/",
    "article": "/rights/recruitment-fees",
    "help": "/help/",
    "help, a country": "/help/?country=TH",
    "partners": "/partners",
    "search": "/search?q=passport",
    "calculator": "/rights/calculator?fee=1500000&fee_currency=MMK&wage=11000&wage_currency=THB"
    "&living=6000&interest=3&rate=60",
}
TAP_TARGETS = ".langs a, .menu a, button, .button, select, input, .card a, summary, .pager a"


def overflow(page) -> int:
    """How many CSS pixels the page is wider than the screen (0: no sideways scrolling)."""
    return page.evaluate(
        "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - window.innerWidth"
    )


def small_tap_targets(page) -> list[str]:
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)]
            .filter(e => e.offsetParent !== null)
            .filter(e => { const r = e.getBoundingClientRect(); return r.height < 48; })
            .map(e => e.outerHTML.slice(0, 80))""",
        TAP_TARGETS,
    )


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("locale", LOCALES)
def test_page_fits_a_phone(shared_live_server, phone, artifacts, locale, name):
    phone.goto(f"{shared_live_server}/language/{locale}?next={quote(PAGES[name])}")
    expect(phone.locator("html")).to_have_attribute("lang", locale)
    if name == "directory":
        phone.click("details.filters summary")  # the open filter form must fit too
    phone.screenshot(path=artifacts / f"{name}-{locale}.png", full_page=True)
    assert overflow(phone) <= 0
    assert small_tap_targets(phone) == []


def test_organisation_page_fits_a_phone(shared_live_server, phone, artifacts):
    server = shared_live_server
    phone.goto(f"{server}/language/my?next=/directory/%3Fkind%3Dagency%26licence%3Dexpired")
    click_to_load(phone, ".card a >> nth=0")
    expect(phone.locator(".notice.warn").first).to_be_visible()
    phone.screenshot(path=artifacts / "organisation-expired-my.png", full_page=True)
    assert overflow(phone) <= 0


def test_directory_filters_work_without_javascript(shared_live_server, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 640})
    page = context.new_page()
    page.goto(f"{shared_live_server}/directory/")
    page.click("details.filters summary")
    page.select_option("#country", "MY")
    page.select_option("#kind", "employer")
    page.click("details.filters button[type=submit]")
    page.wait_for_url(lambda url: "country=MY" in url and "kind=employer" in url)
    metas = page.locator(".card .meta").all_inner_texts()
    assert metas and all("Malaysia" in meta and "Employer" in meta for meta in metas)
    context.close()
