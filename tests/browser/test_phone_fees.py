"""The fee lines on a 360 px phone in all six languages: each line stacked (cost, amount,
who pays), no amount broken across lines, no word cut (browser findings 1)."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import quote

import pytest

from goldendreams.config import LOCALES
from tests.factories import FeeLineFactory, JobFactory, JobTextFactory

pytestmark = pytest.mark.browser

#: Every fee line's layout, and every amount's number of line boxes (1: not broken).
LAYOUT = """() => ({
  rows: [...document.querySelectorAll('.fee-table tr')].filter(r => r.offsetParent)
        .map(r => getComputedStyle(r).display),
  amounts: [...document.querySelectorAll('.fees .amount, .card .amount')]
        .map(e => [e.textContent, e.getClientRects().length]),
  wrap: [...document.querySelectorAll('.fee-table td, .card p')]
        .map(e => getComputedStyle(e).overflowWrap + ' ' + getComputedStyle(e).wordBreak),
  wide: document.documentElement.scrollWidth - window.innerWidth,
})"""


@pytest.mark.parametrize("locale", LOCALES)
def test_fee_lines_stack_and_never_break_inside_an_amount(live_server, phone, artifacts, locale):
    job = JobFactory(employer_pays=False)
    JobTextFactory(job=job, locale="my", title="ပုဇွန်ခွာစက်ရုံ အလုပ်သမား အမျိုးသမီး")
    for kind, amount, currency in (
        ("recruitment", "4500000", "MMK"), ("medical", "1250000", "LAK"),
        ("transport", "45000", "MMK"), ("work_permit", "1234567", "KHR"),
    ):  # fmt: skip
        FeeLineFactory(job=job, kind=kind, amount=Decimal(amount), currency=currency)
    FeeLineFactory(job=job, kind="visa", amount=Decimal(2000), paid_by="employer")
    for url in (f"/jobs/{job.id}", "/jobs/"):
        phone.goto(f"{live_server}/language/{locale}?next={quote(url)}")
        layout = phone.evaluate(LAYOUT)
        assert layout["wide"] <= 0
        assert [count for _text, count in layout["amounts"] if count != 1] == [], layout
        assert not [w for w in layout["wrap"] if "anywhere" in w or "break-all" in w]
    phone.goto(f"{live_server}/jobs/{job.id}")
    layout = phone.evaluate(LAYOUT)
    assert layout["rows"] and set(layout["rows"]) == {"block"}  # a stacked list, not a table
    phone.screenshot(path=artifacts / f"job-fees-{locale}.png", full_page=True)
