from decimal import Decimal

from goldendreams.reviews.models import Review
from goldendreams.reviews.scores import compute


def review(**fields) -> Review:
    defaults = {"rating": 3, "sub_ratings": {}}
    return Review(**{**defaults, **fields})


def test_nothing_is_shown_below_the_minimum():
    result = compute([review(rating=1), review(rating=2)], minimum=3)
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
    result = compute(reviews, minimum=3)
    assert result["rating"] == 3.0
    assert result["sub_ratings"] == {"respect": 4.0}  # "helped" has one answer only
    assert result["fees_paid_share"] == 0.75  # "unsure" is left out
    assert result["median_fees"] == {"THB": "20000"}  # one MMK fee would single someone out
    assert result["documents_held_share"] == 2 / 3
    assert result["as_promised_share"] == 2 / 3


def test_shares_hidden_when_too_few_answered():
    reviews = [review(fees_paid="yes"), review(), review()]
    result = compute(reviews, minimum=3)
    assert result["rating"] == 3.0
    assert result["fees_paid_share"] is None
