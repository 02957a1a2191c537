"""The job page shows the legal minimum in the wage's own terms, and one days-per-month rule
serves pay, minimums and the fee calculator (browser findings 3)."""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape

from goldendreams.jobs import services, vetting
from tests.factories import JobFactory
from tests.jobs.test_fee_checks import TEXTS, fee, fields, linked_agency


def page_of(client, job) -> str:
    return unescape(client.get(f"/jobs/{job.id}").get_data(as_text=True))


def test_a_daily_wage_is_shown_beside_the_daily_minimum(client):
    job = JobFactory(salary_amount=Decimal(400), salary_period="day")  # Samut Sakhon: 372
    page = page_of(client, job)
    assert "The legal minimum here is THB372 a day." in page
    assert "a month." not in page


def test_a_monthly_wage_is_shown_beside_the_monthly_minimum_of_its_days(client):
    job = JobFactory(
        salary_amount=Decimal(12000), salary_period="month", monthly_salary=Decimal(12000)
    )
    assert "The legal minimum here is THB9,672 a month." in page_of(client, job)  # 372 x 26
    malaysia = JobFactory(
        destination_country="MY", province="Johor", salary_currency="MYR",
        salary_amount=Decimal(70), salary_period="day", rest_days_per_week=1,
    )  # fmt: skip
    assert "The legal minimum here is MYR65.38 a day." in page_of(client, malaysia)  # 1700/26


def test_one_days_per_month_rule_for_pay_minimums_and_the_calculator(client):
    daily = Decimal(372)
    for rest_days in (0, 1, 2, None):
        minimum = vetting.legal_minimum("TH", "Samut Sakhon", rest_days)
        assert minimum["monthly"] == vetting.monthly(daily, "day", rest_days)
    agency, employer = linked_agency()
    job = services.save_job(
        agency, None, fields(employer, salary_amount=daily), TEXTS, [fee(20000)]
    )
    services.submit_job(job, None)
    services.publish_job(job, None)  # 372 a day meets 372 a day
    link = re.search(r'href="(/rights/calculator\?[^"]+)"', page_of(client, job)).group(1)
    assert "wage=9672.00" in link  # the same month the minimum is counted in
