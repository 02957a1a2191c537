"""Controls on a 360 px phone: the apply form's consent is a real checkbox beside its words,
withdrawing a review at /check asks first and its button looks dangerous, and staff can
search the list of reviews. Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from goldendreams.extensions import db
from goldendreams.jobs.models import Job
from goldendreams.reviews import services as review_services
from goldendreams.reviews.models import Review
from tests.browser.steps import click_to_load, log_in
from tests.reviews.test_services import GOOD

pytestmark = pytest.mark.browser

RED = "rgb(176, 0, 32)"  # the danger button
BLUE = "rgb(11, 83, 148)"  # a primary button


def no_sideways_scroll(phone) -> None:
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def box(locator) -> dict:
    found = locator.bounding_box()
    assert found is not None
    return found


def test_the_consent_on_the_apply_form_is_a_checkbox(live_server, phone, artifacts):
    job = db.session.scalars(select(Job).filter_by(status="published")).first()
    phone.goto(f"{live_server}/jobs/{job.id}/apply")
    consent = phone.locator("input#consent")
    label = phone.locator("label.choice", has=consent)
    assert consent.get_attribute("type") == "checkbox"
    ticked, words = box(consent), box(label)
    assert ticked["width"] <= 32 and ticked["height"] <= 32  # a box, not a text field
    assert words["height"] >= 44  # the tap target is the whole label
    assert ticked["x"] < words["x"] + 8  # the box first, its words beside it
    phone.screenshot(path=artifacts / "controls-apply-form.png", full_page=True)
    no_sideways_scroll(phone)
    # Tapping the words ticks the box.
    label.click(position={"x": words["width"] - 20, "y": words["height"] / 2})
    assert consent.is_checked()


def test_withdrawing_at_check_asks_first(live_server, phone, artifacts):
    from tests.factories import AgencyFactory

    _review, code = review_services.submit_review(AgencyFactory(), GOOD)
    phone.goto(f"{live_server}/check")
    phone.fill("#code", code)
    click_to_load(phone, "main input[type=submit]")
    withdraw_button = "form[action$='/check/withdraw'] input[type=submit]"
    withdraw = phone.locator(withdraw_button)
    assert withdraw.evaluate("e => getComputedStyle(e).backgroundColor") == RED
    confirm = phone.locator("input[name=confirm]")
    assert confirm.get_attribute("type") == "checkbox" and box(confirm)["width"] <= 32
    phone.screenshot(path=artifacts / "controls-check-withdraw.png", full_page=True)
    no_sideways_scroll(phone)

    click_to_load(phone, withdraw_button)  # not ticked: nothing is erased
    expect(phone.locator("form[action$='/check/withdraw'] .error")).to_have_count(1)
    db.session.expire_all()
    assert db.session.scalars(select(Review).order_by(Review.id.desc())).first().status == (
        "pending"
    )
    phone.screenshot(path=artifacts / "controls-check-withdraw-refused.png", full_page=True)

    phone.locator("label.choice", has=phone.locator("input[name=confirm]")).click()
    click_to_load(phone, withdraw_button)
    expect(phone.locator(".flash.success")).to_have_count(1)
    db.session.expire_all()
    assert db.session.scalars(select(Review).order_by(Review.id.desc())).first().status == (
        "withdrawn"
    )


def test_staff_search_the_list_of_reviews(live_server, phone, artifacts):
    log_in(phone, live_server, "caseworker")
    phone.goto(f"{live_server}/moderation/reviews/")  # (the staff home links it: unit test)
    cards = phone.locator("main .card")
    assert cards.count() >= 6
    search_button = "main form[role=search] button[type=submit]"
    search = phone.locator(search_button)
    assert search.evaluate("e => getComputedStyle(e).backgroundColor") == BLUE
    phone.screenshot(path=artifacts / "controls-staff-reviews.png", full_page=True)
    no_sideways_scroll(phone)
    phone.fill("#q", "passports")
    click_to_load(phone, search_button)
    assert 1 <= cards.count() < 6
    click_to_load(phone, "main .card a >> nth=0")
    phone.screenshot(path=artifacts / "controls-staff-review-page.png", full_page=True)
    no_sideways_scroll(phone)
    assert (
        phone.locator("form[action$='/case']").count() + phone.locator("a[href^='/cases/']").count()
        >= 1
    )
