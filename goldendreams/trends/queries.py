"""Figures per quarter for one organisation or a set of them (a brand's supply chain).

Every figure is a grouped query over a date column (one row per day, or per day and
currency, whatever the number of cases), bucketed into quarters here: a network with
200,000 cases reads a few thousand rows. Dates only, as everywhere a worker is concerned.

What each figure counts:

- **issues reported**: published reviews of the organisations written in the quarter whose
  structured answers report at least one problem (fees paid, documents held by someone
  else, job not as promised, no contract in their language, wages late, forced overtime,
  not free to leave). Reviews, not case categories: they are the worker voice *before* a
  case, and what the public already reads on the organisation page.
- **cases opened / resolved**: cases referred to their organisation (the organisation, its
  brands and the public hear of a case only then), by ``opened_on`` / ``resolved_on``.
- **median days to a fix**: from opened to resolved, of the cases resolved in the quarter.
- **share confirmed by workers**: of the resolved cases closed in the quarter (any outcome
  starting with ``resolved_``), those closed as ``resolved_confirmed``.
- **money returned**: amounts of the shared steps that fixed something (remediation, a
  government order), plus confirmed instalments of collective cases
  (``collective.queries.paid_between``), per currency; brand and public figures count only
  the instalments collective's own rules publish (3 workers covered or more, confirmed
  before today), an organisation's own portal all of its own.

Suppression (``cases.queries.SUPPRESS_BELOW``): counts under 3 are None ("fewer than 3");
a median needs 3 cases; a share needs 3 cases and neither the confirmed nor the others may
be 1 or 2 (a share of 1 in 4 tells "one worker said no"). Money is rounded to a coarse
step per currency (MONEY_STEPS); on public pages a quarter's total in a currency shows only
when 3 cases or more paid in it. ``public=True`` counts only what happened before today,
so the figures change once a day and never show a step the day it is taken.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import case, distinct, func, or_, select

from goldendreams.agencies.models import Organisation
from goldendreams.cases.models import Case, CaseEvent
from goldendreams.cases.queries import (
    SUPPRESS_BELOW,
    fixing_event,
    referred_to_organisation,
    supplier_ids,
    suppressed,
    suppressed_rows,
    suppressed_share,
)
from goldendreams.collective.queries import paid_between, paid_by_day
from goldendreams.core.base import today
from goldendreams.core.cache import memo
from goldendreams.extensions import db
from goldendreams.reviews.choices import HELD_BY_OTHERS
from goldendreams.reviews.models import Review, ReviewStatus
from goldendreams.trends.figures import (
    CONFIRMED,
    RESOLVED_PREFIX,
    Quarter,
    QuarterFigures,
    SupplierRow,
    coarse_money,
    last_quarters,
    weighted_median,
)

# --- the grouped queries ---------------------------------------------------------------------


def _cases_where(organisation_ids, public: bool, day: date) -> list:
    where = [referred_to_organisation(before=day if public else None)]
    if organisation_ids is not None:
        where.append(Case.organisation_id.in_(organisation_ids))
    return where


def _by_day(column, *where) -> dict[date, int]:
    query = select(column, func.count()).where(column.is_not(None), *where).group_by(column)
    return dict(db.session.execute(query).all())


def _problem():
    """SQL: a review whose structured answers report a problem."""
    return or_(
        Review.fees_paid == "yes",
        Review.documents_holder.in_(sorted(HELD_BY_OTHERS)),
        Review.job_as_promised == "no",
        Review.contract_in_language == "no",
        Review.wages_on_time == "no",
        Review.forced_overtime == "yes",
        Review.free_to_leave == "no",
    )


def _issues(organisation_ids, first: date, last: date, day: date) -> dict[date, int]:
    where = [
        Review.status == ReviewStatus.PUBLISHED,
        Review.published_on < day,
        Review.written_on.between(first, last),
        _problem(),
    ]
    if organisation_ids is not None:
        where.append(Review.organisation_id.in_(organisation_ids))
    return _by_day(Review.written_on, *where)


def _money(where, quarters: list[Quarter], last: date) -> list[tuple[Quarter, str, Decimal, int]]:
    """(quarter, currency, total, cases that paid) of the shared steps with an amount: the
    quarter is worked out in SQL (a CASE over its days, the same on SQLite and PostgreSQL)
    so that a case paying twice in a quarter counts once."""
    index = case(
        *[(CaseEvent.happened_on.between(q.first, q.last), n) for n, q in enumerate(quarters)]
    )
    query = (
        select(index, CaseEvent.currency, func.sum(CaseEvent.amount),
               func.count(distinct(CaseEvent.case_id)))
        .join(Case, Case.id == CaseEvent.case_id)
        .where(
            *where, fixing_event(), CaseEvent.shared.is_(True), CaseEvent.amount.is_not(None),
            CaseEvent.currency.is_not(None),
            CaseEvent.happened_on.between(quarters[0].first, last),
        )
        .group_by(index, CaseEvent.currency)
    )  # fmt: skip
    return [
        (quarters[n], currency, Decimal(total), payers)
        for n, currency, total, payers in db.session.execute(query)
    ]


def quarterly(
    organisation_ids: Iterable[int] | None,
    quarters: int = 8,
    *,
    public: bool,
    for_brand: bool = False,
) -> list[QuarterFigures]:
    """The figures of the last ``quarters`` quarters (oldest first, the current one last) at
    ``organisation_ids`` (None: the whole network), suppressed and rounded. ``public``:
    only what public pages may show, as of yesterday. Public and brand figures count only
    the collective payments brands and the public may read (``published``); an
    organisation's own portal counts all of its own."""
    ids = None if organisation_ids is None else tuple(sorted(set(organisation_ids)))
    return _quarterly(ids, quarters, public, public or for_brand, today())


@memo
def _quarterly(ids, count: int, public: bool, published: bool, day: date) -> list[QuarterFigures]:
    quarters = last_quarters(count, day)
    first, last = quarters[0].first, quarters[-1].last
    if public:  # nothing of today: the figures change once a day
        last = min(last, day - timedelta(days=1))
    if ids == () or last < first:
        return [QuarterFigures(q) for q in quarters]
    where = _cases_where(ids, public, day)
    raw: dict[Quarter, dict] = {q: defaultdict(int) for q in quarters}

    def bucket(rows: dict[date, int], key: str) -> None:
        for on, n in rows.items():
            quarter = Quarter.of(on)
            if quarter in raw:
                raw[quarter][key] += n

    bucket(_issues(ids, first, last, day), "issues")
    bucket(_by_day(Case.opened_on, *where, Case.opened_on.between(first, last)), "opened")
    bucket(_by_day(Case.resolved_on, *where, Case.resolved_on.between(first, last)), "resolved")

    days: dict[Quarter, dict[int, int]] = {q: defaultdict(int) for q in quarters}
    spans = (
        select(Case.opened_on, Case.resolved_on, func.count())
        .where(*where, Case.resolved_on.between(first, last))
        .group_by(Case.opened_on, Case.resolved_on)
    )
    for opened, resolved, n in db.session.execute(spans):
        days[Quarter.of(resolved)][(resolved - opened).days] += n

    # Grouped by the outcome itself (PostgreSQL does not match a compared expression in
    # GROUP BY with the same one in SELECT: each binds its own parameter).
    outcomes = (
        select(Case.closed_on, Case.outcome, func.count())
        .where(
            *where,
            Case.closed_on.between(first, last),
            Case.outcome.startswith(RESOLVED_PREFIX, autoescape=True),
        )
        .group_by(Case.closed_on, Case.outcome)
    )
    for closed, outcome, n in db.session.execute(outcomes):
        raw[Quarter.of(closed)]["closed"] += n
        raw[Quarter.of(closed)]["confirmed"] += n if outcome == CONFIRMED else 0

    money: dict[Quarter, dict[str, Decimal]] = {q: defaultdict(Decimal) for q in quarters}
    payers: dict[Quarter, dict[str, int]] = {q: defaultdict(int) for q in quarters}
    for quarter, currency, total, cases in _money(where, quarters, last):
        money[quarter][currency] += total
        payers[quarter][currency] += cases
    # Collective instalments: for brands and the public only collective's own published
    # ones (3 workers or more, confirmed before today), never one or two workers' payments.
    for on, currency, total in paid_by_day(ids, first, last, published=published):
        money[Quarter.of(on)][currency] += total

    figures = []
    for quarter in quarters:
        counts, spread = raw[quarter], days[quarter]
        resolved = sum(spread.values())
        figures.append(
            QuarterFigures(
                quarter,
                issues_reported=suppressed(counts["issues"]),
                opened=suppressed(counts["opened"]),
                resolved=suppressed(counts["resolved"]),
                median_days=(
                    weighted_median(spread.items()) if resolved >= SUPPRESS_BELOW else None
                ),
                confirmed_share=suppressed_share(counts["confirmed"], counts["closed"]),
                money=[
                    m
                    for currency, total in sorted(money[quarter].items())
                    # Public: a total from one or two cases' steps is not shown (collective
                    # payments add to the total, not to the count: we do not know theirs).
                    if (not public or payers[quarter][currency] >= SUPPRESS_BELOW)
                    and (m := coarse_money(currency, total))
                ],
            )
        )
    return figures


def brand_trends(buyer_id: int, quarters: int = 8) -> list[QuarterFigures]:
    """A brand's whole supply chain, quarter by quarter (the cases its suppliers were told
    of, as on the brand dashboard)."""
    return quarterly(supplier_ids(buyer_id), quarters, public=False, for_brand=True)


# --- a brand compares its suppliers -----------------------------------------------------------


def supplier_comparison(buyer_id: int, quarters: int = 4) -> list[SupplierRow]:
    """One row per supplier of a brand over the last ``quarters`` quarters: cases opened and
    resolved, median days to a fix, share confirmed by workers, money returned. A brand
    knows its total, so the opened and resolved columns hide more than the small cells
    (``suppressed_rows``): a hidden supplier's count cannot be found by subtraction."""
    ids = supplier_ids(buyer_id)
    if not ids:
        return []
    period = last_quarters(quarters, today())
    first, last = period[0].first, period[-1].last
    where = _cases_where(ids, public=False, day=today())
    org = Case.organisation_id

    def grouped(*columns, extra=()) -> list:
        query = select(org, *columns, func.count()).where(*where, *extra)
        return db.session.execute(query.group_by(org, *columns)).all()

    opened = defaultdict(int, dict(grouped(extra=[Case.opened_on.between(first, last)])))
    spans: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for key, on, off, n in grouped(
        Case.opened_on, Case.resolved_on, extra=[Case.resolved_on.between(first, last)]
    ):
        spans[key][(off - on).days] += n
    closed: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # [closed, confirmed]
    for key, outcome, n in grouped(
        Case.outcome,
        extra=[
            Case.closed_on.between(first, last),
            Case.outcome.startswith(RESOLVED_PREFIX, autoescape=True),
        ],
    ):
        closed[key][0] += n
        closed[key][1] += n if outcome == CONFIRMED else 0
    money: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    query = (
        select(org, CaseEvent.currency, func.sum(CaseEvent.amount))
        .join(CaseEvent, CaseEvent.case_id == Case.id)
        .where(*where, fixing_event(), CaseEvent.shared.is_(True), CaseEvent.amount.is_not(None),
               CaseEvent.currency.is_not(None), CaseEvent.happened_on.between(first, last))
        .group_by(org, CaseEvent.currency)
    )  # fmt: skip
    for key, currency, total in db.session.execute(query):
        money[key][currency] += Decimal(total)
    names = dict(
        db.session.execute(
            select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
        ).all()
    )
    for key in names:  # collective cases: one small grouped query per supplier
        for currency, total in paid_between([key], first, last, published=True).items():
            money[key][currency] += Decimal(total)
    order = sorted(names, key=lambda key: names[key].casefold())
    opened_cells = dict(suppressed_rows([(key, opened[key]) for key in order]))
    resolved_cells = dict(suppressed_rows([(key, sum(spans[key].values())) for key in order]))
    return [
        SupplierRow(
            key,
            names[key],
            opened=opened_cells[key],
            resolved=resolved_cells[key],
            median_days=(
                weighted_median(spans[key].items())
                if sum(spans[key].values()) >= SUPPRESS_BELOW
                else None
            ),
            confirmed_share=suppressed_share(closed[key][1], closed[key][0]),
            money=[m for c, total in sorted(money[key].items()) if (m := coarse_money(c, total))],
        )
        for key in order
    ]
