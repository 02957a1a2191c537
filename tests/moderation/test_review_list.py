"""Staff find any review again (to read it or open a case) from one searchable list."""

import re

import pytest
from sqlalchemy import select

from goldendreams.cases import taxonomy
from goldendreams.cases.models import Case
from goldendreams.core.auth import Role
from goldendreams.extensions import db
from goldendreams.moderation import views
from tests.factories import AgencyFactory, CaseFactory, PublishedReviewFactory, ReviewFactory


def listed(client, query: str = "") -> list[int]:
    page = client.get(f"/moderation/reviews/{query}")
    assert page.status_code == 200
    return [int(n) for n in re.findall(r'href="/moderation/reviews/(\d+)"', page.text)]


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.CASEWORKER, Role.ADMIN])
def test_staff_home_links_the_list_for_every_reader(client, login_as, role):
    login_as(role)
    assert 'href="/moderation/reviews/"' in client.get("/staff/").text


@pytest.mark.parametrize("role", [Role.AGENCY_STAFF, Role.EMPLOYER_STAFF, Role.BRAND])
def test_organisations_never_reach_the_list(client, login_as, role):
    login_as(role, organisation=AgencyFactory())
    assert 'href="/moderation/reviews/"' not in client.get("/staff/").text
    assert client.get("/moderation/reviews/").status_code == 403


def test_anonymous_readers_are_sent_to_the_login(client):
    assert client.get("/moderation/reviews/").status_code == 302


def test_every_status_newest_first_with_its_state(client, login_as):
    login_as(Role.CASEWORKER)
    old = PublishedReviewFactory()
    middle = ReviewFactory(status="rejected")
    new = ReviewFactory(status="withdrawn")
    assert listed(client) == [new.id, middle.id, old.id]
    page = client.get("/moderation/reviews/").text
    for label in ("Published", "Not published", "Withdrawn"):
        assert f'<span class="badge">{label}</span>' in page


def test_search_by_words_organisation_and_status(client, login_as):
    login_as(Role.MODERATOR)
    fees = AgencyFactory(name="Golden Land Recruitment")
    passports = PublishedReviewFactory(organisation=fees, title="They keep passports")
    wages = ReviewFactory(organisation=fees, body="Wages were late for 100% of us")
    other = PublishedReviewFactory(body="passports kept by the broker")
    assert listed(client, "?q=PASSPORT") == [other.id, passports.id]
    assert listed(client, "?q=100%25") == [wages.id]  # a literal %, no wildcard
    assert listed(client, "?q=_") == []
    assert listed(client, "?organisation=golden+land") == [wages.id, passports.id]
    assert listed(client, "?organisation=golden+land&status=published") == [passports.id]
    assert listed(client, "?q=passports&status=pending") == []
    # Bad values are left out rather than refused; the form says so.
    assert listed(client, "?status=deleted") == [other.id, wages.id, passports.id]


def test_the_list_is_paged(client, login_as, monkeypatch):
    monkeypatch.setattr(views, "STAFF_REVIEWS_PAGE_SIZE", 2)
    login_as(Role.CASEWORKER)
    reviews = [ReviewFactory() for _ in range(3)]
    assert listed(client) == [reviews[2].id, reviews[1].id]
    assert listed(client, "?page=2") == [reviews[0].id]
    assert 'rel="next"' in client.get("/moderation/reviews/").text
    assert client.get("/moderation/reviews/?page=3").status_code == 404


def test_nothing_found_says_so(client, login_as):
    login_as(Role.MODERATOR)
    page = client.get("/moderation/reviews/?q=nothing+like+this").text
    assert "No review matches. Try fewer words." in page


def test_a_caseworker_opens_a_case_from_a_review(client, login_as):
    taxonomy.load()
    login_as(Role.CASEWORKER)
    review = PublishedReviewFactory()
    page = client.get(f"/moderation/reviews/{review.id}").text
    assert f'action="/moderation/reviews/{review.id}/case"' in page
    assert "/publish" not in page and "/reject" not in page  # caseworkers do not decide
    assert 'href="/moderation/reviews/"' in page
    response = client.post(
        f"/moderation/reviews/{review.id}/case",
        data={"categories": ["FEE-01"], "severity": "medium", "workers": "2"},
    )
    case = db.session.scalars(select(Case)).one()
    assert case.review_id == review.id
    assert response.status_code == 302 and response.location.endswith(f"/cases/{case.id}")


def test_no_case_form_once_a_case_is_open_or_the_review_withdrawn(client, login_as):
    login_as(Role.CASEWORKER)
    withdrawn = ReviewFactory(status="withdrawn")
    assert '/case"' not in client.get(f"/moderation/reviews/{withdrawn.id}").text
    case = CaseFactory(source="review", review_id=PublishedReviewFactory().id)
    page = client.get(f"/moderation/reviews/{case.review_id}").text
    assert f'href="/cases/{case.id}"' in page and '/case"' not in page


def test_organisation_staff_cannot_open_a_case(client, login_as):
    agency = AgencyFactory()
    login_as(Role.AGENCY_STAFF, organisation=agency)
    review = PublishedReviewFactory(organisation=agency)
    response = client.post(f"/moderation/reviews/{review.id}/case", data={})
    assert response.status_code == 403
