"""The audit log: who did what to which record, and when. Append-only: the application
can add entries, never change or remove one (the guards at the end of this module)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column

from goldendreams.core.base import UTCDateTime, utcnow
from goldendreams.extensions import db


class AuditLog(db.Model):
    """One staff action. Written by services in the same transaction as the change."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(50))
    target_type: Mapped[str] = mapped_column(String(30))
    target_id: Mapped[int]
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def record(actor, action: str, target_type: str, target_id: int, **detail) -> AuditLog:
    """Add an audit entry to the current transaction (the caller commits)."""
    entry = AuditLog(
        actor_id=getattr(actor, "id", None),
        action=action,
        target_type=target_type,
        target_id=target_id,
        detail=detail,
    )
    db.session.add(entry)
    return entry


class AuditLogIsAppendOnly(RuntimeError):
    """Something in the application tried to change or remove an audit entry."""


@event.listens_for(AuditLog, "before_update")
@event.listens_for(AuditLog, "before_delete")
def _refuse_changing_an_entry(mapper, connection, target: AuditLog) -> None:
    raise AuditLogIsAppendOnly(f"audit entry {target.id} cannot be changed or removed")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes(state: ORMExecuteState) -> None:
    """UPDATE and DELETE statements bypass the mapper events above: refuse those on the
    audit table too, whether written with the model or with the table."""
    table = getattr(state.statement, "table", None)
    touches_audit_log = getattr(table, "name", None) == AuditLog.__tablename__
    if (state.is_update or state.is_delete) and touches_audit_log:
        raise AuditLogIsAppendOnly("the audit log cannot be changed or removed")
