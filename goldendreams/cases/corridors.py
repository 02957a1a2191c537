"""Figures by route (the worker's country of origin → the organisation's destination
country) and by the stage of migration when the problem happened (issue 21).

Reviews and cases record where the worker comes from and when the problem happened; a
single review never shows them (in a small group they could tell who wrote it). They are
only counted here, by the rules of every public figure (``queries``): published reviews and
cases referred to their organisation, before the month began (the figures change once a
month: from one day to the next they would tell the country and stage of the one review or
case that came in between), each breakdown hidden by ``suppressed_rows`` (cells under 3,
and more until the hidden ones cannot be worked out). A brand's own figures cover few
suppliers: a column is shown only past ``BRAND_MIN_TOTAL``, so that one line holding all
of a few reviews does not tell where each of their writers comes from. Two grouped
queries, whatever the number of rows.

An employer or agency in a destination country (Thailand, Malaysia) is the route's end; an
agency in a country workers come from sends them to several: its route ends "not known".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from goldendreams.agencies.models import DESTINATIONS, Organisation
from goldendreams.cases.models import Case
from goldendreams.cases.queries import referred_to_organisation, supplier_ids, suppressed_rows
from goldendreams.core.base import today
from goldendreams.core.cache import memo
from goldendreams.extensions import db
from goldendreams.reviews.choices import MIGRATION_STAGES, ORIGIN_COUNTRIES
from goldendreams.reviews.models import Review, ReviewStatus

#: The end of a route whose organisation is not in a destination country.
UNKNOWN = ""
#: A brand sees a column (reviews, cases) of its supply chain only past this many.
BRAND_MIN_TOTAL = 10


@dataclass(frozen=True)
class Row:
    """One line of a table: its key, and the reviews and cases counted (None: fewer than 3
    or hidden so that a small cell cannot be worked out; 0: none)."""

    key: tuple[str, str] | str
    reviews: int | None
    cases: int | None


def _grouped(origin, stage, org_id, *where) -> list[tuple[str | None, str, str | None, int]]:
    """(origin, organisation's country, stage, count), grouped in SQL."""
    country = Organisation.country
    query = (
        select(origin, country, stage, func.count())
        .join(Organisation, Organisation.id == org_id)
        .where(*where)
        .group_by(origin, country, stage)
    )
    return [tuple(row) for row in db.session.execute(query)]


def _tables(review_rows, case_rows, min_total: int = 0) -> dict:
    """Both breakdowns (route, stage), each column suppressed on its own; a column counting
    fewer than ``min_total`` is hidden whole."""

    def counters(rows) -> tuple[Counter, Counter]:
        routes: Counter = Counter()
        stages: Counter = Counter()
        for origin, country, stage, count in rows:
            if origin in ORIGIN_COUNTRIES:
                routes[(origin, country if country in DESTINATIONS else UNKNOWN)] += count
            if stage in MIGRATION_STAGES:
                stages[stage] += count
        return routes, stages

    review_routes, review_stages = counters(review_rows)
    case_routes, case_stages = counters(case_rows)

    def shown(counts: Counter) -> dict:
        if counts.total() < min_total:
            return dict.fromkeys(counts)
        return dict(suppressed_rows(sorted(counts.items())))

    def merged(reviews: Counter, cases: Counter, order) -> list[Row]:
        shown_reviews, shown_cases = shown(reviews), shown(cases)
        rows = [Row(key, shown_reviews.get(key, 0), shown_cases.get(key, 0)) for key in order]
        # A line with every number hidden would still tell that a worker from that country
        # wrote or called: it is left out.
        return [row for row in rows if row.reviews or row.cases]

    routes = sorted(set(review_routes) | set(case_routes))
    return {
        "by_route": merged(review_routes, case_routes, routes),
        "by_stage": merged(review_stages, case_stages, list(MIGRATION_STAGES)),
    }


def month_began(as_of: date | None = None) -> date:
    """The first day of the month: figures count what came before it."""
    return (as_of or today()).replace(day=1)


def public_corridors(as_of: date | None = None) -> dict:
    """The network's figures by route and stage for everyone (/metrics)."""
    return _public_as_of(month_began(as_of))


@memo
def _public_as_of(day: date) -> dict:
    reviews = _grouped(
        Review.origin_country,
        Review.migration_stage,
        Review.organisation_id,
        Review.status == ReviewStatus.PUBLISHED,
        Review.published_on < day,
    )
    cases = _grouped(
        Case.worker_country,
        Case.migration_stage,
        Case.organisation_id,
        referred_to_organisation(before=day),
    )
    return _tables(reviews, cases)


def brand_corridors(buyer_id: int) -> dict:
    """A brand's supply chain by route and stage: the published reviews of the employers it
    buys from, and their cases once referred to them (as the dashboard counts them), before
    the month began; suppressed like the public figures, and each column only past
    ``BRAND_MIN_TOTAL``."""
    ids = supplier_ids(buyer_id)
    if not ids:
        return _tables([], [])
    day = month_began()
    reviews = _grouped(
        Review.origin_country,
        Review.migration_stage,
        Review.organisation_id,
        Review.organisation_id.in_(ids),
        Review.status == ReviewStatus.PUBLISHED,
        Review.published_on < day,
    )
    cases = _grouped(
        Case.worker_country,
        Case.migration_stage,
        Case.organisation_id,
        Case.organisation_id.in_(ids),
        referred_to_organisation(before=day),
    )
    return _tables(reviews, cases, min_total=BRAND_MIN_TOTAL)
