"""Small bar charts drawn on the server: the geometry here, the SVG in
templates/trends/_charts.html (no JavaScript, no external file).

Each quarter is a row: its label on one line, its bar under it, the figure at the bar's end.
Rows stack down a 320-unit wide viewBox, so the chart fills a 360 px phone and long labels
(Khmer, Nepali) never collide with the bars. A hidden figure ("fewer than 3") draws no bar.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from babel.dates import format_skeleton
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from goldendreams.trends.figures import Money, Quarter, QuarterFigures

WIDTH = 320
#: The longest bar: room is left at its end for the figure.
BAR_MAX = 230
ROW = 30
BAR_HEIGHT = 10


class Kind:
    """How a chart's figures are written (the template picks the filter)."""

    COUNT = "count"
    DAYS = "days"
    SHARE = "share"
    MONEY = "money"


@dataclass(frozen=True)
class Bar:
    label: str
    #: None: suppressed, nothing drawn.
    value: float | Decimal | None
    width: float
    #: The top of the row in the viewBox.
    y: int
    #: Money only: more than nothing, less than one rounding step.
    below_step: bool = False


@dataclass(frozen=True)
class Chart:
    #: Unique on the page: the SVG's <title> is found by this id.
    id: str
    title: str
    kind: str
    bars: list[Bar]
    height: int
    currency: str | None = None

    @property
    def is_share(self) -> bool:
        return self.kind == Kind.SHARE

    @property
    def is_ratio(self) -> bool:
        """A median or a share: hidden when based on too few cases, not a small count."""
        return self.kind in (Kind.SHARE, Kind.DAYS)

    @property
    def is_money(self) -> bool:
        return self.kind == Kind.MONEY

    @property
    def drawn(self) -> bool:
        """Something to draw: a chart of hidden figures only is left out."""
        return any(bar.value is not None for bar in self.bars)


def quarter_label(quarter: Quarter) -> str:
    """ "Q3 2026", "2026 Q3", "ไตรมาส 3 2026": the reader's language's way (CLDR)."""
    return format_skeleton("yQQQ", quarter.first, locale=get_locale() or "en")


def bar_chart(
    chart_id: str, title: str, kind: str, rows: list[tuple[str, float | Decimal | None]],
    *, currency: str | None = None, below: frozenset[str] = frozenset(),
) -> Chart:  # fmt: skip
    """A chart of (label, value) rows; bars scale to the largest (a share: to 100 %)."""
    values = [float(v) for _, v in rows if v is not None]
    top = 1.0 if kind == Kind.SHARE else max(values, default=0) or 1.0
    bars = [
        Bar(
            label,
            value,
            0 if not value else max(round(float(value) / top * BAR_MAX, 1), 1),
            index * ROW,
            label in below,
        )
        for index, (label, value) in enumerate(rows)
    ]
    return Chart(chart_id, title, kind, bars, max(len(rows), 1) * ROW, currency)


def quarter_charts(prefix: str, figures: list[QuarterFigures]) -> list[Chart]:
    """The charts of a panel: issues, opened, resolved, median days, share confirmed, and
    money returned (one chart per currency). Charts with nothing to draw are left out."""
    labels = [quarter_label(f.quarter) for f in figures]

    def rows(attribute: str) -> list:
        return list(zip(labels, [getattr(f, attribute) for f in figures], strict=True))

    charts = [
        bar_chart(f"{prefix}-issues", str(_l("Reviews that report a problem")), Kind.COUNT,
                  rows("issues_reported")),
        bar_chart(f"{prefix}-opened", str(_l("Cases opened")), Kind.COUNT, rows("opened")),
        bar_chart(f"{prefix}-resolved", str(_l("Cases fixed")), Kind.COUNT, rows("resolved")),
        bar_chart(f"{prefix}-days", str(_l("Median days from report to fix")), Kind.DAYS,
                  rows("median_days")),
        bar_chart(f"{prefix}-confirmed", str(_l("Share of fixes confirmed by workers")),
                  Kind.SHARE, rows("confirmed_share")),
    ]  # fmt: skip
    for currency in sorted({m.currency for f in figures for m in f.money}):
        amounts: dict[str, Money] = {
            label: m for label, f in zip(labels, figures, strict=True) for m in f.money
            if m.currency == currency
        }  # fmt: skip
        charts.append(
            bar_chart(
                f"{prefix}-money-{currency.lower()}",
                str(_l("Money paid back to workers (%(currency)s)", currency=currency)),
                Kind.MONEY,
                # A quarter with nothing paid back shows 0: nothing is hidden there.
                [
                    (label, amounts[label].amount if label in amounts else Decimal(0))
                    for label in labels
                ],
                currency=currency,
                below=frozenset(label for label, m in amounts.items() if m.below_step),
            )
        )
    return [chart for chart in charts if chart.drawn]
