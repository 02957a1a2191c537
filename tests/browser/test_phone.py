"""The site on a 360x640 phone, in a real headless Chromium, in all six languages."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from goldendreams.config import LOCALES

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "directory": "/directory/",
    "rights": "/rights/",
    "article": "/rights/recruitment-fees",
    "help": "/help/",
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
def test_page_fits_a_phone(live_server, phone, artifacts, locale, name):
    phone.goto(f"{live_server}/language/{locale}?next={quote(PAGES[name])}")
    assert phone.evaluate("document.documentElement.lang") == locale
    if name == "directory":
        phone.click("details.filters summary")  # the open filter form must fit too
    phone.screenshot(path=artifacts / f"{name}-{locale}.png", full_page=True)
    assert overflow(phone) <= 0
    assert small_tap_targets(phone) == []


def test_organisation_page_fits_a_phone(live_server, phone, artifacts):
    phone.goto(f"{live_server}/language/my?next=/directory/%3Fkind%3Dagency%26licence%3Dexpired")
    phone.click(".card a >> nth=0")
    assert phone.locator(".notice.warn").count() >= 1
    phone.screenshot(path=artifacts / "organisation-expired-my.png", full_page=True)
    assert overflow(phone) <= 0


def test_directory_filters_work_without_javascript(live_server, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 640})
    page = context.new_page()
    page.goto(f"{live_server}/directory/")
    page.click("details.filters summary")
    page.select_option("#country", "MY")
    page.select_option("#kind", "employer")
    page.click("details.filters button[type=submit]")
    assert "country=MY" in page.url and "kind=employer" in page.url
    metas = page.locator(".card .meta").all_inner_texts()
    assert metas and all("Malaysia" in meta and "Employer" in meta for meta in metas)
    context.close()


def test_staff_login_and_logout_without_javascript(live_server, browser):
    from goldendreams.demo import DEMO_PASSWORD

    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 640})
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.fill("#email", "moderator@demo.goldendreams.example")
    page.fill("#password", DEMO_PASSWORD)
    page.click("input[type=submit]")
    assert page.url.endswith("/staff/")
    page.click("text=Log out")
    assert page.url == f"{live_server}/"
    context.close()


@pytest.mark.parametrize("locale", LOCALES)
def test_changing_a_password_on_a_phone(live_server, phone, artifacts, locale):
    from goldendreams.demo import DEMO_PASSWORD

    phone.goto(f"{live_server}/language/{locale}?next=/login")
    phone.fill("#email", "moderator@demo.goldendreams.example")
    phone.fill("#password", DEMO_PASSWORD)
    phone.click("input[type=submit]")
    phone.click("a[href='/staff/password']")
    phone.fill("#current", DEMO_PASSWORD)
    phone.fill("#new", "password1234")
    phone.fill("#again", "password1234")
    phone.click("input[type=submit]")
    assert phone.locator(".field.has-error #new").count() == 1  # too easy: refused, explained
    phone.screenshot(path=artifacts / f"password-{locale}.png", full_page=True)
    assert overflow(phone) <= 0
    assert small_tap_targets(phone) == []


def test_the_list_of_logins_on_a_phone(live_server, phone, artifacts):
    from goldendreams.demo import DEMO_PASSWORD

    phone.goto(f"{live_server}/language/km?next=/login")
    phone.fill("#email", "caseworker@demo.goldendreams.example")
    phone.fill("#password", DEMO_PASSWORD)
    phone.click("input[type=submit]")
    phone.click("a[href='/staff/sessions']")
    assert phone.locator(".card").count() == 1
    phone.screenshot(path=artifacts / "sessions-km.png", full_page=True)
    assert overflow(phone) <= 0
    assert small_tap_targets(phone) == []
