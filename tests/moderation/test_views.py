import re
from datetime import date

from sqlalchemy import select

from goldendreams.core.audit import AuditLog
from goldendreams.core.auth import Role
from goldendreams.extensions import db
from goldendreams.reviews import services
from goldendreams.reviews.models import Review
from tests.factories import (
    AgencyFactory,
    FlagFactory,
    PublishedReviewFactory,
    ReplyFactory,
    ReviewFactory,
)
from tests.reviews.test_services import GOOD, ZAWGYI_BODY


def test_queue_lists_everything_waiting_oldest_first(client, login_as):
    login_as(Role.MODERATOR)
    newer = ReviewFactory(title="Newer review", written_on=date(2026, 6, 1))
    older = ReviewFactory(title="Older review", written_on=date(2026, 5, 1))
    reply = ReplyFactory(written_on=date(2026, 5, 15))
    flag = FlagFactory(written_on=date(2026, 7, 1))
    PublishedReviewFactory(title="Already published")
    page = client.get("/moderation/").get_data(as_text=True)
    links = re.findall(r'href="/moderation/(\w+)/(\d+)"', page)
    assert links == [
        ("reviews", str(older.id)),
        ("replies", str(reply.id)),
        ("reviews", str(newer.id)),
        ("flags", str(flag.id)),
    ]
    assert "Already published" not in page


def test_review_page_shows_original_and_public_text_side_by_side(client, login_as):
    login_as(Role.MODERATOR)
    review, _code = services.submit_review(
        AgencyFactory(), GOOD.__class__(**{**GOOD.__dict__, "body": ZAWGYI_BODY})
    )
    page = client.get(f"/moderation/reviews/{review.id}").get_data(as_text=True)
    assert '<mark title="Phone number">09 450 123 456</mark>' in page
    assert "[•••]" in page
    assert "Typed in Zawgyi, changed to Unicode" in page
    assert "15,000" in page  # the fee the worker paid


def test_caseworkers_read_but_do_not_decide(client, login_as):
    login_as(Role.CASEWORKER)
    review = ReviewFactory(body="The original words of the worker, unredacted.")
    page = client.get(f"/moderation/reviews/{review.id}").get_data(as_text=True)
    assert "The original words of the worker" in page
    assert "/publish" not in page and "/reject" not in page
    assert client.post(f"/moderation/reviews/{review.id}/publish").status_code == 403


def test_publishing_with_changed_redactions(client, login_as):
    moderator = login_as(Role.MODERATOR)
    review, _code = services.submit_review(
        AgencyFactory(),
        GOOD.__class__(
            **{**GOOD.__dict__, "body": "Manager Somchai kept us. Call 0812345678 or a@b.com"}
        ),
    )
    response = client.post(
        f"/moderation/reviews/{review.id}/publish",
        data={"keep": ["0"], "hide_also": "Somchai\n"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    review = db.session.get(Review, review.id)
    assert review.status == "published"
    assert review.public_body == "Manager [•••] kept us. Call [•••] or a@b.com"
    entry = db.session.scalars(select(AuditLog).filter_by(action="review.publish")).one()
    assert entry.actor_id == moderator.id and entry.created_at is not None


def test_rejecting_needs_a_reason(client, login_as):
    login_as(Role.ADMIN)
    review = ReviewFactory()
    response = client.post(f"/moderation/reviews/{review.id}/reject", data={"reason": "other"})
    assert response.status_code == 400
    assert "Write a note to explain the reason." in response.get_data(as_text=True)
    client.post(f"/moderation/reviews/{review.id}/reject", data={"reason": "identifies_writer"})
    db.session.expire_all()
    assert db.session.get(Review, review.id).decision_reason == "identifies_writer"


def test_rejection_reason_reaches_the_writer_in_their_language(client):
    from goldendreams.reviews.services import ReviewInput  # noqa: F401
    from tests.conftest import translated

    review, code = services.submit_review(AgencyFactory(), GOOD)
    services.reject_review(review, None, "attacks_person")
    client.set_cookie("gd_lang", "lo")
    page = client.post("/check", data={"code": code}).get_data(as_text=True)
    assert translated("lo", "It attacks a named person") in page


def test_reply_decisions(client, login_as):
    login_as(Role.MODERATOR)
    reply = ReplyFactory(body="Call our manager on 0812345678 to settle this.")
    page = client.get(f"/moderation/replies/{reply.id}").get_data(as_text=True)
    assert "<mark" in page
    client.post(f"/moderation/replies/{reply.id}", data={"decision": "reject", "reason": "spam"})
    db.session.expire_all()
    assert db.session.get(type(reply), reply.id).status == "rejected"


def test_flag_decisions(client, login_as):
    login_as(Role.MODERATOR)
    flag = FlagFactory(reason="abusive")
    client.post(f"/moderation/flags/{flag.id}", data={"decision": "dismiss"})
    db.session.expire_all()
    assert db.session.get(type(flag), flag.id).status == "dismissed"
    other = FlagFactory(reason="abusive")
    client.post(f"/moderation/flags/{other.id}", data={"decision": "uphold"})
    db.session.expire_all()
    assert db.session.get(Review, other.review_id).status == "rejected"
    third = FlagFactory()
    assert client.post(f"/moderation/flags/{third.id}", data={"decision": "x"}).status_code == 400


def test_review_page_marks_long_digit_runs_for_a_second_look(client, login_as):
    login_as(Role.MODERATOR)
    body = "Code 7654321 and ၁၂၃၄၅၆၇ on the card; 081-234-5678 is hidden; room 304, 45,000 baht."
    phone = body.index("081-234-5678")
    review = ReviewFactory(
        title="Boss 12\u200d34567 is bad",
        body=body,
        redactions=[{"field": "body", "start": phone, "end": phone + 12, "kind": "phone"}],
    )
    page = client.get(f"/moderation/reviews/{review.id}").get_data(as_text=True)
    label = "Check this: it may be a phone or ID number."
    marked = re.findall(r'<mark class="check"[^>]*>([^<]*)</mark>', page)
    assert marked == ["12\u200d34567", "7654321", "၁၂၃၄၅၆၇"]
    assert page.count(label) == 3
    assert '<mark title="Phone number">081-234-5678</mark>' in page
