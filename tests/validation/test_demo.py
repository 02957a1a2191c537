"""The demo's validated case: signed off with a receipt, shared, verified, confirmed."""

from __future__ import annotations

from sqlalchemy import select

from goldendreams.cases import taxonomy
from goldendreams.cases.models import Case
from goldendreams.core import files
from goldendreams.extensions import db
from goldendreams.validation import demo, evidence, queries
from tests.factories import CsoFactory, OrganisationFactory, UserFactory


def test_the_demo_case_is_validated_twice(app):
    taxonomy.load()
    supplier = OrganisationFactory(name=demo.SUPPLIER)
    UserFactory(email=demo.CASEWORKER, role="caseworker", organisation=CsoFactory())
    UserFactory(email=demo.EMPLOYER, role="employer_staff", organisation=supplier)
    demo.seed()
    demo.seed()  # once

    (case,) = db.session.scalars(select(Case))
    assert (case.status, case.outcome) == ("closed", "resolved_confirmed")
    (signoff,) = queries.signoffs(case)
    assert signoff.shared_with_brands and queries.is_verified(case)
    (receipt,) = signoff.evidence
    assert evidence.sniff(files.load(receipt.file_key)) == "image/png"
