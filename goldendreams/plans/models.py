"""Corrective action plans: what an employer or agency changes so a problem stays fixed.

A plan belongs to one organisation (employer or agency), addresses issue categories and
cases of that organisation, and is verified by one CSO: the one that owns its cases. Its
items move forward one step at a time (planned → policy written → system in place →
training done) on the organisation's word; only the CSO marks an item verified.

Dates only, never a time of day, like every record near a worker's case.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from goldendreams.agencies.models import Organisation
from goldendreams.cases.models import Case, IssueCategory
from goldendreams.core.base import PublicIdMixin
from goldendreams.core.crypto import EncryptedText
from goldendreams.extensions import db


class PlanStatus(StrEnum):
    #: Being written: the organisation and the CSO see it, brands do not yet.
    DRAFT = "draft"
    ACTIVE = "active"
    #: The CSO verified every item and closed the plan.
    COMPLETED = "completed"


class ItemStatus(StrEnum):
    """The steps of an item, in order (the order of this class is the workflow's)."""

    PLANNED = "planned"
    POLICY_WRITTEN = "policy_written"
    SYSTEM_IN_PLACE = "system_in_place"
    TRAINING_DONE = "training_done"
    #: Only the verifying CSO sets this.
    VERIFIED = "verified"


#: Every step, in order.
ITEM_STEPS = tuple(ItemStatus)
#: The steps the organisation takes itself; the CSO takes the last one.
ORGANISATION_STEPS = ITEM_STEPS[1:-1]


class PlanAuthor(StrEnum):
    """Who wrote the plan: the organisation, or the CSO with them."""

    ORGANISATION = "organisation"
    CSO = "cso"


plan_categories = Table(
    "plan_categories",
    db.metadata,
    Column("plan_id", Integer, ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "category_id", Integer, ForeignKey("issue_categories.id", ondelete="RESTRICT"),
        primary_key=True,
    ),
)  # fmt: skip

plan_cases = Table(
    "plan_cases",
    db.metadata,
    Column("plan_id", Integer, ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "case_id", Integer, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True,
        index=True,
    ),
)  # fmt: skip


class Plan(PublicIdMixin, db.Model):
    """A corrective action plan of one employer or agency, verified by one CSO."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    #: The CSO whose caseworkers verify the items (the owner of the linked cases).
    verifier_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    written_by: Mapped[str] = mapped_column(String(15))  # PlanAuthor
    status: Mapped[str] = mapped_column(String(10), default=PlanStatus.DRAFT, index=True)
    written_on: Mapped[date]
    started_on: Mapped[date | None]
    completed_on: Mapped[date | None]

    organisation: Mapped[Organisation] = relationship(foreign_keys=[organisation_id])
    verifier: Mapped[Organisation] = relationship(foreign_keys=[verifier_id])
    categories: Mapped[list[IssueCategory]] = relationship(
        secondary=plan_categories, order_by=IssueCategory.code
    )
    cases: Mapped[list[Case]] = relationship(secondary=plan_cases, order_by=Case.id)
    items: Mapped[list[PlanItem]] = relationship(
        back_populates="plan",
        order_by="(PlanItem.due_on, PlanItem.id)",
        cascade="all, delete-orphan",
    )


class PlanItem(PublicIdMixin, db.Model):
    """One change the organisation commits to: what, who, by when, and the proof."""

    __tablename__ = "plan_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    #: What will change.
    text: Mapped[str] = mapped_column(Text)
    #: A role or a person at the organisation (free text: "HR manager").
    owner: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(20), default=ItemStatus.PLANNED)
    #: The organisation's account of what it did: encrypted, as it may name people.
    evidence: Mapped[str | None] = mapped_column(EncryptedText)
    #: A file in core.files (encrypted there), its sniffed type (EVIDENCE_TYPES).
    evidence_key: Mapped[str | None] = mapped_column(String(32))
    evidence_type: Mapped[str | None] = mapped_column(String(20))
    #: The day each step was reached (kept if the CSO sends the item back).
    policy_written_on: Mapped[date | None]
    system_in_place_on: Mapped[date | None]
    training_done_on: Mapped[date | None]
    verified_on: Mapped[date | None]
    #: Why the CSO sent it back, and when (cleared once it reaches training done again).
    returned_reason: Mapped[str | None] = mapped_column(Text)
    returned_on: Mapped[date | None]
    #: The day the organisation was told it is overdue: once per item.
    overdue_notified_on: Mapped[date | None]

    plan: Mapped[Plan] = relationship(back_populates="items")

    def reached_on(self, status: str) -> date | None:
        """The day this item reached ``status`` (None: not yet, or ``planned``)."""
        return getattr(self, f"{status}_on", None) if status != ItemStatus.PLANNED else None

    @property
    def next_step(self) -> ItemStatus | None:
        """The step after the current one, or None once verified."""
        index = ITEM_STEPS.index(ItemStatus(self.status))
        return ITEM_STEPS[index + 1] if index + 1 < len(ITEM_STEPS) else None

    def is_overdue(self, day: date) -> bool:
        """Past its due date and not verified (in a plan not completed)."""
        return (
            self.due_on < day
            and self.status != ItemStatus.VERIFIED
            and self.plan.status != PlanStatus.COMPLETED
        )
