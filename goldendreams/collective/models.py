"""Collective cases: one remediation for many workers, their beneficiaries and repayments.

A collective case groups the cases of one CSO about one employer or agency (an intake
batch, a dormitory, a production line) under one remedy. Its beneficiary lines stay inside
the CSO; its repayment schedule is what the organisation sees and pays. Dates only.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from goldendreams.agencies.models import Organisation
from goldendreams.cases.models import Case
from goldendreams.core.base import PublicIdMixin
from goldendreams.core.crypto import EncryptedText
from goldendreams.extensions import db


class Grouping(StrEnum):
    """What brings the workers of a collective case together."""

    INTAKE_BATCH = "intake_batch"
    DORMITORY = "dormitory"
    PRODUCTION_LINE = "production_line"
    OTHER = "other"


class CollectiveStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class PaymentMethod(StrEnum):
    """How a worker was paid back."""

    CASH = "cash"
    BANK_TRANSFER = "bank_transfer"
    MOBILE_MONEY = "mobile_money"
    OTHER = "other"


class InstalmentState(StrEnum):
    """An instalment is due; the organisation says it paid; the CSO confirms it (only
    confirmed payments count in any total)."""

    DUE = "due"
    REPORTED = "reported"
    CONFIRMED = "confirmed"


class CollectiveCase(PublicIdMixin, db.Model):
    """One remedy for many workers of one employer or agency, run by one CSO."""

    __tablename__ = "collective_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: ``ILM-C-YYYY-XXXXXXXX``: random, like a case's (organisations see it).
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    owner_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    grouping: Mapped[str] = mapped_column(String(20))  # Grouping
    #: Internal (which dormitory, which batch): may name places or people, so encrypted.
    description: Mapped[str | None] = mapped_column(EncryptedText)
    workers_covered: Mapped[int]
    status: Mapped[str] = mapped_column(String(10), default=CollectiveStatus.OPEN, index=True)
    opened_on: Mapped[date]
    closed_on: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    owner: Mapped[Organisation] = relationship(foreign_keys=[owner_id])
    organisation: Mapped[Organisation] = relationship(foreign_keys=[organisation_id])
    members: Mapped[list[CollectiveMember]] = relationship(
        back_populates="collective", order_by="CollectiveMember.case_id"
    )
    beneficiaries: Mapped[list[Beneficiary]] = relationship(
        back_populates="collective", order_by="Beneficiary.id", cascade="all, delete-orphan"
    )
    instalments: Mapped[list[Instalment]] = relationship(
        back_populates="collective",
        order_by=lambda: (Instalment.due_on, Instalment.id),
        cascade="all, delete-orphan",
    )

    @property
    def is_open(self) -> bool:
        return self.status == CollectiveStatus.OPEN

    @property
    def cases(self) -> list[Case]:
        return [member.case for member in self.members]

    @property
    def shared_with_organisation(self) -> bool:
        """The organisation meets a collective case once one of its cases was sent to it."""
        return any(case.shared_with_organisation for case in self.cases)


class CollectiveMember(db.Model):
    """A case grouped under a collective case: a case belongs to one collective at most."""

    __tablename__ = "collective_members"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    collective_id: Mapped[int] = mapped_column(
        ForeignKey("collective_cases.id", ondelete="CASCADE"), index=True
    )
    added_on: Mapped[date]

    case: Mapped[Case] = relationship()
    collective: Mapped[CollectiveCase] = relationship(back_populates="members")


class Beneficiary(db.Model):
    """One worker's line of a collective remedy, kept inside the CSO: what they are owed,
    what they got, when and how. The label may be a name: encrypted."""

    __tablename__ = "collective_beneficiaries"

    id: Mapped[int] = mapped_column(primary_key=True)
    collective_id: Mapped[int] = mapped_column(
        ForeignKey("collective_cases.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(EncryptedText)
    amount_owed: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    amount_paid: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal(0))
    currency: Mapped[str] = mapped_column(String(3))
    paid_on: Mapped[date | None]
    paid_how: Mapped[str | None] = mapped_column(String(15))  # PaymentMethod

    collective: Mapped[CollectiveCase] = relationship(back_populates="beneficiaries")


class Instalment(PublicIdMixin, db.Model):
    """One payment of a repayment schedule. The organisation reports it paid, the CSO
    confirms it; ``reminded`` keeps the overdue reminder to one per instalment."""

    __tablename__ = "collective_instalments"

    id: Mapped[int] = mapped_column(primary_key=True)
    collective_id: Mapped[int] = mapped_column(
        ForeignKey("collective_cases.id", ondelete="CASCADE"), index=True
    )
    due_on: Mapped[date] = mapped_column(index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    currency: Mapped[str] = mapped_column(String(3))
    state: Mapped[str] = mapped_column(String(10), default=InstalmentState.DUE, index=True)
    #: What was paid and when (reported by the organisation, or as the CSO confirmed it).
    amount_paid: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    paid_on: Mapped[date | None] = mapped_column(index=True)
    reported_on: Mapped[date | None]
    confirmed_on: Mapped[date | None]
    reminded: Mapped[bool] = mapped_column(default=False)

    collective: Mapped[CollectiveCase] = relationship(back_populates="instalments")
