"""A review with fees paid becomes a case, is fixed, confirmed by the worker with the code,
and listed on the brand's dashboard — all on a 360 px phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.steps import click_to_load, log_in, log_out

pytestmark = pytest.mark.browser


def test_review_to_confirmed_remediation(live_server, browser, artifacts):
    context = browser.new_context(viewport={"width": 360, "height": 640})
    page = context.new_page()

    # A worker reviews the employer: fees paid.
    page.goto(f"{live_server}/directory/?kind=employer&country=TH")
    click_to_load(page, "text=Siam Ocean Seafood Co., Ltd.")
    click_to_load(page, "a[href$='/review']")
    page.click("input[name=rating][value='2'] + label")
    page.check("input[name=relationship_kind][value=current]")
    page.check("input[name=fees_paid][value=yes]")
    page.fill("#fee_amount", "18000")
    page.select_option("#fee_currency", "THB")
    page.check("input[name=fee_paid_to][value=agency]")
    page.fill("#title", "We paid a broker fee")
    page.fill("#body", "Each of us paid 18,000 baht to get this job. Nobody gave a receipt.")
    click_to_load(page, "input[type=submit]")
    code = page.locator("p.code").inner_text()

    # A moderator opens a case (fees suggested from the answers).
    log_in(page, live_server, "moderator")
    page.goto(f"{live_server}/moderation/")
    click_to_load(page, "text=We paid a broker fee")
    expect(page.locator("input[value='FEE-01']")).to_be_checked()
    page.fill("#workers", "6")
    click_to_load(page, "form[action$='/case'] input[type=submit]")
    log_out(page, live_server)

    # A caseworker triages and refers it.
    log_in(page, live_server, "caseworker")
    page.goto(f"{live_server}/cases/")
    # Urgent cases come first in the list (the demo's): the new one is not urgent.
    click_to_load(page, ".card:not(:has-text('Urgent')) a:has-text('Siam Ocean Seafood') >> nth=0")
    page.select_option("#to_status", "triaged")
    click_to_load(page, "form[action$='/move'] input[type=submit]")
    # The worker agreed on the phone that the employer may be told (safeguarding's rule).
    page.check("#consent-first input[name='consent-method'][value=phone]")
    click_to_load(page, "#consent-first input[type=submit]")
    page.select_option("#to_status", "referred")
    click_to_load(page, "form[action$='/move'] input[type=submit]")
    log_out(page, live_server)

    # The employer records a fee repayment.
    log_in(page, live_server, "employer")
    page.goto(f"{live_server}/portal/")
    click_to_load(page, "main a[href$='/cases/']")
    click_to_load(page, ".card a >> nth=0")
    expect(page.locator("main")).not_to_contain_text("18,000 baht")  # never the worker's words
    page.select_option("#kind", "fee_repayment")
    page.fill("#amount", "18000")
    page.select_option("#currency", "THB")
    page.fill("#workers", "6")
    click_to_load(page, "form[action$='/remediation'] input[type=submit]")
    page.screenshot(path=artifacts / "case-portal-en.png", full_page=True)
    log_out(page, live_server)

    # The worker confirms with the code.
    page.goto(f"{live_server}/check")
    page.fill("#code", code)
    click_to_load(page, "input[type=submit]")
    page.check("input[name=answer][value=yes]")
    click_to_load(page, "form[action$='/check/answer'] input[type=submit]")
    expect(page.locator("p.flash.success")).to_be_visible()
    page.screenshot(path=artifacts / "case-worker-answer-en.png", full_page=True)

    # The caseworker resolves and closes: confirmed by the worker.
    log_in(page, live_server, "caseworker")
    page.goto(f"{live_server}/cases/")
    click_to_load(page, ".card:not(:has-text('Urgent')) a:has-text('Siam Ocean Seafood') >> nth=0")
    page.select_option("#to_status", "resolved")
    click_to_load(page, "form[action$='/move'] input[type=submit]")
    click_to_load(page, "form[action$='/close'] button")
    expect(page.locator("main")).to_contain_text("Resolved: confirmed by the worker")
    log_out(page, live_server)

    # The brand's dashboard lists it, closed, beside the demo's year of supplier history:
    # its figures and the quarterly charts (drawn on the server) show.
    log_in(page, live_server, "brand")
    page.goto(f"{live_server}/brand/")
    card = page.locator(".card", has_text="Siam Ocean Seafood")
    expect(card.filter(has_text="Closed")).not_to_have_count(0)
    expect(page.locator("main dl.facts").first).to_be_visible()
    expect(page.locator("main svg[role=img]").first).to_be_visible()
    page.screenshot(path=artifacts / "brand-dashboard-en.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    log_out(page, live_server)
    page.goto(f"{live_server}/metrics")  # counts what happened before today: not this case
    expect(page.locator("dl.facts dd").first).to_be_visible()
    page.screenshot(path=artifacts / "metrics-en.png", full_page=True)
    context.close()
