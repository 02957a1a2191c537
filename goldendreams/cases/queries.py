"""Reading cases: lists, dashboards and public metrics (small figures suppressed)."""

from __future__ import annotations

from collections import Counter
from statistics import median

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from goldendreams.agencies.models import LinkKind, Organisation, OrganisationLink
from goldendreams.cases.models import (
    CLOSED_STATUSES,
    Case,
    CaseEvent,
    IssueCategory,
    case_categories,
)
from goldendreams.core.cache import memo
from goldendreams.extensions import db
from goldendreams.reviews.models import Review

#: Figures under this are shown as "fewer than 3": no one can be singled out.
SUPPRESS_BELOW = 3


def suppressed(value: int | float | None) -> int | float | None:
    """None for a count too small to show."""
    if value is None or value < SUPPRESS_BELOW:
        return None
    return value


def _cases(query):
    options = (
        selectinload(Case.categories),
        selectinload(Case.organisation),
        selectinload(Case.events),
    )
    return list(db.session.scalars(query.options(*options)))


def suppressed_rows(rows: list[tuple[str, int]]) -> list[tuple[str, int | None]]:
    """A breakdown with small cells hidden. When only one cell would be hidden, the next
    smallest goes too: otherwise the total minus the others would give it away."""
    hidden = {key for key, value in rows if value < SUPPRESS_BELOW}
    if len(hidden) == 1 and len(rows) > 1:
        visible = sorted((value, key) for key, value in rows if key not in hidden)
        hidden.add(visible[0][1])
    return [(key, None if key in hidden else value) for key, value in rows]


def all_cases() -> list[Case]:
    return _cases(select(Case).order_by(Case.id.desc()))


def cases_of(organisation_id: int) -> list[Case]:
    return _cases(select(Case).filter_by(organisation_id=organisation_id).order_by(Case.id.desc()))


def supplier_ids(buyer_id: int) -> list[int]:
    query = select(OrganisationLink.target_id).filter_by(
        kind=LinkKind.BUYS_FROM, source_id=buyer_id
    )
    return list(db.session.scalars(query))


def cases_of_suppliers(buyer_id: int) -> list[Case]:
    """Cases at the employers a brand buys from, once referred to them (a brand must not
    hear of a case before its supplier does)."""
    ids = supplier_ids(buyer_id)
    query = select(Case).where(Case.organisation_id.in_(ids)).order_by(Case.id.desc())
    return [case for case in _cases(query) if case.shared_with_organisation]


def _days_to_resolution(cases: list[Case]) -> float | None:
    days = [(c.resolved_on - c.opened_on).days for c in cases if c.resolved_on]
    return median(days) if days else None


def dashboard(cases: list[Case], locale: str, overdue) -> dict:
    """Counts for a brand: by status, issue, employer, month; speed; workers' confirmation."""
    confirmed = [c for c in cases if c.outcome in ("resolved_confirmed", "resolved_unconfirmed")]
    return {
        "total": len(cases),
        "by_status": Counter(c.status for c in cases).most_common(),
        "by_category": Counter(
            cat.name(locale) for c in cases for cat in c.categories
        ).most_common(),
        "by_employer": Counter(c.organisation.name for c in cases).most_common(),
        "by_month": sorted(Counter(c.opened_on.strftime("%Y-%m") for c in cases).items()),
        "median_days": _days_to_resolution(cases),
        "overdue": sum(1 for c in cases if overdue(c)),
        "confirmed_share": (
            sum(c.outcome == "resolved_confirmed" for c in confirmed) / len(confirmed)
            if confirmed
            else None
        ),
    }


def referred_to_organisation():
    """SQL for ``Case.shared_with_organisation``: cases referred to their organisation. Only
    those count in public figures (the public must not learn of a case before the
    organisation does)."""
    return Case.id.in_(
        select(CaseEvent.case_id).where(
            CaseEvent.kind == "status", CaseEvent.status_to == "referred"
        )
    )


def remediation_record(organisation_id: int) -> dict:
    """An organisation's public record, every figure suppressed under 3; read as a few
    columns of its referred cases (a busy employer has hundreds)."""
    query = select(Case.opened_on, Case.resolved_on, Case.outcome).where(
        Case.organisation_id == organisation_id, referred_to_organisation()
    )
    cases = db.session.execute(query).all()
    days = [(resolved - opened).days for opened, resolved, _ in cases if resolved]
    return {
        "reported": suppressed(len(cases)),
        "resolved": suppressed(len(days)),
        "confirmed": suppressed(sum(outcome == "resolved_confirmed" for *_, outcome in cases)),
        "median_days": median(days) if len(days) >= SUPPRESS_BELOW else None,
    }


def _by_month(column, *where) -> Counter:
    """Rows counted by "YYYY-MM" of a date column: grouped by day in SQL (the same on SQLite
    and PostgreSQL), by month here; a few hundred rows whatever the table's size."""
    query = select(column, func.count()).where(column.is_not(None), *where).group_by(column)
    months: Counter = Counter()
    for day, count in db.session.execute(query):
        months[day.strftime("%Y-%m")] += count
    return months


@memo
def public_metrics(locale: str) -> dict:
    """Worker-voice figures for everyone, every one under 3 suppressed. Only cases referred
    to their organisation count; every figure is an aggregate in SQL."""
    shared = referred_to_organisation()
    categories: Counter = Counter()
    by_category = (
        select(IssueCategory, func.count())
        .join(case_categories, case_categories.c.category_id == IssueCategory.id)
        .join(Case, Case.id == case_categories.c.case_id)
        .where(shared)
        .group_by(IssueCategory.id)
    )
    for category, count in db.session.execute(by_category):
        categories[category.name(locale)] += count
    by_country = (
        select(Organisation.country, func.count())
        .join(Case, Case.organisation_id == Organisation.id)
        .where(shared)
        .group_by(Organisation.country)
    )
    by_status = select(Case.status, func.count()).where(shared).group_by(Case.status)
    statuses = dict(db.session.execute(by_status).all())
    # Workers covered: one figure per case (several actions often cover the same people).
    covered = (
        select(Case.workers_affected, func.max(CaseEvent.workers_covered))
        .join(CaseEvent, CaseEvent.case_id == Case.id)
        .where(shared, CaseEvent.kind == "remediation")
        .group_by(Case.id, Case.workers_affected)
    )

    def rows(counter: Counter) -> list[tuple[str, int | None]]:
        return suppressed_rows(sorted(counter.items()))

    return {
        "reviews_by_month": rows(_by_month(Review.written_on)),
        "opened_by_month": rows(_by_month(Case.opened_on, shared)),
        "resolved_by_month": rows(_by_month(Case.resolved_on, shared)),
        "by_category": rows(categories),
        "by_country": rows(Counter(dict(db.session.execute(by_country).all()))),
        "workers_covered": suppressed(
            sum(min(affected, most or 0) for affected, most in db.session.execute(covered))
        ),
        "cases": suppressed(sum(statuses.values())),
        "closed": suppressed(sum(statuses.get(status, 0) for status in CLOSED_STATUSES)),
    }
