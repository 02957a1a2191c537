import hashlib
import hmac
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import select

from goldendreams.core import tracking
from goldendreams.core.audit import AuditLog
from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.reviews import services
from goldendreams.reviews.models import Flag, OrganisationScore, Review
from tests.factories import (
    AgencyFactory,
    BuyerFactory,
    FlagFactory,
    OrganisationFactory,
    PublishedReviewFactory,
    ReplyFactory,
    ReviewFactory,
    UserFactory,
)

ZAWGYI_BODY = "အလုပ္ေကာင္းတယ္ ဒါေပမယ့္ လစာ ေနာက္က်တယ္။ ဖုန္း 09 450 123 456"

GOOD = services.ReviewInput(
    rating=4,
    title="Honest agency",
    body="They explained every fee before I paid. The job was the same as promised.",
    relationship_kind="former",
    year=today().year - 1,
    sub_ratings={"honest_costs": 5, "respect": 4},
    fees_paid="yes",
    fee_amount=Decimal("15000"),
    fee_currency="THB",
    fee_paid_to="agency",
    documents_holder="me",
    job_as_promised="yes",
)


def actions(target_type, target_id):
    query = select(AuditLog.action).filter_by(target_type=target_type, target_id=target_id)
    return list(db.session.scalars(query.order_by(AuditLog.id)))


def test_submit_stores_a_pending_review_and_only_the_code_hash(app):
    review, code = services.submit_review(AgencyFactory(), GOOD)
    assert review.status == "pending"
    assert review.language == "en"
    assert review.written_on == today()
    # Worked out here, not with tracking.code_hash (the code under test): HMAC-SHA256 under
    # TRACKING_KEY, or SECRET_KEY when that is empty (tests/reviews/test_tracking_key.py).
    key = app.config["TRACKING_KEY"] or app.config["SECRET_KEY"]
    plain = code.replace("-", "").encode()
    assert review.tracking_hash == hmac.new(key.encode(), plain, hashlib.sha256).hexdigest()
    row = db.session.execute(select(Review.__table__).where(Review.id == review.id)).one()
    assert not any(tracking.canonical(code) in str(value) for value in row)
    assert not any(code in str(value) for value in row)
    assert services.find_by_code(code.lower().replace("-", " ")) == review


def test_zawgyi_is_converted_and_phone_redacted(app):
    review, _code = services.submit_review(
        AgencyFactory(), replace(GOOD, title="လစာ ေနာက္က်", body=ZAWGYI_BODY)
    )
    assert review.zawgyi_converted
    assert review.language == "my"
    assert "ဖုန်း" in review.body and "ဖုန္း" not in review.body
    assert "09 450 123 456" in review.body  # the original is kept for moderators
    assert "450" not in review.public_body and "[•••]" in review.public_body
    assert review.redactions[0]["kind"] == "phone"


def test_text_is_nfc_normalised(app):
    decomposed = "Cafe\u0301 work was hard, wages were late every month."
    review, _code = services.submit_review(AgencyFactory(), replace(GOOD, body=decomposed))
    assert "Café" in review.body


@pytest.mark.parametrize(
    "change",
    [
        {"rating": 0},
        {"rating": 6},
        {"rating": "5"},
        {"sub_ratings": {"housing": 3}},  # an employer question, asked of an agency
        {"sub_ratings": {"respect": 9}},
        {"relationship_kind": "cousin"},
        {"relationship_kind": None},
        {"year": 1990},
        {"year": today().year + 1},
        {"fees_paid": "maybe"},
        {"fee_currency": "EUR"},
        {"fee_currency": None},
        {"fee_amount": Decimal("-1")},
        {"fees_paid": "no"},  # with an amount
        {"documents_holder": "police"},
        {"title": "   "},
        {"title": "x" * 121},
        {"body": "too short"},
        {"body": "x" * 5001},
    ],
    ids=str,
)
def test_invalid_reviews_are_refused_and_nothing_is_stored(app, change):
    with pytest.raises(services.ReviewError):
        services.submit_review(AgencyFactory(), replace(GOOD, **change))
    assert db.session.scalar(select(Review.id)) is None


def test_buyers_cannot_be_reviewed(app):
    with pytest.raises(services.ReviewError):
        services.submit_review(BuyerFactory(), GOOD)


def test_employer_questions_for_employers(app):
    data = replace(GOOD, sub_ratings={"housing": 2, "freedom": 1})
    review, _code = services.submit_review(OrganisationFactory(), data)
    assert review.sub_ratings == {"housing": 2, "freedom": 1}


def test_publish_applies_the_moderators_redactions(app):
    review, _code = services.submit_review(
        AgencyFactory(),
        replace(GOOD, body="Call Ko Aung on 0812345678 or mail aung@example.com about it."),
    )
    kinds = [item["kind"] for item in review.redactions]
    assert kinds == ["phone", "email"]
    moderator = UserFactory()
    services.publish_review(review, moderator, keep={0}, hide_also=["Ko Aung", ""])
    assert review.status == "published" and review.published_on == today()
    assert review.public_body == "Call [•••] on [•••] or mail aung@example.com about it."
    assert actions("review", review.id) == ["review.publish"]
    with pytest.raises(services.ReviewError):
        services.publish_review(review, moderator, keep=set(), hide_also=[])


def test_reject_needs_a_known_reason_and_a_note_for_other(app):
    review = ReviewFactory()
    with pytest.raises(services.ReviewError):
        services.reject_review(review, None, "boring")
    with pytest.raises(services.ReviewError):
        services.reject_review(review, None, "other", "  ")
    services.reject_review(review, None, "spam")
    assert (review.status, review.decision_reason) == ("rejected", "spam")
    assert actions("review", review.id) == ["review.reject"]


def score(org_id):
    db.session.expire_all()
    return db.session.scalar(select(OrganisationScore).filter_by(organisation_id=org_id))


def test_scores_follow_publishing_and_withdrawing(app):
    org = AgencyFactory()
    reviews = [ReviewFactory(organisation=org, rating=r) for r in (5, 4, 3)]
    for review in reviews[:2]:
        services.publish_review(review, None, set(), [])
    assert score(org.id).review_count == 2 and score(org.id).rating is None
    services.publish_review(reviews[2], None, set(), [])
    assert score(org.id).rating == 4.0
    services.withdraw_review(reviews[0])
    assert score(org.id).review_count == 2 and score(org.id).rating is None


def test_withdraw_rules(app):
    review = ReviewFactory()
    services.withdraw_review(review)
    assert review.status == "withdrawn"
    assert (review.title, review.body, review.public_body) == ("", "", "")  # nobody sees it
    assert actions("review", review.id) == []  # no timestamp of the writer's act
    with pytest.raises(services.ReviewError):
        services.withdraw_review(review)


def test_malformed_codes_find_nothing(app):
    ReviewFactory()
    for code in ("", "0000-0000-0000", "ABCD", "ABCD-EFGH-JKMN-PQRS", "'; drop table reviews"):
        assert services.find_by_code(code) is None


def test_replies_by_own_staff_once_to_published_reviews(app):
    review = PublishedReviewFactory()
    staff = UserFactory(role="agency_staff", organisation=review.organisation)
    outsider = UserFactory(role="agency_staff", organisation=AgencyFactory())
    moderator = UserFactory(role="moderator")
    for author in (outsider, moderator):
        with pytest.raises(services.ReviewError):
            services.submit_reply(review, author, "We disagree.")
    with pytest.raises(services.ReviewError):
        services.submit_reply(review, staff, "")
    reply = services.submit_reply(review, staff, "We are sorry and will refund the fee.")
    assert reply.status == "pending"
    with pytest.raises(services.ReviewError):
        services.submit_reply(review, staff, "Second reply.")
    pending = ReviewFactory(organisation=review.organisation)
    with pytest.raises(services.ReviewError):
        services.submit_reply(pending, staff, "Too early.")
    services.decide_reply(reply, moderator, publish=True)
    assert reply.status == "published"
    with pytest.raises(services.ReviewError):
        services.decide_reply(reply, moderator, publish=False, reason="spam")


def test_reply_rejection_needs_a_reason_and_the_reply_may_be_written_again(app):
    reply = ReplyFactory()
    with pytest.raises(services.ReviewError):
        services.decide_reply(reply, None, publish=False, reason=None)
    services.decide_reply(reply, None, publish=False, reason="abusive")
    assert (reply.status, reply.decision_reason) == ("rejected", "abusive")
    staff = UserFactory(role="agency_staff", organisation=reply.review.organisation)
    again = services.submit_reply(reply.review, staff, "We apologise for our words.")
    assert again.id == reply.id and again.status == "pending" and again.decision_reason is None


def test_flags_never_hide_a_review_by_themselves(app):
    review = PublishedReviewFactory()
    for _ in range(20):
        services.flag_review(review, "false")
    assert review.status == "published"
    with pytest.raises(services.ReviewError):
        services.flag_review(review, "i-dont-like-it")
    with pytest.raises(services.ReviewError):
        services.flag_review(ReviewFactory(), "spam")  # not published


def test_dismissing_a_flag_keeps_the_review(app):
    flag = FlagFactory()
    services.decide_flag(flag, None, uphold=False)
    assert flag.status == "dismissed" and flag.review.status == "published"
    with pytest.raises(services.ReviewError):
        services.decide_flag(flag, None, uphold=True)


def test_upholding_a_flag_takes_the_review_down_and_closes_its_reports(app):
    review = PublishedReviewFactory()
    first = FlagFactory(review=review, reason="personal")
    second = FlagFactory(review=review, reason="spam")
    services.decide_flag(first, UserFactory(), uphold=True)
    assert review.status == "rejected" and review.decision_reason == "identifies_writer"
    assert {f.status for f in db.session.scalars(select(Flag))} == {"upheld"}
    assert second.status == "upheld"


def test_invisible_and_non_breaking_spaces_do_not_hide_a_phone(app):
    body = "Call the broker on 081\u200b234\u200b5678 or 089\u00a0765\u00a04321 about fees."
    review, _code = services.submit_review(AgencyFactory(), replace(GOOD, body=body))
    assert "234" not in review.public_body and "765" not in review.public_body
    with pytest.raises(services.ReviewError):
        services.submit_review(AgencyFactory(), replace(GOOD, title="\u200b\u200b"))


def test_hiding_more_is_case_insensitive_and_must_match(app):
    review, _code = services.submit_review(
        AgencyFactory(), replace(GOOD, body="Supervisor SOMCHAI shouted at us every single day.")
    )
    with pytest.raises(services.ReviewError):
        services.publish_review(review, None, set(), ["Somchai", "Not in the text"])
    assert review.status == "pending"
    services.publish_review(review, None, set(), ["somchai"])
    assert review.public_body == "Supervisor [•••] shouted at us every single day."


def test_taking_a_review_down_closes_its_reports_and_pending_reply(app):
    review = PublishedReviewFactory()
    flag = FlagFactory(review=review)
    reply = ReplyFactory(review=review)
    services.reject_review(review, None, "abusive")
    assert flag.status == "upheld" and reply.status == "rejected"


@pytest.mark.parametrize(
    "change",
    [
        {"fees_paid": "no", "fee_amount": Decimal(0), "fee_paid_to": None},
        {"fees_paid": "no", "fee_amount": None, "fee_paid_to": None, "fee_currency": "THB"},
    ],
)
def test_fee_details_need_a_yes(app, change):
    with pytest.raises(services.ReviewError):
        services.submit_review(AgencyFactory(), replace(GOOD, **change))
