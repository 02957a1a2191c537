from datetime import timedelta

from goldendreams.agencies import queries
from goldendreams.agencies.queries import DirectoryFilters
from goldendreams.core.base import today
from goldendreams.extensions import db
from tests.factories import (
    AgencyFactory,
    BuyerFactory,
    OrganisationFactory,
    OrganisationLinkFactory,
)


def names(filters: DirectoryFilters) -> list[str]:
    return [org.name for org in db.session.scalars(queries.directory_query(filters))]


def test_filters_combine(app):
    OrganisationFactory(name="Thai seafood", country="TH", sector="seafood")
    OrganisationFactory(name="Thai garments", country="TH", sector="garments")
    OrganisationFactory(
        name="Malaysian gloves", country="MY", province="Selangor", sector="manufacturing"
    )
    AgencyFactory(name="Yangon agency")
    assert names(DirectoryFilters(country="TH")) == ["Thai garments", "Thai seafood"]
    assert names(DirectoryFilters(country="TH", sector="seafood")) == ["Thai seafood"]
    assert names(DirectoryFilters(province="Selangor")) == ["Malaysian gloves"]
    assert names(DirectoryFilters(kind="agency")) == ["Yangon agency"]


def test_list_is_sorted_by_name_ignoring_case(app):
    for name in ("banana", "Apple", "cherry"):
        OrganisationFactory(name=name)
    assert names(DirectoryFilters()) == ["Apple", "banana", "cherry"]


def test_licence_filter_matches_what_readers_see(app):
    past, future = today() - timedelta(days=5), today() + timedelta(days=5)
    AgencyFactory(name="valid", licence_status="valid", licence_expiry=future)
    AgencyFactory(name="valid no expiry", licence_status="valid", licence_expiry=None)
    AgencyFactory(name="lapsed", licence_status="valid", licence_expiry=past)
    AgencyFactory(name="marked expired", licence_status="expired", licence_expiry=past)
    AgencyFactory(name="suspended", licence_status="suspended", licence_expiry=future)
    AgencyFactory(name="revoked", licence_status="revoked", licence_expiry=future)
    OrganisationFactory(name="employer")
    assert names(DirectoryFilters(licence="valid")) == ["valid", "valid no expiry"]
    assert names(DirectoryFilters(licence="expired")) == ["lapsed", "marked expired"]
    assert names(DirectoryFilters(licence="suspended")) == ["suspended"]
    assert names(DirectoryFilters(licence="revoked")) == ["revoked"]
    for org in db.session.scalars(queries.directory_query(DirectoryFilters(licence="expired"))):
        assert org.licence_state() == "expired"


def test_provinces_are_distinct_and_per_country(app):
    OrganisationFactory(country="TH", province="Rayong")
    OrganisationFactory(country="TH", province="Rayong")
    OrganisationFactory(country="TH", province="Chon Buri")
    OrganisationFactory(country="MY", province="Johor")
    OrganisationFactory(country="MY", province=None)
    assert queries.provinces("TH") == ["Chon Buri", "Rayong"]
    assert queries.provinces() == ["Chon Buri", "Johor", "Rayong"]


def test_linked_both_ways(app):
    agency, employer, buyer = AgencyFactory(), OrganisationFactory(), BuyerFactory()
    OrganisationLinkFactory(kind="recruits_for", source=agency, target=employer)
    OrganisationLinkFactory(kind="buys_from", source=buyer, target=employer)
    assert queries.linked(agency)["recruits_for"] == [employer]
    assert queries.linked(employer)["recruited_by"] == [agency]
    assert queries.linked(employer)["bought_by"] == [buyer]
    assert queries.linked(buyer)["buys_from"] == [employer]
    assert queries.linked(agency)["recruited_by"] == []


def test_link_candidates_exclude_linked_and_wrong_kinds(app):
    agency, other_agency = AgencyFactory(), AgencyFactory()
    linked_employer, free_employer = OrganisationFactory(), OrganisationFactory()
    BuyerFactory()
    OrganisationLinkFactory(source=agency, target=linked_employer)
    assert queries.link_candidates(agency) == [free_employer]
    assert set(queries.link_candidates(free_employer)) >= {agency, other_agency}
