"""Where the worker comes from and when the problem happened (issue 21): two optional
questions of the review form, stored with the review, shown to moderators only, never with
the review on a public page (in a small group they could tell who wrote it)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from goldendreams.cases.models import Case
from goldendreams.core.auth import Role
from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.reviews import services
from goldendreams.reviews.choices import MIGRATION_STAGES, ORIGIN_COUNTRIES, MigrationStage
from goldendreams.reviews.models import Review
from tests.factories import AgencyFactory, OrganisationFactory, PublishedReviewFactory
from tests.reviews.test_services import GOOD
from tests.reviews.test_views import review_form


def count_reviews() -> int:
    return db.session.scalar(select(func.count(Review.id)))


def test_the_lists():
    assert ORIGIN_COUNTRIES == ("MM", "KH", "LA", "NP")
    assert [str(s) for s in MigrationStage] == [
        "before_leaving", "in_transit", "at_work", "on_return",
    ]  # fmt: skip
    assert set(MIGRATION_STAGES) == set(MigrationStage)
    # Every stage fits its column (PostgreSQL would refuse a longer one).
    longest = max(len(stage) for stage in MigrationStage)
    assert longest <= Review.__table__.c.migration_stage.type.length
    assert longest <= Case.__table__.c.migration_stage.type.length


def test_the_form_asks_both_questions_and_says_they_are_optional(client):
    page = client.get(f"/organisations/{AgencyFactory().id}/review").get_data(as_text=True)
    assert "Where are you from?" in page and "When did the problem happen?" in page
    assert "I prefer not to say" in page
    assert 'name="origin_country"' in page and 'value="NP"' in page and 'value="TH"' not in page
    assert 'value="in_transit"' in page


def test_the_answers_are_stored(client):
    agency = AgencyFactory()
    data = review_form(origin_country="KH", migration_stage="in_transit")
    assert client.post(f"/organisations/{agency.id}/review", data=data).status_code == 200
    review = db.session.scalars(select(Review)).one()
    assert (review.origin_country, review.migration_stage) == ("KH", "in_transit")


@pytest.mark.parametrize("answers", [{}, {"origin_country": "", "migration_stage": ""}])
def test_not_answering_is_fine(client, answers):
    agency = AgencyFactory()
    response = client.post(f"/organisations/{agency.id}/review", data=review_form(**answers))
    assert response.status_code == 200
    review = db.session.scalars(select(Review)).one()
    assert review.origin_country is None and review.migration_stage is None


@pytest.mark.parametrize(
    "answers",
    [
        {"origin_country": "TH"},  # a destination, not a country workers come from
        {"origin_country": "XX"},
        {"migration_stage": "at_home"},
        {"migration_stage": "<script>alert(1)</script>"},
    ],
)
def test_an_answer_outside_the_list_is_refused_and_nothing_is_lost(client, answers):
    agency = AgencyFactory()
    data = review_form(title="Fees were too high here", **answers)
    response = client.post(f"/organisations/{agency.id}/review", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Choose an answer from the list." in page
    assert count_reviews() == 0
    assert 'value="Fees were too high here"' in page  # what was typed is kept
    assert "<script>alert(1)</script>" not in page


@pytest.mark.parametrize(
    ("field", "value"),
    [("origin_country", "TH"), ("origin_country", "mm"), ("migration_stage", "home")],
)
def test_the_service_refuses_values_outside_the_lists(app, field, value):
    with pytest.raises(services.ReviewError):
        services.submit_review(AgencyFactory(), replace(GOOD, **{field: value}))
    assert count_reviews() == 0


def test_a_single_reviews_answers_are_not_shown_anywhere_public(client):
    employer = OrganisationFactory()
    PublishedReviewFactory(
        organisation=employer,
        origin_country="LA",
        migration_stage=MigrationStage.ON_RETURN,
        published_on=today() - timedelta(days=2),
    )
    for url in (
        f"/organisations/{employer.id}",
        f"/organisations/{employer.id}/reviews",
        "/metrics",
    ):
        page = client.get(url).get_data(as_text=True)
        assert "Laos" not in page, url
        assert str(MIGRATION_STAGES[MigrationStage.ON_RETURN]) not in page, url
        assert "On return" not in page, url


def test_moderators_see_the_answers(client, login_as):
    review = PublishedReviewFactory(origin_country="NP", migration_stage="before_leaving")
    login_as(Role.MODERATOR)
    page = client.get(f"/moderation/reviews/{review.id}").get_data(as_text=True)
    assert "Nepal" in page and "Before I left my country" in page
