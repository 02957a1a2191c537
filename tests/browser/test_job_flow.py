"""On a phone: an agency posts a job with a fee the worker pays, a moderator publishes it, a
jobseeker filters, applies and gets a code, the agency shortlists, the jobseeker sees it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from goldendreams.core.base import today
from goldendreams.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

TITLE = "Chicken factory packer"


def log_in(page, server: str, who: str) -> None:
    page.goto(f"{server}/login")
    page.fill("#email", f"{who}@demo.goldendreams.example")
    page.fill("#password", DEMO_PASSWORD)
    page.click("input[type=submit]")


def log_out(page) -> None:
    page.click("text=Log out")


def test_post_vet_apply_shortlist(live_server, browser, artifacts):
    context = browser.new_context(viewport={"width": 360, "height": 640})
    page = context.new_page()

    log_in(page, live_server, "agency")
    page.goto(f"{live_server}/portal/")
    page.click("main a[href*='/portal/'][href$='/jobs/']")
    page.click("text=Post a new job")
    page.fill("#texts-en-title", TITLE)
    page.fill("#texts-en-description", "Packing chicken in a cold room. Warm clothes given.")
    page.select_option("#employer_id", label="Mahachai Frozen Foods Co., Ltd.")  # linked
    page.select_option("#sector", "poultry")
    page.select_option("#destination_country", "TH")
    page.select_option("#province", "Lop Buri")
    page.fill("#positions", "12")
    page.fill("#salary_amount", "380")
    page.select_option("#salary_period", "day")
    page.fill("#hours_per_day", "8")
    page.fill("#rest_days_per_week", "1")
    page.fill("#contract_months", "24")
    page.check("input[name=recruiting_from][value=MM]")
    page.select_option("#fees-0-kind", "medical")
    page.fill("#fees-0-amount", "1500")
    page.select_option("#fees-0-currency", "THB")
    page.select_option("#fees-0-paid_by", "worker")
    page.fill("#deadline", (today() + timedelta(days=20)).isoformat())
    page.screenshot(path=artifacts / "job-edit-en.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.click("form input[type=submit][value=Save]")
    page.click("text=Send for checking")
    assert page.locator(".check-fail").count() == 0
    assert page.locator(".check-warn", has_text="1,500").count() == 1  # the worker pays a fee
    log_out(page)

    log_in(page, live_server, "moderator")
    page.goto(f"{live_server}/moderation/")
    page.click(f"text={TITLE}")
    page.click("form[action$='/publish'] button")
    log_out(page)

    page.goto(f"{live_server}/language/my?next=/jobs/")
    page.click("details.filters summary")
    page.select_option("#country", "TH")
    page.select_option("#recruiting_from", "MM")
    page.click("details.filters button[type=submit]")
    page.click(f"text={TITLE}")
    assert "1,500" in page.locator(".fees").inner_text()
    page.screenshot(path=artifacts / "job-page-my.png", full_page=True)
    page.click("a[href$='/apply']")
    page.fill("#name", "Ma Thida")
    page.fill("#phone", "09 450 222 333")
    page.check("#consent")
    page.click("input[type=submit]")
    code = page.locator("p.code").inner_text()
    page.goto(f"{live_server}/language/en?next=/")

    log_in(page, live_server, "agency")
    page.goto(f"{live_server}/portal/")
    page.click("main a[href*='/portal/'][href$='/jobs/']")
    page.click(f"text={TITLE}")
    page.click("text=Applications")
    page.select_option("select[name=status]", "shortlisted")
    page.fill("textarea[name=message]", "Please come for an interview on Monday.")
    page.click("article input[type=submit]")
    log_out(page)

    page.goto(f"{live_server}/check")
    page.fill("#code", code)
    page.click("input[type=submit]")
    status = page.locator("main").inner_text()
    assert "Shortlisted" in status and "interview on Monday" in status
    page.screenshot(path=artifacts / "application-status-en.png", full_page=True)
    context.close()
