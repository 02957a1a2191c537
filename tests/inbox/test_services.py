"""The inbox's write layer: its rules, one audit row per staff action, none for the worker's
own actions, routing, hand-over, closing erases the contact."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from goldendreams.cases import taxonomy
from goldendreams.cases.models import Case
from goldendreams.core.audit import AuditLog
from goldendreams.extensions import db
from goldendreams.inbox import services
from goldendreams.inbox.models import Contact, Conversation, Message
from tests.factories import (
    AgencyFactory,
    ContactFactory,
    ConversationFactory,
    CsoFactory,
    MessageFactory,
    ReviewFactory,
    RoutingRuleFactory,
    UserFactory,
    network_cso,
)


@pytest.fixture
def caseworker(app):
    taxonomy.load()
    return UserFactory(role="caseworker")


@pytest.fixture
def conversation(app):
    item = ConversationFactory(organisation=AgencyFactory())
    MessageFactory(conversation=item)
    ContactFactory(conversation=item)
    db.session.commit()
    return item


def audit_rows() -> list[tuple]:
    rows = db.session.execute(
        select(AuditLog.action, AuditLog.actor_id, AuditLog.target_id).order_by(AuditLog.id)
    )
    return [tuple(row) for row in rows]


def contacts() -> int:
    return db.session.scalar(select(func.count(Contact.id)))


def test_the_workers_own_actions_are_never_audited_and_dated_by_the_day(app):
    network_cso()
    conversation, code = services.ask("work", "TH", "my", "They kept my passport.",
                                      contact_method="line", contact_value="ma.hla")  # fmt: skip
    assert services.find_by_code(code) is conversation
    services.worker_writes(conversation, "And my wages.")
    services.worker_closes(conversation)
    services.worker_writes(conversation, "It happened again.")
    assert services.worker_erases(conversation) == 3
    assert audit_rows() == []
    assert type(conversation.opened_on) is date and type(conversation.last_activity_on) is date
    assert all(type(m.sent_on) is date for m in conversation.messages)


def test_a_conversation_is_routed_by_the_country_the_worker_is_in(app):
    network_cso()  # the catch-all rule
    malaysian = CsoFactory(country="MY")
    RoutingRuleFactory(cso=malaysian, organisation_country="MY")
    in_malaysia, _ = services.ask("question", "MY", "ne", "Where do I renew my permit?")
    in_thailand, _ = services.ask("question", "TH", "ne", "Where do I renew my permit?")
    assert in_malaysia.owner_id == malaysian.id
    assert in_thailand.owner_id == network_cso().id


def test_each_staff_action_writes_one_audit_row(caseworker, conversation):
    colleague = UserFactory(role="caseworker")
    actions = [
        (lambda: services.reply(conversation, caseworker, "We can help."), "conversation.reply"),
        (lambda: services.add_note(conversation, caseworker, "Call back."), "conversation.note"),
        (lambda: services.tag(conversation, caseworker, ["ILO-07"], True), "conversation.tag"),
        (lambda: services.assign(conversation, caseworker, colleague), "conversation.assign"),
        (lambda: services.view_contact(conversation, caseworker), "conversation.contact_view"),
        (lambda: services.open_case(conversation, caseworker, conversation.organisation,
                                    ["ILO-07"], "high", 1, "Passport kept."),
         "conversation.case"),
        (lambda: services.close(conversation, caseworker, "case_opened"), "conversation.close"),
    ]  # fmt: skip
    for number, (action, name) in enumerate(actions, start=1):
        action()
        rows = [row for row in audit_rows() if row[0].startswith("conversation.")]
        assert len(rows) == number, name
        assert rows[-1] == (name, caseworker.id, conversation.id)


def test_hand_over_moves_the_conversation_to_another_cso(caseworker, conversation):
    other = CsoFactory()
    conversation.assignee_id = caseworker.id
    services.hand_over(conversation, caseworker, other, "They speak Khmer.")
    assert (conversation.owner_id, conversation.assignee_id) == (other.id, None)
    assert conversation.messages[-1].kind == "note"
    assert audit_rows()[-1] == ("conversation.hand_over", caseworker.id, conversation.id)
    with pytest.raises(services.InboxError):  # no longer theirs
        services.reply(conversation, caseworker, "Hello")


@pytest.mark.parametrize("target", ["own", "employer", "none"])
def test_hand_over_goes_to_another_cso_only(caseworker, conversation, target):
    cso = {"own": network_cso(), "employer": AgencyFactory(), "none": None}[target]
    with pytest.raises(services.InboxError):
        services.hand_over(conversation, caseworker, cso, "Why")
    db.session.rollback()
    assert conversation.owner_id == network_cso().id and audit_rows() == []


def test_no_hand_over_once_a_case_is_opened(caseworker, conversation):
    services.open_case(conversation, caseworker, conversation.organisation, ["ILO-07"], "high",
                       1, "Passport kept.")  # fmt: skip
    with pytest.raises(services.InboxError, match="Refer the case instead"):
        services.hand_over(conversation, caseworker, CsoFactory(), "Why")


def test_closing_erases_the_contact(caseworker, conversation):
    with pytest.raises(services.InboxError, match="Open the case first"):
        services.close(conversation, caseworker, "case_opened")
    with pytest.raises(services.InboxError):
        services.close(conversation, caseworker, "closed_by_worker")  # the worker's, not staff's
    assert contacts() == 1
    services.close(conversation, caseworker, "no_reply")
    assert (conversation.state, conversation.outcome) == ("closed", "no_reply")
    assert conversation.closed_on is not None and contacts() == 0
    with pytest.raises(services.InboxError, match="closed already"):
        services.close(conversation, caseworker, "information")
    with pytest.raises(services.InboxError):
        services.reply(conversation, caseworker, "Anything else?")


def test_the_worker_closing_erases_the_contact_and_writing_opens_it_again(conversation):
    conversation.state = "waiting_for_worker"
    services.worker_closes(conversation)
    assert (conversation.state, conversation.outcome, contacts()) == (
        "closed",
        "closed_by_worker",
        0,
    )
    services.worker_writes(conversation, "One more thing.")
    assert (conversation.state, conversation.outcome) == ("waiting_for_us", None)
    assert conversation.closed_on is None


def test_the_worker_erases_their_messages_not_ours(caseworker, conversation):
    services.reply(conversation, caseworker, "We can help.")
    services.worker_erases(conversation)
    texts = {m.kind: m.text for m in conversation.messages}
    assert texts == {"from_worker": None, "to_worker": "We can help."}
    assert contacts() == 0


def test_tag_and_assign_rules(caseworker, conversation):
    with pytest.raises(services.InboxError):
        services.tag(conversation, caseworker, ["ILO-07", "NOPE"], False)
    outsider = UserFactory(role="caseworker", organisation=CsoFactory())
    for assignee in (outsider, UserFactory(role="moderator"),
                     UserFactory(role="caseworker", active=False), None):  # fmt: skip
        with pytest.raises(services.InboxError):
            services.assign(conversation, caseworker, assignee)
    assert conversation.assignee_id is None and audit_rows() == []


def test_another_csos_caseworker_may_do_nothing(conversation):
    taxonomy.load()
    outsider = UserFactory(role="caseworker", organisation=CsoFactory())
    attempts = [
        lambda: services.reply(conversation, outsider, "Hello"),
        lambda: services.add_note(conversation, outsider, "Hello"),
        lambda: services.tag(conversation, outsider, [], True),
        lambda: services.assign(conversation, outsider, outsider),
        lambda: services.hand_over(conversation, outsider, CsoFactory(), "Mine"),
        lambda: services.close(conversation, outsider, "information"),
        lambda: services.view_contact(conversation, outsider),
        lambda: services.open_case(conversation, outsider, conversation.organisation,
                                   ["ILO-07"], "high", 1, "Summary"),
    ]  # fmt: skip
    for attempt in attempts:
        with pytest.raises(services.InboxError):
            attempt()
        db.session.rollback()
    assert audit_rows() == []
    assert db.session.scalar(select(func.count(Message.id))) == 1
    assert db.session.scalar(select(func.count(Case.id))) == 0


def test_view_contact_needs_a_contact(caseworker):
    with pytest.raises(services.InboxError):
        services.view_contact(ConversationFactory(), caseworker)
    assert audit_rows() == []


def test_open_case_once_and_with_an_organisation(caseworker, conversation):
    with pytest.raises(services.InboxError):
        services.open_case(conversation, caseworker, None, ["ILO-07"], "high", 1, "Summary")
    db.session.rollback()
    case = services.open_case(conversation, caseworker, conversation.organisation, ["ILO-07"],
                              "high", 2, "Summary")  # fmt: skip
    assert (conversation.case_id, case.owner_id, case.source) == (case.id, network_cso().id,
                                                                  "message")  # fmt: skip
    assert services.for_case(case.id) is conversation
    with pytest.raises(services.InboxError):
        services.open_case(conversation, caseworker, conversation.organisation, ["ILO-07"],
                           "high", 2, "Again")  # fmt: skip


def test_ask_reviewer_opens_the_reviews_thread(caseworker):
    review = ReviewFactory()
    conversation = services.ask_reviewer(review, caseworker, "Which agency was it?")
    assert (conversation.review_id, conversation.state) == (review.id, "waiting_for_worker")
    assert conversation.code_hash is None  # the review's code opens it
    assert services.for_review(review.id) is conversation
    again = services.ask_reviewer(review, caseworker, "And when?")
    assert again is conversation and len(conversation.messages) == 2
    assert [row[0] for row in audit_rows()] == ["conversation.ask_reviewer"] * 2


def test_ask_reviewer_refusals(caseworker):
    with pytest.raises(services.InboxError):
        services.ask_reviewer(ReviewFactory(), UserFactory(role="moderator"), "Question")
    with pytest.raises(services.InboxError):
        services.ask_reviewer(ReviewFactory(status="withdrawn"), caseworker, "Question")
    review = ReviewFactory()
    ConversationFactory(review_id=review.id, code_hash=None, owner=CsoFactory())
    with pytest.raises(services.InboxError, match="Another organisation"):
        services.ask_reviewer(review, caseworker, "Question")
    db.session.rollback()
    assert audit_rows() == []
    assert db.session.scalar(select(func.count(Conversation.id))) == 1
