"""Declarative base with a constraint naming convention, and time helpers."""

from __future__ import annotations

import secrets
import sqlite3
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from sqlalchemy import DateTime, MetaData, String, TypeDecorator, cast, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Named constraints keep Alembic migrations reliable on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """SQLite leaves foreign keys unchecked unless asked; WAL lets readers go on while one
    connection writes; secure_delete overwrites what is deleted or replaced (a withdrawn
    review's words must not linger in the file's free space)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()


def flush_erased_pages(session) -> None:
    """After erasing a worker's words: on SQLite, copy the write-ahead log into the database
    and empty it, so no earlier version of the page survives in the log (secure_delete has
    already zeroed the free space). PostgreSQL keeps old row versions until VACUUM: see the
    operations guide (README, "Erased data")."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        session.commit()


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime, also on SQLite (which stores no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; use goldendreams.core.base.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def today() -> date:
    """Today's date where the site's users are (the SITE_TIMEZONE setting), e.g. for
    licence expiry: a licence that ends on the 22nd is expired on the 23rd in Bangkok."""
    zone = ZoneInfo(current_app.config["SITE_TIMEZONE"]) if has_app_context() else UTC
    return datetime.now(zone).date()


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def json_list_has(column, value: str):
    """A condition: the JSON list in ``column`` holds the string ``value``. Its text contains
    '"value"' exactly then, on SQLite and on PostgreSQL alike (values are plain codes)."""
    return cast(column, String).like(f'%"{value}"%')


def new_public_id() -> str:
    """A random id for public addresses and forms (16 URL-safe characters, 96 bits).

    Sequential ids would tell a reader how many reviews, reports or applications came in
    between two visits, and so date each one; integer keys stay inside the database."""
    return secrets.token_urlsafe(12)


class PublicIdMixin:
    """Gives a model a random ``public_id``: the only id its public pages and forms show."""

    public_id: Mapped[str] = mapped_column(String(16), unique=True, default=new_public_id)
