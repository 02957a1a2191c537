"""A review with fees paid becomes a case, is fixed, confirmed by the worker with the code,
and counted on the brand's dashboard and the public metrics — all on a 360 px phone."""

from __future__ import annotations

import pytest

from goldendreams.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def log_in(page, server: str, who: str) -> None:
    page.goto(f"{server}/login")
    page.fill("#email", f"{who}@demo.goldendreams.example")
    page.fill("#password", DEMO_PASSWORD)
    page.click("input[type=submit]")


def test_review_to_confirmed_remediation(live_server, browser, artifacts):
    context = browser.new_context(viewport={"width": 360, "height": 640})
    page = context.new_page()

    # A worker reviews the employer: fees paid.
    page.goto(f"{live_server}/directory/?kind=employer&country=TH")
    page.click("text=Siam Ocean Seafood Co., Ltd.")
    page.click("a[href$='/review']")
    page.click("input[name=rating][value='2'] + label")
    page.check("input[name=relationship_kind][value=current]")
    page.check("input[name=fees_paid][value=yes]")
    page.fill("#fee_amount", "18000")
    page.select_option("#fee_currency", "THB")
    page.check("input[name=fee_paid_to][value=agency]")
    page.fill("#title", "We paid a broker fee")
    page.fill("#body", "Each of us paid 18,000 baht to get this job. Nobody gave a receipt.")
    page.click("input[type=submit]")
    code = page.locator("p.code").inner_text()

    # A moderator opens a case (fees suggested from the answers).
    log_in(page, live_server, "moderator")
    page.goto(f"{live_server}/moderation/")
    page.click("text=We paid a broker fee")
    assert page.locator("input[value='FEE-01']").is_checked()
    page.fill("#workers", "6")
    page.click("form[action$='/case'] input[type=submit]")
    page.click("text=Log out")

    # A caseworker triages and refers it.
    log_in(page, live_server, "caseworker")
    page.goto(f"{live_server}/cases/")
    page.locator(".card a", has_text="Siam Ocean Seafood").first.click()
    for step in ("triaged", "referred"):
        page.select_option("#to_status", step)
        page.click("form[action$='/move'] input[type=submit]")
    page.click("text=Log out")

    # The employer records a fee repayment.
    log_in(page, live_server, "employer")
    page.goto(f"{live_server}/portal/")
    page.click("main a[href$='/cases/']")
    page.locator(".card a").first.click()
    assert "18,000 baht" not in page.locator("main").inner_text()  # never the worker's words
    page.select_option("#kind", "fee_repayment")
    page.fill("#amount", "18000")
    page.select_option("#currency", "THB")
    page.fill("#workers", "6")
    page.click("form[action$='/remediation'] input[type=submit]")
    page.screenshot(path=artifacts / "case-portal-en.png", full_page=True)
    page.click("text=Log out")

    # The worker confirms with the code.
    page.goto(f"{live_server}/check")
    page.fill("#code", code)
    page.click("input[type=submit]")
    page.check("input[name=answer][value=yes]")
    page.click("form[action$='/check/answer'] input[type=submit]")
    page.screenshot(path=artifacts / "case-worker-answer-en.png", full_page=True)

    # The caseworker resolves and closes: confirmed by the worker.
    log_in(page, live_server, "caseworker")
    page.goto(f"{live_server}/cases/")
    page.locator(".card a", has_text="Siam Ocean Seafood").first.click()
    page.select_option("#to_status", "resolved")
    page.click("form[action$='/move'] input[type=submit]")
    page.click("form[action$='/close'] button")
    assert "Resolved: confirmed by the worker" in page.locator("main").inner_text()
    page.click("text=Log out")

    # The brand's dashboard and the public metrics count it.
    log_in(page, live_server, "brand")
    page.goto(f"{live_server}/brand/")
    facts = page.locator("dl.facts").inner_text()
    assert "100%" in facts  # confirmed by workers
    assert page.locator("svg").count() >= 1
    page.screenshot(path=artifacts / "brand-dashboard-en.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.click("text=Log out")
    page.goto(f"{live_server}/metrics")
    assert page.locator("dl.facts dd").first.inner_text() == "3"  # two demo cases and this one
    page.screenshot(path=artifacts / "metrics-en.png", full_page=True)
    context.close()
