"""Demo data of escalations: the Mae Sot centre escalates its case at Siam Ocean Seafood to
Blue Harbour Foods, which acknowledges it, promises a visit in three weeks and has already
had a call with the supplier."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from goldendreams.accounts.models import User
from goldendreams.agencies.models import Organisation
from goldendreams.brands import services
from goldendreams.brands.models import CommitmentKind, Escalation, EscalationReason
from goldendreams.cases import consent
from goldendreams.cases import services as case_services
from goldendreams.cases.models import Case, ConsentItem, ConsentMethod, ConsentRecipient
from goldendreams.core.base import today
from goldendreams.extensions import db

MAE_SOT = "Mae Sot Workers' Rights Centre"
SUPPLIER = "Siam Ocean Seafood Co., Ltd."
BRAND = "Blue Harbour Foods (Asia sourcing)"
CASEWORKER = "caseworker@demo.goldendreams.example"
BRAND_USER = "brand@demo.goldendreams.example"


def _by_name(name: str) -> Organisation:
    return db.session.scalar(select(Organisation).filter_by(name=name))


def _user(email: str) -> User:
    return db.session.scalar(select(User).filter_by(email=email))


def _case(supplier: Organisation, cso: Organisation, caseworker: User) -> Case:
    """An open case of the Mae Sot centre at the supplier, already sent to it: the demo's
    passport case when it is still open, else a new severe one logged from the hotline."""
    found = db.session.scalars(
        select(Case).filter_by(organisation_id=supplier.id, owner_id=cso.id).order_by(Case.id)
    )
    for case in found:
        if case.is_open and case.shared_with_organisation:
            return case
    case = case_services.open_hotline_case(
        caseworker, supplier, "hotline", ["ILO-07"], "high", 12,
        "Twelve workers say their passports are kept by the supervisor (fictional).", None,
    )  # fmt: skip
    case_services.move(case, caseworker, "triaged")
    # The worker agreed that the employer (and, below, brands) may be told what happened.
    consent.record(
        caseworker, ConsentRecipient.ORGANISATION, [ConsentItem.ISSUE], ConsentMethod.PHONE,
        "The worker agreed on the phone (demo).", case_id=case.id,
    )  # fmt: skip
    case_services.move(case, caseworker, "referred")
    return case


def seed() -> None:
    """Add the escalation once (nothing when the supplier has one already)."""
    supplier, cso, brand = _by_name(SUPPLIER), _by_name(MAE_SOT), _by_name(BRAND)
    caseworker, brand_user = _user(CASEWORKER), _user(BRAND_USER)
    if None in (supplier, cso, brand, caseworker, brand_user):
        return
    if db.session.scalar(select(Escalation.id).filter_by(organisation_id=supplier.id)):
        return
    case = _case(supplier, cso, caseworker)
    escalation = services.escalate(
        caseworker, supplier, [case], EscalationReason.SEVERE,
        "Workers' passports were held by the supervisor. The supplier moved them to lockers, "
        "but new workers report the same. Please raise it with the supplier's management.",
        consent_method=ConsentMethod.PHONE,
        consent_note="The worker agreed on the phone that brands may be told (demo).",
    )  # fmt: skip
    part = next(p for p in escalation.brands if p.brand_id == brand.id)
    services.acknowledge(brand_user, part)
    call = services.add_commitment(
        brand_user, part, CommitmentKind.CALL,
        "A call with the supplier's managing director about how passports are kept.",
        today() + timedelta(days=7),
    )  # fmt: skip
    services.mark_done(brand_user, call)
    services.add_commitment(
        brand_user, part, CommitmentKind.VISIT,
        "Our sourcing team visits the factory and talks with the workers' committee.",
        today() + timedelta(days=21),
    )  # fmt: skip
