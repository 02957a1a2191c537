"""The demo's example services and its referral to a legal-aid clinic (on the few demo
records it looks up, made here: the whole demo is tests/test_demo.py's)."""

from __future__ import annotations

from sqlalchemy import func, select

from goldendreams.extensions import db
from goldendreams.support import demo as support_demo
from goldendreams.support.models import Service, ServiceReferral
from tests.factories import CaseFactory, CsoFactory, UserFactory


def test_demo_services_are_examples_and_seed_once(app):
    mae_sot = CsoFactory(name=support_demo.MAE_SOT)
    CsoFactory(name=support_demo.YANGON, country="MM")
    CsoFactory(name=support_demo.UNION, kind="union", country="MY")
    UserFactory(role="admin", email=support_demo.ADMIN)
    UserFactory(role="caseworker", email=support_demo.CASEWORKER, organisation=mae_sot)
    case = CaseFactory(owner=mae_sot, status="referred")
    support_demo.seed()
    support_demo.seed()  # once
    services = list(db.session.scalars(select(Service)))
    assert 8 <= len(services) <= 12
    assert {s.country for s in services} == {"TH", "MY", "MM", "KH", "LA", "NP"}
    assert {"legal_aid", "shelter", "embassy", "health_care", "union", "debt_counselling"} <= {
        s.kind for s in services
    }
    assert all(s.name.startswith("Example ") and s.checked_on is None for s in services)
    (referral,) = db.session.scalars(select(ServiceReferral))
    assert referral.case == case and referral.state == "accepted" and referral.follow_up_on
    assert referral.service.kind == "legal_aid" and referral.consent.recipient == "service"
    assert db.session.scalar(select(func.count()).select_from(ServiceReferral)) == 1
