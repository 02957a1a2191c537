"""The channels on a real queue (a SQLite file, or Redis when GOLDENDREAMS_TEST_REDIS_URL is
set) with Huey's consumer: a reply the platform rate-limits is tried again with back-off
and sent once; one that keeps failing ends "failed" with the platform's reason; a delivery
handled twice (queued again by the sweep) is in the inbox once; the sweep queues what a
stopped consumer left, and only what waited since the previous sweep."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select, text

from goldendreams.channels import handling, sending, services
from goldendreams.channels.adapters.base import Event, EventKind
from goldendreams.channels.models import Inbound, InboundState, Platform
from goldendreams.core.auth import Role
from goldendreams.core.queue import huey
from goldendreams.extensions import db
from goldendreams.inbox import services as inbox
from goldendreams.inbox.models import Conversation, Delivery, Message, MessageKind
from tests.channels.conftest import API_BASES, CREDENTIALS
from tests.channels.fakes.telegram import too_many_requests
from tests.core.test_queue import (
    app_with_queue,
    queue_urls,
    queued_app_for,
    running_consumer,
    wait_until,
)
from tests.factories import UserFactory, network_cso


@pytest.fixture(params=queue_urls())
def queued_site(request, _schema, database_url, platform, tmp_path):
    url = f"sqlite:///{tmp_path / 'queue.db'}" if request.param == "sqlite" else request.param
    app = queued_app_for(
        database_url, url, **CREDENTIALS, **{f"{n}_API_BASE": platform.base for n in API_BASES},
        FILES_URL=str(tmp_path / "files"),
    )  # fmt: skip
    with app_with_queue(app):
        yield app


@pytest.fixture
def quick_retries(monkeypatch):
    monkeypatch.setattr(sending.send_reply.task_class, "default_retries", 3)
    monkeypatch.setattr(sending.send_reply.task_class, "default_retry_delay", 0.1)


def message_event(key: str, sender: str = "4242", text: str = "My boss keeps my passport"):
    return Event(kind=EventKind.MESSAGE, key=key, sender_id=sender, text=text, locale="en")


def conversation() -> Conversation:
    db.session.rollback()
    return db.session.scalar(select(Conversation))


def sends(platform) -> list:
    return platform.calls(r"/sendMessage$", "POST")


def test_a_rate_limited_reply_is_tried_again_then_sent_once(
    queued_site, platform, quick_retries, retry_delays
):
    network_cso()
    services.accept(Platform.TELEGRAM, [message_event("1")])
    with running_consumer():
        wait_until(lambda: conversation() and len(conversation().messages) == 2)
        wait_until(lambda: conversation().messages[1].delivery == Delivery.SENT)
        caseworker = UserFactory(role=Role.CASEWORKER, organisation=conversation().owner)
        platform.fail_next(too_many_requests(retry_after=0), times=2)
        inbox.reply(conversation(), caseworker, "We will call your agency today.")
        wait_until(lambda: conversation().messages[-1].delivery == Delivery.SENT)
    reply = conversation().messages[-1]
    assert reply.platform_id and reply.delivery_error is None
    texts = [call.json["text"] for call in sends(platform)]
    # Two refused tries, then one that went: the platform got the text once.
    assert texts.count("We will call your agency today.") == 3
    assert len(retry_delays) == 2 and retry_delays[1] > retry_delays[0]


def test_a_reply_that_keeps_failing_shows_the_platforms_reason(
    queued_site, platform, quick_retries
):
    network_cso()
    services.accept(Platform.TELEGRAM, [message_event("1")])
    with running_consumer():
        wait_until(lambda: conversation() and len(conversation().messages) == 2)
        wait_until(lambda: conversation().messages[1].delivery == Delivery.SENT)
        caseworker = UserFactory(role=Role.CASEWORKER, organisation=conversation().owner)
        platform.fail_next(too_many_requests(retry_after=0), times=10)
        inbox.reply(conversation(), caseworker, "Are you safe?")
        wait_until(lambda: conversation().messages[-1].delivery == Delivery.FAILED, timeout=30)
    assert "Too Many Requests" in conversation().messages[-1].delivery_error


def test_a_delivery_handled_twice_is_in_the_inbox_once(queued_site, platform):
    network_cso()
    services.accept(Platform.TELEGRAM, [message_event("7")])
    (inbound_id,) = db.session.scalars(select(Inbound.id))
    with running_consumer():
        handling.handle_inbound(inbound_id)  # the sweep queued it again
        handling.handle_inbound(inbound_id)
        wait_until(lambda: db.session.scalar(select(Inbound.state)) == InboundState.DONE)
    db.session.rollback()
    from_worker = select(func.count(Message.id)).where(Message.kind == MessageKind.FROM_WORKER)
    assert db.session.scalar(from_worker) == 1
    assert db.session.scalar(select(Inbound.payload)) is None  # erased once handled


def test_the_sweep_queues_only_what_waited_since_the_last_sweep(queued_site, platform):
    network_cso()
    services.accept(Platform.TELEGRAM, [message_event("1"), message_event("2", sender="77")])
    # No consumer ran: both wait. The first sweep only notes where the queue stood (a
    # delivery stored a second ago is not lost, only waiting).
    assert services.sweep() == 0
    services.accept(Platform.TELEGRAM, [message_event("3", sender="78")])
    huey.storage.flush_queue()  # the queue lost every task (a consumer killed mid-task)
    assert services.sweep() == 2
    with running_consumer():
        wait_until(lambda: db.session.scalar(
            select(func.count(Inbound.id)).where(Inbound.state == InboundState.DONE)
        ) == 2)  # fmt: skip
        assert services.sweep() == 1  # the third, which had waited one sweep too
        wait_until(lambda: db.session.scalar(
            select(func.count(Inbound.id)).where(Inbound.state == InboundState.PENDING)
        ) == 0)  # fmt: skip
    db.session.rollback()
    assert db.session.scalar(select(func.count(Conversation.id))) == 3


def test_a_stored_delivery_says_nothing_readable(queued_site):
    services.accept(Platform.TELEGRAM, [message_event("1", sender="5550001", text="Thida here")])
    raw = db.session.execute(text("SELECT payload, key_hash FROM channel_inbound")).one()
    assert "5550001" not in raw.payload and "Thida" not in raw.payload
    assert raw.key_hash != "1" and len(raw.key_hash) == 64
    assert json.loads(db.session.scalar(select(Inbound.payload)))["text"] == "Thida here"


def test_a_reply_whose_task_was_lost_is_sent_by_a_later_sweep(queued_site, platform):
    network_cso()
    services.accept(Platform.TELEGRAM, [message_event("1")])
    with running_consumer():
        wait_until(lambda: conversation() and conversation().messages[-1].delivery == "sent")
    caseworker = UserFactory(role=Role.CASEWORKER, organisation=conversation().owner)
    inbox.reply(conversation(), caseworker, "Did your agency call you back?")
    huey.storage.flush_queue()  # the consumer holding it was killed
    # Its own retries may still be running for a minute: left alone for SEND_SWEEPS sweeps.
    assert [services.sweep() for _ in range(services.SEND_SWEEPS)] == [0] * services.SEND_SWEEPS
    assert services.sweep() == 1
    with running_consumer():
        wait_until(lambda: conversation().messages[-1].delivery == Delivery.SENT)
    assert [c.json["text"] for c in sends(platform)].count("Did your agency call you back?") == 1


def test_a_delivery_that_always_fails_is_given_up(queued_site, platform):
    services.accept(Platform.TELEGRAM, [message_event("1")])
    (inbound_id,) = db.session.scalars(select(Inbound.id))
    db.session.get(Inbound, inbound_id).attempts = services.GIVE_UP_AFTER
    db.session.commit()
    services.sweep()
    assert services.sweep() == 0
    db.session.rollback()
    inbound = db.session.get(Inbound, inbound_id)
    assert inbound.state == InboundState.FAILED and inbound.payload is None


def test_a_failed_handling_is_counted(app, platform):
    services.accept(Platform.TELEGRAM, [message_event("1")])  # no CSO: routing fails
    (inbound,) = db.session.scalars(select(Inbound))
    db.session.rollback()
    assert inbound.state == InboundState.PENDING and inbound.attempts >= 1
