"""The pages in a browser-like client: the brand's dashboard (filters, pages, upstream,
escalations), a case's shared timeline, acknowledging and committing; the CSO escalating
and following; the supplier seeing what brands promised. Who sees what, in several
languages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from goldendreams.brands import permissions, services
from goldendreams.brands.models import Commitment, Escalation
from goldendreams.cases import consent, taxonomy
from goldendreams.cases import services as case_services
from goldendreams.cases.models import ConsentRecipient
from goldendreams.core.base import today
from goldendreams.extensions import db
from tests.brands.factories import shared_case, supply_chain
from tests.conftest import login, translated
from tests.factories import (
    AgencyFactory,
    BuyerFactory,
    CaseEventFactory,
    CaseFactory,
    OrganisationLinkFactory,
    UserFactory,
    referred,
)

INTERNAL = "Internal zqinternal: the worker fears the supervisor."
SHARED_NOTE = "Shared zqshared: please pay the fees back to Ma Hla."
NOTE = "Escalation zqescnote: the supplier does not answer."


@pytest.fixture
def chain(app):
    """A brand buying from an employer, with a licensed agency recruiting for it; a severe
    case sent to the employer (an internal and a shared note, a remediation), escalated by
    the test network's caseworker."""
    taxonomy.load()
    employer, brand = supply_chain()
    agency = AgencyFactory(name="Upstream Lotus Agency", licence_status="valid")
    OrganisationLinkFactory(kind="recruits_for", source=agency, target=employer)
    caseworker = UserFactory(role="caseworker", email="cw.zqperson@ngo.example")
    case = shared_case(employer, summary="Summary zqsummary", contact="LINE zqcontact")
    CaseEventFactory(case=case, text=INTERNAL)
    case_services.add_note(case, caseworker, SHARED_NOTE, shared=True)
    case_services.record_remediation(case, caseworker, "fee_repayment", None, None, 4, "Paid")
    escalation = services.escalate(caseworker, employer, [case], "severe", NOTE)
    staff = UserFactory(role="brand", organisation=brand)
    return {"employer": employer, "brand": brand, "case": case, "escalation": escalation,
            "part": escalation.brands[0], "caseworker": caseworker, "staff": staff,
            "agency": agency}  # fmt: skip


def test_the_dashboard_lists_filters_and_links(app, client, chain):
    unreferred = CaseFactory(organisation=chain["employer"], reference="ILM-2026-UNREF001")
    other = referred(CaseFactory(reference="ILM-2026-OTHER001"))
    low = shared_case(chain["employer"], severity="low", reference="ILM-2026-LOWSEV01")
    login(client, chain["staff"])
    page = client.get("/brand/").get_data(as_text=True)
    assert chain["case"].reference in page and low.reference in page
    assert unreferred.reference not in page and other.reference not in page
    assert f"/brand/cases/{chain['case'].public_id}" in page
    assert "Filters (0)" in page
    # Upstream: the agency, its licence, its public page.
    assert "Upstream Lotus Agency" in page and "Licence valid" in page
    assert f"/organisations/{chain['agency'].id}" in page or "Upstream Lotus" in page
    # The escalation, with its deadline.
    assert f"/brand/escalations/{chain['part'].public_id}" in page
    assert "Your suppliers compared" in page  # trends/: the suppliers side by side
    for secret in (INTERNAL, SHARED_NOTE, "zqsummary", "zqcontact", "zqperson"):
        assert secret not in page

    filtered = client.get("/brand/?severity=low").get_data(as_text=True)
    assert "Filters (1)" in filtered
    assert low.reference in filtered and chain["case"].reference not in filtered
    quarter = f"{today().year}-Q{(today().month - 1) // 3 + 1}"
    both = client.get(f"/brand/?issue=FEE-01&period={quarter}&supplier={chain['employer'].id}")
    assert "Filters (3)" in both.get_data(as_text=True)
    assert chain["case"].reference in both.get_data(as_text=True)
    # A value not offered is ignored (and marked), never a 500.
    odd = client.get("/brand/?supplier=999999&period=1999-Q9&severity=<b>")
    assert odd.status_code == 200 and chain["case"].reference in odd.get_data(as_text=True)


def test_the_dashboard_pages(app, client, chain):
    for n in range(25):
        shared_case(chain["employer"], consented=False, reference=f"ILM-2026-PAGE{n:04d}")
    login(client, chain["staff"])
    first = client.get("/brand/").get_data(as_text=True)
    assert "Page 1 of 2" in first
    assert client.get("/brand/?page=2").status_code == 200
    assert client.get("/brand/?page=3").status_code == 404


@pytest.mark.parametrize("locale", ["my", "th"])
def test_the_dashboard_in_other_languages(app, client, chain, locale):
    login(client, chain["staff"])
    client.set_cookie(app.config["LOCALE_COOKIE"], locale)
    for url in ("/brand/", f"/brand/cases/{chain['case'].public_id}",
                f"/brand/escalations/{chain['part'].public_id}"):  # fmt: skip
        page = client.get(url).get_data(as_text=True)
        assert translated(locale, "Back") in page or translated(locale, "Cases") in page, url
    assert translated(locale, "Supplier cases") in client.get("/brand/").get_data(as_text=True)


def test_the_csv_keeps_its_columns_and_its_safety(app, client, chain):
    login(client, chain["staff"])
    response = client.get("/brand/cases.csv")
    text = response.get_data(as_text=True)
    assert text.splitlines()[0].lstrip("\ufeff") == (
        "reference,employer,categories,status,opened_month,outcome"
    )
    assert chain["case"].reference in text and today().isoformat() not in text
    for secret in (INTERNAL, SHARED_NOTE, "zqsummary", "zqcontact"):
        assert secret not in text


def test_the_brand_case_page_shows_the_shared_steps_only(app, client, chain):
    login(client, chain["staff"])
    response = client.get(f"/brand/cases/{chain['case'].public_id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Fees paid back" in page and chain["case"].reference in page
    for secret in (INTERNAL, SHARED_NOTE, "zqsummary", "zqcontact", "zqperson", "Paid"):
        assert secret not in page
    # Another brand finds nothing; a case not yet sent to the supplier is not found either.
    stranger = app.test_client()
    login(stranger, UserFactory(role="brand", organisation=BuyerFactory()))
    assert stranger.get(f"/brand/cases/{chain['case'].public_id}").status_code == 404
    assert stranger.get(f"/brand/escalations/{chain['part'].public_id}").status_code == 404
    unreferred = CaseFactory(organisation=chain["employer"])
    assert client.get(f"/brand/cases/{unreferred.public_id}").status_code == 404


def test_an_agency_case_escalated_to_the_brand_opens(app, client, chain):
    agency = chain["agency"]
    case = shared_case(agency)
    services.escalate(chain["caseworker"], agency, [case], "severe", "Fees again.")
    login(client, chain["staff"])
    assert client.get(f"/brand/cases/{case.public_id}").status_code == 200


def test_withdrawn_consent_closes_an_escalated_case_to_the_brand(app, client, chain):
    """The agency is no supplier of the brand: only the escalation leads there, and only
    while the worker's consent for brands stands."""
    agency = chain["agency"]
    case = shared_case(agency)
    services.escalate(chain["caseworker"], agency, [case], "severe", "Fees again.")
    login(client, chain["staff"])
    url = f"/brand/cases/{case.public_id}"
    assert client.get(url).status_code == 200
    record = consent.current(ConsentRecipient.BRAND, case_id=case.id)
    consent.withdraw(chain["caseworker"], record)
    assert client.get(url).status_code == 404
    assert not permissions.may_see_case(chain["staff"], case)


def test_the_brand_acknowledges_and_commits(app, client, chain, mailbox):
    login(client, chain["staff"])
    url = f"/brand/escalations/{chain['part'].public_id}"
    page = client.get(url).get_data(as_text=True)
    assert NOTE in page and "zqperson" not in page
    assert client.post(f"{url}/acknowledge").status_code == 302
    assert "Acknowledged on" in client.get(url).get_data(as_text=True)
    # Bad input: the page again with the error, nothing stored.
    bad = client.post(f"{url}/commitments", data={"kind": "visit", "text": "A visit",
                                                  "due_on": "2001-01-01"})  # fmt: skip
    assert bad.status_code == 400 and "one year" in bad.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Commitment)) == 0
    due = (today() + timedelta(days=21)).isoformat()
    good = client.post(f"{url}/commitments", data={"kind": "visit", "text": "We visit.",
                                                   "due_on": due})  # fmt: skip
    assert good.status_code == 302
    commitment = db.session.scalar(select(Commitment))
    assert client.post(f"{url}/commitments/{commitment.public_id}/done").status_code == 302
    assert "Done on" in client.get(url).get_data(as_text=True)
    assert chain["caseworker"].email in [m["To"] for m in mailbox.messages]


def test_the_supplier_sees_the_escalation_and_commitments_never_who_or_the_note(app, client, chain):
    services.add_commitment(chain["staff"], chain["part"], "call", "We call you.", today())
    employer_staff = UserFactory(role="employer_staff", organisation=chain["employer"])
    login(client, employer_staff)
    page = client.get(f"/portal/{chain['employer'].id}/cases/").get_data(as_text=True)
    assert chain["brand"].name in page and "We call you." in page
    assert "The problem is severe" in page
    for secret in (NOTE, "zqescnote", "zqperson", chain["caseworker"].email, INTERNAL):
        assert secret not in page


def test_the_cso_escalates_from_the_case_and_follows(app, client, chain):
    login(client, chain["caseworker"])
    case = shared_case(chain["employer"], consented=False)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f"/cases/escalations/new?case={case.id}" in page
    form_url = f"/cases/escalations/new?case={case.id}"
    assert client.get(form_url).status_code == 200
    before = db.session.scalar(select(func.count()).select_from(Escalation))
    # No consent: refused, said so, nothing stored.
    refused = client.post(form_url, data={"cases": str(case.id), "reason": "severe",
                                          "note": "Please help."})  # fmt: skip
    assert refused.status_code == 400
    assert "Record their consent first" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Escalation)) == before
    done = client.post(form_url, data={"cases": str(case.id), "reason": "severe",
                                       "note": "Please help.", "consent_method": "phone",
                                       "consent_note": "On the phone."})  # fmt: skip
    assert done.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Escalation)) == before + 1
    listing = client.get("/cases/escalations/").get_data(as_text=True)
    assert chain["employer"].name in listing
    # A late acknowledgement stands out on the list and on the case.
    chain["part"].ack_due_on = today() - timedelta(days=1)
    db.session.commit()
    assert "A brand is late" in client.get("/cases/escalations/").get_data(as_text=True)
    case_page = client.get(f"/cases/{chain['case'].id}").get_data(as_text=True)
    assert "Acknowledgement overdue" in case_page


def test_a_pattern_chosen_by_issue(app, client, chain):
    login(client, chain["caseworker"])
    shared_case(chain["employer"], severity="low")
    url = f"/cases/escalations/new?organisation={chain['employer'].id}"
    assert client.get(url).status_code == 200
    response = client.post(url, data={"categories": "FEE-01", "reason": "repeated",
                                      "note": "Fees, again and again."})  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)
    newest = db.session.scalar(select(Escalation).order_by(Escalation.id.desc()))
    assert len(newest.cases) == 2 and newest.category_codes == ["FEE-01"]
