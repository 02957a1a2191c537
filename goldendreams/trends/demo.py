"""Demo data: a year of closed cases at Siam Ocean Seafood, so the trends charts of its
public page, its portal and Blue Harbour's dashboard have four quarters to show.

The demo's own cases are all opened today, and the case services date every step today:
history cannot be made through them. These cases are written as the services would have
left them on those days (referred with the worker's consent, a shared remediation step with
the amount paid back, resolved, closed), only dated in the past. Only new cases are added;
no other helper's case is touched. Fictional, like all demo data.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from goldendreams.agencies.models import Organisation
from goldendreams.cases import taxonomy
from goldendreams.cases.models import Case, CaseEvent, ConsentRecord
from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.trends.figures import Quarter

EMPLOYER = "Siam Ocean Seafood Co., Ltd."
CSO = "Mae Sot Workers' Rights Centre"
#: Marks the seeded cases (internal summary), so a second run adds nothing.
MARK = "Demo history for the trends charts (fictional)."
#: Per quarter, oldest first: (days from report to fix, worker said "yes", THB paid back).
QUARTERS = [
    [(45, True, 18_000), (60, True, 6_000), (38, True, 12_500)],
    [(40, True, 22_000), (35, True, 9_000), (52, True, 5_000), (30, True, 0)],
    [(28, True, 31_000), (33, True, 15_000), (25, True, 0), (41, False, 8_000),
     (30, False, 0), (36, False, 0)],
    [(21, True, 26_000), (18, True, 0), (24, True, 14_000), (19, False, 0), (26, False, 7_500),
     (22, False, 0), (20, True, 0)],
]  # fmt: skip


def _event(case: Case, on: date, kind: str, **fields) -> None:
    db.session.add(CaseEvent(case=case, kind=kind, shared=True, happened_on=on, **fields))


def _case(employer, cso, categories, opened: date, days: int, confirmed: bool, thb: int) -> None:
    fixed = opened + timedelta(days=days)
    case = Case(
        source="hotline", organisation=employer, owner=cso, categories=categories,
        severity="medium", status="closed", workers_affected=3, summary=MARK,
        opened_on=opened, stage_since=fixed, resolved_on=fixed, closed_on=fixed,
        outcome="resolved_confirmed" if confirmed else "resolved_unconfirmed",
        worker_answer="yes" if confirmed else None,
        reference=f"ILM-{opened.year}-" + secrets.token_hex(4).upper(),
    )  # fmt: skip
    db.session.add(case)
    db.session.flush()
    db.session.add(ConsentRecord(
        case_id=case.id, recipient="organisation", items=["issue"], method="phone",
        note="On the phone (demo).", recorded_on=opened,
    ))  # fmt: skip
    _event(case, opened + timedelta(days=2), "status", status_from="triaged", status_to="referred")
    _event(
        case, fixed - timedelta(days=3), "remediation",
        remediation_kind="fee_repayment" if thb else "documents_returned",
        amount=Decimal(thb) if thb else None, currency="THB" if thb else None,
        workers_covered=3, by_organisation=True,
    )  # fmt: skip
    _event(case, fixed, "status", status_from="in_remediation", status_to="resolved")
    _event(case, fixed, "status", status_from="resolved", status_to="closed")


def seed() -> None:
    """Add the history once (nothing happens if it is there or the demo is not loaded)."""
    employer = db.session.scalar(select(Organisation).filter_by(name=EMPLOYER))
    cso = db.session.scalar(select(Organisation).filter_by(name=CSO))
    if employer is None or cso is None:
        return
    if db.session.scalar(select(Case.id).filter_by(summary=MARK).limit(1)):
        return
    taxonomy.load()
    categories = [c for c in taxonomy.current() if c.code in ("FEE-01", "ILO-07")]
    quarter = Quarter.of(today())
    for cases in reversed(QUARTERS):  # the last one is the quarter before this one
        quarter = quarter.previous()
        for index, (days, confirmed, thb) in enumerate(cases):
            opened = quarter.first - timedelta(days=days) + timedelta(days=5 + 9 * index)
            _case(employer, cso, categories, opened, days, confirmed, thb)
    db.session.commit()
