from datetime import timedelta

import pytest
from sqlalchemy import select

from goldendreams.agencies.models import Organisation, OrganisationLink
from goldendreams.core.auth import Role
from goldendreams.core.base import today
from goldendreams.extensions import db
from tests.factories import (
    AgencyFactory,
    BuyerFactory,
    OrganisationFactory,
    OrganisationLinkFactory,
)


def text(response) -> str:
    return response.get_data(as_text=True)


def test_directory_lists_and_filters(client):
    OrganisationFactory(name="Thai Seafood", country="TH")
    OrganisationFactory(name="Malaysian Gloves", country="MY", province="Selangor")
    page = text(client.get("/directory/"))
    assert "Thai Seafood" in page and "Malaysian Gloves" in page
    page = text(client.get("/directory/?country=MY"))
    assert "Malaysian Gloves" in page and "Thai Seafood" not in page
    assert '<option value="Selangor">' in page  # provinces of the chosen country
    assert 'class="error"' not in page


def test_directory_ignores_hostile_filter_values(client):
    OrganisationFactory(name="Still listed")
    response = client.get("/directory/?kind=<script>&country=XX&licence=1'--&page=-3")
    assert response.status_code == 200
    page = text(response)
    assert "Still listed" in page
    assert "<script>" not in page


def test_directory_pages(app, client):
    app.config["DIRECTORY_PAGE_SIZE"] = 3
    for n in range(7):
        OrganisationFactory(name=f"Org {n}")
    first = text(client.get("/directory/"))
    assert "Org 0" in first and "Org 3" not in first
    assert "Page 1 of 3" in first and 'rel="next"' in first
    last = text(client.get("/directory/?page=3"))
    assert "Org 6" in last and 'rel="next"' not in last and 'rel="prev"' in last
    assert client.get("/directory/?page=99").status_code == 404
    assert client.get("/directory/?country=KH&page=1").status_code == 200  # no results


def test_pagination_keeps_filters(app, client):
    app.config["DIRECTORY_PAGE_SIZE"] = 1
    OrganisationFactory(name="A", country="MY")
    OrganisationFactory(name="B", country="MY")
    page = text(client.get("/directory/?country=MY"))
    assert "country=MY" in page.split('rel="next"')[0].rsplit("<a", 1)[1]


def test_agency_page_shows_licence_and_links(client):
    agency = AgencyFactory(
        name="Lotus Agency",
        name_local="ရွှေကြာ",
        licence_number="MM-42",
        licence_authority="Ministry of Labour",
    )
    employer = OrganisationFactory(name="Sea Foods")
    OrganisationLinkFactory(source=agency, target=employer)
    page = text(client.get(f"/organisations/{agency.id}"))
    assert "ရွှေကြာ" in page and "MM-42" in page and "Ministry of Labour" in page
    assert "Licence valid" in page and "Warning" not in page
    assert "Sea Foods" in page
    employer_page = text(client.get(f"/organisations/{employer.id}"))
    assert "Lotus Agency" in employer_page
    assert "Agencies that recruit for this employer" in employer_page


@pytest.mark.parametrize(
    ("status", "days", "warning"),
    [
        ("valid", -1, "this licence has expired"),
        ("expired", 30, "this licence has expired"),
        ("suspended", 30, "this licence is suspended"),
        ("revoked", 30, "this licence was cancelled"),
        (None, None, "We have no licence on record"),
    ],
)
def test_bad_licences_are_shown_as_warnings(client, status, days, warning):
    expiry = today() + timedelta(days=days) if days is not None else None
    agency = AgencyFactory(licence_status=status, licence_expiry=expiry)
    page = text(client.get(f"/organisations/{agency.id}"))
    assert warning in page
    assert 'class="notice warn"' in page


def test_employer_page_has_no_licence_section(client):
    employer = OrganisationFactory()
    assert "Licence" not in text(client.get(f"/organisations/{employer.id}"))


def test_missing_organisation_is_404(client):
    assert client.get("/organisations/999999").status_code == 404


def form_data(**overrides):
    data = {
        "kind": "agency",
        "name": "New Agency",
        "name_local": "ភ្នាក់ងារ",
        "country": "KH",
        "province": "Phnom Penh",
        "sector": "recruitment",
        "licence_number": "KH-1",
        "licence_authority": "MoLVT",
        "licence_status": "valid",
        "licence_expiry": "2030-01-31",
        "contact_phone": "",
        "contact_email": "",
        "website": "",
    }
    data.update(overrides)
    return data


def test_moderator_creates_and_edits_organisation(client, login_as):
    login_as(Role.MODERATOR)
    response = client.post("/staff/organisations/new", data=form_data())
    assert response.status_code == 302
    org = db.session.scalars(select(Organisation)).one()
    assert (org.name, org.country, str(org.licence_expiry)) == ("New Agency", "KH", "2030-01-31")
    response = client.post(f"/staff/organisations/{org.id}", data=form_data(name="Renamed"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Organisation, org.id).name == "Renamed"


def test_invalid_form_keeps_what_was_typed(client, login_as):
    login_as(Role.ADMIN)
    response = client.post(
        "/staff/organisations/new",
        data=form_data(
            name="",
            name_local="ชื่อที่พิมพ์",
            licence_expiry="31/31/2030",
            contact_email="not-an-email",
            country="XX",
        ),
    )
    assert response.status_code == 200
    page = text(response)
    assert "Please enter a name." in page
    assert "Enter a date like 2026-01-31." in page
    assert "Enter an email address like name@example.org." in page
    assert "Choose an answer from the list." in page
    assert 'value="ชื่อที่พิมพ์"' in page and 'value="not-an-email"' in page
    assert db.session.scalar(select(Organisation.id)) is None


def test_validation_errors_are_translated(client, login_as):
    login_as(Role.ADMIN)
    client.set_cookie("gd_lang", "th", domain="localhost")
    page = text(client.post("/staff/organisations/new", data=form_data(name="")))
    assert "Please enter a name." not in page
    assert 'class="error"' in page


def test_verify_and_links_from_staff_page(client, login_as):
    login_as(Role.ADMIN)
    agency, employer = AgencyFactory(), OrganisationFactory(name="Target Employer")
    client.post(f"/staff/organisations/{agency.id}/verified", data={"verified": "1"})
    db.session.expire_all()
    assert db.session.get(Organisation, agency.id).verified
    page = text(client.get(f"/staff/organisations/{agency.id}"))
    assert "Target Employer" in page  # offered as a link candidate
    client.post(f"/staff/organisations/{agency.id}/links", data={"partner": employer.id})
    link = db.session.scalars(select(OrganisationLink)).one()
    assert (link.source_id, link.target_id) == (agency.id, employer.id)
    other = OrganisationFactory()
    # a link id must belong to the organisation in the address
    assert client.post(f"/staff/organisations/{other.id}/links/{link.id}/delete").status_code == 404
    client.post(f"/staff/organisations/{employer.id}/links/{link.id}/delete")
    assert db.session.scalar(select(OrganisationLink.id)) is None


def test_linking_to_an_unfit_organisation_is_refused(client, login_as):
    login_as(Role.ADMIN)
    agency, other_agency = AgencyFactory(), AgencyFactory()
    response = client.post(
        f"/staff/organisations/{agency.id}/links",
        data={"partner": other_agency.id},
        follow_redirects=True,
    )
    assert "Choose an organisation from the list." in text(response)
    assert db.session.scalar(select(OrganisationLink.id)) is None


def test_org_staff_edit_own_contact_only(client, login_as):
    employer = OrganisationFactory(name="Own Employer")
    other = OrganisationFactory()
    login_as(Role.EMPLOYER_STAFF, organisation=employer)
    assert client.get("/portal/").headers["Location"].endswith(f"/portal/{employer.id}")
    response = client.post(
        f"/portal/{employer.id}/contact",
        data={"contact_phone": "+66 2 000 0000", "contact_email": "hr@example.org", "website": ""},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Organisation, employer.id).contact_email == "hr@example.org"
    assert client.get(f"/portal/{other.id}").status_code == 403
    assert client.post(f"/portal/{other.id}/contact", data={}).status_code == 403


def test_buyer_page_lists_suppliers(client):
    buyer, employer = BuyerFactory(name="Brand X"), OrganisationFactory(name="Supplier Y")
    OrganisationLinkFactory(kind="buys_from", source=buyer, target=employer)
    assert "Supplier Y" in text(client.get(f"/organisations/{buyer.id}"))
    assert "Brand X" in text(client.get(f"/organisations/{employer.id}"))
