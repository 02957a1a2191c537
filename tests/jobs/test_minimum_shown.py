"""The job page shows the legal minimum in the wage's own terms (a day's beside a day's
wage, a month's beside a month's), each country's minimum turned into days or months by its
own law, and a worker's pay into a month by the days worked (browser findings 3)."""

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
    assert "The legal minimum here is THB11,160 a month." in page_of(client, job)  # 372 x 30
    malaysia = JobFactory(
        destination_country="MY", province="Johor", salary_currency="MYR",
        salary_amount=Decimal(70), salary_period="day", rest_days_per_week=1,
    )  # fmt: skip
    assert "The legal minimum here is MYR65.38 a day." in page_of(client, malaysia)  # 1700/26


def test_each_law_turns_its_minimum_into_months_its_own_way(client):
    """Thailand: a monthly worker is paid for 30 days. Malaysia: the monthly minimum over
    26, 22 or 17 working days (one, two, three rest days)."""
    for rest_days in (0, 1, 2, None):
        assert vetting.legal_minimum("TH", "Samut Sakhon", rest_days)["monthly"] == Decimal(11160)
    assert vetting.legal_days_per_month("MY", 1) == 26
    assert vetting.legal_days_per_month("MY", 2) == 22
    assert vetting.legal_days_per_month("MY", 3) == 17
    five_days = JobFactory(
        destination_country="MY", province="Johor", salary_currency="MYR",
        salary_amount=Decimal(80), salary_period="day", rest_days_per_week=2,
    )  # fmt: skip
    assert "The legal minimum here is MYR77.27 a day." in page_of(client, five_days)  # 1700/22


def test_the_calculator_counts_a_day_wage_by_the_days_worked(client):
    daily = Decimal(372)
    agency, employer = linked_agency()
    job = services.save_job(
        agency, None, fields(employer, salary_amount=daily), TEXTS, [fee(20000)]
    )
    services.submit_job(job, None)
    services.publish_job(job, None)  # 372 a day meets 372 a day
    link = re.search(r'href="(/rights/calculator\?[^"]+)"', page_of(client, job)).group(1)
    assert "wage=9672.00" in link  # what 26 days of work earn in a month
