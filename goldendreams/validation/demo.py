"""Demo data of a remediation validated twice: Siam Ocean Seafood paid back recruitment
fees on a hotline case of the Mae Sot centre, signed it off with a receipt (shared with
Blue Harbour Foods, with the worker's consent), the centre checked the documents and talked
with the worker, the worker said yes on the phone, and the case closed as confirmed by
workers. Seeded through the services, once."""

from __future__ import annotations

import struct
import zlib
from decimal import Decimal

from sqlalchemy import select

from goldendreams.accounts.models import User
from goldendreams.agencies.models import Organisation
from goldendreams.cases import confirmation, consent
from goldendreams.cases import services as case_services
from goldendreams.cases.models import AnswerMethod, ConsentItem, ConsentMethod, ConsentRecipient
from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.validation import services
from goldendreams.validation.evidence import Upload
from goldendreams.validation.models import EvidenceType, SignOff, VerificationMethod

SUPPLIER = "Siam Ocean Seafood Co., Ltd."
CASEWORKER = "caseworker@demo.goldendreams.example"
EMPLOYER = "employer@demo.goldendreams.example"


def receipt_png(width: int = 48, height: int = 24) -> bytes:
    """A small grey-on-white PNG standing in for a scanned receipt."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(
        b"\x00" + bytes(0x80 if 4 <= y < height - 4 and x % 6 < 4 else 0xFF for x in range(width))
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).filter_by(email=email))


def seed() -> None:
    """Add the validated case, once (nothing if a sign-off exists or a demo name is gone)."""
    if db.session.scalar(select(SignOff.id).limit(1)):
        return
    supplier = db.session.scalar(select(Organisation).filter_by(name=SUPPLIER))
    caseworker, staff = _user(CASEWORKER), _user(EMPLOYER)
    if supplier is None or caseworker is None or staff is None:
        return
    case = case_services.open_hotline_case(
        caseworker, supplier, "hotline", ["FEE-01"], "medium", 1,
        "A worker paid 18,000 baht in recruitment fees to get this job (fictional).", None,
    )  # fmt: skip
    case_services.move(case, caseworker, "triaged")
    consent.record(
        caseworker, ConsentRecipient.ORGANISATION, [ConsentItem.ISSUE], ConsentMethod.PHONE,
        "Agreed on the phone, in Burmese.", case_id=case.id,
    )  # fmt: skip
    case_services.move(case, caseworker, "referred")
    case_services.record_remediation(
        case, staff, "fee_repayment", Decimal("18000"), "THB", 1,
        "We paid the recruitment fee back in full, by bank transfer.",
    )  # fmt: skip
    services.sign_off(
        case, staff,
        "The recruitment fee of 18,000 baht was paid back in full by bank transfer. "
        "The receipt signed by the worker is attached.",
        "Human resources manager",
        [Upload("fee-repayment-receipt.png", EvidenceType.PNG, receipt_png())],
    )  # fmt: skip
    consent.record(
        caseworker, ConsentRecipient.BRAND, [ConsentItem.ISSUE, ConsentItem.DOCUMENTS],
        ConsentMethod.PHONE, "Agreed on the phone, in Burmese.", case_id=case.id,
    )  # fmt: skip
    services.share(case, caseworker, True)
    confirmation.record_worker_answer(
        case, caseworker, "yes", AnswerMethod.PHONE, "The money is in my account."
    )
    services.verify(
        case, caseworker, [VerificationMethod.DOCUMENTS, VerificationMethod.WORKER_INTERVIEWS],
        "The bank transfer matches the receipt; the worker confirmed it on the phone.", today(),
    )  # fmt: skip
    case_services.move(case, caseworker, "resolved")
    case_services.close_resolved(case, caseworker)
