"""One conversation as its CSO's caseworkers see it, and everything they do with it; another
CSO's caseworker finds nothing (404) and changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from goldendreams.cases import taxonomy
from goldendreams.cases.models import Case
from goldendreams.core.audit import AuditLog
from goldendreams.core.auth import Role
from goldendreams.extensions import db
from goldendreams.inbox.models import Contact, Conversation, Message
from tests.factories import (
    AgencyFactory,
    ContactFactory,
    ConversationFactory,
    CsoFactory,
    MessageFactory,
    ReviewFactory,
    SavedAnswerFactory,
    UserFactory,
    network_cso,
)

WORKER_TEXT = "The agency kept my passport. Call me on 081 234 5678. Ma Hla Hla."
PHONE = {"start": 40, "end": 52, "kind": "phone"}


@pytest.fixture
def conversation():
    taxonomy.load()
    item = ConversationFactory(organisation=AgencyFactory())
    MessageFactory(conversation=item, text=WORKER_TEXT, personal_data=[PHONE])
    ContactFactory(conversation=item, value="ma.hla.hla.secret")
    db.session.commit()
    return item


def state_of(conversation_id: int) -> tuple:
    """Everything an action could change."""
    db.session.expire_all()
    item = db.session.get(Conversation, conversation_id)
    return (
        item.owner_id, item.state, item.urgent, item.assignee_id, item.outcome, item.case_id,
        [c.code for c in item.categories], db.session.scalar(select(func.count(Message.id))),
        db.session.scalar(select(func.count(AuditLog.id))),
        db.session.scalar(select(func.count(Contact.id))),
        db.session.scalar(select(func.count(Case.id))),
    )  # fmt: skip


def test_the_thread_marks_personal_data_and_labels_notes(client, login_as, conversation):
    colleague = UserFactory(role="caseworker", email="colleague@example.org")
    MessageFactory(conversation=conversation, kind="to_worker", text="We can help.",
                   author=colleague)  # fmt: skip
    MessageFactory(conversation=conversation, kind="note", text="Call the agency first.",
                   author=colleague)  # fmt: skip
    MessageFactory(conversation=conversation, text=None)  # erased by the worker
    login_as(Role.CASEWORKER)
    page = client.get(f"/inbox/{conversation.id}").get_data(as_text=True)
    assert '<mark title="Phone number">081 234 5678</mark>' in page
    assert "Personal data found: Phone number" in page
    assert "Internal note: the worker never sees it" in page
    assert "Call the agency first." in page
    assert "Reply · colleague@example.org" in page
    assert "Erased by the worker." in page
    assert conversation.organisation.name in page


def test_the_contact_shows_only_in_the_answer_to_the_audited_view(client, login_as, conversation):
    user = login_as(Role.CASEWORKER)
    page = client.get(f"/inbox/{conversation.id}").get_data(as_text=True)
    assert "ma.hla.hla.secret" not in page
    assert "Show the worker's contact" in page
    response = client.post(f"/inbox/{conversation.id}/contact")
    assert response.status_code == 200
    assert "ma.hla.hla.secret" in response.get_data(as_text=True)
    entry = db.session.scalar(select(AuditLog).filter_by(action="conversation.contact_view"))
    assert (entry.actor_id, entry.target_id) == (user.id, conversation.id)
    assert "ma.hla.hla.secret" not in str(entry.detail)
    # Not on the next page, nor in the list.
    assert "ma.hla.hla.secret" not in client.get(f"/inbox/{conversation.id}").get_data(as_text=True)
    assert "ma.hla.hla.secret" not in client.get("/inbox/").get_data(as_text=True)


def test_no_contact_no_button(client, login_as):
    item = ConversationFactory()
    login_as(Role.CASEWORKER)
    assert "Show the worker" not in client.get(f"/inbox/{item.id}").get_data(as_text=True)
    response = client.post(f"/inbox/{item.id}/contact", follow_redirects=True)
    assert "The worker left no way to reach them." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(AuditLog.id))) == 0


def test_reply(client, login_as, conversation):
    user = login_as(Role.CASEWORKER)
    response = client.post(f"/inbox/{conversation.id}/reply", data={"reply-text": "We can help."})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/inbox/{conversation.id}")
    db.session.expire_all()
    assert conversation.state == "waiting_for_worker"
    reply = conversation.messages[-1]
    assert (reply.kind, reply.text, reply.author_id) == ("to_worker", "We can help.", user.id)


def test_a_refused_reply_keeps_what_was_typed(client, login_as, conversation):
    login_as(Role.CASEWORKER)
    before = state_of(conversation.id)
    response = client.post(f"/inbox/{conversation.id}/reply", data={"reply-text": "   "})
    assert response.status_code == 400
    assert "Please write something." in response.get_data(as_text=True)
    typed = "Dear worker " + "x" * 5000
    response = client.post(f"/inbox/{conversation.id}/reply", data={"reply-text": typed})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Write at most 5000 letters." in page
    assert typed in page
    assert state_of(conversation.id) == before


def test_a_closed_conversation_takes_no_reply(client, login_as, conversation):
    conversation.state, conversation.outcome = "closed", "information"
    db.session.commit()
    login_as(Role.CASEWORKER)
    page = client.get(f"/inbox/{conversation.id}").get_data(as_text=True)
    assert f'action="/inbox/{conversation.id}/reply"' not in page
    before = state_of(conversation.id)
    response = client.post(f"/inbox/{conversation.id}/reply", data={"reply-text": "Still there?"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "This conversation is closed." in page
    assert "Still there?" in page
    assert state_of(conversation.id) == before


def test_a_saved_answer_fills_the_reply_box_to_edit(client, login_as, conversation):
    ours = SavedAnswerFactory(title="Passport rights", body="Nobody may keep your passport.")
    SavedAnswerFactory(language="th", title="Thai hotline", body="Call 1506.")
    theirs = SavedAnswerFactory(owner_id=CsoFactory().id, body="Another CSO's private text")
    login_as(Role.CASEWORKER)
    page = client.get(f"/inbox/{conversation.id}").get_data(as_text=True)
    # The worker's language (Burmese) first, then the others.
    assert page.index("Passport rights") < page.index("Thai hotline")
    assert "Another CSO" not in page
    page = client.get(f"/inbox/{conversation.id}?answer={ours.id}").get_data(as_text=True)
    assert "Nobody may keep your passport.</textarea>" in page
    assert len(conversation.messages) == 1  # nothing is sent until the caseworker sends it
    response = client.get(f"/inbox/{conversation.id}?answer={theirs.id}")
    assert response.status_code == 400
    assert "Another CSO&#39;s private text" not in response.get_data(as_text=True)
    assert client.get(f"/inbox/{conversation.id}?answer=x").status_code == 400


def test_note(client, login_as, conversation):
    login_as(Role.CASEWORKER)
    response = client.post(f"/inbox/{conversation.id}/note", data={"note-text": "Urgent visit."})
    assert response.status_code == 302
    db.session.expire_all()
    assert conversation.messages[-1].kind == "note"
    assert conversation.state == "new"  # a note answers nobody
    assert client.post(f"/inbox/{conversation.id}/note", data={}).status_code == 400


def test_tag_issues_and_urgency(client, login_as, conversation):
    login_as(Role.CASEWORKER)
    data = {"tag-categories": ["ILO-07", "FEE-01"], "tag-urgent": "y"}
    assert client.post(f"/inbox/{conversation.id}/tag", data=data).status_code == 302
    db.session.expire_all()
    assert [c.code for c in conversation.categories] == ["FEE-01", "ILO-07"]
    assert conversation.urgent is True
    page = client.get(f"/inbox/{conversation.id}").get_data(as_text=True)
    assert "Passport or papers kept by others" in page
    before = state_of(conversation.id)
    response = client.post(
        f"/inbox/{conversation.id}/tag", data={"tag-categories": ["NOPE"]}, follow_redirects=True
    )
    assert "Choose issues from the list." in response.get_data(as_text=True)
    assert state_of(conversation.id) == before


def test_assign_to_a_colleague_only(client, login_as, conversation):
    colleague = UserFactory(role="caseworker")
    outsider = UserFactory(role="caseworker", organisation=CsoFactory())
    login_as(Role.CASEWORKER)
    page = client.get(f"/inbox/{conversation.id}").get_data(as_text=True)
    assert colleague.email in page and outsider.email not in page
    data = {"assign-assignee_id": colleague.id}
    assert client.post(f"/inbox/{conversation.id}/assign", data=data).status_code == 302
    db.session.expire_all()
    assert conversation.assignee_id == colleague.id
    before = state_of(conversation.id)
    data = {"assign-assignee_id": outsider.id}
    response = client.post(f"/inbox/{conversation.id}/assign", data=data, follow_redirects=True)
    assert "Choose a caseworker from the list." in response.get_data(as_text=True)
    assert state_of(conversation.id) == before


def test_hand_over_moves_ownership(client, login_as, conversation):
    other = CsoFactory(name="Mekong Migrant Aid")
    user = login_as(Role.CASEWORKER)
    conversation.assignee_id = user.id
    db.session.commit()
    data = {"hand_over-cso_id": other.id, "hand_over-note": "They speak Khmer."}
    response = client.post(f"/inbox/{conversation.id}/hand-over", data=data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/inbox/")
    db.session.expire_all()
    assert (conversation.owner_id, conversation.assignee_id) == (other.id, None)
    assert conversation.messages[-1].kind == "note"
    assert client.get(f"/inbox/{conversation.id}").status_code == 404  # not ours any more


def test_a_refused_hand_over_keeps_the_note(client, login_as, conversation):
    CsoFactory()  # someone to hand over to
    login_as(Role.CASEWORKER)
    before = state_of(conversation.id)
    data = {"hand_over-cso_id": network_cso().id, "hand_over-note": "My typed reason"}
    response = client.post(f"/inbox/{conversation.id}/hand-over", data=data)
    assert response.status_code == 400  # one's own CSO is not in the list
    assert "My typed reason" in response.get_data(as_text=True)
    assert state_of(conversation.id) == before


def test_close_with_an_outcome_erases_the_contact(client, login_as, conversation):
    login_as(Role.CASEWORKER)
    data = {"close-outcome": "case_opened"}  # no case: not a choice
    response = client.post(f"/inbox/{conversation.id}/close", data=data, follow_redirects=True)
    assert "Choose how it ended from the list." in response.get_data(as_text=True)
    db.session.expire_all()
    assert conversation.state == "new" and conversation.contact is not None
    data = {"close-outcome": "referred_to_service"}
    assert client.post(f"/inbox/{conversation.id}/close", data=data).status_code == 302
    db.session.expire_all()
    assert (conversation.state, conversation.outcome) == ("closed", "referred_to_service")
    assert db.session.scalar(select(func.count(Contact.id))) == 0
    page = client.get(f"/inbox/{conversation.id}").get_data(as_text=True)
    assert "Referred to a service" in page
    assert "Show the worker" not in page


def test_open_a_case_from_the_conversation(client, login_as, conversation):
    login_as(Role.CASEWORKER)
    page = client.get(f"/inbox/{conversation.id}/case").get_data(as_text=True)
    assert f'<option selected value="{conversation.organisation_id}">' in page
    data = {"organisation_id": conversation.organisation_id, "categories": ["ILO-07"],
            "severity": "high", "workers": "3", "summary": ""}  # fmt: skip
    response = client.post(f"/inbox/{conversation.id}/case", data=data)
    assert response.status_code == 400  # no summary: nothing lost, nothing opened
    assert db.session.scalar(select(func.count(Case.id))) == 0
    data["summary"] = "Passport kept by the agency."
    response = client.post(f"/inbox/{conversation.id}/case", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    case = db.session.get(Case, conversation.case_id)
    assert (case.owner_id, case.source, case.workers_affected) == (
        conversation.owner_id, "message", 3,
    )  # fmt: skip
    page = client.get(f"/inbox/{conversation.id}").get_data(as_text=True)
    assert f'href="/cases/{case.id}">{case.reference}</a>' in page
    assert f"/inbox/{conversation.id}/case" not in page
    # Once only: the thread follows that case.
    response = client.get(f"/inbox/{conversation.id}/case")
    assert response.status_code == 302
    assert client.post(f"/inbox/{conversation.id}/case", data=data).status_code == 302
    assert db.session.scalar(select(func.count(Case.id))) == 1


def test_the_linked_review_is_shown(client, login_as):
    review = ReviewFactory()
    item = ConversationFactory(review_id=review.id, code_hash=None)
    login_as(Role.CASEWORKER)
    page = client.get(f"/inbox/{item.id}").get_data(as_text=True)
    assert f'href="/moderation/reviews/{review.id}"' in page


ROUTES = [
    ("get", "/inbox/{id}", {}),
    ("get", "/inbox/{id}?answer=1", {}),
    ("get", "/inbox/{id}/case", {}),
    ("post", "/inbox/{id}/reply", {"reply-text": "Hello"}),
    ("post", "/inbox/{id}/note", {"note-text": "Hello"}),
    ("post", "/inbox/{id}/tag", {"tag-categories": ["ILO-07"], "tag-urgent": "y"}),
    ("post", "/inbox/{id}/assign", {"assign-assignee_id": "1"}),
    ("post", "/inbox/{id}/hand-over", {"hand_over-cso_id": "1", "hand_over-note": "x"}),
    ("post", "/inbox/{id}/close", {"close-outcome": "information"}),
    ("post", "/inbox/{id}/contact", {}),
    ("post", "/inbox/{id}/case", {"organisation_id": "1", "categories": ["ILO-07"],
                                  "severity": "high", "workers": "1", "summary": "x"}),
]  # fmt: skip


@pytest.mark.parametrize(("method", "url", "data"), ROUTES)
def test_another_csos_caseworker_finds_nothing_and_changes_nothing(
    client, conversation, method, url, data
):
    from tests.conftest import login

    other_cso = CsoFactory()
    login(client, UserFactory(role="caseworker", organisation=other_cso))
    before = state_of(conversation.id)
    response = getattr(client, method)(url.format(id=conversation.id), data=data)
    assert response.status_code == 404
    assert "ma.hla.hla.secret" not in response.get_data(as_text=True)
    assert state_of(conversation.id) == before


@pytest.mark.parametrize(
    "role",
    [Role.MODERATOR, Role.AGENCY_STAFF, Role.EMPLOYER_STAFF, Role.BRAND, Role.GOVERNMENT,
     Role.ASSOCIATION, Role.MOBILIZER],
)  # fmt: skip
@pytest.mark.parametrize(("method", "url", "data"), ROUTES[:1] + ROUTES[3:4] + ROUTES[9:10])
def test_other_roles_are_turned_away(client, login_as, conversation, role, method, url, data):
    login_as(role)
    before = state_of(conversation.id)
    assert getattr(client, method)(url.format(id=conversation.id), data=data).status_code == 403
    assert state_of(conversation.id) == before


def test_anonymous_visitors_are_sent_to_log_in(client, conversation):
    response = client.get(f"/inbox/{conversation.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = client.post(f"/inbox/{conversation.id}/contact")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_admins_handle_every_conversation(client, login_as, conversation):
    login_as(Role.ADMIN)
    assert client.get(f"/inbox/{conversation.id}").status_code == 200
    data = {"note-text": "Checked by an admin."}
    assert client.post(f"/inbox/{conversation.id}/note", data=data).status_code == 302


def test_numbers_no_row_can_have_are_404(client, login_as):
    login_as(Role.CASEWORKER)
    assert client.get("/inbox/999999").status_code == 404
    assert client.get(f"/inbox/{2**31}").status_code == 404


# --- a question to a review's worker, from the staff review page ------------------------------


def test_a_caseworker_asks_a_reviews_worker_from_the_review_page(client, login_as):
    review = ReviewFactory()
    login_as(Role.CASEWORKER)
    page = client.get(f"/moderation/reviews/{review.id}").get_data(as_text=True)
    assert f'action="/inbox/ask-reviewer/{review.id}"' in page
    assert "Conversation with this worker" not in page
    response = client.post(f"/inbox/ask-reviewer/{review.id}", data={"text": "Which agency?"})
    assert response.status_code == 302
    item = db.session.scalar(select(Conversation).filter_by(review_id=review.id))
    assert response.headers["Location"].endswith(f"/inbox/{item.id}")
    assert item.messages[0].text == "Which agency?"
    page = client.get(f"/moderation/reviews/{review.id}").get_data(as_text=True)
    assert f'href="/inbox/{item.id}">Conversation with this worker' in page


def test_a_refused_question_keeps_its_text(client, login_as):
    review = ReviewFactory(status="withdrawn")
    login_as(Role.CASEWORKER)
    assert "/inbox/ask-reviewer/" not in client.get(f"/moderation/reviews/{review.id}").get_data(
        as_text=True
    )
    response = client.post(f"/inbox/ask-reviewer/{review.id}", data={"text": "My typed question"})
    assert response.status_code == 400
    assert "My typed question" in response.get_data(as_text=True)
    response = client.post(f"/inbox/ask-reviewer/{ReviewFactory().id}", data={"text": " "})
    assert response.status_code == 400
    assert "Please write something." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Conversation.id))) == 0
    assert client.post("/inbox/ask-reviewer/999999", data={"text": "x"}).status_code == 404


def test_moderators_neither_ask_nor_see_the_conversation(client, login_as):
    review = ReviewFactory()
    item = ConversationFactory(review_id=review.id, code_hash=None)
    login_as(Role.MODERATOR)
    page = client.get(f"/moderation/reviews/{review.id}").get_data(as_text=True)
    assert "/inbox/" not in page
    assert "Ask the worker a question" not in page
    assert client.post(f"/inbox/ask-reviewer/{review.id}", data={"text": "Hi"}).status_code == 403
    assert len(item.messages) == 0


def test_another_csos_caseworker_is_not_shown_the_reviews_conversation(client):
    from tests.conftest import login

    review = ReviewFactory()
    item = ConversationFactory(review_id=review.id, code_hash=None)
    login(client, UserFactory(role="caseworker", organisation=CsoFactory()))
    page = client.get(f"/moderation/reviews/{review.id}").get_data(as_text=True)
    assert f"/inbox/{item.id}" not in page
    assert "/inbox/ask-reviewer/" not in page
