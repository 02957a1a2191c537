"""The task queue with real consumers: on a SQLite file, and on Redis when
``GOLDENDREAMS_TEST_REDIS_URL`` is set; e-mail delivered through a real SMTP server, retried
with back-off when the server asks to try later, kept as a failed task when it never works;
work queued in a transaction runs only once it commits; the periodic work and its schedule.

Most tests run Huey's consumer in threads of the test process (``running_consumer``); one
runs ``flask worker`` itself, as production does.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from jinja2 import ChoiceLoader, DictLoader
from sqlalchemy import func, select

from goldendreams import create_app
from goldendreams.accounts import tasks as accounts_tasks
from goldendreams.accounts.models import Invitation, PasswordReset
from goldendreams.config import PROJECT_ROOT
from goldendreams.core import mail, queue
from goldendreams.core.base import today, utcnow
from goldendreams.core.queue import FailedTask, huey
from goldendreams.extensions import db
from goldendreams.jobs import tasks as jobs_tasks
from goldendreams.jobs.models import Application
from goldendreams.reviews import tasks as reviews_tasks
from goldendreams.reviews.models import OrganisationScore
from tests.conftest import empty_tables, make_config, translated
from tests.factories import (
    AgencyFactory,
    ApplicationFactory,
    JobFactory,
    PublishedReviewFactory,
    UserFactory,
)
from tests.mailbox import html_of, links_in, text_of
from tests.smtp_server import PASSWORD, SENDER, USERNAME, free_port

SITE_URL = "https://goldendreams.example"
#: A message template of the tests' own (the site's are tested with hostile data in
#: tests/test_mail_privacy.py): a subject the catalogs translate, a link to the site.
TEMPLATES = {
    "mail/queue_check.txt": (
        '{% extends "mail/base.txt" %}{% set subject = _("Staff accounts") %}'
        "{% block body %}{{ link }}{% endblock %}"
    ),
    "mail/queue_check.html": (
        '{% extends "mail/base.html" %}'
        '{% block body %}<p><a href="{{ link }}">{{ link }}</a></p>{% endblock %}'
    ),
}

#: The runs of ``note_run``, in the order they happened (the consumer's threads append).
RUNS: list[str] = []


@queue.task()
def note_run(marker: str) -> None:
    RUNS.append(marker)


def queue_urls() -> list:
    redis_url = os.environ.get("GOLDENDREAMS_TEST_REDIS_URL")
    return [
        "sqlite",
        pytest.param(
            redis_url,
            id="redis",
            marks=pytest.mark.skipif(not redis_url, reason="GOLDENDREAMS_TEST_REDIS_URL not set"),
        ),
    ]


@pytest.fixture(params=queue_urls())
def queue_url(request, tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'queue.db'}" if request.param == "sqlite" else request.param


def queued_app_for(database_url: str, queue_url: str, **settings):
    """An app whose queue is ``queue_url`` under a name of its own (on a shared Redis the
    test touches no other queue), with the tests' message template."""
    app = create_app(
        make_config(
            database_url,
            QUEUE_URL=queue_url,
            QUEUE_NAME=f"goldendreams-test-{uuid.uuid4().hex[:8]}",
            SITE_URL=SITE_URL,
            **settings,
        )
    )
    app.jinja_loader = ChoiceLoader([DictLoader(TEMPLATES), app.jinja_loader])
    return app


@contextmanager
def app_with_queue(app):
    with app.app_context():
        huey.storage.flush_all()
        try:
            yield app
        finally:
            huey.storage.flush_all()  # this queue's keys only (its name is the test's)
            empty_tables()
            db.engine.dispose()
            # Leave the one queue of the process as every other test expects it.
            huey.immediate = True


@pytest.fixture
def queued_app(_schema, database_url, queue_url, smtp_server):
    """An app on a real queue, sending through the test's SMTP server."""
    app = queued_app_for(database_url, queue_url, **smtp_server.settings())
    with app_with_queue(app):
        yield app


@contextmanager
def running_consumer(workers: int = 2):
    """Huey's consumer in threads of this process, stopped (gracefully) at the end."""
    consumer = huey.create_consumer(
        workers=workers,
        worker_type="thread",
        periodic=False,
        initial_delay=0.05,
        max_delay=0.2,  # an idle worker looks at the queue again at least this often
        check_worker_health=False,
    )
    # The consumer takes the process's signals; the test run keeps its own.
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    consumer.start()
    for sig, handler in saved.items():
        signal.signal(sig, handler)
    try:
        yield consumer
    finally:
        consumer.stop(graceful=True)


def queue_message(to: str = "thida@example.org", locale: str = "th") -> None:
    """Render the tests' message and let it leave, as services do: after commit."""
    mail.send(to, "queue_check", locale, link=mail.site_url("accounts.staff_home"))
    db.session.commit()


def wait_until(condition, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.fixture
def quick_retries(monkeypatch):
    """mail.deliver with 3 retries and a 0.25 s first delay (production: 8, 30 s)."""
    monkeypatch.setattr(mail.deliver.task_class, "default_retries", 3)
    monkeypatch.setattr(mail.deliver.task_class, "default_retry_delay", 0.25)


def failed_tasks() -> list[FailedTask]:
    db.session.rollback()  # see what the consumer's threads committed
    return list(db.session.scalars(select(FailedTask)))


# --- delivery ------------------------------------------------------------------------------


def test_a_consumer_delivers_mail_through_smtp(queued_app, smtp_server):
    queue_message()
    assert not smtp_server.handler.received, "queued, not sent where it was queued"
    assert huey.pending_count() == 1
    with running_consumer():
        (message,) = smtp_server.wait_for(1)
    assert smtp_server.handler.logins == [(USERNAME, PASSWORD)]
    sender = "no-reply@goldendreams.example"
    assert smtp_server.handler.envelopes == [(sender, ["thida@example.org"])]
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == [
        "text/plain",
        "text/html",
    ]
    assert message["To"] == "thida@example.org"
    assert message["From"] == SENDER
    assert message["Subject"] == translated("th", "Staff accounts")
    assert message["Content-Language"] == "th"
    assert links_in(message) and all(link.startswith(SITE_URL + "/") for link in links_in(message))
    assert f'href="{SITE_URL}/staff/"' in html_of(message)
    assert text_of(message).strip()
    assert huey.pending_count() == 0
    assert not failed_tasks()


def test_a_refused_message_is_retried_with_back_off_then_delivered_once(
    queued_app, smtp_server, quick_retries, retry_delays
):
    smtp_server.handler.refuse = 2  # "451 try later", twice
    queue_message()
    with running_consumer():
        smtp_server.wait_for(1)
        time.sleep(1.5)  # a duplicate would arrive now
    assert len(smtp_server.messages) == 1
    assert len(smtp_server.handler.tries) == 3
    # Each retry waits twice as long as the one before.
    assert retry_delays == [0.5, 1.0]
    tries = smtp_server.handler.tries
    assert tries[1] - tries[0] >= 0.5
    assert tries[2] - tries[1] >= 1.0
    assert not failed_tasks()


def test_a_message_that_keeps_failing_becomes_a_failed_task(
    _schema, database_url, tmp_path, quick_retries, retry_delays, caplog
):
    # A mail server that is down: nothing listens on its port.
    settings = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": free_port(), "MAIL_USE_TLS": False}
    app = queued_app_for(database_url, f"sqlite:///{tmp_path / 'queue.db'}", **settings)
    with app_with_queue(app), caplog.at_level(logging.WARNING, "goldendreams.queue"):
        queue_message(to="someone@example.org")
        with running_consumer():
            wait_until(lambda: failed_tasks())
        (failed,) = failed_tasks()
        assert failed.task_name == "goldendreams.core.mail.deliver"
        assert failed.error.startswith("ConnectionRefusedError")
        # The error says what went wrong, never what the message was.
        assert "someone@example.org" not in failed.error
        assert retry_delays == [0.5, 1.0, 2.0]
        ours = [r for r in caplog.records if r.name == "goldendreams.queue"]
        assert [r.levelno for r in ours] == [logging.WARNING] * 3 + [logging.ERROR]
        assert "failed for good" in ours[-1].getMessage()


def test_two_consumers_share_one_queue_and_run_each_task_once(queued_app):
    RUNS.clear()
    for n in range(20):
        queue.after_commit(note_run, f"task {n}")
    db.session.commit()
    with running_consumer(workers=2), running_consumer(workers=2):
        wait_until(lambda: len(RUNS) >= 20)
        time.sleep(0.5)
    assert sorted(RUNS) == sorted(f"task {n}" for n in range(20))


# --- after commit --------------------------------------------------------------------------


def test_work_queued_in_a_rolled_back_transaction_never_runs(queued_app):
    RUNS.clear()
    UserFactory()  # a change in the transaction, as a service makes
    queue.after_commit(note_run, "rolled back")
    db.session.rollback()
    assert huey.pending_count() == 0
    queue.after_commit(note_run, "committed")
    assert huey.pending_count() == 0, "nothing leaves before the commit"
    db.session.commit()
    assert huey.pending_count() == 1
    with running_consumer():
        wait_until(lambda: RUNS)
        time.sleep(0.5)
    assert RUNS == ["committed"]


def test_immediate_mode_runs_after_commit_too(app):
    RUNS.clear()
    queue.after_commit(note_run, "rolled back")
    db.session.rollback()
    queue.after_commit(note_run, "committed")
    assert RUNS == []
    db.session.commit()
    assert RUNS == ["committed"]


def test_a_queue_that_cannot_be_reached_loses_no_saved_change(app, caplog):
    """The queue's storage down after the commit: the change stays saved, the request
    goes on, each lost task is logged and kept for admins, and later ones are still tried."""
    RUNS.clear()

    def unreachable(*args, **kwargs):
        raise ConnectionError("queue storage down")

    unreachable.name = "tests.unreachable"
    queue.after_commit(unreachable)
    queue.after_commit(note_run, "after the lost one")
    db.session.commit()
    assert RUNS == ["after the lost one"]
    failed = db.session.scalars(select(FailedTask)).one()
    assert (failed.task_name, failed.task_id) == ("tests.unreachable", "not queued")
    assert "could not queue task tests.unreachable" in caplog.text


def test_a_failing_task_in_immediate_mode_is_kept_for_admins_not_retried(app):
    """Nothing would run a retry scheduled in memory: the failure is recorded at once."""
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())  # nobody listens
    mail.send("staff@example.org", "password_reset", "en", link="http://x/", minutes=60)
    db.session.commit()
    failed = db.session.scalars(select(FailedTask)).one()
    assert failed.task_name == "goldendreams.core.mail.deliver"
    assert huey.scheduled() == []


# --- flask worker ---------------------------------------------------------------------------


def test_flask_worker_runs_the_queue(_schema, database_url, tmp_path, smtp_server):
    queue_url = f"sqlite:///{tmp_path / 'queue.db'}"
    app = queued_app_for(database_url, queue_url, **smtp_server.settings())
    env = {
        **os.environ,
        "GOLDENDREAMS_INSTANCE_PATH": str(tmp_path / "instance"),
        "GOLDENDREAMS_SECRET_KEY": "worker-test-secret-key-0123456789abcdef",
        "GOLDENDREAMS_DATABASE_URL": database_url,
        "GOLDENDREAMS_QUEUE_URL": queue_url,
        "GOLDENDREAMS_QUEUE_NAME": app.config["QUEUE_NAME"],
        "GOLDENDREAMS_SEARCH_INDEX_PATH": ":memory:",
        **{f"GOLDENDREAMS_{key}": str(value) for key, value in smtp_server.settings().items()},
        "GOLDENDREAMS_MAIL_USE_TLS": "false",
    }
    with app_with_queue(app):
        queue_message()
        worker = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "goldendreams", "worker", "--no-scheduler"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            (message,) = smtp_server.wait_for(1, timeout=60)
        finally:
            worker.send_signal(signal.SIGINT)  # Ctrl+C: finish what runs, then stop
            try:
                output = worker.communicate(timeout=20)[0].decode()
            except subprocess.TimeoutExpired:
                worker.kill()
                raise
        assert worker.returncode == 0, output
        assert message["Subject"] == translated("th", "Staff accounts")
        assert "Queue: sqlite:///" in output


# --- periodic work --------------------------------------------------------------------------

#: Each periodic task and a time (UTC) it runs at; it runs at no other minute of that day.
SCHEDULE = {
    "goldendreams.jobs.tasks.purge_applications": (19, 30),  # 02:30 in Bangkok
    "goldendreams.reviews.tasks.rescore": (17, 5),  # 00:05 in Bangkok
    "goldendreams.accounts.tasks.delete_spent_links": (20, 0),  # 03:00 in Bangkok
}


@pytest.mark.parametrize(("name", "at"), SCHEDULE.items(), ids=list(SCHEDULE))
def test_periodic_work_is_scheduled_daily_at_its_hour(app, name, at):
    day = datetime(2026, 12, 7, tzinfo=UTC)
    runs = [
        minute
        for minute in range(24 * 60)
        if name in {task.name for task in huey.read_periodic(day + timedelta(minutes=minute))}
    ]
    assert runs == [at[0] * 60 + at[1]]


def test_the_purge_task_removes_applicants_data(app):
    old_job = JobFactory(status="closed", closed_on=today() - timedelta(days=200))
    old = ApplicationFactory(job=old_job)
    recent = ApplicationFactory(job=JobFactory())
    assert jobs_tasks.purge_applications.call_local() == 1
    db.session.expire_all()
    assert old.name is None and old.phone is None and old.purged_on == today()
    assert recent.name == "Ma Hla"
    assert db.session.scalar(select(func.count(Application.id))) == 2


def test_the_rescore_task_recomputes_scores(app):
    agency = AgencyFactory()
    for _ in range(3):
        PublishedReviewFactory(organisation=agency, rating=4)
    db.session.execute(OrganisationScore.__table__.delete())
    db.session.commit()
    assert reviews_tasks.rescore.call_local() >= 1
    score = db.session.scalar(
        select(OrganisationScore).where(OrganisationScore.organisation_id == agency.id)
    )
    assert score.review_count == 3
    assert score.rating == pytest.approx(4.0)


def test_the_expiry_task_deletes_spent_links_after_a_week(app):
    now = utcnow()
    user = UserFactory()

    def invitation(name: str, expires_in: timedelta, used_ago: timedelta | None = None):
        db.session.add(
            Invitation(
                token_hash=uuid.uuid4().hex,
                email=f"{name}@example.org",
                role="moderator",
                created_at=now - timedelta(days=30),
                expires_at=now + expires_in,
                used_at=None if used_ago is None else now - used_ago,
            )
        )

    def reset(expires_in: timedelta, used_ago: timedelta | None = None):
        db.session.add(
            PasswordReset(
                token_hash=uuid.uuid4().hex,
                user_id=user.id,
                created_at=now - timedelta(days=30),
                expires_at=now + expires_in,
                used_at=None if used_ago is None else now - used_ago,
            )
        )

    invitation("open", timedelta(hours=70))
    invitation("expired-lately", -timedelta(days=6))
    invitation("expired-long-ago", -timedelta(days=8))
    invitation("used-lately", timedelta(hours=1), used_ago=timedelta(days=2))
    invitation("used-long-ago", -timedelta(days=10), used_ago=timedelta(days=12))
    reset(timedelta(minutes=30))
    reset(-timedelta(days=8))
    reset(-timedelta(days=6), used_ago=timedelta(days=6, hours=1))
    db.session.commit()

    assert accounts_tasks.delete_spent_links.call_local() == 3
    db.session.expire_all()
    assert sorted(db.session.scalars(select(Invitation.email))) == [
        "expired-lately@example.org",
        "open@example.org",
        "used-lately@example.org",
    ]
    assert db.session.scalar(select(func.count(PasswordReset.id))) == 2


def test_create_app_imports_every_task_module():
    """A worker knows the tasks create_app imports (it imports no test module)."""
    code = (
        "from goldendreams import create_app\n"
        "from goldendreams.core.queue import huey\n"
        "create_app({'TESTING': True, 'DATABASE_URL': 'sqlite://', 'QUEUE_URL': 'immediate'})\n"
        "print('\\n'.join(task.__name__ for task in huey._registry._registry.values()))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    known = set(result.stdout.split())
    assert set(SCHEDULE) | {"goldendreams.core.mail.deliver"} <= known
