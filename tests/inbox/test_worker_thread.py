"""The worker's thread at "Check with my code": what their code opens (a conversation, a
review's thread, a case logged from a call), writing again, closing, erasing, following a
case to "Was it fixed?". Notes, times of day and the worker's contact never show; every code
travels in a POST body; wrong codes spend the budget."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from goldendreams.cases import services as case_services
from goldendreams.cases import taxonomy
from goldendreams.cases.models import Case
from goldendreams.core import tracking
from goldendreams.extensions import db
from goldendreams.inbox import services
from goldendreams.inbox.models import Contact, Conversation, ConversationState, Message
from tests.conftest import translated
from tests.factories import (
    CaseFactory,
    ContactFactory,
    ConversationFactory,
    MessageFactory,
    OrganisationFactory,
    ReviewFactory,
    UserFactory,
    network_cso,
    referred,
)

SECRET_NOTE = "Internal: probably the broker from Myawaddy zqnote"
SECRET_CONTACT = "ma.hla.zq.contact"
REPLY = "Nobody may keep your passport. Call 1506. zqreply"
TRIES = 10  # CODE_RATE_LIMIT
TIME_OF_DAY = re.compile(r"\b\d{1,2}[:.]\d{2}\b|\b(AM|PM)\b")


def caseworker():
    return UserFactory(role="caseworker", organisation=network_cso())


def conversation_with_code(**fields) -> tuple[Conversation, str]:
    code = tracking.new_code()
    conversation = ConversationFactory(code_hash=tracking.code_hash(code), **fields)
    MessageFactory(conversation=conversation, text="My passport was taken. zqmine")
    return conversation, code


def page_of(client, code: str) -> str:
    response = client.post("/check", data={"code": code})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def message_count() -> int:
    return db.session.scalar(select(func.count(Message.id)))


def test_the_code_opens_the_thread_without_notes_nor_times(client):
    conversation, code = conversation_with_code()
    services.reply(conversation, caseworker(), REPLY)
    services.add_note(conversation, caseworker(), SECRET_NOTE)
    page = page_of(client, code)
    assert "zqmine" in page and REPLY in page and SECRET_NOTE not in page
    assert "A caseworker answered you." in page
    assert not TIME_OF_DAY.search(re.sub(r"<[^>]+>", " ", page)), "a time of day shows"
    assert page.count('class="meta"><strong>') == 2  # two messages, each with its day


def test_writing_again_reopens_a_closed_conversation(client):
    conversation, code = conversation_with_code()
    services.reply(conversation, caseworker(), REPLY)
    services.close(conversation, caseworker(), "information")
    page = page_of(client, code)
    assert "If you write again, it opens again." in page and "Close this conversation" not in page
    response = client.post("/check/write", data={"code": code, "text": "It happened again zq2"})
    assert response.status_code == 200 and "zq2" in response.get_data(as_text=True)
    db.session.expire_all()
    conversation = db.session.get(Conversation, conversation.id)
    assert conversation.state == ConversationState.WAITING_FOR_US
    assert conversation.closed_on is None and conversation.outcome is None
    assert conversation.messages[-1].text == "It happened again zq2"


def test_bad_text_keeps_what_was_written(client):
    _conversation, code = conversation_with_code()
    before = message_count()
    long_text = "kept words " + "w" * 5000
    response = client.post("/check/write", data={"code": code, "text": long_text})
    page = response.get_data(as_text=True)
    assert "This is too long. Write at most 5000 letters." in page and long_text in page
    assert message_count() == before


def test_closing_needs_the_tick_and_erases_the_contact(client):
    conversation, code = conversation_with_code()
    ContactFactory(conversation=conversation, value=SECRET_CONTACT)
    page = page_of(client, code)
    assert "You left a way to reach you: LINE name." in page and SECRET_CONTACT not in page
    refused = client.post("/check/close", data={"code": code})
    assert refused.status_code == 400 and "Tick the box" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Contact.id))) == 1
    response = client.post("/check/close", data={"code": code, "confirm": "y"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Your conversation is closed." in page
    assert SECRET_CONTACT not in page and "You left a way to reach you" not in page
    db.session.expire_all()
    assert db.session.get(Conversation, conversation.id).state == ConversationState.CLOSED
    assert db.session.scalar(select(func.count(Contact.id))) == 0


def test_erasing_blanks_only_the_workers_messages(client):
    conversation, code = conversation_with_code()
    ContactFactory(conversation=conversation, value=SECRET_CONTACT)
    services.reply(conversation, caseworker(), REPLY)
    assert client.post("/check/erase", data={"code": code}).status_code == 400
    response = client.post("/check/erase", data={"code": code, "confirm": "y"})
    page = response.get_data(as_text=True)
    assert "You erased this message." in page and "zqmine" not in page and REPLY in page
    db.session.expire_all()
    texts = [(m.kind, m.text) for m in db.session.get(Conversation, conversation.id).messages]
    assert texts == [("from_worker", None), ("to_worker", REPLY)]
    assert db.session.scalar(select(func.count(Contact.id))) == 0


def test_a_review_code_opens_its_thread_and_the_worker_answers(client):
    network_cso()
    code = tracking.new_code()
    review = ReviewFactory(tracking_hash=tracking.code_hash(code))
    page = page_of(client, code)
    assert "Add details or answer" in page  # no thread yet: the worker may start one
    services.ask_reviewer(review, caseworker(), "Which month did they take it? zqquestion")
    page = page_of(client, code)
    assert "zqquestion" in page
    response = client.post("/check/write", data={"code": code, "text": "In March. zqanswer"})
    assert response.status_code == 200 and "zqanswer" in response.get_data(as_text=True)
    thread = services.for_review(review.id)
    assert [m.text for m in thread.messages][-1] == "In March. zqanswer"
    assert thread.state == ConversationState.WAITING_FOR_US


def test_a_review_worker_may_start_the_thread(client):
    network_cso()
    code = tracking.new_code()
    review = ReviewFactory(tracking_hash=tracking.code_hash(code))
    client.post("/check/write", data={"code": code, "text": "One more detail. zqdetail"})
    thread = services.for_review(review.id)
    assert thread is not None and thread.messages[0].text == "One more detail. zqdetail"
    assert "zqdetail" in page_of(client, code)


def test_a_withdrawn_review_takes_no_more_words(client):
    network_cso()
    code = tracking.new_code()
    ReviewFactory(tracking_hash=tracking.code_hash(code), status="withdrawn")
    assert "Add details or answer" not in page_of(client, code)
    assert client.post("/check/write", data={"code": code, "text": "Hello"}).status_code == 400
    assert message_count() == 0


def remediated_case(**fields) -> Case:
    taxonomy.load()
    case = CaseFactory(organisation=OrganisationFactory(), status="referred", **fields)
    referred(case)
    case_services.record_remediation(
        case, caseworker(), "fee_repayment", Decimal("15000"), "THB", 12, "Details zqdetails"
    )
    return case


def test_a_case_code_opens_the_case_and_was_it_fixed(client):
    code = tracking.new_code()
    case = remediated_case(code_hash=tracking.code_hash(code))
    page = page_of(client, code)
    assert "Your case" in page and "Was it fixed?" in page
    assert "Fees paid back" in page and "12 workers" in page and "zqdetails" not in page
    assert "Ko Aung" not in page and "20,000 baht" not in page  # the case's internals
    response = client.post("/check/answer", data={"code": code, "answer": "partly"})
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(Case, case.id).worker_answer == "partly"


def test_a_conversations_case_shows_what_was_done_in_the_workers_language(client):
    case = remediated_case()
    _conversation, code = conversation_with_code(case_id=case.id)
    client.set_cookie("gd_lang", "my")
    page = page_of(client, code)
    assert translated("my", "Fees paid back") in page
    assert translated("my", "Was it fixed?") in page
    assert "15,000" in page  # the amount, in the reader's money format
    response = client.post("/check/answer", data={"code": code, "answer": "yes"})
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(Case, case.id).worker_answer == "yes"
    assert "zqmine" in response.get_data(as_text=True)


def test_a_case_of_another_source_does_not_speak_of_a_review(client):
    taxonomy.load()
    code = tracking.new_code()
    CaseFactory(code_hash=tracking.code_hash(code))
    page = page_of(client, code)
    assert "We opened a case. A caseworker will look at it." in page
    assert "from your review" not in page and "Was it fixed?" not in page


@pytest.mark.parametrize("path", ["/check/write", "/check/close", "/check/erase"])
def test_wrong_codes_get_400_and_spend_the_budget(client, path):
    conversation_with_code()
    before = message_count()
    data = {"text": "Kept words zqkept", "confirm": "y"}
    statuses = [
        client.post(path, data={**data, "code": f"2222-2222-22{n:02d}"}).status_code
        for n in range(TRIES)
    ]
    assert statuses == [400] * TRIES
    refused = client.post(path, data={**data, "code": "2222-2222-2299"})
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert "Too many tries" in page
    if path == "/check/write":
        assert re.search(r'<textarea[^>]*name="text"[^>]*>Kept words zqkept</textarea>', page)
    assert message_count() == before


def test_a_right_code_never_spends_the_budget(client):
    _conversation, code = conversation_with_code()
    for n in range(TRIES + 2):
        assert client.post("/check/write", data={"code": code, "text": f"n{n}"}).status_code in (
            200,
            429,  # the write limit, not the code budget
        )
    assert client.post("/check", data={"code": code}).status_code == 200


def test_the_contact_value_shows_on_no_worker_page(client):
    conversation, code = conversation_with_code(topic="emergency")
    ContactFactory(conversation=conversation, value=SECRET_CONTACT)
    pages = [
        page_of(client, code),
        client.post("/check/write", data={"code": code, "text": "More"}).get_data(as_text=True),
        client.post("/check/erase", data={"code": code}).get_data(as_text=True),
        client.post("/check/close", data={"code": code}).get_data(as_text=True),
    ]
    for page in pages:
        assert SECRET_CONTACT not in page
    assert 'href="tel:191"' in pages[0]  # an open emergency keeps its numbers on the page


class TestWriteLimit:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "WRITE_RATE_LIMIT": "2 per hour"}

    def test_only_stored_messages_count_and_a_refusal_keeps_the_text(self, client):
        _conversation, code = conversation_with_code()
        for _ in range(3):
            assert client.post("/check/write", data={"code": code, "text": ""}).status_code == 200
        for n in range(2):
            client.post("/check/write", data={"code": code, "text": f"Stored {n}"})
        before = message_count()
        response = client.post("/check/write", data={"code": code, "text": "Third zqthird"})
        page = response.get_data(as_text=True)
        assert response.status_code == 429 and "Nothing was sent yet" in page
        assert re.search(r"<textarea[^>]*>\s*Third zqthird</textarea>", page)
        assert message_count() == before
