"""On a phone: an agency posts a job with a fee the worker pays, a moderator publishes it, a
jobseeker filters, applies and gets a code, the agency shortlists, the jobseeker sees it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from goldendreams.core.base import today
from tests.browser.steps import click_to_load, log_in, log_out

pytestmark = pytest.mark.browser

TITLE = "Chicken factory packer"


def test_post_vet_apply_shortlist(live_server, browser, artifacts):
    context = browser.new_context(viewport={"width": 360, "height": 640})
    page = context.new_page()

    log_in(page, live_server, "agency")
    page.goto(f"{live_server}/portal/")
    click_to_load(page, "main a[href*='/portal/'][href$='/jobs/']")
    click_to_load(page, "text=Post a new job")
    page.fill("#texts-en-title", TITLE)
    page.fill("#texts-en-description", "Packing chicken in a cold room. Warm clothes given.")
    page.select_option("#employer_id", label="Mahachai Frozen Foods Co., Ltd.")  # it recruits for
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
    click_to_load(page, "form input[type=submit][value=Save]")
    click_to_load(page, "text=Send for checking")
    expect(page.locator(".check-warn", has_text="1,500")).to_have_count(1)  # the worker pays
    expect(page.locator(".check-fail")).to_have_count(0)
    log_out(page, live_server)

    log_in(page, live_server, "moderator")
    page.goto(f"{live_server}/moderation/")
    click_to_load(page, f"text={TITLE}")
    click_to_load(page, "form[action$='/publish'] button")
    expect(page.locator("p.flash.success")).to_be_visible()
    log_out(page, live_server)

    page.goto(f"{live_server}/language/my?next=/jobs/")
    page.click("details.filters summary")
    page.select_option("#country", "TH")
    page.select_option("#recruiting_from", "MM")
    page.click("details.filters button[type=submit]")
    page.wait_for_url(lambda url: "country=TH" in url and "recruiting_from=MM" in url)
    click_to_load(page, f"text={TITLE}")
    expect(page.locator(".fees")).to_contain_text("1,500")
    page.screenshot(path=artifacts / "job-page-my.png", full_page=True)
    click_to_load(page, "a[href$='/apply']")
    page.fill("#name", "Ma Thida")
    page.fill("#phone", "09 450 222 333")
    page.check("#consent")
    click_to_load(page, "input[type=submit]")
    code = page.locator("p.code").inner_text()
    page.goto(f"{live_server}/language/en?next=/")

    log_in(page, live_server, "agency")
    page.goto(f"{live_server}/portal/")
    click_to_load(page, "main a[href*='/portal/'][href$='/jobs/']")
    click_to_load(page, f"text={TITLE}")
    click_to_load(page, "main a[href$='/applications']")
    page.select_option("select[name=status]", "shortlisted")
    page.fill("textarea[name=message]", "Please come for an interview on Monday.")
    click_to_load(page, "article input[type=submit]")
    log_out(page, live_server)

    page.goto(f"{live_server}/check")
    page.fill("#code", code)
    click_to_load(page, "input[type=submit]")
    expect(page.locator("main")).to_contain_text("Shortlisted")
    expect(page.locator("main")).to_contain_text("interview on Monday")
    page.screenshot(path=artifacts / "application-status-en.png", full_page=True)
    context.close()
