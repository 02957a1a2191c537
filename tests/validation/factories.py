"""Factories of sign-offs, evidence and verifications, and a case ready to validate."""

from __future__ import annotations

import io

import factory
from PIL import Image

from goldendreams.cases.models import ConsentItem, ConsentMethod, ConsentRecipient, ConsentRecord
from goldendreams.core import files
from goldendreams.core.base import today
from goldendreams.validation.models import Evidence, SignOff, Verification
from tests.factories import BaseFactory, CaseEventFactory, CaseFactory, referred

#: Small files of each kind the site keeps (their first bytes say which; photos must be
#: real pictures, as they are decoded and written again).
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def picture(image_format: str, **save) -> bytes:
    """A small real picture (evidence photos are decoded and written again)."""
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 180, 40)).save(out, format=image_format, **save)
    return out.getvalue()


PNG = picture("PNG")
JPEG = picture("JPEG")
#: Words that must reach nobody but the CSO (and the organisation that wrote them).
STATEMENT = "Paid back the fees of Ma Thida zqstatement"
FILENAME = "passports-returned-Ko-Aung-zqfilename.pdf"


def remediated(case=None, status: str = "in_remediation", **fields):
    """A case sent to its organisation, with a remediation step recorded."""
    case = case or CaseFactory(status=status, **fields)
    referred(case)
    CaseEventFactory(case=case, kind="remediation", shared=True, remediation_kind="back_pay",
                     by_organisation=True)  # fmt: skip
    return case


class SignOffFactory(BaseFactory):
    class Meta:
        model = SignOff

    case = factory.LazyFunction(remediated)
    organisation = factory.LazyAttribute(lambda o: o.case.organisation)
    statement = STATEMENT
    signer_title = "HR manager"
    signed_on = factory.LazyFunction(today)
    shared_with_brands = False


class EvidenceFactory(BaseFactory):
    class Meta:
        model = Evidence

    signoff = factory.SubFactory(SignOffFactory)
    file_key = factory.LazyFunction(lambda: files.store(PDF))
    filename = FILENAME
    content_type = "application/pdf"
    size = len(PDF)


class VerificationFactory(BaseFactory):
    class Meta:
        model = Verification

    case = factory.LazyFunction(remediated)
    methods = ["documents"]
    note = "Checked the payroll zqverification"
    verified_on = factory.LazyFunction(today)


def brand_consent(case) -> ConsentRecord:
    """The worker agreed that documents may go to the brands."""
    from goldendreams.extensions import db

    record = ConsentRecord(
        case_id=case.id, recipient=ConsentRecipient.BRAND,
        items=[ConsentItem.ISSUE, ConsentItem.DOCUMENTS], method=ConsentMethod.PHONE,
        recorded_on=today(),
    )  # fmt: skip
    db.session.add(record)
    db.session.commit()
    return record
