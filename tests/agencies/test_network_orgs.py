"""Government offices and industry associations in the directory: the staff form (a
government office says what kind of office it is), member links (an employer or agency is a
member of an association), and the public pages that never show them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from goldendreams.agencies import claims, queries, services
from goldendreams.agencies.models import Organisation
from goldendreams.core.auth import Role
from goldendreams.extensions import db
from goldendreams.reviews import services as review_services
from goldendreams.search.documents import documents_for
from tests.factories import (
    AgencyFactory,
    AssociationFactory,
    BuyerFactory,
    CsoFactory,
    GovernmentOfficeFactory,
    OrganisationFactory,
)


def text(response) -> str:
    return response.get_data(as_text=True)


def fields(**overrides) -> dict:
    data = {"kind": "government", "name": "Samut Sakhon Labour Inspection", "country": "TH",
            "province": "Samut Sakhon", "office_kind": "labour_inspection"}  # fmt: skip
    data.update(overrides)
    return data


def form_data(**overrides) -> dict:
    """The same as the staff form posts it (empty choices are empty strings)."""
    return {**fields(**overrides), "sector": "", "licence_status": ""}


# --- services -----------------------------------------------------------------------------------


def test_a_government_office_says_what_kind_of_office_it_is(app):
    office = services.create_organisation(None, **fields())
    assert (office.kind, office.office_kind) == ("government", "labour_inspection")
    assert office.office_label == "Labour inspection"
    for bad in (None, "police"):
        with pytest.raises(services.DirectoryError, match="kind of office"):
            services.create_organisation(None, **fields(office_kind=bad))


def test_other_kinds_have_no_office_kind(app):
    association = services.create_organisation(None, **fields(kind="association"))
    assert association.office_kind is None
    office = services.create_organisation(None, **fields())
    services.update_organisation(office, None, **fields(kind="association"))
    assert office.office_kind is None


@pytest.mark.parametrize("member_factory", [OrganisationFactory, AgencyFactory])
def test_an_employer_or_agency_is_a_member_of_an_association(app, member_factory):
    member, association = member_factory(), AssociationFactory()
    # Either end may be given first: the member is always the source.
    link = services.add_link(association, member, None)
    assert (link.kind, link.source_id, link.target_id) == ("member_of", member.id, association.id)
    with pytest.raises(services.DirectoryError, match="linked already"):
        services.add_link(member, association, None)
    assert association not in queries.link_candidates(member)


@pytest.mark.parametrize(
    "pair",
    [
        (AssociationFactory, AssociationFactory),
        (AssociationFactory, BuyerFactory),
        (AssociationFactory, CsoFactory),
        (AssociationFactory, GovernmentOfficeFactory),
        (GovernmentOfficeFactory, OrganisationFactory),
        (GovernmentOfficeFactory, AgencyFactory),
    ],
)
def test_other_links_are_refused(app, pair):
    a, b = (make() for make in pair)
    with pytest.raises(services.DirectoryError):
        services.add_link(a, b, None)


def test_link_candidates(app):
    employer, agency, buyer = OrganisationFactory(), AgencyFactory(), BuyerFactory()
    association, office = AssociationFactory(), GovernmentOfficeFactory()
    assert set(queries.link_candidates(association)) == {employer, agency}
    assert association in queries.link_candidates(employer)
    assert association in queries.link_candidates(agency)
    assert association not in queries.link_candidates(buyer)
    assert queries.link_candidates(office) == [] and not queries.linkable(office)
    assert queries.linkable(association)


def test_an_association_with_members_cannot_change_kind(app):
    association = AssociationFactory()
    services.add_link(OrganisationFactory(), association, None)
    with pytest.raises(services.DirectoryError, match="links"):
        services.update_organisation(association, None, **fields(kind="buyer", office_kind=None))


# --- the staff form ---------------------------------------------------------------------------


def test_admin_creates_a_government_office(client, login_as):
    login_as(Role.ADMIN)
    page = text(client.get("/staff/organisations/new"))
    assert 'value="government"' in page and 'value="association"' in page
    assert 'value="labour_inspection"' in page and 'value="embassy"' in page
    response = client.post("/staff/organisations/new", data=form_data(office_kind="embassy"))
    assert response.status_code == 302
    office = db.session.scalars(select(Organisation)).one()
    assert (office.kind, office.office_kind) == ("government", "embassy")
    page = text(client.get(f"/staff/organisations/{office.id}"))
    assert 'id="links"' not in page  # government offices have no links
    assert f'href="/organisations/{office.id}"' not in page  # nor a public page


def test_the_form_refuses_a_government_office_without_its_kind(client, login_as):
    login_as(Role.MODERATOR)
    response = client.post(
        "/staff/organisations/new",
        data=form_data(office_kind=""),
        follow_redirects=True,
    )
    assert "Choose what kind of office this is." in text(response)
    assert db.session.scalar(select(Organisation.id)) is None


def test_the_staff_adds_a_member_link_from_the_employers_page(client, login_as):
    login_as(Role.ADMIN)
    employer, association = OrganisationFactory(), AssociationFactory(name="Seafood Makers")
    page = text(client.get(f"/staff/organisations/{employer.id}"))
    assert "Seafood Makers (Industry association)" in page
    response = client.post(
        f"/staff/organisations/{employer.id}/links", data={"partner": association.id}
    )
    assert response.status_code == 302
    page = text(client.get(f"/staff/organisations/{employer.id}"))
    assert "Member of Seafood Makers" in page
    # The employer's public page does not name the association (it has no page).
    assert "Seafood Makers" not in text(client.get(f"/organisations/{employer.id}"))


# --- the public never meets them --------------------------------------------------------------


@pytest.mark.parametrize("factory", [GovernmentOfficeFactory, AssociationFactory])
def test_offices_and_associations_have_no_public_page(client, factory):
    org = factory(name="Hidden Network Member")
    assert not org.is_public
    assert not review_services.reviewable(org) and not claims.claimable(org)
    for path in ("", "/review", "/reviews", "/claim"):
        assert client.get(f"/organisations/{org.id}{path}").status_code == 404, path
    assert client.post(f"/organisations/{org.id}/review", data={}).status_code == 404
    assert client.post(f"/organisations/{org.id}/claim", data={}).status_code == 404
    for path in ("/directory/", f"/directory/?kind={org.kind}", "/partners"):
        assert "Hidden Network Member" not in text(client.get(path)), path
    assert documents_for([("organisation", org.id)]) == []
    # Nor can someone ask for one to be added through a claim.
    page = text(client.get("/organisations/claim-new"))
    assert f'value="{org.kind}"' not in page


def test_other_organisations_still_have_their_page(client):
    for org in (OrganisationFactory(), AgencyFactory(), BuyerFactory(), CsoFactory()):
        assert org.is_public
        assert client.get(f"/organisations/{org.id}").status_code == 200
        assert documents_for([("organisation", org.id)])
