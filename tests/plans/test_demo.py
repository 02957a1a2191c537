"""The demo's plan: Siam Ocean Seafood's, checked by the Mae Sot centre, for its passport
case, with four steps in four states; loaded once. (The organisations, logins and case
are made here under the demo's names: the whole demo is loaded by tests/test_demo.py.)"""

from __future__ import annotations

from sqlalchemy import select

from goldendreams.core import files
from goldendreams.extensions import db
from goldendreams.plans import demo, queries
from goldendreams.plans.models import ItemStatus, Plan, PlanStatus
from tests.factories import CaseFactory, CsoFactory, OrganisationFactory, UserFactory, referred
from tests.factories import _categories as categories


def test_the_demo_plan_has_a_step_in_each_state(app):
    employer = OrganisationFactory(name=demo.EMPLOYER)
    cso = CsoFactory(name=demo.CSO)
    UserFactory(role="employer_staff", organisation=employer,
                email="employer@demo.goldendreams.example")  # fmt: skip
    UserFactory(role="caseworker", organisation=cso, email="caseworker@demo.goldendreams.example")
    CaseFactory(organisation=employer, owner=cso, categories=categories("ILO-09"))
    case = referred(CaseFactory(organisation=employer, owner=cso,
                                categories=categories("ILO-07", "ILO-03")))  # fmt: skip
    demo.seed()
    demo.seed()  # a second run adds nothing

    (plan,) = db.session.scalars(select(Plan))
    assert plan.verifier_id == cso.id and plan.cases == [case]
    assert plan.status == PlanStatus.ACTIVE
    states = [item.status for item in plan.items]
    assert sorted(states) == sorted([ItemStatus.VERIFIED, ItemStatus.TRAINING_DONE,
                                     ItemStatus.POLICY_WRITTEN, ItemStatus.PLANNED])  # fmt: skip
    (late,) = queries.overdue_items(plan)
    assert late.status == ItemStatus.POLICY_WRITTEN
    verified = next(i for i in plan.items if i.status == ItemStatus.VERIFIED)
    assert files.load(verified.evidence_key).startswith(b"\x89PNG")
