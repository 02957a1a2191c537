"""The demo's collective case: once, at Siam Ocean Seafood, the Mae Sot centre's."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from goldendreams.cases import taxonomy
from goldendreams.collective import demo, queries
from goldendreams.collective.models import CollectiveCase
from goldendreams.extensions import db
from tests.factories import CsoFactory, OrganisationFactory, UserFactory


def test_the_demo_collective_case(app):
    """On the demo's organisations and accounts (made here: the whole demo is slow)."""
    taxonomy.load()
    cso = CsoFactory(name=demo.MAE_SOT)
    employer = OrganisationFactory(name=demo.EMPLOYER)
    UserFactory(role="caseworker", organisation=cso, email=demo.CASEWORKER)
    UserFactory(role="employer_staff", organisation=employer, email=demo.EMPLOYER_USER)
    demo.seed()
    demo.seed()  # a second run adds nothing
    assert db.session.scalar(select(func.count(CollectiveCase.id))) == 1
    collective = db.session.scalar(select(CollectiveCase))
    assert collective.organisation.name == demo.EMPLOYER and collective.owner.name == demo.MAE_SOT
    assert len(collective.cases) == 3 and len(collective.beneficiaries) == 4
    states = [i.state for i in collective.instalments]
    assert states == ["confirmed", "confirmed", "due"]
    assert queries.schedule_totals(collective)["paid"] == {"THB": Decimal("240000")}
    assert collective.shared_with_organisation and queries.overdue_count(collective) == 0
