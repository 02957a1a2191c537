"""Demo data of collective remedies: the Mae Sot centre groups three fee cases of one
intake at Siam Ocean Seafood under one collective case, with four workers' lines and a
schedule of three instalments in baht: two paid by the employer and confirmed by the
caseworker, one due next month. Every name and amount is fictional."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from goldendreams.accounts.models import User
from goldendreams.agencies.models import Organisation
from goldendreams.cases import consent
from goldendreams.cases import services as case_services
from goldendreams.cases.models import Case, ConsentItem, ConsentMethod, ConsentRecipient
from goldendreams.collective import services
from goldendreams.collective.models import CollectiveCase, Grouping, PaymentMethod
from goldendreams.core.base import today
from goldendreams.extensions import db

MAE_SOT = "Mae Sot Workers' Rights Centre"
EMPLOYER = "Siam Ocean Seafood Co., Ltd."
CASEWORKER = "caseworker@demo.goldendreams.example"
EMPLOYER_USER = "employer@demo.goldendreams.example"

#: The three calls of one intake: workers, what the caseworker wrote (fictional).
CALLS = (
    (8, "Eight workers of the March intake paid 18,000 baht each to a broker (fictional)."),
    (10, "Ten workers of the March intake paid fees for their work permits (fictional)."),
    (6, "Six workers of the March intake had the fees taken from their pay (fictional)."),
)
#: The workers' lines: label, owed, paid, how.
LINES = (
    ("Worker A, line 3 (fictional)", "18000", "12000", PaymentMethod.BANK_TRANSFER),
    ("Worker B, line 3 (fictional)", "18000", "12000", PaymentMethod.MOBILE_MONEY),
    ("Worker C, dormitory 2 (fictional)", "15000", "10000", PaymentMethod.CASH),
    ("Worker D, dormitory 2 (fictional)", "15000", "0", None),
)


def _one(model, **filters):
    return db.session.scalar(select(model).filter_by(**filters))


def _referred_case(caseworker: User, employer: Organisation, workers: int, summary: str) -> Case:
    case = case_services.open_hotline_case(
        caseworker, employer, "hotline", ["FEE-01"], "medium", workers, summary, None
    )
    case_services.move(case, caseworker, "triaged")
    consent.record(
        caseworker, ConsentRecipient.ORGANISATION, [ConsentItem.ISSUE], ConsentMethod.PHONE,
        "The workers agreed on the phone (demo).", case_id=case.id,
    )  # fmt: skip
    case_services.move(case, caseworker, "referred")
    return case


def seed() -> None:
    """Add the collective case once (nothing when the centre has one at the employer)."""
    cso, employer = _one(Organisation, name=MAE_SOT), _one(Organisation, name=EMPLOYER)
    caseworker, staff = _one(User, email=CASEWORKER), _one(User, email=EMPLOYER_USER)
    if None in (cso, employer, caseworker, staff):
        return  # not the demo database
    if _one(CollectiveCase, owner_id=cso.id, organisation_id=employer.id) is not None:
        return
    cases = [_referred_case(caseworker, employer, *call) for call in CALLS]
    collective = services.start(
        caseworker, cases[0], Grouping.INTAKE_BATCH,
        "March intake from Myawaddy, production lines 3 and 4 (fictional).", 24,
    )  # fmt: skip
    for case in cases[1:]:
        services.add_case(caseworker, collective, case)
    day = today()
    for label, owed, paid, how in LINES:
        services.add_beneficiary(
            caseworker, collective, label, Decimal(owed), Decimal(paid), "THB",
            day - timedelta(days=20) if how else None, how,
        )  # fmt: skip
    for weeks, amount in ((-8, "144000"), (-3, "96000"), (4, "96000")):
        instalment = services.add_instalment(
            caseworker, collective, day + timedelta(weeks=weeks), Decimal(amount), "THB"
        )
        if weeks < 0:
            paid_on = instalment.due_on - timedelta(days=2)
            services.report_payment(staff, instalment, Decimal(amount), paid_on)
            services.confirm_payment(caseworker, instalment, Decimal(amount), paid_on)
