"""The repayment arithmetic, checked against hand-worked and closed-form answers; the
calculator page with the site's default exchange rates."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal as D
from html import unescape

import pytest

from goldendreams.rights import queries, seed, services
from goldendreams.rights.calculator import MAX_MONTHS, repayment


def test_without_interest_months_are_fees_over_savings_rounded_up():
    result = repayment(D(30000), D(12000), D(7000))
    assert (result.debt, result.monthly_saving, result.months) == (D(30000), D(5000), 6)
    assert result.total_paid == D(30000) and result.interest_paid == 0
    assert repayment(D(30001), D(12000), D(7000)).months == 7


def test_interest_is_added_each_month_before_paying():
    result = repayment(D(30000), D(12000), D(7000), D(5))
    # Closed form for an annuity: n = -ln(1 - rB/P) / ln(1 + r) = 7.31..., so 8 months.
    assert result.months == math.ceil(-math.log(1 - 0.05 * 30000 / 5000) / math.log(1.05)) == 8
    assert result.total_paid == D("36578.12")
    assert result.interest_paid == D("6578.12")
    # By hand: month 1 owes 31,500.00 and pays 5,000, leaving 26,500.00.
    assert repayment(D(30000), D(31500), D(0), D(5)).months == 1


def test_fees_in_another_money_are_converted_with_the_rate():
    # 3,000,000 kyat at 60 kyat to the baht is 50,000 baht; 5,000 baht saved a month.
    result = repayment(D(3_000_000), D(12000), D(7000), rate=D(60))
    assert (result.debt, result.months) == (D(50000), 10)


@pytest.mark.parametrize(
    ("living", "interest"),
    [(D(12000), D(0)), (D(13000), D(0)), (D(7000), D(20)), (D(11990), D("0.1"))],
)
def test_when_savings_never_beat_the_interest_it_cannot_be_paid_back(living, interest):
    result = repayment(D(30000), D(12000), living, interest)
    assert result.months is None and result.total_paid is None and result.interest_paid is None


def test_a_lifetime_of_payments_counts_as_never():
    assert repayment(D(10_000_000), D(1001), D(1000)).months is None
    assert repayment(D(MAX_MONTHS), D(2), D(1)).months == MAX_MONTHS


@pytest.mark.parametrize(
    "bad",
    [
        {"fee": D(0)},
        {"fee": D(-1)},
        {"wage": D(0)},
        {"living": D(-1)},
        {"interest_percent": D(-1)},
        {"rate": D(0)},
    ],
)
def test_impossible_amounts_are_refused(bad):
    values = {"fee": D(100), "wage": D(100), "living": D(0), "interest_percent": D(0)}
    with pytest.raises(ValueError):
        repayment(**{**values, **bad})


def test_why_it_can_never_be_paid_back():
    assert repayment(D(100), D(100), D(100)).never_because == "no_saving"
    assert repayment(D(30000), D(12000), D(7000), D(20)).never_because == "interest"
    assert repayment(D(60100), D(100), D(0)).never_because == "too_long"
    assert repayment(D(100), D(100)).never_because is None


def test_a_tiny_fee_is_still_a_month_of_paying():
    result = repayment(D("0.01"), D(12000), rate=D(1000))
    assert result.debt == D("0.01") and result.months == 1


# --- the default exchange rate (browser findings 2) -------------------------------------------

JOB_LINK = "/rights/calculator?fee=45000.00&fee_currency=MMK&wage=10400.00&wage_currency=THB"


def rate(base="THB", quote="MMK", value="64", set_on=date(2026, 11, 30)):
    return services.save_rate(None, base=base, quote=quote, value=D(value), set_on=set_on)


def test_without_a_typed_rate_the_calculator_uses_the_sites_and_says_which(client):
    rate()
    page = unescape(client.get(JOB_LINK).get_data(as_text=True))
    assert 'class="result"' in page and 'class="error"' not in page
    # 45,000 kyat at 64 to the baht is 703.13 baht; 10,400 saved a month: one month.
    assert "About 1 month of work" in page and "THB703.13" in page
    assert "We used the rate 1 THB = 64 MMK, set on Nov 30, 2026." in page


def test_a_rate_entered_the_other_way_round_is_turned_over(client):
    rate(base="MMK", quote="THB", value="0.015625")  # 1 MMK = 0.015625 THB: 64 MMK a baht
    page = unescape(client.get(JOB_LINK).get_data(as_text=True))
    assert "THB703.13" in page and "1 THB = 64 MMK" in page


def test_a_typed_rate_wins_over_the_sites(client):
    rate()
    page = unescape(client.get(JOB_LINK + "&rate=100").get_data(as_text=True))
    assert "THB450" in page and "We used the rate" not in page


def test_without_any_rate_it_still_asks_for_one(client):
    rate(base="MYR", quote="MMK", value="490")  # another pair
    page = client.get(JOB_LINK).get_data(as_text=True)
    assert "Enter the rate." in page and 'class="result"' not in page


def test_the_form_offers_the_sites_rate_before_calculating(client):
    rate()
    page = unescape(
        client.get("/rights/calculator?fee_currency=MMK&wage_currency=THB").get_data(as_text=True)
    )
    assert "Leave it empty to use our rate: 1 THB = 64 MMK (Nov 30, 2026)." in page


def test_the_demo_loads_dated_sample_rates(app):
    assert seed.load_rates() == len(seed.SAMPLE_RATES)
    assert seed.load_rates() == 0  # a second run adds nothing
    found = queries.default_rate("MMK", "THB")
    assert found.rate == D(64) and found.set_on == seed.SAMPLE_RATES_ON
