"""The shapes of the trends figures and the rules that make them safe to show: quarters,
coarse money, medians from grouped counts (shares hide small counts by
``cases.queries.suppressed_share``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from goldendreams.core.templating import rounded

#: Money is shown to this step (about 20-40 US dollars): an exact amount one worker was
#: paid back could point at that worker. Other currencies: two significant figures.
MONEY_STEPS: dict[str, int] = {
    "THB": 1_000,
    "MYR": 100,
    "USD": 10,
    "MMK": 50_000,
    "KHR": 100_000,
    "LAK": 500_000,
    "NPR": 5_000,
}

#: The outcome of a case closed with the workers' word that it was fixed.
CONFIRMED = "resolved_confirmed"
RESOLVED_PREFIX = "resolved_"


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter: 2026 Q3 is 1 July to 30 September 2026."""

    year: int
    number: int

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def first(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last(self) -> date:
        return self.next().first - timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter(self.year + self.number // 4, self.number % 4 + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - (self.number == 1), (self.number - 2) % 4 + 1)


def last_quarters(count: int, day: date) -> list[Quarter]:
    """The ``count`` quarters ending with the one ``day`` falls in, oldest first."""
    quarters = [Quarter.of(day)]
    while len(quarters) < count:
        quarters.insert(0, quarters[0].previous())
    return quarters


@dataclass(frozen=True)
class Money:
    """A rounded total in one currency; ``below_step``: more than nothing but less than one
    step (shown as "less than THB1,000", ``amount`` being the step)."""

    currency: str
    amount: Decimal
    below_step: bool = False


@dataclass
class QuarterFigures:
    """One quarter's figures, already suppressed: None means "fewer than 3"."""

    quarter: Quarter
    issues_reported: int | None = None
    opened: int | None = None
    resolved: int | None = None
    median_days: float | None = None
    confirmed_share: float | None = None
    money: list[Money] = field(default_factory=list)


def coarse_money(currency: str, amount: Decimal) -> Money | None:
    """``amount`` to its currency's step (half up); None for nothing returned."""
    if not amount or amount <= 0:
        return None
    step = MONEY_STEPS.get(currency)
    if step is None:
        return Money(currency, rounded(amount))
    value = (amount / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step
    if value == 0:
        return Money(currency, Decimal(step), below_step=True)
    return Money(currency, value)


def weighted_median(counts: Iterable[tuple[int, int]]) -> float:
    """The median of values given as (value, how many times), like statistics.median."""
    pairs = sorted(counts)
    total = sum(n for _, n in pairs)
    wanted = sorted({(total - 1) // 2, total // 2})
    found: list[int] = []
    seen = 0
    for value, n in pairs:
        while wanted and wanted[0] < seen + n:
            found.append(value)
            wanted.pop(0)
        seen += n
    if len(found) == 1:
        found.append(found[0])
    return (found[0] + found[1]) / 2 if total % 2 == 0 else float(found[0])


@dataclass
class SupplierRow:
    """One supplier's figures over the comparison's period, suppressed like the rest."""

    organisation_id: int
    name: str
    opened: int | None
    resolved: int | None
    median_days: float | None
    confirmed_share: float | None
    money: list[Money]
