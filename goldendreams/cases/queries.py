"""Reading cases: lists, dashboards and public metrics (small figures suppressed)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from statistics import median

from flask import current_app
from sqlalchemy import and_, func, or_, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import selectinload

from goldendreams.agencies.models import LinkKind, Organisation, OrganisationLink
from goldendreams.cases import permissions
from goldendreams.cases.models import (
    REMEDIATING_ACTIONS,
    RESOLVED_OUTCOMES,
    Case,
    CaseEvent,
    CaseReferral,
    IssueCategory,
    ReferralStatus,
    case_categories,
)
from goldendreams.core.base import today
from goldendreams.core.cache import memo
from goldendreams.extensions import db
from goldendreams.reviews.models import Review, ReviewStatus

#: Figures under this are shown as "fewer than 3": no one can be singled out.
SUPPRESS_BELOW = 3


def suppressed(value: int | float | None) -> int | float | None:
    """None for a count too small to show."""
    if value is None or value < SUPPRESS_BELOW:
        return None
    return value


def suppressed_share(part: int, base: int) -> float | None:
    """part / base, or None when a small count could be read from it: fewer than
    SUPPRESS_BELOW in all, or 1 or 2 in the part or in the rest (a share of 1 in 4 tells
    "one worker said no"). Trends and validation show shares by this one rule."""
    rest = base - part
    small = (0 < part < SUPPRESS_BELOW) or (0 < rest < SUPPRESS_BELOW)
    if base < SUPPRESS_BELOW or small:
        return None
    return part / base


def _cases(query):
    options = (
        selectinload(Case.categories),
        selectinload(Case.organisation),
        selectinload(Case.events),
    )
    return list(db.session.scalars(query.options(*options)))


def suppressed_rows(rows: list[tuple[str, int]]) -> list[tuple[str, int | None]]:
    """A breakdown with small cells hidden. The total minus the cells shown gives the sum
    of the hidden ones, so more go (smallest first) until that sum could be split in many
    ways: at least two hidden cells summing to twice SUPPRESS_BELOW or more (two hidden cells
    of 1 each, summing to 2, would each be known)."""
    hidden = {key for key, value in rows if value < SUPPRESS_BELOW}
    visible = sorted((value, key) for key, value in rows if key not in hidden)
    values = dict(rows)
    while (
        hidden
        and visible
        and (len(hidden) < 2 or sum(values[key] for key in hidden) < 2 * SUPPRESS_BELOW)
    ):
        hidden.add(visible.pop(0)[1])
    return [(key, None if key in hidden else value) for key, value in rows]


def all_cases() -> list[Case]:
    return _cases(select(Case).order_by(Case.id.desc()))


#: Urgent cases first in the lists of those who run cases (then the newest first).
URGENT_FIRST = sql_case((Case.severity == "urgent", 0), else_=1)


def cases_run_by(user) -> list[Case]:
    """The cases a user runs: their CSO's (admins: every case), urgent ones first."""
    query = select(Case).order_by(URGENT_FIRST, Case.id.desc())
    if not permissions.is_admin(user):
        query = query.filter_by(owner_id=user.organisation_id)
    return _cases(query)


def cases_of(organisation_id: int) -> list[Case]:
    return _cases(select(Case).filter_by(organisation_id=organisation_id).order_by(Case.id.desc()))


def supplier_ids(buyer_id: int) -> list[int]:
    query = select(OrganisationLink.target_id).filter_by(
        kind=LinkKind.BUYS_FROM, source_id=buyer_id
    )
    return list(db.session.scalars(query))


def buyer_ids(employer_id: int) -> list[int]:
    """The brands that buy from an employer."""
    query = select(OrganisationLink.source_id).filter_by(
        kind=LinkKind.BUYS_FROM, target_id=employer_id
    )
    return list(db.session.scalars(query))


def due_between(first: date, last: date, statuses) -> list[Case]:
    """The cases in one of ``statuses`` whose stage deadline (CASE_STAGE_DAYS after the day
    the stage began) falls from ``first`` to ``last``, not yet reminded for that stage."""
    stage_days = current_app.config["CASE_STAGE_DAYS"]
    conditions = [
        and_(
            Case.status == status,
            Case.stage_since.between(
                first - timedelta(days=stage_days[status]),
                last - timedelta(days=stage_days[status]),
            ),
            or_(Case.reminded_for.is_(None), Case.reminded_for != Case.stage_since),
        )
        for status in statuses
        if status in stage_days
    ]
    if not conditions:
        return []
    return _cases(select(Case).where(or_(*conditions)).order_by(Case.id))


def cases_of_suppliers(buyer_id: int) -> list[Case]:
    """Cases at the employers a brand buys from, once referred to them (a brand must not
    hear of a case before its supplier does)."""
    ids = supplier_ids(buyer_id)
    query = select(Case).where(Case.organisation_id.in_(ids)).order_by(Case.id.desc())
    return [case for case in _cases(query) if case.shared_with_organisation]


def _days_to_resolution(cases: list[Case]) -> float | None:
    days = [(c.resolved_on - c.opened_on).days for c in cases if c.resolved_on]
    return median(days) if len(days) >= SUPPRESS_BELOW else None


def dashboard(cases: list[Case], locale: str, overdue) -> dict:
    """Figures for a brand: by status, issue, employer, month; speed; workers' confirmation.
    Suppressed like the public ones: a median or share of one or two cases, or a cell under
    3, could point at the workers behind them."""
    confirmed = [c for c in cases if c.outcome in RESOLVED_OUTCOMES]

    def rows(counter: Counter) -> list[tuple[str, int | None]]:
        return suppressed_rows(counter.most_common())

    return {
        "total": suppressed(len(cases)),
        "by_status": rows(Counter(c.status for c in cases)),
        "by_category": rows(Counter(cat.name(locale) for c in cases for cat in c.categories)),
        "by_employer": rows(Counter(c.organisation.name for c in cases)),
        "by_month": suppressed_rows(
            sorted(Counter(c.opened_on.strftime("%Y-%m") for c in cases).items())
        ),
        "median_days": _days_to_resolution(cases),
        "overdue": suppressed(sum(1 for c in cases if overdue(c))),
        "confirmed_share": (
            sum(c.outcome == "resolved_confirmed" for c in confirmed) / len(confirmed)
            if len(confirmed) >= SUPPRESS_BELOW
            else None
        ),
    }


def fixing_event():
    """SQL for an event that fixed something: remediation, or a government order or help
    to go home (services.has_remediation)."""
    return or_(
        CaseEvent.kind == "remediation",
        and_(
            CaseEvent.kind == "government",
            CaseEvent.remediation_kind.in_([str(a) for a in REMEDIATING_ACTIONS]),
        ),
    )


def referred_to_organisation(before: date | None = None):
    """SQL for ``Case.shared_with_organisation``: cases referred to their organisation. Only
    those count in public figures (the public must not learn of a case before the
    organisation does); with ``before``, only those referred before that day."""
    referral = select(CaseEvent.case_id).where(
        CaseEvent.kind == "status", CaseEvent.status_to == "referred"
    )
    if before is not None:
        referral = referral.where(CaseEvent.happened_on < before)
    return Case.id.in_(referral)


def remediation_record(organisation_id: int) -> dict:
    """An organisation's public record, every figure suppressed under 3; read as a few
    columns of its referred cases (a busy employer has hundreds). Like every public figure
    it counts what happened before today: it changes once a day, not with each step."""
    day = today()
    query = select(Case.opened_on, Case.resolved_on, Case.outcome).where(
        Case.organisation_id == organisation_id, referred_to_organisation(before=day)
    )
    cases = db.session.execute(query).all()
    resolved = [(opened, on, outcome) for opened, on, outcome in cases if on and on < day]
    days = [(on - opened).days for opened, on, _ in resolved]
    return {
        "reported": suppressed(len(cases)),
        "resolved": suppressed(len(days)),
        "confirmed": suppressed(sum(outcome == "resolved_confirmed" for *_, outcome in resolved)),
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


def public_metrics(locale: str, as_of: date | None = None) -> dict:
    """Worker-voice figures for everyone, every one under 3 suppressed. Only published
    reviews and cases referred to their organisation count, and only what happened before
    today (in SITE_TIMEZONE): the figures change once a day, so watching them tells nobody
    when a review was written or a case moved. Every figure is an aggregate in SQL."""
    return _metrics_as_of(locale, as_of or today())


@memo
def _metrics_as_of(locale: str, day: date) -> dict:
    shared = referred_to_organisation(before=day)
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
    closed = select(func.count()).where(shared, Case.closed_on < day)
    # Workers covered: one figure per case (several actions often cover the same people).
    covered = (
        select(Case.workers_affected, func.max(CaseEvent.workers_covered))
        .join(CaseEvent, CaseEvent.case_id == Case.id)
        .where(shared, fixing_event(), CaseEvent.happened_on < day)
        .group_by(Case.id, Case.workers_affected)
    )

    def rows(counter: Counter) -> list[tuple[str, int | None]]:
        return suppressed_rows(sorted(counter.items()))

    return {
        "reviews_by_month": rows(
            _by_month(
                Review.written_on,
                Review.status == ReviewStatus.PUBLISHED,
                Review.published_on < day,
            )
        ),
        "opened_by_month": rows(_by_month(Case.opened_on, shared)),
        "resolved_by_month": rows(_by_month(Case.resolved_on, shared, Case.resolved_on < day)),
        "by_category": rows(categories),
        "by_country": rows(Counter(dict(db.session.execute(by_country).all()))),
        "workers_covered": suppressed(
            sum(min(affected, most or 0) for affected, most in db.session.execute(covered))
        ),
        "cases": suppressed(db.session.scalar(select(func.count()).where(shared))),
        "closed": suppressed(db.session.scalar(closed)),
    }


# --- government offices and industry associations: figures, never single cases -------------


def _rows(counter: Counter) -> list[tuple[str, int | None]]:
    return suppressed_rows(counter.most_common())


def _confirmed_share(cases: list[Case]) -> float | None:
    """The share of resolved cases the worker confirmed; None unless both the confirmed and
    the unconfirmed ones are 3 or more (1 of 3 would say "one worker confirmed")."""
    closed = [c for c in cases if c.outcome in RESOLVED_OUTCOMES]
    confirmed = sum(c.outcome == "resolved_confirmed" for c in closed)
    if min(confirmed, len(closed) - confirmed) < SUPPRESS_BELOW:
        return None
    return confirmed / len(closed)


def office_cases(office_id: int) -> list[Case]:
    """The cases a CSO referred to a government office and the office accepted."""
    accepted = select(CaseReferral.case_id).where(
        CaseReferral.to_id == office_id, CaseReferral.status == ReferralStatus.ACCEPTED
    )
    return _cases(select(Case).where(Case.id.in_(accepted)).order_by(Case.id.desc()))


def referrals_to(case: Case, office_id: int) -> list[CaseReferral]:
    """The accepted referrals of ``case`` to an office (what the CSO told the office)."""
    return [
        r for r in case.referrals if r.to_id == office_id and r.status == ReferralStatus.ACCEPTED
    ]


def country_figures(country: str, locale: str) -> dict:
    """A government office's figures: the cases at employers and agencies of its country,
    once referred to their organisation, by issue, status and month opened; the median days
    from report to fix; the share the workers confirmed; government actions by kind. Every
    figure under 3 is suppressed, as on a brand's dashboard."""
    # Cases referred before today: the figures change once a day, not with each case.
    query = (
        select(Case)
        .join(Organisation, Organisation.id == Case.organisation_id)
        .where(Organisation.country == country, referred_to_organisation(before=today()))
    )
    cases = _cases(query)
    # Cases with each kind of action (three fines on one case are one case).
    actions = Counter(
        kind
        for c in cases
        for kind in {e.remediation_kind for e in c.events if e.kind == "government"}
    )
    return {
        "total": suppressed(len(cases)),
        "by_status": _rows(Counter(c.status for c in cases)),
        "by_category": _rows(Counter(cat.name(locale) for c in cases for cat in c.categories)),
        "by_month": suppressed_rows(
            sorted(Counter(c.opened_on.strftime("%Y-%m") for c in cases).items())
        ),
        "median_days": _days_to_resolution(cases),
        "confirmed_share": _confirmed_share(cases),
        "actions": _rows(actions),
    }


def member_ids(association_id: int) -> list[int]:
    """The employers and agencies that are members of an industry association."""
    query = select(OrganisationLink.source_id).filter_by(
        kind=LinkKind.MEMBER_OF, target_id=association_id
    )
    return list(db.session.scalars(query))


def member_names(association_id: int) -> list[str]:
    """The names of an association's members, by name."""
    query = select(Organisation.name).where(Organisation.id.in_(member_ids(association_id)))
    return list(db.session.scalars(query.order_by(Organisation.sort_name)))


def _member_cases(association_id: int, *where) -> list[Case]:
    """Cases at an association's members referred to them before this month began: an
    association must not hear of a case before its member does, nor watch its figures move
    with one member's new case (they change once a month, with the monthly mail)."""
    ids = member_ids(association_id)
    month_began = today().replace(day=1)
    query = select(Case).where(
        Case.organisation_id.in_(ids), referred_to_organisation(before=month_began), *where
    )
    return _cases(query)


def association_figures(association_id: int, locale: str) -> dict:
    """An industry association's figures over its members' cases: by issue, by stage, the
    median days to fix, the share the workers confirmed, by member. Every figure under 3
    is suppressed; never a single case, a reference or a list of cases."""
    cases = _member_cases(association_id)
    return {
        "total": suppressed(len(cases)),
        "by_status": _rows(Counter(c.status for c in cases)),
        "by_category": _rows(Counter(cat.name(locale) for c in cases for cat in c.categories)),
        "by_member": _rows(Counter(c.organisation.name for c in cases)),
        "median_days": _days_to_resolution(cases),
        "confirmed_share": _confirmed_share(cases),
    }


def member_cases_opened(association_id: int, first: date, last: date, locale: str) -> dict:
    """The month's mail: how many cases opened from ``first`` to ``last`` at the members
    (referred to them), in all and by issue, suppressed under 3."""
    cases = _member_cases(association_id, Case.opened_on.between(first, last))
    return {
        "total": suppressed(len(cases)),
        "by_category": _rows(Counter(cat.name(locale) for c in cases for cat in c.categories)),
    }
