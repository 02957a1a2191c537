"""The rules that keep a worker's trust when things meet: a review withdrawn with a thread,
a review's case opened from either side, who sees the contact, emergencies under rate
limits, a question to a reviewer who closed the talk, what an emergency mail says."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from goldendreams.cases import services as case_services
from goldendreams.cases import taxonomy
from goldendreams.cases.models import Case
from goldendreams.core import tracking
from goldendreams.core.auth import Role
from goldendreams.extensions import db
from goldendreams.inbox import services
from goldendreams.inbox.models import Conversation, ConversationState, Outcome
from tests.factories import (
    ContactFactory,
    CsoFactory,
    MessageFactory,
    ReviewFactory,
    RoutingRuleFactory,
    UserFactory,
    network_cso,
)
from tests.mailbox import text_of


def caseworker(cso=None):
    return UserFactory(role="caseworker", organisation=cso or network_cso())


def reviews_thread():
    network_cso()
    code = tracking.new_code()
    review = ReviewFactory(tracking_hash=tracking.code_hash(code))
    thread = services.worker_writes_on_review(review, "The supervisor hit me. zqhit")
    return review, thread, code


def test_withdrawing_a_review_erases_and_closes_its_thread(client):
    _review, thread, code = reviews_thread()
    ContactFactory(conversation=thread)
    response = client.post("/check/withdraw", data={"code": code, "confirm": "y"})
    assert response.status_code == 200
    db.session.expire_all()
    assert [m.text for m in thread.messages] == [None]
    assert thread.is_closed and thread.outcome == Outcome.CLOSED_BY_WORKER
    assert thread.contact is None
    with pytest.raises(services.InboxError):  # nobody answers what was taken back
        services.reply(thread, caseworker(), "Are you safe?")


def test_a_review_has_one_case_whichever_side_opens_it(app):
    taxonomy.load()
    review, thread, _code = reviews_thread()
    worker = caseworker()
    case = services.open_case(thread, worker, review.organisation, ["ILO-03"], "high", 1, "Hit.")
    assert case.review_id == review.id  # the review's code opens it too
    with pytest.raises(case_services.CaseError):
        case_services.open_from_review(review, worker, ["ILO-03"], "high", 1)

    other, other_thread, _ = reviews_thread()
    first = case_services.open_from_review(other, worker, ["ILO-03"], "high", 1)
    with pytest.raises(services.InboxError):
        services.open_case(other_thread, worker, other.organisation, ["ILO-03"], "high", 1, "x")
    assert db.session.scalar(select(func.count()).select_from(Case)) == 2
    assert other_thread.case_id is None and first.review_id == other.id


def test_the_review_case_shows_on_its_thread_and_no_second_can_be_opened(client, login_as):
    taxonomy.load()
    review, thread, _code = reviews_thread()
    worker = login_as(Role.CASEWORKER)
    case = case_services.open_from_review(review, worker, ["ILO-03"], "high", 1)
    page = client.get(f"/inbox/{thread.id}").get_data(as_text=True)
    assert case.reference in page and "Open a case" not in page


def test_only_the_owning_csos_caseworkers_see_the_contact(client, login_as):
    thread = MessageFactory().conversation
    ContactFactory(conversation=thread, value="zq.secret.line")
    login_as(Role.ADMIN)
    page = client.get(f"/inbox/{thread.id}").get_data(as_text=True)
    assert "Show the worker" not in page  # admins read the thread, not the contact
    response = client.post(f"/inbox/{thread.id}/contact", follow_redirects=True)
    assert "zq.secret.line" not in response.get_data(as_text=True)
    admin = UserFactory(role="admin")
    with pytest.raises(services.InboxError):
        services.view_contact(thread, admin)
    assert services.view_contact(thread, caseworker()).value == "zq.secret.line"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "ASK_RATE_LIMIT": "1 per hour"}


def test_an_emergency_is_never_turned_away_by_the_limit(client):
    network_cso()
    form = {"topic": "question", "country": "TH", "text": "How much is a visa? zqvisa"}
    assert client.post("/ask", data=form).status_code == 200
    assert client.post("/ask", data=form).status_code == 429
    emergency = {**form, "topic": "emergency", "text": "They locked us in. zqlocked"}
    assert client.post("/ask", data=emergency).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Conversation)) == 2


def test_an_emergency_goes_to_the_cso_where_the_worker_is(app):
    network_cso()
    in_myanmar = CsoFactory(country="MM")
    RoutingRuleFactory(cso=in_myanmar, organisation_country="MM")
    agency = ReviewFactory().organisation
    agency.country = "MM"
    db.session.commit()
    question, _ = services.ask("recruitment", "TH", "my", "Fees? zqfees", organisation=agency)
    emergency, _ = services.ask("emergency", "TH", "my", "Help now. zqnow", organisation=agency)
    assert question.owner == in_myanmar  # about the agency at home
    assert emergency.owner == network_cso()  # help where the worker is (Thailand)


def test_a_question_never_reopens_a_thread_the_worker_closed(app):
    review, thread, _code = reviews_thread()
    services.worker_closes(thread)
    with pytest.raises(services.InboxError):
        services.ask_reviewer(review, caseworker(), "One more question?")
    assert thread.state == ConversationState.CLOSED and len(thread.messages) == 1


def test_an_emergency_mail_names_no_conversation(mailbox):
    worker = caseworker()
    services.ask("emergency", "TH", "my", "Help now. zqnow")
    (mail,) = mailbox.to(worker.email)
    conversation = db.session.scalars(select(Conversation)).one()
    body = text_of(mail)
    assert "/inbox/?urgent=y" in body
    assert f"/inbox/{conversation.id}" not in body and str(conversation.id) not in mail["Subject"]
    assert "zqnow" not in body


def test_a_case_page_leads_back_to_the_conversation_it_came_from(client, login_as):
    taxonomy.load()
    worker = login_as(Role.CASEWORKER)
    thread = MessageFactory().conversation
    case = services.open_case(
        thread, worker, ReviewFactory().organisation, ["FEE-01"], "medium", 1, "Fees."
    )
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f'href="/inbox/{thread.id}"' in page
