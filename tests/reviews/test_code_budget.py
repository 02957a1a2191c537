"""Tracking codes: only wrong codes use up a client's tries. A worker on a shared phone or
dormitory Wi-Fi can check, answer and withdraw as often as they need; when wrong codes have
used the tries up, nothing is looked up and what was typed comes back, ready to send."""

from __future__ import annotations

from sqlalchemy import select

from goldendreams.cases import services as case_services
from goldendreams.cases import taxonomy
from goldendreams.cases.models import Case
from goldendreams.extensions import db
from goldendreams.reviews.models import Review
from tests.factories import AgencyFactory, UserFactory, network_cso
from tests.reviews.test_views import CODE, review_form

TRIES = 10  # CODE_RATE_LIMIT: 10 per 10 minutes


def write_review(client) -> str:
    page = client.post(f"/organisations/{AgencyFactory().id}/review", data=review_form())
    return CODE.search(page.get_data(as_text=True)).group(1)


def wrong_codes(client, count: int) -> list[int]:
    return [
        client.post("/check", data={"code": f"2222-2222-22{n:02d}"}).status_code
        for n in range(count)
    ]


def case_waiting_for_an_answer(code: str) -> Case:
    taxonomy.load()
    network_cso()  # the routing rules' default takes the case
    review = db.session.scalars(select(Review)).one()
    case = case_services.open_from_review(
        review, UserFactory(role="moderator"), ["FEE-01"], "low", 1
    )
    case.status = "referred"
    db.session.commit()
    case_services.record_remediation(
        case, UserFactory(role="caseworker"), "fee_repayment", None, None, None, None
    )
    return case


def test_using_a_right_code_never_counts(client):
    code = write_review(client)
    for _ in range(TRIES * 2):
        assert client.post("/check", data={"code": code}).status_code == 200
    assert wrong_codes(client, TRIES) == [200] * TRIES  # the budget is still whole


def test_answering_with_a_verified_code_never_counts(client):
    """An NGO outreach phone: nine wrong codes typed today, then a worker answers "Was it
    fixed?" again and again: none of it is refused."""
    code = write_review(client)
    case = case_waiting_for_an_answer(code)
    assert wrong_codes(client, TRIES - 1) == [200] * (TRIES - 1)
    for answer in ("no", "partly", "yes", "partly", "yes"):
        response = client.post("/check/answer", data={"code": code, "answer": answer})
        assert response.status_code == 200, answer
    db.session.expire_all()
    assert db.session.get(Case, case.id).worker_answer == "yes"


def test_when_wrong_codes_used_the_tries_up_nothing_is_looked_up(client):
    code = write_review(client)
    assert wrong_codes(client, TRIES + 1) == [200] * TRIES + [429]
    refused = client.post("/check", data={"code": code})  # even the right one waits
    assert refused.status_code == 429
    assert "Too many tries" in refused.get_data(as_text=True)
    assert "Fair agency" not in refused.get_data(as_text=True)


def test_a_refused_answer_keeps_what_the_worker_wrote(client):
    code = write_review(client)
    case_waiting_for_an_answer(code)
    wrong_codes(client, TRIES)
    words = "They paid back half. The rest zqkept next month."
    refused = client.post(
        "/check/answer", data={"code": code, "answer": "partly", "comment": words}
    )
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert words in page  # in a text box of a form that sends it again
    assert 'name="answer" value="partly"' in page and '<form method="post"' in page
    db.session.expire_all()
    assert db.session.scalars(select(Case)).one().worker_answer is None


def test_wrong_codes_at_answer_and_withdraw_count(client):
    codes = [
        client.post("/check/answer", data={"code": f"3333-3333-33{n:02d}", "answer": "yes"})
        for n in range(TRIES + 1)
    ]
    assert [r.status_code for r in codes] == [400] * TRIES + [429]
