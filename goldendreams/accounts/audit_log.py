"""Reading the audit log for admins (/staff/audit): who did what to which record, when.

Only ids, actions and times are read: an entry's ``detail`` may hold texts (a reason typed,
an organisation's name) and is never selected here, so the viewer and its CSV cannot show
it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import Select, func, select
from sqlalchemy.orm import load_only

from goldendreams.accounts.models import User
from goldendreams.core.audit import AuditLog
from goldendreams.core.templating import MAX_ID
from goldendreams.extensions import db


@dataclass(frozen=True)
class AuditFilters:
    """What an admin narrows the log to; empty values select everything.

    ``actor`` is an account's id or its e-mail (any case); ``start`` and ``end`` are days
    where the site's users are (``SITE_TIMEZONE``), both included."""

    actor: str = ""
    action: str = ""
    target_type: str = ""
    target_id: int | None = None
    start: date | None = None
    end: date | None = None


def _site_midnight(day: date) -> datetime:
    """The UTC moment a day begins where the site's users are."""
    zone = ZoneInfo(current_app.config["SITE_TIMEZONE"])
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


#: What an entry shows: never ``detail``.
_SHOWN = ("id", "created_at", "actor_id", "action", "target_type", "target_id")


def entries(filters: AuditFilters) -> Select:
    """The entries the filters select, newest first, without their detail (not loaded)."""
    query = (
        select(AuditLog)
        .options(load_only(*(getattr(AuditLog, name) for name in _SHOWN), raiseload=True))
        .order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
    )
    actor = filters.actor.strip()
    if actor.isascii() and actor.isdigit():
        # An id no row can have finds nothing (PostgreSQL would refuse it in a query).
        query = query.where(AuditLog.actor_id == (int(actor) if int(actor) <= MAX_ID else -1))
    elif actor:
        accounts = select(User.id).where(func.lower(User.email) == actor.lower())
        query = query.where(AuditLog.actor_id.in_(accounts))
    if filters.action:
        query = query.where(AuditLog.action == filters.action)
    if filters.target_type:
        query = query.where(AuditLog.target_type == filters.target_type)
    if filters.target_id is not None:
        query = query.where(AuditLog.target_id == filters.target_id)
    if filters.start:
        query = query.where(AuditLog.created_at >= _site_midnight(filters.start))
    if filters.end:
        query = query.where(AuditLog.created_at < _site_midnight(filters.end + timedelta(days=1)))
    return query


def actor_emails(rows) -> dict[int, str]:
    """The e-mail of each account that acted in ``rows`` (one query)."""
    ids = {row.actor_id for row in rows if row.actor_id is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.email).where(User.id.in_(ids))).all())


def actions() -> list[str]:
    """The actions found in the log, for the filter's choices."""
    return list(db.session.scalars(select(AuditLog.action).distinct().order_by(AuditLog.action)))


def target_types() -> list[str]:
    """The kinds of record found in the log, for the filter's choices."""
    query = select(AuditLog.target_type).distinct().order_by(AuditLog.target_type)
    return list(db.session.scalars(query))
