"""A worker's contact is kept CONTACT_RETENTION_DAYS at most: a daily task erases older ones
(the conversation and its messages stay), and create_app registers it."""

import subprocess
import sys
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from goldendreams.config import PROJECT_ROOT
from goldendreams.core.base import today
from goldendreams.core.queue import huey
from goldendreams.extensions import db
from goldendreams.inbox import tasks
from goldendreams.inbox.models import Contact, Conversation
from tests.factories import ContactFactory, MessageFactory

TASK = "goldendreams.inbox.tasks.erase_expired_contacts"


def test_contacts_older_than_the_retention_are_erased(app):
    days = app.config["CONTACT_RETENTION_DAYS"]
    old = ContactFactory(given_on=today() - timedelta(days=days + 1), value="old.secret")
    MessageFactory(conversation=old.conversation)
    last_day = ContactFactory(given_on=today() - timedelta(days=days), value="last.day")
    fresh = ContactFactory(value="fresh.one")
    conversation_id = old.conversation_id
    assert tasks.erase_expired_contacts.call_local() == 1
    db.session.expire_all()
    kept = set(db.session.scalars(select(Contact.id)))
    assert kept == {last_day.id, fresh.id}
    # The conversation and its thread stay: only the way to reach the worker goes.
    conversation = db.session.get(Conversation, conversation_id)
    assert conversation.contact is None and len(conversation.messages) == 1
    assert tasks.erase_expired_contacts.call_local() == 0  # nothing left to erase


def test_the_retention_is_a_setting(app):
    app.config["CONTACT_RETENTION_DAYS"] = 10
    ContactFactory(given_on=today() - timedelta(days=11))
    ContactFactory(given_on=today() - timedelta(days=10))
    assert tasks.erase_expired_contacts.call_local() == 1
    assert db.session.scalar(select(func.count(Contact.id))) == 1


def test_the_task_runs_once_a_day_at_night_in_bangkok(app):
    day = datetime(2026, 12, 7, tzinfo=UTC)
    runs = [
        minute
        for minute in range(24 * 60)
        if TASK in {task.name for task in huey.read_periodic(day + timedelta(minutes=minute))}
    ]
    assert runs == [19 * 60 + 15]  # 02:15 in Bangkok


def test_create_app_registers_the_task():
    """A worker's scheduler knows only the tasks create_app imports."""
    code = (
        "from goldendreams import create_app\n"
        "from goldendreams.core.queue import huey\n"
        "create_app({'TESTING': True, 'DATABASE_URL': 'sqlite://', 'QUEUE_URL': 'immediate'})\n"
        "print('\\n'.join(task.__name__ for task in huey._registry._registry.values()))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert TASK in result.stdout.split()
