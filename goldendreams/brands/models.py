"""Escalations of cases to the brands that buy from an organisation, their acknowledgement
and the commitments brands make.

One ``Escalation`` is what a CSO's caseworker sends: one case, or a pattern (several cases
of one organisation). Each brand it goes to gets its own ``BrandEscalation`` row, with its
own random public id (a brand's URLs never name another brand's row), its own deadline to
acknowledge and its own ``Commitment`` rows. Dates only, like every case record.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import JSON, Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from goldendreams.agencies.models import Organisation
from goldendreams.cases.models import Case
from goldendreams.core.base import PublicIdMixin
from goldendreams.core.crypto import EncryptedText
from goldendreams.extensions import db


class EscalationReason(StrEnum):
    """Why a caseworker escalates to brands."""

    NO_RESPONSE = "no_response"  # the organisation did not answer in time
    SEVERE = "severe"  # the issue is severe (high or urgent)
    REPEATED = "repeated"  # the same issue again, at the same organisation
    OTHER = "other"


class CommitmentKind(StrEnum):
    """What a brand commits to do."""

    CALL = "call"  # a call with the supplier
    VISIT = "visit"
    SOURCING = "sourcing"  # a sourcing decision
    CO_FUNDING = "co_funding"  # co-funding a remedy
    OTHER = "other"


class CommitmentStatus(StrEnum):
    PROMISED = "promised"
    DONE = "done"


escalation_cases = Table(
    "escalation_cases",
    db.metadata,
    Column(
        "escalation_id", Integer, ForeignKey("escalations.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)  # fmt: skip


class Escalation(PublicIdMixin, db.Model):
    """A case, or a pattern of cases at one organisation, sent by a CSO to the brands that
    buy from that organisation (for an agency: from the employers it recruits for)."""

    __tablename__ = "escalations"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The employer or agency the cases are about.
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    #: The CSO that escalated (its caseworkers follow it at /cases/escalations/).
    cso_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    #: Internal: never shown to brands or the organisation (they see the CSO's name).
    escalated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(15))  # EscalationReason
    #: What the caseworker tells the brands (never the worker's words): encrypted, as it
    #: could still name a place or a line.
    note: Mapped[str] = mapped_column(EncryptedText)
    #: Issue codes of a pattern chosen by issue ([] when cases were chosen one by one).
    category_codes: Mapped[list] = mapped_column(JSON, default=list)
    escalated_on: Mapped[date]

    organisation: Mapped[Organisation] = relationship(foreign_keys=[organisation_id])
    cso: Mapped[Organisation] = relationship(foreign_keys=[cso_id])
    escalated_by = relationship("User", foreign_keys=[escalated_by_id])
    cases: Mapped[list[Case]] = relationship(secondary=escalation_cases, order_by=Case.id)
    brands: Mapped[list[BrandEscalation]] = relationship(
        back_populates="escalation", order_by="BrandEscalation.id", cascade="all, delete-orphan"
    )

    @property
    def is_pattern(self) -> bool:
        return len(self.cases) > 1


class BrandEscalation(PublicIdMixin, db.Model):
    """One brand's part of an escalation: its deadline to acknowledge, its answer."""

    __tablename__ = "brand_escalations"
    __table_args__ = (UniqueConstraint("escalation_id", "brand_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int] = mapped_column(
        ForeignKey("escalations.id", ondelete="CASCADE"), index=True
    )
    brand_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    ack_due_on: Mapped[date]
    acknowledged_on: Mapped[date | None]
    #: Internal (audit): the brand acknowledges as the brand, never as a person.
    acknowledged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    #: The day the brand's staff were reminded that the acknowledgement is overdue (once).
    reminded_on: Mapped[date | None]

    escalation: Mapped[Escalation] = relationship(back_populates="brands")
    brand: Mapped[Organisation] = relationship(foreign_keys=[brand_id])
    commitments: Mapped[list[Commitment]] = relationship(
        back_populates="brand_escalation", order_by="Commitment.id", cascade="all, delete-orphan"
    )


class Commitment(PublicIdMixin, db.Model):
    """What a brand promises to do about an escalation, by when, and whether it is done."""

    __tablename__ = "escalation_commitments"

    id: Mapped[int] = mapped_column(primary_key=True)
    brand_escalation_id: Mapped[int] = mapped_column(
        ForeignKey("brand_escalations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(15))  # CommitmentKind
    text: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(10), default=CommitmentStatus.PROMISED)
    recorded_on: Mapped[date]
    done_on: Mapped[date | None]
    #: Internal (audit): shown as the brand.
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    brand_escalation: Mapped[BrandEscalation] = relationship(back_populates="commitments")

    @property
    def is_done(self) -> bool:
        return self.status == CommitmentStatus.DONE
