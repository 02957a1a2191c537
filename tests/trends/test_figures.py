"""The rules of the figures, without a database: quarters, medians, shares, money."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from statistics import median

import pytest

from goldendreams.cases.queries import suppressed_share as share
from goldendreams.trends.figures import (
    Money,
    Quarter,
    coarse_money,
    last_quarters,
    weighted_median,
)


def test_quarter_boundaries():
    assert Quarter.of(date(2026, 9, 30)) == Quarter(2026, 3)
    assert Quarter.of(date(2026, 10, 1)) == Quarter(2026, 4)
    assert Quarter(2026, 4).first == date(2026, 10, 1)
    assert Quarter(2026, 4).last == date(2026, 12, 31)
    assert Quarter(2024, 1).last == date(2024, 3, 31)
    assert Quarter(2026, 4).next() == Quarter(2027, 1)
    assert Quarter(2027, 1).previous() == Quarter(2026, 4)
    assert Quarter(2026, 3).previous() == Quarter(2026, 2)


def test_last_quarters_end_with_the_current_one():
    quarters = last_quarters(8, date(2026, 2, 10))
    assert quarters[0] == Quarter(2024, 2)
    assert quarters[-1] == Quarter(2026, 1)
    assert len(quarters) == 8


def test_weighted_median_is_the_median():
    rng = random.Random(20)
    for _ in range(200):
        values = [rng.randint(0, 40) for _ in range(rng.randint(1, 30))]
        counts: dict[int, int] = {}
        for v in values:
            counts[v] = counts.get(v, 0) + 1
        assert weighted_median(counts.items()) == median(values)


def test_share_hides_small_counts():
    assert share(2, 2) is None  # two cases only
    assert share(3, 3) == 1
    assert share(0, 3) == 0
    assert share(1, 4) is None  # "one worker confirmed"
    assert share(3, 5) is None  # "two did not"
    assert share(3, 6) == 0.5


@pytest.mark.parametrize(
    ("currency", "amount", "expected"),
    [
        ("THB", "1499", Money("THB", Decimal(1000))),
        ("THB", "1500", Money("THB", Decimal(2000))),
        ("THB", "452316", Money("THB", Decimal(452000))),
        ("THB", "400", Money("THB", Decimal(1000), below_step=True)),
        ("MYR", "149.90", Money("MYR", Decimal(100))),
        ("USD", "26", Money("USD", Decimal(30))),
        ("MMK", "70000", Money("MMK", Decimal(50000))),
        ("EUR", "15350", Money("EUR", Decimal(15000))),  # no step: two significant figures
        ("THB", "0", None),
    ],
)
def test_money_is_rounded_to_a_coarse_step(currency, amount, expected):
    assert coarse_money(currency, Decimal(amount)) == expected
