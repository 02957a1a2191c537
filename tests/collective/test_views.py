"""Collective case pages in a browser-like client: the caseworker's pages and forms, the
case page's panel, the organisation's view (no beneficiary line, no case summary, ever),
the brand's and the public totals; in several languages."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from goldendreams.cases import taxonomy
from goldendreams.collective.models import Beneficiary, CollectiveCase, Instalment
from goldendreams.core.base import today
from goldendreams.extensions import db
from tests.collective.factories import (
    BeneficiaryFactory,
    InstalmentFactory,
    collective_with_case,
)
from tests.conftest import login, translated
from tests.factories import (
    AgencyFactory,
    BuyerFactory,
    CaseFactory,
    CsoFactory,
    OrganisationLinkFactory,
    UserFactory,
)

LABEL = "Ma Hnin Secret Wai"


@pytest.fixture
def caseworker(app, client):
    taxonomy.load()
    user = UserFactory(role="caseworker")
    login(client, user)
    return user


def page(client, url: str, **kwargs) -> str:
    response = client.get(url, **kwargs)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


@pytest.mark.parametrize("locale", ["my", "th", "km"])
def test_the_caseworker_starts_one_from_the_case_page(client, caseworker, locale):
    case = CaseFactory(workers_affected=25)
    html = page(client, f"/cases/{case.id}", headers={"Accept-Language": locale})
    assert f"/cases/collective/start/{case.id}" in html
    html = page(client, f"/cases/collective/start/{case.id}", headers={"Accept-Language": locale})
    assert translated(locale, "Back") in html and 'value="25"' in html
    response = client.post(
        f"/cases/collective/start/{case.id}",
        data={"grouping": "intake_batch", "description": "Batch of March", "workers": "25"},
    )
    assert response.status_code == 302
    collective = db.session.scalar(select(CollectiveCase))
    html = page(client, response.headers["Location"], headers={"Accept-Language": locale})
    assert collective.reference in html and case.reference in html
    # The case page now names its collective case.
    assert collective.reference in page(client, f"/cases/{case.id}")


@pytest.mark.parametrize(
    "data",
    [{}, {"grouping": "kitchen", "workers": "3"}, {"grouping": "dormitory", "workers": "0"},
     {"grouping": "dormitory", "workers": "100001"}, {"grouping": "other", "workers": "x"}],
)  # fmt: skip
def test_bad_input_shows_the_form_again_and_stores_nothing(client, caseworker, data):
    case = CaseFactory()
    response = client.post(f"/cases/collective/start/{case.id}", data=data)
    assert response.status_code == 200
    assert 'class="error"' in response.get_data(as_text=True)
    assert count(CollectiveCase) == 0


def test_joining_an_open_collective_from_the_case_page(client, caseworker):
    collective = collective_with_case()
    case = CaseFactory(organisation=collective.organisation)
    html = page(client, f"/cases/{case.id}")
    assert collective.public_id in html  # offered in the menu
    client.post(f"/cases/collective/join/{case.id}", data={"collective_id": collective.public_id})
    assert case in collective.cases


@pytest.mark.parametrize(
    "data",
    [
        {"label": "", "amount_owed": "10", "currency": "THB"},
        {"label": "A", "amount_owed": "-5", "currency": "THB"},
        {"label": "A", "amount_owed": "1000000000", "currency": "THB"},
        {"label": "A", "amount_owed": "NaN", "currency": "THB"},
        {"label": "A", "amount_owed": "10", "currency": "EUR"},
        {"label": "A", "amount_owed": "10", "amount_paid": "5", "currency": "THB"},
        {"label": "A", "amount_owed": "10", "currency": "THB", "paid_on": "2026-13-45"},
    ],
)
def test_bad_beneficiary_lines_are_refused(client, caseworker, data):
    collective = collective_with_case()
    response = client.post(f"/cases/collective/{collective.public_id}/beneficiaries/new", data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'class="error"' in html or 'role="alert"' in html
    assert count(Beneficiary) == 0


def test_lines_added_changed_and_removed(client, caseworker):
    collective = collective_with_case()
    base = f"/cases/collective/{collective.public_id}"
    client.post(f"{base}/beneficiaries/new", data={
        "label": LABEL, "amount_owed": "18000", "amount_paid": "9000", "currency": "THB",
        "paid_on": today().isoformat(), "paid_how": "mobile_money"})  # fmt: skip
    line = db.session.scalar(select(Beneficiary))
    assert line.amount_paid == Decimal("9000") and LABEL in page(client, base)
    client.post(f"{base}/beneficiaries/{line.id}", data={
        "label": LABEL, "amount_owed": "18000", "amount_paid": "18000", "currency": "THB",
        "paid_on": today().isoformat(), "paid_how": "cash"})  # fmt: skip
    db.session.refresh(line)
    assert line.amount_paid == Decimal("18000") and line.paid_how == "cash"
    client.post(f"{base}/beneficiaries/{line.id}/remove")
    assert count(Beneficiary) == 0


def test_schedule_overdue_badges_and_confirming(client, caseworker):
    collective = collective_with_case()
    base = f"/cases/collective/{collective.public_id}"
    bad = client.post(f"{base}/instalments", data={"due_on": "", "amount": "0", "currency": "THB"})
    assert bad.status_code == 200 and count(Instalment) == 0
    client.post(f"{base}/instalments", data={
        "due_on": (today() - timedelta(days=3)).isoformat(), "amount": "40000",
        "currency": "THB"})  # fmt: skip
    instalment = db.session.scalar(select(Instalment))
    html = page(client, base)
    assert "badge warn" in html
    assert "badge warn" in page(client, "/cases/collective/")
    confirm = f"{base}/instalments/{instalment.public_id}/confirm"
    assert 'value="40000' in page(client, confirm)
    future = (today() + timedelta(days=2)).isoformat()
    assert client.post(confirm, data={"amount": "40000", "paid_on": future}).status_code == 200
    assert instalment.state == "due"
    client.post(confirm, data={"amount": "40000", "paid_on": today().isoformat()})
    db.session.refresh(instalment)
    assert instalment.state == "confirmed"
    assert "badge warn" not in page(client, base)


def test_another_csos_caseworker_sees_nothing(client, app):
    taxonomy.load()
    collective = collective_with_case()
    BeneficiaryFactory(collective=collective, label=LABEL)
    login(client, UserFactory(role="caseworker", organisation=CsoFactory()))
    assert client.get(f"/cases/collective/{collective.public_id}").status_code == 404
    assert collective.reference not in page(client, "/cases/collective/")


def _organisation_world():
    collective = collective_with_case(description="Dormitory of Ko Secret Aung")
    BeneficiaryFactory(collective=collective, label=LABEL)
    InstalmentFactory(collective=collective, due_on=today() - timedelta(days=1))
    InstalmentFactory(collective=collective, state="confirmed", amount_paid=Decimal("30000"),
                      paid_on=today(), confirmed_on=today())  # fmt: skip
    return collective


@pytest.mark.parametrize("locale", ["en", "lo", "ne"])
def test_the_organisation_sees_the_schedule_never_a_line_or_a_summary(client, app, locale):
    taxonomy.load()
    collective = _organisation_world()
    staff = UserFactory(role="employer_staff", organisation=collective.organisation)
    login(client, staff)
    org = collective.organisation_id
    listing = page(client, f"/portal/{org}/cases/", headers={"Accept-Language": locale})
    assert collective.reference in listing and "badge warn" in listing
    url = f"/portal/{org}/collective/{collective.public_id}"
    html = page(client, url, headers={"Accept-Language": locale})
    assert collective.reference in html and "badge warn" in html
    for secret in (LABEL, "Ko Secret Aung", collective.cases[0].summary,
                   collective.cases[0].contact):  # fmt: skip
        assert secret not in html and secret not in listing
    assert collective.cases[0].reference not in html  # which cases: the CSO's to know
    # It says it paid the late one; a bad amount is refused with the form again.
    late = collective.instalments[0]
    paid = f"{url}/instalments/{late.public_id}/paid"
    response = client.post(paid, data={"amount": "-1", "paid_on": today().isoformat()})
    assert response.status_code == 200 and late.state == "due"
    response = client.post(paid, data={"amount": "50000", "paid_on": today().isoformat()})
    assert response.status_code == 302
    db.session.refresh(late)
    assert late.state == "reported"


def test_the_brand_sees_rounded_supply_chain_totals_from_three_remedies(client, app):
    taxonomy.load()
    brand = BuyerFactory()
    agency = AgencyFactory()
    day = today() - timedelta(days=2)
    collectives = []
    for _ in range(3):
        collective = collective_with_case(workers_covered=5)
        OrganisationLinkFactory(kind="buys_from", source=brand, target=collective.organisation)
        InstalmentFactory(collective=collective, state="confirmed", amount_paid=Decimal("12345"),
                          paid_on=day, confirmed_on=day)  # fmt: skip
        collectives.append(collective)
    OrganisationLinkFactory(kind="recruits_for", source=agency, target=collectives[0].organisation)
    from goldendreams.collective import queries

    assert agency.id in queries.supply_chain_ids(brand.id)
    chain = queries.supply_chain_totals(brand.id)
    assert chain["total"] == [("THB", 37000)]  # 37,035 to two digits
    # Each supplier alone has one remedy: hidden.
    assert all(rows == [("THB", None)] for _name, rows in chain["by_organisation"])
    login(client, UserFactory(role="brand", organisation=brand))
    html = page(client, "/brand/")
    assert "37,000" in html and "12,345" not in html


def test_public_figures_are_rounded_suppressed_and_a_day_late(client, app):
    from goldendreams.collective import queries

    taxonomy.load()
    day = today() - timedelta(days=1)
    for amount in ("100000", "23456"):
        collective = collective_with_case(workers_covered=4)
        InstalmentFactory(collective=collective, state="confirmed", amount_paid=Decimal(amount),
                          paid_on=day, confirmed_on=day)  # fmt: skip
    assert queries.public_totals() == {"totals": [("THB", None)], "workers": 8}
    third = collective_with_case(workers_covered=4)
    InstalmentFactory(collective=third, state="confirmed", amount_paid=Decimal("1000"),
                      paid_on=day, confirmed_on=day)  # fmt: skip
    # Today's payment and a remedy of two workers do not count.
    InstalmentFactory(collective=third, state="confirmed", amount_paid=Decimal("5000"),
                      paid_on=today(), confirmed_on=today())  # fmt: skip
    small = collective_with_case(workers_covered=2)
    InstalmentFactory(collective=small, state="confirmed", amount_paid=Decimal("90000"),
                      paid_on=day, confirmed_on=day)  # fmt: skip
    assert queries.public_totals() == {"totals": [("THB", 120000)], "workers": 12}
    html = page(client, "/metrics")
    assert "120,000" in html
