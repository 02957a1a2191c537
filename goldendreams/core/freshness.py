"""A content generation shared by every worker and server: takedowns reach readers at once.

Workers keep rendered public pages for a short while (``core.http_cache.cached_page``). A
publication may wait for that copy to expire; a takedown may not: a withdrawn review must be
gone for every reader on every server the moment the worker presses the button. So any
record that leaves the ``published`` status (or is deleted while published) moves one
counter in the database, in the same transaction, and every kept page is keyed on it.

Features know nothing of this: a session hook watches every model with a ``status``.
"""

from __future__ import annotations

from sqlalchemy import event, insert, inspect, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from goldendreams.extensions import db

PUBLISHED = "published"


class ContentGeneration(db.Model):
    """One row: how many takedowns the site has had. Kept pages older than it are dropped."""

    __tablename__ = "content_generation"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(default=0)


@event.listens_for(ContentGeneration.__table__, "after_create")
def _first_row(table, connection, **_kw) -> None:
    connection.execute(insert(table).values(id=1, value=0))


def current() -> int:
    """The generation now (one primary-key read)."""
    return db.session.scalar(select(ContentGeneration.value).where(ContentGeneration.id == 1)) or 0


def _left_published(obj) -> bool:
    state = inspect(obj)
    if "status" not in state.mapper.attrs:
        return False
    history = state.attrs.status.history
    return PUBLISHED in (history.deleted or ()) and obj.status != PUBLISHED


@event.listens_for(Session, "before_flush")
def _note_takedowns(session: Session, _context, _instances) -> None:
    for obj in session.dirty:
        if _left_published(obj):
            session.info["takedown"] = True
            return
    for obj in session.deleted:
        if getattr(obj, "status", None) == PUBLISHED:
            session.info["takedown"] = True
            return


@event.listens_for(Session, "after_flush")
def _move_generation(session: Session, _context) -> None:
    if session.info.pop("takedown", False):
        table = ContentGeneration.__table__
        connection = session.connection()
        moved = connection.execute(
            update(table).where(table.c.id == 1).values(value=table.c.value + 1)
        )
        if moved.rowcount == 0:  # the row was removed by hand (or by a test's cleanup)
            connection.execute(insert(table).values(id=1, value=1))
