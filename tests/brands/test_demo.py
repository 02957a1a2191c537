"""The demo's escalation, seeded on the few records it looks up by name (the full demo is
tests/test_demo.py's): acknowledged, a call done, a visit due in three weeks; once only."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from goldendreams.brands import demo
from goldendreams.brands.models import CommitmentKind, Escalation
from goldendreams.cases import taxonomy
from goldendreams.core.base import today
from goldendreams.extensions import db
from tests.factories import (
    BuyerFactory,
    CsoFactory,
    OrganisationFactory,
    OrganisationLinkFactory,
    UserFactory,
)


def test_the_demo_escalation(app):
    taxonomy.load()
    cso = CsoFactory(name=demo.MAE_SOT)
    supplier = OrganisationFactory(name=demo.SUPPLIER)
    brand = BuyerFactory(name=demo.BRAND)
    OrganisationLinkFactory(kind="buys_from", source=brand, target=supplier)
    UserFactory(role="caseworker", organisation=cso, email=demo.CASEWORKER)
    UserFactory(role="brand", organisation=brand, email=demo.BRAND_USER)
    demo.seed()
    demo.seed()  # a second run adds nothing
    assert db.session.scalar(select(func.count()).select_from(Escalation)) == 1
    escalation = db.session.scalar(select(Escalation))
    assert escalation.cso_id == cso.id and escalation.organisation_id == supplier.id
    part = escalation.brands[0]
    assert part.brand_id == brand.id and part.acknowledged_on == today()
    kinds = {(c.kind, c.is_done, c.due_on) for c in part.commitments}
    assert (CommitmentKind.CALL, True, today() + timedelta(days=7)) in kinds
    assert (CommitmentKind.VISIT, False, today() + timedelta(days=21)) in kinds
