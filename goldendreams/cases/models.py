"""Cases, their issue categories and their timeline."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from goldendreams.agencies.models import Organisation
from goldendreams.core.base import PublicIdMixin
from goldendreams.extensions import db

OPEN_STATUSES = ("new", "triaged", "referred", "in_remediation", "resolved")
CLOSED_STATUSES = ("closed", "no_basis", "referred_out")

case_categories = Table(
    "case_categories",
    db.metadata,
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "category_id", Integer, ForeignKey("issue_categories.id", ondelete="RESTRICT"),
        primary_key=True,
    ),
)  # fmt: skip


class IssueCategory(db.Model):
    """One issue in the versioned taxonomy, named in every language."""

    __tablename__ = "issue_categories"
    __table_args__ = (UniqueConstraint("code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10))
    version: Mapped[int]
    group: Mapped[str] = mapped_column(String(10))
    #: {locale: name}
    names: Mapped[dict] = mapped_column(JSON)

    def name(self, locale: str) -> str:
        return self.names.get(locale) or self.names["en"]


class Case(PublicIdMixin, db.Model):
    """A labour issue at an employer or agency, from a review, the hotline or outreach."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str | None] = mapped_column(String(20), unique=True)
    source: Mapped[str] = mapped_column(String(10))  # review | hotline | outreach
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    review_id: Mapped[int | None] = mapped_column(
        ForeignKey("reviews.id", ondelete="SET NULL"), unique=True
    )
    severity: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(15), default="new", index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    workers_affected: Mapped[int] = mapped_column(default=1)
    #: Internal: what happened, and how to reach the worker. Never shown to organisations.
    summary: Mapped[str | None] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(Text)
    opened_on: Mapped[date]
    #: The day the case entered its current status (its deadline counts from here).
    stage_since: Mapped[date]
    #: The ``stage_since`` of the stage whose deadline the organisation was reminded of:
    #: each stage is reminded once, and a day the scheduler missed is caught up.
    reminded_for: Mapped[date | None]
    resolved_on: Mapped[date | None]
    closed_on: Mapped[date | None]
    #: resolved_confirmed | resolved_unconfirmed | no_basis | referred_out
    outcome: Mapped[str | None] = mapped_column(String(25))
    #: The worker's answer to "Was it fixed?": yes | partly | no.
    worker_answer: Mapped[str | None] = mapped_column(String(6))
    #: The worker's comment: internal. Neither is dated, nor an event: no trace of when.
    worker_comment: Mapped[str | None] = mapped_column(Text)

    organisation: Mapped[Organisation] = relationship()
    categories: Mapped[list[IssueCategory]] = relationship(
        secondary=case_categories, order_by=IssueCategory.code
    )
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", order_by="CaseEvent.id", cascade="all, delete-orphan"
    )
    assignee = relationship("User")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def shared_with_organisation(self) -> bool:
        """An organisation hears of a case only once a caseworker refers it to them."""
        return any(e.kind == "status" and e.status_to == "referred" for e in self.events)


class CaseEvent(db.Model):
    """One entry of a case's timeline, internal or shared with the organisation."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: status | note | acknowledged | proposal | remediation | validation
    kind: Mapped[str] = mapped_column(String(15))
    shared: Mapped[bool] = mapped_column(default=False)
    status_from: Mapped[str | None] = mapped_column(String(15))
    status_to: Mapped[str | None] = mapped_column(String(15))
    text: Mapped[str | None] = mapped_column(Text)
    remediation_kind: Mapped[str | None] = mapped_column(String(20))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    workers_covered: Mapped[int | None]
    #: Who wrote it: a staff member, or None (the worker, through their code).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Organisation staff act for their organisation: shown as such, never as a person.
    by_organisation: Mapped[bool] = mapped_column(default=False)
    happened_on: Mapped[date]

    case: Mapped[Case] = relationship(back_populates="events")
