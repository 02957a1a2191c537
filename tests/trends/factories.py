"""Cases placed in time for the trends tests."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from goldendreams.core.base import today
from goldendreams.trends.figures import Quarter
from tests.factories import CaseEventFactory, CaseFactory, PublishedReviewFactory, referred


def last_quarter() -> Quarter:
    """The quarter before this one: every day of it is before today (public figures)."""
    return Quarter.of(today()).previous()


def case_at(
    org, opened: date, *, resolved: date | None = None, outcome: str | None = None,
    shared: bool = True,
):  # fmt: skip
    """A case at ``org`` opened on ``opened`` (referred to the organisation that day unless
    ``shared=False``), resolved and closed with ``outcome`` on ``resolved`` if given."""
    case = CaseFactory(
        organisation=org, opened_on=opened, stage_since=opened,
        status="closed" if outcome else ("resolved" if resolved else "referred"),
        resolved_on=resolved, closed_on=resolved if outcome else None, outcome=outcome,
    )  # fmt: skip
    if shared:
        referred(case, days_ago=(today() - opened).days)
    return case


def cases_at(org, count: int, opened: date, **kwargs) -> list:
    return [case_at(org, opened, **kwargs) for _ in range(count)]


def paid(case, amount: str, currency: str, on: date, *, shared: bool = True):
    """A remediation step with money paid back to the workers."""
    return CaseEventFactory(
        case=case, kind="remediation", shared=shared, remediation_kind="repayment",
        amount=Decimal(amount), currency=currency, happened_on=on, workers_covered=1,
    )  # fmt: skip


def problem_review(org, written: date, **answers):
    """A published review reporting fees paid (or the given answers)."""
    fields = answers or {"fees_paid": "yes"}
    return PublishedReviewFactory(
        organisation=org, written_on=written, published_on=written + timedelta(days=1), **fields
    )
