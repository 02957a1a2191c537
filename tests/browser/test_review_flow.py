"""A worker types a review in Zawgyi Burmese on a phone; a moderator publishes it; the page
shows it in Unicode with the phone number hidden."""

from __future__ import annotations

import re

import pytest

from goldendreams.demo import DEMO_PASSWORD
from tests.conftest import translated

pytestmark = pytest.mark.browser

ZAWGYI_TITLE = "လစာ ေနာက္က်တယ္"
ZAWGYI_BODY = "လစာကို အခ်ိန္မွန္ မေပးဘူး။ ပတ္စပို႔ကို သိမ္းထားတယ္။ ဖုန္း 09 450 987 654"
UNICODE_BODY_START = "လစာကို အချိန်မှန် မပေးဘူး။"


def test_zawgyi_review_is_published_in_unicode_with_the_phone_hidden(live_server, phone, artifacts):
    phone.goto(f"{live_server}/language/my?next=/directory/%3Fkind%3Demployer")
    phone.click("text=Korat Fresh Chicken Co., Ltd.")
    org_url = phone.url
    phone.click("a[href$='/review']")
    phone.click("input[name=rating][value='4'] + label")  # the fourth star, as a person taps it
    phone.check("input[name=relationship_kind][value=current]")
    phone.select_option("#year", index=0)
    phone.check("input[name=documents_holder][value=employer]")
    phone.fill("#title", ZAWGYI_TITLE)
    phone.fill("#body", ZAWGYI_BODY)
    phone.screenshot(path=artifacts / "review-write-my.png", full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    phone.click("input[type=submit]")
    code = phone.locator("p.code").inner_text()
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", code)
    phone.screenshot(path=artifacts / "review-code-my.png", full_page=True)

    phone.goto(f"{live_server}/login")
    phone.fill("#email", "moderator@demo.goldendreams.example")
    phone.fill("#password", DEMO_PASSWORD)
    phone.click("input[type=submit]")
    phone.goto(f"{live_server}/moderation/")
    phone.locator("a", has_text="လစာ နောက်ကျတယ်").first.click()
    assert phone.locator("mark", has_text="09 450 987 654").count() == 1
    phone.screenshot(path=artifacts / "moderation-review-my.png", full_page=True)
    phone.click("form[action$='/publish'] input[type=submit]")
    from goldendreams.extensions import db
    from goldendreams.reviews.models import Review

    stored = db.session.scalars(db.select(Review).order_by(Review.id.desc())).first()
    assert (stored.rating, stored.status) == (4, "published")

    phone.goto(org_url)
    page_text = phone.locator("main").inner_text()
    assert UNICODE_BODY_START in page_text
    assert "ေနာက္က်" not in page_text  # no Zawgyi left
    assert "987 654" not in page_text and "[•••]" in page_text
    phone.screenshot(path=artifacts / "review-published-my.png", full_page=True)

    phone.goto(f"{live_server}/check")
    phone.fill("#code", code.replace("-", " ").lower())
    phone.click("input[type=submit]")
    published = translated("my", "Published: everyone can read your review.")
    assert phone.locator(".notice").first.inner_text() == published
    assert phone.locator("form[action$='/check/withdraw']").count() == 1
