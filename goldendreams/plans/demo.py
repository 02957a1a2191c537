"""Demo data: one improvement plan of Siam Ocean Seafood, checked by the Mae Sot centre,
for the demo case about passports (and fees), with four steps in four states."""

from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image
from sqlalchemy import select

from goldendreams.accounts.models import User
from goldendreams.agencies.models import Organisation
from goldendreams.cases.models import Case
from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.plans import services
from goldendreams.plans.models import Plan, PlanAuthor

EMPLOYER = "Siam Ocean Seafood Co., Ltd."
CSO = "Mae Sot Workers' Rights Centre"
TITLE = "Passports kept by workers, no recruitment fees"


def _photo() -> bytes:
    """A small picture standing in for a photo of the lockers."""
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (11, 83, 148)).save(out, format="PNG")
    return out.getvalue()


def seed() -> None:
    """Add the plan once (nothing happens if it is there, or the demo case is missing)."""
    employer = db.session.scalar(select(Organisation).filter_by(name=EMPLOYER))
    cso = db.session.scalar(select(Organisation).filter_by(name=CSO))
    if employer is None or cso is None:
        return
    if db.session.scalar(select(Plan.id).filter_by(organisation_id=employer.id).limit(1)):
        return
    cases = list(
        db.session.scalars(
            select(Case).filter_by(organisation_id=employer.id, owner_id=cso.id).order_by(Case.id)
        )
    )
    # The passport case (documents held, fees), else the first of the centre's cases there.
    about = [c for c in cases if {"ILO-07", "FEE-01"} & {cat.code for cat in c.categories}]
    case = (about or cases or [None])[0]
    staff = db.session.scalar(select(User).filter_by(email="employer@demo.goldendreams.example"))
    caseworker = db.session.scalar(
        select(User).filter_by(email="caseworker@demo.goldendreams.example")
    )
    if case is None or staff is None or caseworker is None:
        return
    codes = sorted({c.code for c in case.categories} | {"ILO-07", "FEE-01"})
    plan = services.create_plan(caseworker, employer, PlanAuthor.CSO, TITLE, codes, [case])
    day = today()
    lockers = services.add_item(
        staff, plan, "Every worker keeps their own passport in a personal locker with a key.",
        "HR manager", day + timedelta(days=14),
    )  # fmt: skip
    policy = services.add_item(
        staff, plan, "A written policy: no worker pays any recruitment fee; anyone who paid is "
        "paid back.", "Managing director", day + timedelta(days=30),
    )  # fmt: skip
    training = services.add_item(
        staff, plan, "Train all supervisors on the passport and fees policy.",
        "Training officer", day + timedelta(days=1),
    )  # fmt: skip
    services.add_item(
        staff, plan, "Check every recruitment agency we use charges workers nothing.",
        "Recruitment manager", day + timedelta(days=90),
    )  # fmt: skip
    services.start(staff, plan)
    lockers_done = "Lockers installed in both dormitories; each worker signs the key register."
    for step in range(3):
        services.progress(staff, lockers, lockers_done, _photo() if step == 0 else None)
    services.verify(caseworker, lockers)
    for _step in range(3):
        services.progress(staff, policy, "Policy signed and posted in Burmese, Khmer and Thai.",
                          None)  # fmt: skip
    services.progress(staff, training, "Training materials written in three languages.", None)
    # The demo shows a late step: its due date passed a week ago (the service refuses
    # dates in the past, so it is moved here, as time would have moved it).
    training.due_on = day - timedelta(days=7)
    db.session.commit()
