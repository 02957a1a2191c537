"""Demo data of safeguarding: the Mae Sot centre's caseworker on call; the hotline case at
Mahachai Frozen Foods assessed as high risk (debt with documents held), with a safety plan
and a check-in; and a pay cut reported on the Siam Ocean Seafood case (its brand, Blue
Harbour Foods, sees "Retaliation reported: Pay cut")."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from goldendreams.accounts.models import User
from goldendreams.agencies.models import Organisation
from goldendreams.cases.models import Case
from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.safeguarding import queries, services

CASEWORKER = "caseworker@demo.goldendreams.example"
SIAM_OCEAN = "Siam Ocean Seafood Co., Ltd."
MAHACHAI = "Mahachai Frozen Foods Co., Ltd."
HIGH_RISK = {"danger": "no", "movement": "not_sure", "documents": "yes", "debt": "yes",
             "threats": "no", "children": "no"}  # fmt: skip


def _case_at(name: str) -> Case | None:
    org = db.session.scalar(select(Organisation).filter_by(name=name))
    if org is None:
        return None
    return db.session.scalar(select(Case).filter_by(organisation_id=org.id).order_by(Case.id))


def seed() -> None:
    """Add safeguarding's part to the seeded demo database, once."""
    worker = db.session.scalar(select(User).filter_by(email=CASEWORKER))
    if worker is None:
        return
    if not queries.on_call(worker.organisation_id):
        services.set_on_call(worker, worker, True)
    hotline = _case_at(MAHACHAI)
    if hotline is not None and queries.current_assessment(case_id=hotline.id) is None:
        services.assess_case(
            hotline, worker, HIGH_RISK,
            "Fictional: only by LINE, after 8 pm; never call the dormitory phone.",
        )  # fmt: skip
        services.save_plan(
            hotline, worker,
            "Fictional: the broker holds their passports. We asked the labour office to "
            "visit; the workers know the shelter's number if they must leave.",
            today() + timedelta(days=3), "phone",
        )  # fmt: skip
    siam = _case_at(SIAM_OCEAN)
    if siam is not None and siam.shared_with_organisation and not queries.reports_of(siam.id):
        services.report_retaliation(
            siam, worker, "pay_cut",
            "Fictional: two workers who spoke up lost their overtime shifts.",
        )  # fmt: skip
