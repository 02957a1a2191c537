"""The staff platform's pages on a 360x640 phone in all six languages: managing accounts,
the audit log, failed tasks, e-mail settings, two-step login, and the public pages for a
forgotten password and for asking for an account. Each locale logs an admin in (and sets
up their second step), so each has a server of its own."""

from __future__ import annotations

import pytest

from goldendreams.config import LOCALES
from tests.browser.steps import log_in
from tests.browser.test_phone import overflow, small_tap_targets

pytestmark = pytest.mark.browser

PUBLIC = ["/login/forgot", "/organisations/claim-new"]
ADMIN = [
    "/staff/users",
    "/staff/users/invite",
    "/staff/audit/",
    "/staff/tasks",
    "/staff/notifications",
    "/staff/two-factor",
    "/staff/",
]


def small_targets(page) -> list[str]:
    """Tap targets under 48 px. A checkbox is a small box whose whole label is the target
    (macros.html ``check``): the label is measured instead of the box."""
    boxes = ('type="checkbox"', 'type="radio"')
    small = [t for t in small_tap_targets(page) if not any(b in t for b in boxes)]
    return small + page.evaluate(
        """() => [...document.querySelectorAll('label.choice, .checks label')]
            .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 48)
            .map(e => e.outerHTML.slice(0, 80))"""
    )


@pytest.mark.parametrize("locale", LOCALES)
def test_staff_platform_pages_fit_a_phone(live_server, phone, artifacts, locale):
    phone.goto(f"{live_server}/language/{locale}?next=/")
    for path in PUBLIC:
        phone.goto(live_server + path)
        assert overflow(phone) <= 0, path
        assert small_targets(phone) == [], path
    log_in(phone, live_server, "admin")
    for path in ADMIN:
        response = phone.goto(live_server + path)
        assert response.status == 200, path
        assert overflow(phone) <= 0, path
        assert small_targets(phone) == [], path
        name = path.strip("/").replace("/", "-") or "home"
        phone.screenshot(path=artifacts / f"{name}-{locale}.png", full_page=True)
