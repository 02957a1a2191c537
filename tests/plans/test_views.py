"""The plan pages as each side uses them in a browser: write, add steps, move them on with
a file, verify, send back; what brands see; the panels on other features' pages."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from flask import render_template
from flask_login import login_user
from sqlalchemy import func, select

from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.plans.models import ItemStatus, Plan, PlanItem, PlanStatus
from tests.conftest import login, translated
from tests.factories import CaseFactory
from tests.plans.factories import PDF, PlanFactory, PlanItemFactory, png, world


@pytest.fixture
def w(app):
    return world()


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_organisation_writes_a_plan_in_its_portal(client, w):
    login(client, w.employer_staff)
    base = f"/portal/{w.employer.id}/plans"
    page = client.get(f"{base}/new").get_data(as_text=True)
    assert w.case.reference in page and w.case.summary not in page

    bad = client.post(f"{base}/new", data={"title": "", "categories": ["ILO-07"]})
    assert bad.status_code == 200 and "Please give the plan a title." in bad.get_data(as_text=True)
    no_case = client.post(f"{base}/new", data={"title": "T", "categories": ["ILO-07"]})
    assert "Choose at least one case" in no_case.get_data(as_text=True)
    assert count(Plan) == 0

    response = client.post(
        f"{base}/new",
        data={"title": "Passports", "categories": ["ILO-07"], "cases": [w.case.public_id]},
    )
    plan = db.session.scalars(select(Plan)).one()
    assert response.status_code == 302 and plan.public_id in response.headers["Location"]
    assert plan.verifier_id == w.case.owner_id

    url = f"{base}/{plan.public_id}"
    late = client.post(f"{url}/items", data={"text": "Lockers", "owner": "HR",
                                             "due_on": "2001-01-01"})  # fmt: skip
    assert "between today and five years" in late.get_data(as_text=True)
    garbage = client.post(f"{url}/items", data={"text": "Lockers", "owner": "HR",
                                                "due_on": "99999-99-99"})  # fmt: skip
    assert garbage.status_code == 200 and count(PlanItem) == 0
    due = (today() + timedelta(days=20)).isoformat()
    client.post(f"{url}/items", data={"text": "Lockers for passports", "owner": "HR manager",
                                      "due_on": due})  # fmt: skip
    assert client.post(f"{url}/start").status_code == 302
    db.session.refresh(plan)
    assert plan.status == PlanStatus.ACTIVE
    item = plan.items[0]

    page = client.get(url).get_data(as_text=True)
    assert "We wrote the policy" in page and "Verify this step" not in page
    sent = client.post(
        f"{url}/items/{item.public_id}/progress",
        data={f"{item.public_id}-evidence": "Policy signed",
              f"{item.public_id}-file": (io.BytesIO(PDF), "policy.pdf")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert sent.status_code == 302
    db.session.refresh(item)
    assert item.status == ItemStatus.POLICY_WRITTEN and item.evidence_type == "application/pdf"

    served = client.get(f"{url}/items/{item.public_id}/evidence")
    assert served.data == PDF and served.mimetype == "application/pdf"
    assert served.headers["Content-Disposition"].startswith("attachment")
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served.headers["Content-Security-Policy"]
    assert "no-store" in served.headers["Cache-Control"]

    fake = client.post(
        f"{url}/items/{item.public_id}/progress",
        data={f"{item.public_id}-file": (io.BytesIO(b"<script>x</script>"), "a.pdf")},
        content_type="multipart/form-data",
    )
    assert fake.status_code == 200 and "PDF, JPEG or PNG" in fake.get_data(as_text=True)
    db.session.refresh(item)
    assert item.status == ItemStatus.POLICY_WRITTEN


def test_the_network_verifies_or_sends_back(client, w):
    plan = PlanFactory(organisation=w.employer, cases=[w.case])
    item = PlanItemFactory(plan=plan, status=ItemStatus.TRAINING_DONE)
    other = PlanItemFactory(plan=plan, status=ItemStatus.TRAINING_DONE)
    login(client, w.caseworker)
    url = f"/cases/plans/{plan.public_id}"
    page = client.get(url).get_data(as_text=True)
    assert "Verify this step" in page and "We wrote the policy" not in page
    assert f'/cases/{w.case.id}"' in page  # the linked case opens for its caseworkers

    empty = client.post(f"{url}/items/{other.public_id}/send-back", data={})
    assert empty.status_code == 200 and "Write why it is sent back." in empty.get_data(as_text=True)
    client.post(f"{url}/items/{other.public_id}/send-back",
                data={f"{other.public_id}-reason": "No photo of the lockers"})  # fmt: skip
    assert client.post(f"{url}/items/{item.public_id}/verify").status_code == 302
    db.session.refresh(item)
    db.session.refresh(other)
    assert item.status == ItemStatus.VERIFIED
    assert other.status == ItemStatus.SYSTEM_IN_PLACE
    assert other.returned_reason == "No photo of the lockers"

    assert plan.title in client.get("/cases/plans/").get_data(as_text=True)


def test_brands_read_plans_without_anything_of_the_workers(client, w):
    hidden = CaseFactory(organisation=w.employer, reference="ILM-2026-55501")
    plan = PlanFactory(organisation=w.employer, cases=[w.case, hidden])
    verified = PlanItemFactory(plan=plan, status=ItemStatus.VERIFIED, evidence="Lockers fitted",
                               evidence_key=None)  # fmt: skip
    waiting = PlanItemFactory(plan=plan, status=ItemStatus.TRAINING_DONE,
                              evidence="Draft list of trainees", evidence_key=None)  # fmt: skip
    PlanItemFactory(plan=plan, due_on=today() - timedelta(days=2))
    draft = PlanFactory(organisation=w.employer, status=PlanStatus.DRAFT)
    login(client, w.brand_staff)

    page = client.get(f"/brand/plans/{plan.public_id}").get_data(as_text=True)
    assert plan.title in page and w.case.reference in page
    assert hidden.reference not in page and w.case.summary not in page
    assert w.case.contact not in page and f"/cases/{w.case.id}" not in page
    assert "Lockers fitted" in page and "Draft list of trainees" not in page
    assert "1 step late" in page
    assert verified.text in page and waiting.text in page
    assert "Verify this step" not in page and "Add a step" not in page
    assert client.get(f"/brand/plans/{draft.public_id}").status_code == 404

    stranger = client.application.test_client()
    login(stranger, w.other_brand_staff)
    assert stranger.get(f"/brand/plans/{plan.public_id}").status_code == 404


def test_panels_list_plans_with_late_steps(client, app, w):
    plan = PlanFactory(organisation=w.employer, cases=[w.case], title="Fix the passports")
    PlanItemFactory(plan=plan, due_on=today() - timedelta(days=1))
    login(client, w.caseworker)
    page = client.get(f"/cases/{w.case.id}").get_data(as_text=True)
    assert "Fix the passports" in page and f"/cases/plans/new?case={w.case.id}" in page
    assert "1 step late" in page
    form = client.get(f"/cases/plans/new?case={w.case.id}").get_data(as_text=True)
    assert w.case.reference in form

    staff = client.application.test_client()
    login(staff, w.employer_staff)
    cases = staff.get(f"/portal/{w.employer.id}/cases/").get_data(as_text=True)
    assert "Fix the passports" in cases and "1 step late" in cases

    # The brand dashboard's slot (brands/ draws the page): this feature's panel alone.
    panel = app.extensions["panels"]["brand"]["plans/_brand_panel.html"]
    with app.test_request_context():
        login_user(w.brand_staff)
        shown = render_template(panel.template, brand=w.brand, **panel.context(brand=w.brand))
        assert "Fix the passports" in shown and "1 step late" in shown
        assert panel.context(brand=w.other_brand_staff.organisation) is None


@pytest.mark.parametrize("locale", ["my", "th", "km"])
def test_the_pages_are_in_the_readers_language(client, w, locale):
    plan = PlanFactory(organisation=w.employer, cases=[w.case])
    PlanItemFactory(plan=plan)
    w.employer_staff.preferred_locale = locale
    db.session.commit()
    login(client, w.employer_staff)
    for url in (
        f"/portal/{w.employer.id}/plans/",
        f"/portal/{w.employer.id}/plans/{plan.public_id}",
    ):
        page = client.get(url).get_data(as_text=True)
        assert f'lang="{locale}"' in page
        assert translated(locale, "Back") in page


def test_a_photo_is_shown_inline_and_a_stranger_finds_nothing(client, w):
    plan = PlanFactory(organisation=w.employer)
    item = PlanItemFactory(plan=plan, status=ItemStatus.PLANNED)
    login(client, w.employer_staff)
    url = f"/portal/{w.employer.id}/plans/{plan.public_id}/items/{item.public_id}"
    client.post(f"{url}/progress", data={f"{item.public_id}-file": (io.BytesIO(png()), "a.png")},
                content_type="multipart/form-data")  # fmt: skip
    served = client.get(f"{url}/evidence")
    assert served.mimetype == "image/png" and served.headers["Content-Disposition"] == "inline"
    stranger = client.application.test_client()
    login(stranger, w.other_employer_staff)
    assert stranger.get(f"{url}/evidence").status_code == 403
    other_cso = client.application.test_client()
    login(other_cso, w.other_caseworker)
    assert other_cso.get(f"/cases/plans/{plan.public_id}").status_code == 404


def test_an_organisation_without_a_shared_case_is_told_why_it_cannot_write_yet(client, w):
    login(client, w.other_employer_staff)
    org_id = w.other_employer_staff.organisation_id
    page = client.get(f"/portal/{org_id}/plans/new").get_data(as_text=True)
    assert "once the network has sent you a case" in page and 'name="title"' not in page
