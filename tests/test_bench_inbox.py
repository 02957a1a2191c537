"""The inbox part of the benchmark data (scripts/bench_inbox.py) at small sizes: the counts
asked for, threads whose state agrees with their messages (as the write layer keeps them),
and caseworkers who log in the way the load benchmark does."""

from __future__ import annotations

import argparse
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from goldendreams.accounts.models import SecondFactor, User
from goldendreams.cases.models import Case
from goldendreams.core import pii
from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.inbox import services
from goldendreams.inbox.models import (
    CallLog,
    Contact,
    Conversation,
    Message,
    SavedAnswer,
    conversation_categories,
)
from scripts import bench_data, bench_inbox
from tests.conftest import enter_code

SIZES = argparse.Namespace(
    organisations=60, jobs=20, reviews=300, cases=80, csos=3, articles=0, conversations=600,
    messages=2400, caseworkers=2, saved_answers=2, call_logs=50,
)  # fmt: skip


@pytest.fixture
def bench(app):
    generator = bench_data.Generator(SIZES, seed=8)
    for step in ("organisations", "links", "jobs", "reviews", "cases"):
        getattr(generator, step)()
        db.session.commit()
    steps = []
    bench_inbox.fill(generator, SIZES, 8, lambda step, seconds: steps.append(step))
    bench_data.reset_sequences()
    db.session.commit()
    assert steps == ["staff", "inbox", "desk"]
    return generator


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_sizes_asked_for(bench):
    assert _count(Conversation) == SIZES.conversations
    assert _count(Message) == SIZES.messages
    assert _count(CallLog) == SIZES.call_logs
    assert _count(User) == SIZES.csos * SIZES.caseworkers
    assert _count(SecondFactor) == SIZES.csos * SIZES.caseworkers
    # Per CSO: English and its two languages.
    assert _count(SavedAnswer) == SIZES.csos * 3 * SIZES.saved_answers
    assert 0 < _count(Contact) < SIZES.conversations
    assert _count(conversation_categories) > 0
    # Every CSO has conversations, the first the most; three years of them.
    owners = db.session.execute(
        select(Conversation.owner_id, func.count()).group_by(Conversation.owner_id)
    ).all()
    counts = dict(owners)
    assert set(counts) == set(bench.csos)
    assert max(counts, key=counts.get) == bench.csos[0]
    oldest = db.session.scalar(select(func.min(Conversation.opened_on)))
    assert today() - timedelta(days=3 * 365) <= oldest < today() - timedelta(days=2 * 365)
    kinds = dict(
        db.session.execute(select(Message.kind, func.count()).group_by(Message.kind)).all()
    )
    assert kinds["from_worker"] > kinds["to_worker"] > kinds["note"] > 0


def test_threads_agree_with_their_state(bench):
    conversations = db.session.scalars(select(Conversation)).all()
    states = {c.state for c in conversations}
    assert states == {"new", "waiting_for_us", "waiting_for_worker", "closed"}
    for conversation in conversations:
        kinds = [m.kind for m in conversation.messages]
        spoken = [kind for kind in kinds if kind != "note"]
        assert kinds[0] == "from_worker", conversation.id
        assert conversation.opened_on <= conversation.last_activity_on <= today()
        assert all(conversation.opened_on <= m.sent_on <= today() for m in conversation.messages)
        if conversation.state == "closed":
            assert conversation.outcome and conversation.closed_on >= conversation.opened_on
            assert conversation.contact is None  # erased on closing
            continue
        assert conversation.outcome is None and conversation.closed_on is None
        if conversation.state == "new":
            assert "to_worker" not in kinds
        elif conversation.state == "waiting_for_us":
            assert "to_worker" in kinds and spoken[-1] == "from_worker"
        else:
            assert spoken[-1] == "to_worker"
    for conversation in conversations:
        if conversation.case_id is not None:  # the case is run by the conversation's CSO
            assert db.session.get(Case, conversation.case_id).owner_id == conversation.owner_id
        elif conversation.outcome == "case_opened":
            pytest.fail(f"conversation {conversation.id}: case opened, but no case")
        for message in conversation.messages:
            if message.kind != "from_worker":
                assert db.session.get(User, message.author_id).organisation_id == (
                    conversation.owner_id
                )


def test_a_web_conversation_opens_with_its_code(bench):
    web = db.session.scalars(
        select(Conversation).where(Conversation.code_hash.is_not(None)).limit(5)
    ).all()
    assert web
    for conversation in web:
        assert services.find_by_code(bench_inbox.worker_code(conversation.id)) is conversation
    assert services.find_by_code(bench_inbox.worker_code(SIZES.conversations + 1)) is None


def test_a_bench_caseworker_logs_in_with_the_known_key(bench, client):
    email = bench_inbox.caseworker_email(bench.csos[0])
    user = db.session.scalar(select(User).where(User.email == email))
    response = client.post("/login", data={"email": email, "password": bench_inbox.PASSWORD})
    assert response.status_code == 302
    enter_code(client, user, response.headers["Location"], secret=bench_inbox.TOTP_SECRET)
    assert client.get("/inbox/").status_code == 200


def test_the_personal_data_marked_is_what_the_write_layer_finds(bench):
    marked = db.session.scalars(
        select(Message).where(Message.kind == "from_worker", Message.text.is_not(None))
    ).all()
    with_data = [m for m in marked if m.personal_data]
    assert with_data
    for message in with_data:
        found = [
            {"start": s.start, "end": s.end, "kind": s.kind}
            for s in pii.find_personal_data(message.text)
        ]
        assert message.personal_data[-1] in found, message.text
