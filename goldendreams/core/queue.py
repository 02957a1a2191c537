"""The task queue: Huey on a SQLite file in instance/ by default, on Redis in production.

``QUEUE_URL`` chooses the storage: empty means ``instance/queue.db``; ``redis://…`` a Redis
server that consumers on any number of machines share; ``immediate`` runs each task at once
in the process that queues it (tests, and a site without a worker).

Tasks are declared with :func:`task` and :func:`periodic_task` (not Huey's own decorators)
so that each runs inside the application's context, with a database session of its own.
Work that a service queues waits for its transaction: :func:`after_commit` hands the task to
the queue only once the change it is about is committed (and never if it is rolled back).
Tasks that talk to another server retry with back-off; a task that fails for good is
logged and kept in ``failed_tasks`` for admins (``/staff/tasks``).
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from flask import Flask
from huey import Huey, MemoryHuey, crontab
from huey import signals as huey_signals
from huey.storage import RedisStorage, SqliteStorage
from sqlalchemy import String, Text, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from goldendreams.core import audit
from goldendreams.core.base import UTCDateTime, utcnow
from goldendreams.extensions import db

__all__ = [
    "after_commit",
    "crontab",
    "dismiss_failed_task",
    "failed_tasks",
    "huey",
    "init_app",
    "periodic_task",
    "task",
]

log = logging.getLogger("goldendreams.queue")

#: The longest wait between two tries of a task that talks to another server.
MAX_RETRY_DELAY = 3600


class FailedTask(db.Model):
    """A task that failed on its last try, for admins to see (and dismiss)."""

    __tablename__ = "failed_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_name: Mapped[str] = mapped_column(String(100))
    task_id: Mapped[str] = mapped_column(String(64))
    #: The exception's class and message: never the task's arguments.
    error: Mapped[str] = mapped_column(Text)
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    dismissed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class _Queue:
    """The one queue of the site. Its storage is chosen in :func:`init_app`; tasks are
    registered at import time, before any app exists, so the Huey object is made once and
    its storage replaced."""

    def __init__(self) -> None:
        self.huey: Huey = MemoryHuey("goldendreams", immediate=True)
        self.app: Flask | None = None
        self._connect_signals()

    def configure(self, app: Flask) -> None:
        # Huey logs each task it runs at INFO, with the time: a mail queued the moment a
        # worker asked for help (an emergency) would date their message in the logs.
        # Failures still log, at WARNING and above.
        logging.getLogger("huey").setLevel(logging.WARNING)
        url = app.config["QUEUE_URL"]
        if url == "immediate":
            self.huey.immediate = True
        else:
            self.huey.immediate = False
            # The name keys the queue in its storage: two sites can share one Redis.
            name = app.config["QUEUE_NAME"]
            if url.startswith(("redis://", "rediss://", "unix://")):
                self.huey.storage = RedisStorage(name, url=url, read_timeout=1)
            else:
                path = url.removeprefix("sqlite:///") or str(Path(app.instance_path) / "queue.db")
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                self.huey.storage = SqliteStorage(name, filename=path)
        self.app = app

    def _connect_signals(self) -> None:
        @self.huey.signal(huey_signals.SIGNAL_ERROR)
        def _on_error(signal, task, exc=None) -> None:
            if self.huey.immediate:
                # Nothing would ever run a retry scheduled in memory: fail now, visibly.
                task.retries = 0
            if task.retries:
                # Back off: each try waits twice as long as the one before (a task declared
                # without a delay starts at one second).
                task.retry_delay = min((task.retry_delay or 0.5) * 2, MAX_RETRY_DELAY)
                log.warning(
                    "task %s (%s) failed, tries left %d: %r", task.name, task.id, task.retries, exc
                )
                return
            log.error("task %s (%s) failed for good: %r", task.name, task.id, exc)
            _record_failure(task.name, task.id, exc)


queue = _Queue()
huey = queue.huey


def init_app(app: Flask) -> None:
    queue.configure(app)


def _record_failure(name: str, task_id: str, exc: BaseException | None) -> None:
    if queue.app is None:
        return
    with queue.app.app_context():
        db.session.add(
            FailedTask(
                task_name=name[:100],
                task_id=str(task_id)[:64],
                error=f"{type(exc).__name__}: {exc}"[:2000],
            )
        )
        db.session.commit()


def failed_tasks(limit: int = 200) -> list[FailedTask]:
    """The failed tasks no admin has dismissed yet, newest first."""
    return list(
        db.session.scalars(
            select(FailedTask)
            .where(FailedTask.dismissed_at.is_(None))
            .order_by(FailedTask.failed_at.desc(), FailedTask.id.desc())
            .limit(limit)
        )
    )


def dismiss_failed_task(actor, failed: FailedTask) -> None:
    """An admin has seen a failed task (and dealt with its cause): off the list, audited."""
    failed.dismissed_at = utcnow()
    audit.record(actor, "task.dismissed", "failed_task", failed.id)
    db.session.commit()


def _in_app_context(func):
    """Run ``func`` in the app's context, with its own database session."""

    def run(*args, **kwargs):
        if queue.app is None:
            raise RuntimeError("the queue has no app: call create_app first")
        with queue.app.app_context():
            try:
                return func(*args, **kwargs)
            finally:
                db.session.remove()

    run.__name__ = func.__name__
    run.__qualname__ = func.__qualname__
    run.__module__ = func.__module__
    run.__doc__ = func.__doc__
    return run


def task(retries: int = 0, retry_delay: int = 0, **kwargs):
    """Declare queued work. ``retries`` with ``retry_delay`` (seconds, doubled at each try)
    for anything that talks to another server."""

    def decorator(func):
        return huey.task(
            retries=retries,
            retry_delay=retry_delay,
            name=f"{func.__module__}.{func.__name__}",
            **kwargs,
        )(_in_app_context(func))

    return decorator


def periodic_task(schedule, **kwargs):
    """Declare work the consumer's scheduler runs on ``schedule`` (a :func:`crontab`, UTC)."""

    def decorator(func):
        return huey.periodic_task(schedule, name=f"{func.__module__}.{func.__name__}", **kwargs)(
            _in_app_context(func)
        )

    return decorator


_PENDING = "goldendreams.after_commit"


def after_commit(queued_task, *args, **kwargs) -> None:
    """Queue ``queued_task(*args, **kwargs)`` once the current transaction commits."""
    session = db.session()
    if not session.in_transaction():
        # Begin one, so that a rollback() before any statement still drops the work.
        session.begin()
    session.info.setdefault(_PENDING, []).append((queued_task, args, kwargs))


@event.listens_for(Session, "after_commit")
def _enqueue_pending(session: Session) -> None:
    for queued_task, args, kwargs in session.info.pop(_PENDING, []):
        try:
            queued_task(*args, **kwargs)
        except Exception as exc:  # the queue's storage is down: the change is committed
            # The change is saved and the reader must hear so; the lost task is logged and
            # shown to admins, and the rest of the work still goes to the queue.
            log.exception("could not queue task %s", queued_task.name)
            _record_failure(queued_task.name, "not queued", exc)


@event.listens_for(Session, "after_soft_rollback")
def _drop_pending(session: Session, previous_transaction) -> None:
    # Every rollback() call, also one with no statement run yet ("after_rollback" fires
    # only when the database rolls back, and the work would then wait for the next
    # commit). A savepoint's rollback leaves the outer transaction's work waiting.
    if not session.in_transaction():
        session.info.pop(_PENDING, None)
