"""The pages: the public directory and the help page in the site's languages, the staff
pages that keep the directory, and a caseworker referring a worker from the case page and
following it up. Bad input shows the page again with an error and stores nothing."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from goldendreams.cases.models import ConsentRecord
from goldendreams.config import LOCALES
from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.support.models import Service, ServiceReferral
from tests.conftest import login, translated
from tests.factories import CaseEventFactory, CaseFactory, CsoFactory, UserFactory
from tests.support.factories import ServiceFactory, ServiceReferralFactory


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("locale", LOCALES)
def test_the_directory_in_every_language(app, client, locale):
    ServiceFactory(name="Example Clinic Listed", phone="+66 (0)55 555 0201", languages=["my"])
    ServiceFactory(name="Example Shelter Off", status="off")
    client.set_cookie("gd_lang", locale)
    response = client.get("/services/")
    assert response.status_code == 200
    text = page(response)
    assert f'<html lang="{locale}">' in text
    assert "Example Clinic Listed" in text and "Example Shelter Off" not in text
    assert 'href="tel:+66555550201"' in text
    assert '<meta name="description"' in text
    if locale != "en":
        assert translated(locale, "not checked yet") in text


def test_filters_and_pages(app, client):
    app.config["SERVICES_PAGE_SIZE"] = 2
    for n in range(3):
        ServiceFactory(name=f"Example Clinic {n}", languages=["my"])
    ServiceFactory(name="Example Union KL", kind="union", country="MY", languages=["ms"])
    assert "Example Union KL" not in page(client.get("/services/?language=my"))
    assert "Example Union KL" in page(client.get("/services/?country=MY&kind=union"))
    assert "Example Clinic" not in page(client.get("/services/?kind=union"))
    assert "Example Clinic 2" in page(client.get("/services/?page=2"))
    assert client.get("/services/?page=9").status_code == 404
    # A choice not on the list: an error on the filter, every service shown.
    bad = page(client.get("/services/?country=ZZ"))
    assert "Choose an answer from the list." in bad and "Example Union KL" in bad


def test_the_help_page_shows_the_services_of_the_readers_country(app, client):
    ServiceFactory(name="Example Shelter Tak", kind="shelter", checked_on=today())
    ServiceFactory(name="Example Clinic Penang", country="MY")
    text = page(client.get("/help/?country=TH"))
    assert "Example Shelter Tak" in text and "Example Clinic Penang" not in text
    assert "Shelter" in text and "Free of charge" in text
    # The country stays chosen (the cookie): the services come with it.
    assert "Example Shelter Tak" in page(client.get("/help/"))
    assert "Example Shelter Tak" not in page(client.get("/help/?country=all"))


def test_a_cso_admin_adds_checks_and_switches_off_a_service(app, client):
    login(client, UserFactory(role="caseworker", org_admin=True))
    form = {
        "kind": "legal_aid", "name": "Example Legal Aid Tak", "country": "TH",
        "languages": ["my", "th"], "phone": "+66 55 555 0201", "website": "javascript:alert(1)",
    }  # fmt: skip
    refused = client.post("/staff/services/new", data=form)
    assert refused.status_code == 200 and "https://example.org" in page(refused)
    assert db.session.scalar(select(func.count()).select_from(Service)) == 0
    form["website"] = "https://legal-aid.example.org/"
    assert client.post("/staff/services/new", data=form).status_code == 302
    service = db.session.scalar(select(Service))
    assert service.cso.name and service.languages == ["my", "th"]
    url = f"/staff/services/{service.public_id}"
    assert client.post(f"{url}/checked").status_code == 302
    # Switching off asks to confirm: without the tick nothing changes.
    client.post(f"{url}/off", data={})
    db.session.expire_all()
    assert service.active and service.checked_on == today()
    client.post(f"{url}/off", data={"confirm": "y"})
    db.session.expire_all()
    assert not service.active
    assert "Example Legal Aid Tak" not in page(client.get("/services/"))
    assert "Example Legal Aid Tak" in page(client.get("/staff/services/"))


def test_a_caseworker_refers_the_worker_with_consent(app, client):
    worker = UserFactory(role="caseworker")
    case, service = CaseFactory(assignee=worker), ServiceFactory(name="Example Clinic Tak")
    login(client, worker)
    form = client.get(f"/cases/{case.id}/refer-to-service")
    assert "How did the worker agree" in page(form)
    data = {"service_id": service.public_id, "note": "Needs a lawyer for unpaid wages."}
    refused = client.post(f"/cases/{case.id}/refer-to-service", data=data)
    assert refused.status_code == 200 and "Say how the worker agreed." in page(refused)
    assert db.session.scalar(select(func.count()).select_from(ServiceReferral)) == 0
    data |= {"consent_method": "phone", "consent_items": ["issue"], "consent_note": "phone"}
    done = client.post(f"/cases/{case.id}/refer-to-service", data=data)
    assert done.status_code == 302
    referral = db.session.scalar(select(ServiceReferral))
    assert referral.consent.recipient == "service"
    case_page = page(client.get(f"/cases/{case.id}"))
    assert "Sent to services" in case_page and "Example Clinic Tak" in case_page
    # The next referral needs no consent again.
    again = page(client.get(f"/cases/{case.id}/refer-to-service"))
    assert "How did the worker agree" not in again
    assert db.session.scalar(select(func.count()).select_from(ConsentRecord).where(
        ConsentRecord.recipient == "service")) == 1  # fmt: skip


def test_overdue_referrals_stand_out_and_are_followed_up(app, client):
    worker = UserFactory(role="caseworker")
    late = ServiceReferralFactory(follow_up_on=today() - timedelta(days=3))
    ServiceReferralFactory(case=CaseFactory(owner=CsoFactory()), note="Elsewhere zqother")
    login(client, worker)
    case_page = page(client.get(f"/cases/{late.case_id}"))
    assert "1 referral to a service needs a follow-up." in case_page
    listed = page(client.get("/cases/service-referrals/?show=overdue"))
    assert late.service.name in listed and "Overdue" in listed
    assert late.case.reference in listed
    url = f"/cases/service-referrals/{late.id}"
    assert "Needs a lawyer zqreferralnote." in page(client.get(url))
    bad = client.post(url, data={"state": "closed", "outcome": ""})
    assert bad.status_code == 200 and "Write what came of it" in page(bad)
    data = {"state": "accepted", "outcome": "", "follow_up_on": str(today() + timedelta(3))}
    assert client.post(url, data=data).status_code == 302
    db.session.expire_all()
    assert late.state == "accepted" and not late.overdue_on(today())
    assert "needs a follow-up" not in page(client.get(f"/cases/{late.case_id}"))
    assert late.service.name not in page(client.get("/cases/service-referrals/?show=overdue"))


def test_the_employer_never_meets_the_referral(app, client):
    """Its portal's case page shows nothing of the worker's referral to a service."""
    referral = ServiceReferralFactory(case=CaseFactory(status="referred"))
    case = referral.case
    CaseEventFactory(case=case, kind="status", status_from="triaged", status_to="referred")
    login(client, UserFactory(role="employer_staff", organisation=case.organisation))
    response = client.get(f"/portal/{case.organisation_id}/cases/{case.public_id}")
    assert response.status_code == 200 and case.reference in page(response)
    text = page(response)
    assert "zqreferralnote" not in text and referral.service.name not in text
    assert "Sent to services" not in text
    assert client.get("/cases/service-referrals/").status_code == 403
