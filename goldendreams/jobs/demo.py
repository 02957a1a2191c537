"""Demo job orders and a recruitment chain (issue 21), added to the demo's jobs where
missing: the Siam Ocean shrimp job confirmed by its employer; a Thai agency's job for Siam
Ocean, found by a Myanmar origin agency, waiting for the employer; and the same chain for
Mahachai Frozen Foods (no staff on the site: published, "not confirmed by the employer").
Each run adds only what is missing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from goldendreams.accounts.models import User
from goldendreams.agencies import services as directory
from goldendreams.agencies.models import LinkKind, Organisation, OrganisationLink
from goldendreams.core.auth import Role
from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.jobs import services
from goldendreams.jobs.models import Job

ORIGIN = "Golden Lotus Overseas Employment Agency"
DESTINATION = "Thai Migrant Placement Co., Ltd."
CONFIRMING = "Siam Ocean Seafood Co., Ltd."
NO_STAFF = "Mahachai Frozen Foods Co., Ltd."

TEXTS = {
    CONFIRMING: {
        "en": ("Fish sauce bottling worker", "Filling and labelling bottles. Free dormitory."),
        "my": ("ငံပြာရည် ပုလင်းထည့် အလုပ်သမား", "ပုလင်း ဖြည့်ခြင်း၊ တံဆိပ်ကပ်ခြင်း။ အိပ်ဆောင် အခမဲ့။"),
    },
    NO_STAFF: {
        "en": ("Frozen food packer", "Packing frozen seafood in a cold room. Warm clothes given."),
        "my": ("အေးခဲအစားအစာ ထုပ်ပိုးသူ", "အေးခန်းထဲ ပင်လယ်စာ ထုပ်ပိုးခြင်း။ အနွေးထည် ပေးသည်။"),
    },
}


def _org(name: str) -> Organisation | None:
    return db.session.scalar(select(Organisation).filter_by(name=name, is_demo=True))


def _link(kind: LinkKind, source: Organisation, target: Organisation) -> None:
    found = db.session.scalar(
        select(OrganisationLink.id).filter_by(kind=kind, source_id=source.id, target_id=target.id)
    )
    if found is None:
        directory.add_link(source, target, None)


def _fields(employer: Organisation, origin: Organisation) -> dict:
    fields = dict.fromkeys(services.JOB_FIELDS)
    fields.update(
        employer_id=employer.id, origin_agency_id=origin.id, sector="seafood",
        destination_country="TH", province="Samut Sakhon", positions=20,
        salary_amount=Decimal("400"), salary_currency="THB", salary_period="day",
        hours_per_day=Decimal("8"), rest_days_per_week=1, contract_months=24, gender="any",
        accommodation="free", languages=["my"], recruiting_from=["MM"],
        deadline=today() + timedelta(days=60),
    )  # fmt: skip
    return fields


FEES = [
    {"kind": "visa", "amount": Decimal("2000"), "currency": "THB", "paid_by": "employer"},
    {"kind": "work_permit", "amount": Decimal("1900"), "currency": "THB", "paid_by": "employer"},
]


def seed() -> None:
    origin, destination = _org(ORIGIN), _org(DESTINATION)
    confirming, no_staff = _org(CONFIRMING), _org(NO_STAFF)
    if None in (origin, destination, confirming, no_staff):
        return
    employer_staff = db.session.scalar(
        select(User).filter_by(organisation_id=confirming.id, role=Role.EMPLOYER_STAFF, active=True)
    )
    # 1. The shrimp job (the demo's first) confirmed by Siam Ocean's staff.
    shrimp = db.session.scalar(
        select(Job)
        .filter_by(agency_id=origin.id, employer_id=confirming.id)
        .order_by(Job.id)
        .limit(1)
    )
    if shrimp is not None and employer_staff is not None and shrimp.employer_decision is None:
        services.decide_job_order(
            shrimp, employer_staff, True, positions=min(30, shrimp.positions or 1),
            terms_right=True, fees_right=True,
        )  # fmt: skip
    # 2. The chain: Golden Lotus (Myanmar) works with Thai Migrant Placement (Thailand).
    _link(LinkKind.WORKS_WITH, origin, destination)
    for employer in (confirming, no_staff):
        _link(LinkKind.RECRUITS_FOR, destination, employer)
    for employer in (confirming, no_staff):
        exists = db.session.scalar(
            select(Job.id).filter_by(agency_id=destination.id, employer_id=employer.id).limit(1)
        )
        if exists is not None:
            continue
        job = services.save_job(
            destination, None, _fields(employer, origin), TEXTS[employer.name], FEES
        )
        services.submit_job(job, None)
        if services.permissions.publish_blocker(job) is None:
            services.publish_job(job, None)  # no staff to confirm: published, "not confirmed"
        # else it waits for the employer: the demo's pending job order
