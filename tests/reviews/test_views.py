import re
from datetime import date

import pytest
from sqlalchemy import func, select

from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.reviews.models import Flag, Reply, Review
from tests.conftest import translated
from tests.factories import (
    AgencyFactory,
    BuyerFactory,
    OrganisationFactory,
    PublishedReviewFactory,
    ReplyFactory,
)

CODE = re.compile(r'<p class="code" translate="no">([A-Z0-9-]+)</p>')


def review_form(**overrides) -> dict:
    data = {
        "rating": "4",
        "relationship_kind": "former",
        "year": str(today().year - 1),
        "fees_paid": "yes",
        "fee_amount": "15000",
        "fee_currency": "THB",
        "fee_paid_to": "agency",
        "documents_holder": "employer",
        "job_as_promised": "no",
        "title": "Fees were higher than promised",
        "body": "They said 5,000 baht but I paid 15,000 baht. Call me on 081 234 5678.",
        "sub_honest_costs": "2",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def count_reviews() -> int:
    return db.session.scalar(select(func.count(Review.id)))


def test_form_asks_the_questions_for_the_kind(client):
    agency_page = client.get(f"/organisations/{AgencyFactory().id}/review").get_data(as_text=True)
    assert "Honest about costs" in agency_page and "Housing" not in agency_page
    employer = OrganisationFactory()
    employer_page = client.get(f"/organisations/{employer.id}/review").get_data(as_text=True)
    assert "Housing" in employer_page and "Honest about costs" not in employer_page
    assert client.get(f"/organisations/{BuyerFactory().id}/review").status_code == 404


def test_sending_a_review_shows_the_code_once(client):
    agency = AgencyFactory()
    response = client.post(f"/organisations/{agency.id}/review", data=review_form())
    assert response.status_code == 200
    code = CODE.search(response.get_data(as_text=True)).group(1)
    assert re.fullmatch(r"[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}", code)
    review = db.session.scalars(select(Review)).one()
    assert review.status == "pending" and review.sub_ratings == {"honest_costs": 2}
    assert "Set-Cookie" not in response.headers or code not in response.headers["Set-Cookie"]
    status = client.post("/check", data={"code": code.lower()})
    assert "Waiting: a moderator will check your review soon." in status.get_data(as_text=True)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"rating": None}, "Choose from 1 to 5 stars."),
        ({"rating": "6"}, "Choose an answer from the list."),
        ({"rating": "abc"}, "Choose an answer from the list."),
        ({"sub_honest_costs": "7"}, "Choose an answer from the list."),
        ({"relationship_kind": None}, "Choose how you know this place."),
        ({"year": "1980"}, "Choose an answer from the list."),
        ({"fee_amount": "lots"}, "Enter the amount as a number."),
        ({"fee_amount": "-5"}, "Enter the amount as a number."),
        ({"fee_currency": "EUR"}, "Choose an answer from the list."),
        ({"title": ""}, "Write a short title."),
        ({"title": "t" * 121}, "This is too long."),
        ({"body": "short"}, "Write between 20 and 5000 letters."),
        ({"body": "b" * 5001}, "Write between 20 and 5000 letters."),
        ({"fees_paid": "no"}, "You said you did not pay fees."),
        ({"fee_currency": ""}, "Choose the currency of the amount."),
    ],
    ids=lambda value: str(value)[:40],
)
def test_bad_input_is_explained_and_everything_typed_is_kept(client, overrides, message):
    agency = AgencyFactory()
    form = review_form(**overrides)
    response = client.post(f"/organisations/{agency.id}/review", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert count_reviews() == 0
    body = form.get("body", "")
    if body and len(body) < 100:
        assert body in page
    if "relationship_kind" not in overrides:
        assert re.search(r'<input checked [^>]*value="former"', page)  # choices kept too


def test_errors_are_in_the_readers_language(client):
    agency = AgencyFactory()
    client.set_cookie("gd_lang", "km")
    page = client.post(f"/organisations/{agency.id}/review", data=review_form(title="")).get_data(
        as_text=True
    )
    assert translated("km", "Write a short title.") in page
    assert "Write a short title." not in page


def test_html_in_a_review_is_shown_as_text(client, login_as):
    agency = AgencyFactory()
    hostile = "<script>alert('x')</script><img src=x onerror=alert(1)> wages were never paid"
    client.post(f"/organisations/{agency.id}/review", data=review_form(body=hostile))
    review = db.session.scalars(select(Review)).one()
    from goldendreams.reviews import services

    services.publish_review(review, None, set(range(len(review.redactions))), [])
    page = client.get(f"/organisations/{agency.id}").get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page


def test_published_reviews_show_month_and_year_newest_first(app, client):
    agency = AgencyFactory()
    PublishedReviewFactory(organisation=agency, title="Older", written_on=date(2026, 3, 14))
    PublishedReviewFactory(organisation=agency, title="Newer", written_on=date(2026, 5, 2))
    page = client.get(f"/organisations/{agency.id}").get_data(as_text=True)
    assert page.index("Newer") < page.index("Older")
    assert "March 2026" in page and "May 2026" in page
    assert "14" not in re.sub(r"<[^>]+>", "", page.split("Older")[1].split("</article>")[0])


def test_scores_show_only_from_three_reviews(client):
    from goldendreams.reviews import services

    agency = AgencyFactory()
    reviews = [PublishedReviewFactory(organisation=agency, status="pending") for _ in range(3)]
    for review in reviews[:2]:
        services.publish_review(review, None, set(), [])
    page = client.get(f"/organisations/{agency.id}").get_data(as_text=True)
    assert "Not enough reviews yet." in page
    services.publish_review(reviews[2], None, set(), [])
    page = client.get(f"/organisations/{agency.id}").get_data(as_text=True)
    assert "Not enough reviews yet." not in page and "3 reviews" in page
    assert "3 reviews" in client.get("/directory/").get_data(as_text=True)


def test_the_review_list_pages(app, client):
    app.config["REVIEWS_PAGE_SIZE"] = 2
    agency = AgencyFactory()
    for n in range(5):
        PublishedReviewFactory(organisation=agency, title=f"Review {n}")
    first = client.get(f"/organisations/{agency.id}").get_data(as_text=True)
    assert "Review 4" in first and "Review 2" not in first and "More reviews" in first
    third = client.get(f"/organisations/{agency.id}/reviews?page=3").get_data(as_text=True)
    assert "Review 0" in third and "Review 4" not in third


def test_check_page_with_wrong_code(client):
    response = client.post("/check", data={"code": "ABCD-EFGH-JKMN"})
    assert "We found nothing with this code." in response.get_data(as_text=True)


def test_withdrawing_with_the_code(client):
    agency = AgencyFactory()
    page = client.post(f"/organisations/{agency.id}/review", data=review_form())
    code = CODE.search(page.get_data(as_text=True)).group(1)
    response = client.post("/check/withdraw", data={"code": code, "confirm": "y"})
    assert "Your review is withdrawn." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalars(select(Review)).one().status == "withdrawn"
    assert client.post("/check/withdraw", data={"code": "2222-2222-2222"}).status_code == 400


def test_guessing_codes_is_rate_limited(client):
    codes = [client.post("/check", data={"code": f"2222-2222-22{n:02d}"}).status_code
             for n in range(11)]  # fmt: skip
    assert codes[:10] == [200] * 10 and codes[10] == 429


def test_reviews_are_rate_limited_but_mistakes_do_not_count(client):
    agency = AgencyFactory()
    url = f"/organisations/{agency.id}/review"
    for _ in range(3):
        assert client.post(url, data=review_form(title="")).status_code == 200
    codes = [client.post(url, data=review_form()).status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]
    assert count_reviews() == 5


def test_reporting_a_review(client):
    review = PublishedReviewFactory()
    response = client.post(f"/reviews/{review.public_id}/report", data={"reason": "false"})
    assert response.status_code == 302
    flag = db.session.scalars(select(Flag)).one()
    assert (flag.reason, flag.status) == ("false", "open")
    assert review.title in client.get(f"/organisations/{review.organisation_id}").get_data(
        as_text=True
    )
    bad = client.post(f"/reviews/{review.public_id}/report", data={"reason": "hate-it"})
    assert "Choose an answer from the list." in bad.get_data(as_text=True)


def test_reports_are_rate_limited(client):
    review = PublishedReviewFactory()
    codes = [
        client.post(f"/reviews/{review.public_id}/report", data={"reason": "spam"}).status_code
        for _ in range(11)
    ]
    assert codes == [302] * 10 + [429]


def test_unpublished_reviews_cannot_be_reported(client):
    review = PublishedReviewFactory(status="pending")
    assert client.get(f"/reviews/{review.public_id}/report").status_code == 404


def test_org_staff_reply_and_it_shows_after_moderation(client, login_as):
    from goldendreams.reviews import services

    review = PublishedReviewFactory()
    login_as(__import__("goldendreams.core.auth", fromlist=["Role"]).Role.AGENCY_STAFF,
             organisation=review.organisation)  # fmt: skip
    url = f"/portal/{review.organisation_id}/reviews/{review.public_id}/reply"
    empty = client.post(url, data={"body": ""})
    assert "Write your reply." in empty.get_data(as_text=True)
    client.post(url, data={"body": "We are sorry. We will return the fee."})
    reply = db.session.scalars(select(Reply)).one()
    public = client.get(f"/organisations/{review.organisation_id}").get_data(as_text=True)
    assert "We will return the fee" not in public
    services.decide_reply(reply, None, publish=True)
    public = client.get(f"/organisations/{review.organisation_id}").get_data(as_text=True)
    assert "We will return the fee" in public


def test_published_replies_show_under_their_review(client):
    reply = ReplyFactory(status="published", body="We fixed the dormitory.")
    page = client.get(f"/organisations/{reply.review.organisation_id}").get_data(as_text=True)
    assert "We fixed the dormitory." in page


def test_code_tries_share_one_budget(client):
    for n in range(5):
        client.post("/check", data={"code": f"2222-2222-22{n:02d}"})
    codes = [
        client.post("/check/withdraw", data={"code": f"3333-3333-33{n:02d}"}).status_code
        for n in range(6)
    ]
    assert codes[-1] == 429 and codes.count(429) == 1


def test_impossible_amounts_are_refused_not_crashing(client):
    agency = AgencyFactory()
    for amount in ("sNaN", "NaN", "Infinity", "1e999"):
        response = client.post(
            f"/organisations/{agency.id}/review", data=review_form(fee_amount=amount)
        )
        assert response.status_code == 200
    assert count_reviews() == 0


def test_public_reviews_show_fees_only_roughly(client):
    review = PublishedReviewFactory(fees_paid="yes", fee_amount=15350, fee_currency="THB")
    page = client.get(f"/organisations/{review.organisation_id}").get_data(as_text=True)
    assert "15,350" not in page and "15,000" in page


def test_staff_learn_nothing_about_unpublished_reviews(client, login_as):
    from goldendreams.core.auth import Role

    review = PublishedReviewFactory(status="rejected")
    login_as(Role.AGENCY_STAFF, organisation=review.organisation)
    url = f"/portal/{review.organisation_id}/reviews/{review.public_id}/reply"
    assert client.post(url, data={"body": "Who wrote this?"}).status_code == 404
