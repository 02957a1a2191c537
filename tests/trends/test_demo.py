"""The demo's year of history fills four quarters of charts, once. (The organisations are
made here under the demo's names: the whole demo is loaded by tests/test_demo.py.)"""

from __future__ import annotations

from sqlalchemy import func, select

from goldendreams.cases.models import Case
from goldendreams.extensions import db
from goldendreams.trends import demo, queries
from tests.factories import BuyerFactory, CsoFactory, OrganisationFactory, OrganisationLinkFactory


def test_the_demo_fills_four_quarters(app):
    employer = OrganisationFactory(name=demo.EMPLOYER)
    CsoFactory(name=demo.CSO)
    brand = BuyerFactory()
    OrganisationLinkFactory(source=brand, target=employer, kind="buys_from")
    demo.seed()
    count = db.session.scalar(select(func.count()).select_from(Case))
    demo.seed()  # a second run adds nothing
    assert db.session.scalar(select(func.count()).select_from(Case)) == count == 20

    figures = queries.quarterly([employer.id], public=True)[-5:-1]
    assert all(f.resolved and f.median_days and f.money for f in figures)
    assert [f.confirmed_share for f in figures] == [1, 1, 0.5, 4 / 7]
    (row,) = queries.supplier_comparison(brand.id)
    assert row.median_days is not None and row.money
