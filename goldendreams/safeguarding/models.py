"""Safeguarding records: risk assessments, on-call settings, safeguarding plans, check-ins
with the worker and retaliation reports.

Dates only, never a time of day. What a worker said or how to reach them is stored
encrypted (``EncryptedText``) and shown only to those who run the case or conversation.
Cases and conversations are tables of lower features: named by foreign key.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from goldendreams.core.crypto import EncryptedText
from goldendreams.extensions import db


class Answer(StrEnum):
    """The answer to one risk question."""

    YES = "yes"
    NO = "no"
    NOT_SURE = "not_sure"


class RiskLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


#: The risk questions, in the order they are asked (column names of RiskAssessment).
QUESTIONS = ("danger", "movement", "documents", "debt", "threats", "children")


class CheckInMethod(StrEnum):
    """How the caseworker will reach the worker for a check-in."""

    WORKER_CODE = "worker_code"  # the worker's page, with their private code
    CONVERSATION = "conversation"  # the site's conversation or the worker's messaging app
    PHONE = "phone"
    IN_PERSON = "in_person"


class CheckInOutcome(StrEnum):
    FINE = "fine"
    WORRIED = "worried"
    RETALIATION = "retaliation"


class RetaliationKind(StrEnum):
    DISMISSAL = "dismissal"
    THREATS = "threats"
    DEPORTATION_THREATS = "deportation_threats"
    PAY_CUT = "pay_cut"
    VIOLENCE = "violence"
    OTHER = "other"


class RiskAssessment(db.Model):
    """The caseworker's short risk assessment of a case or a conversation. A new one
    replaces the last (the newest is the current one; the older ones are the history)."""

    __tablename__ = "risk_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    # One Answer each (QUESTIONS).
    danger: Mapped[str] = mapped_column(String(8))
    movement: Mapped[str] = mapped_column(String(8))
    documents: Mapped[str] = mapped_column(String(8))
    debt: Mapped[str] = mapped_column(String(8))
    threats: Mapped[str] = mapped_column(String(8))
    children: Mapped[str] = mapped_column(String(8))
    #: The worker's safe way and time to be contacted: theirs, encrypted, internal.
    safe_contact: Mapped[str | None] = mapped_column(EncryptedText)
    level: Mapped[str] = mapped_column(String(6))  # RiskLevel
    assessed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assessed_on: Mapped[date]

    assessed_by = relationship("User", foreign_keys=[assessed_by_id])

    def answers(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in QUESTIONS}


class OnCall(db.Model):
    """A caseworker's safeguarding settings: whether they are on call for their CSO, and
    the id of their own chat with the network's Telegram bot (alerts go there too)."""

    __tablename__ = "on_call"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    on_call: Mapped[bool] = mapped_column(default=False)
    telegram_chat: Mapped[str | None] = mapped_column(EncryptedText)

    user = relationship("User", foreign_keys=[user_id])


class SafeguardingPlan(db.Model):
    """What is being done to keep the worker of a high-risk case safe (internal)."""

    __tablename__ = "safeguarding_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    #: May name places and people: encrypted.
    text: Mapped[str] = mapped_column(EncryptedText)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_on: Mapped[date]


class CheckIn(db.Model):
    """A check-in with the worker: scheduled for a day, then recorded (fine, worried,
    retaliation reported)."""

    __tablename__ = "check_ins"
    __table_args__ = (Index("ix_check_ins_open", "done_on", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    due_on: Mapped[date]
    method: Mapped[str] = mapped_column(String(15))  # CheckInMethod
    scheduled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: The assignee was mailed once the check-in fell due.
    reminded: Mapped[bool] = mapped_column(default=False)
    outcome: Mapped[str | None] = mapped_column(String(12))  # CheckInOutcome
    #: What the worker said: internal, encrypted.
    note: Mapped[str | None] = mapped_column(EncryptedText)
    done_on: Mapped[date | None]
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    case = relationship("Case", foreign_keys=[case_id])
    scheduled_by = relationship("User", foreign_keys=[scheduled_by_id])

    @property
    def is_open(self) -> bool:
        return self.done_on is None


class RetaliationReport(db.Model):
    """Retaliation against a worker whose case was sent to the organisation: a new urgent
    event. Brands buying from the organisation see how many of each kind per month, never
    the case; the organisation does not (it is the one accused)."""

    __tablename__ = "retaliation_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # RetaliationKind
    #: The worker reported it themselves on their code page: only the month is kept (the
    #: first of the month), so nothing tells the day they acted.
    by_worker: Mapped[bool] = mapped_column(default=False)
    reported_on: Mapped[date]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: What happened: internal, encrypted.
    note: Mapped[str | None] = mapped_column(EncryptedText)

    case = relationship("Case", foreign_keys=[case_id])
