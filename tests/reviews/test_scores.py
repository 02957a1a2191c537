from datetime import date, timedelta
from decimal import Decimal

from goldendreams.extensions import db
from goldendreams.reviews import services
from goldendreams.reviews.models import OrganisationScore, Review
from goldendreams.reviews.scores import compute
from tests.factories import AgencyFactory, PublishedReviewFactory, ReviewFactory, UserFactory

TODAY = date(2026, 12, 2)
YESTERDAY = TODAY - timedelta(days=1)


def review(**fields) -> Review:
    defaults = {"rating": 3, "sub_ratings": {}, "published_on": YESTERDAY}
    return Review(**{**defaults, **fields})


def figures(reviews, minimum=3, fee_minimum=3, before=TODAY) -> dict:
    return compute(reviews, minimum=minimum, fee_minimum=fee_minimum, before=before)


def test_nothing_is_shown_below_the_minimum():
    result = figures([review(rating=1), review(rating=2)])
    assert result["review_count"] == 2
    assert result["rating"] is None and result["median_fees"] == {}


def test_averages_and_shares():
    reviews = [
        review(rating=5, fees_paid="yes", fee_amount=Decimal(10000), fee_currency="THB",
               documents_holder="employer", job_as_promised="no",
               sub_ratings={"respect": 5, "helped": 4}),
        review(rating=4, fees_paid="yes", fee_amount=Decimal(20000), fee_currency="THB",
               documents_holder="me", job_as_promised="yes", sub_ratings={"respect": 3}),
        review(rating=3, fees_paid="no", documents_holder="unsure", job_as_promised="yes",
               sub_ratings={"respect": 4}),
        review(rating=2, fees_paid="yes", fee_amount=Decimal(30000), fee_currency="THB",
               documents_holder="agency", job_as_promised="unsure"),
        review(rating=1, fees_paid="unsure", fee_amount=Decimal(900), fee_currency="MMK"),
    ]  # fmt: skip
    result = figures(reviews)
    assert result["rating"] == 3.0
    assert result["sub_ratings"] == {"respect": 4.0}  # "helped" has one answer only
    assert result["fees_paid_share"] == 0.8  # 3 of 4 ("unsure" left out), to the tenth
    assert result["median_fees"] == {"THB": "20000"}  # one MMK fee would single someone out
    assert result["documents_held_share"] == 2 / 3
    assert result["as_promised_share"] == 2 / 3


def test_shares_hidden_when_too_few_answered():
    reviews = [review(fees_paid="yes"), review(), review()]
    result = figures(reviews)
    assert result["rating"] == 3.0
    assert result["fees_paid_share"] is None


def fee_review(amount: int, **fields) -> Review:
    return review(fees_paid="yes", fee_amount=Decimal(amount), fee_currency="MMK", **fields)


def test_a_median_fee_is_never_one_workers_exact_receipt():
    """With an odd count the median is one worker's amount: show it as roughly as a single
    review does (two significant figures)."""
    amounts = [1_500_000, 1_700_000, 1_872_350, 2_100_000, 2_400_000]
    result = figures([fee_review(a) for a in amounts], fee_minimum=5)
    assert result["median_fees"] == {"MMK": "1900000"}
    assert "1872350" not in repr(result)


def test_fee_figures_need_their_own_larger_minimum():
    reviews = [fee_review(a) for a in (100_000, 200_000, 300_000, 400_000)]
    assert figures(reviews, minimum=3, fee_minimum=5)["median_fees"] == {}
    assert figures(reviews, minimum=3, fee_minimum=5)["fees_paid_share"] is None
    assert figures(reviews, minimum=3, fee_minimum=5)["rating"] == 3.0  # the rest shows
    assert figures(reviews, minimum=3, fee_minimum=4)["median_fees"] == {"MMK": "250000"}


def test_fee_figures_do_not_move_with_a_publication_of_today():
    """Only reviews published before today count: the figure changes once a day with all of
    the day's publications, never at the moment one review is published."""
    settled = [fee_review(a) for a in (100_000, 200_000, 300_000, 400_000, 500_000)]
    before = figures(settled, fee_minimum=5)
    newest = fee_review(9_000_000, published_on=TODAY)
    assert figures([*settled, newest], fee_minimum=5)["median_fees"] == before["median_fees"]
    assert figures([*settled, newest], fee_minimum=5)["fees_paid_share"] == 1.0
    tomorrow = TODAY + timedelta(days=1)
    assert figures([*settled, newest], fee_minimum=5, before=tomorrow)["median_fees"] == {
        "MMK": "350000"
    }


def test_fee_shares_are_coarse():
    reviews = [fee_review(1000) for _ in range(4)] + [review(fees_paid="no") for _ in range(3)]
    assert figures(reviews, fee_minimum=5)["fees_paid_share"] == 0.6  # 4 of 7 = 0.571...


def test_publishing_uses_the_fee_minimum_setting(app):
    """The write layer passes FEE_MIN_FOR_SCORES (default 5) through."""
    assert app.config["FEE_MIN_FOR_SCORES"] == 5
    agency = AgencyFactory()
    earlier = date.today() - timedelta(days=3)
    for amount in (10_000, 20_000, 30_000, 40_000):
        PublishedReviewFactory(
            organisation=agency, fees_paid="yes", fee_amount=amount, fee_currency="THB",
            published_on=earlier,
        )  # fmt: skip
    moderator = UserFactory(role="moderator")
    services.publish_review(ReviewFactory(organisation=agency), moderator, set(), [])
    score = db.session.query(OrganisationScore).filter_by(organisation_id=agency.id).one()
    assert score.rating is not None
    assert score.median_fees == {}  # four amounts settled, the fifth published today
