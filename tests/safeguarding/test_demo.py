"""Safeguarding's demo part (on the few demo records it looks up, made here: the whole
demo is tests/test_demo.py's)."""

from __future__ import annotations

from goldendreams.safeguarding import demo, queries
from tests.factories import CaseFactory, CsoFactory, OrganisationFactory, UserFactory, referred


def test_the_demo_shows_a_high_risk_plan_an_on_call_person_and_a_pay_cut(app):
    mae_sot = CsoFactory(name="Mae Sot Workers' Rights Centre")
    worker = UserFactory(role="caseworker", email=demo.CASEWORKER, organisation=mae_sot)
    hotline = CaseFactory(owner=mae_sot, organisation=OrganisationFactory(name=demo.MAHACHAI))
    siam_ocean = OrganisationFactory(name=demo.SIAM_OCEAN)
    siam = referred(CaseFactory(owner=mae_sot, organisation=siam_ocean))
    demo.seed()
    demo.seed()  # once
    assert queries.on_call(mae_sot.id) == [worker]
    assert queries.current_assessment(case_id=hotline.id).level == "high"
    assert queries.plan_of(hotline.id) and queries.next_check_in(hotline.id)
    assert hotline.severity == "urgent" and siam.severity == "urgent"
    assert [r.kind for r in queries.reports_of(siam.id)] == ["pay_cut"]
    assert len(queries.assessments(case_id=hotline.id)) == 1
