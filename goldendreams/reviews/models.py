"""Reviews, their replies and reports, and each organisation's scores.

Nothing here can identify a writer: no address, no user agent, no time of day. A review
keeps the date it was written (shown as month and year) and is ordered by id.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from goldendreams.agencies.models import Organisation
from goldendreams.core.base import PublicIdMixin
from goldendreams.extensions import db
from goldendreams.reviews.choices import MigrationStage

#: The CHECK of a migration stage column (reviews and cases): None or one of the stages.
MIGRATION_STAGE_CHECK = "migration_stage IS NULL OR migration_stage IN ({})".format(
    ", ".join(f"'{stage.value}'" for stage in MigrationStage)
)


class ReviewStatus(StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class ReplyStatus(StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"


class FlagStatus(StrEnum):
    OPEN = "open"
    DISMISSED = "dismissed"  # the review stays
    UPHELD = "upheld"  # the review was taken down


class Review(PublicIdMixin, db.Model):
    """One worker's review of an employer or agency."""

    __tablename__ = "reviews"
    __table_args__ = (
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating"),
        CheckConstraint(
            "status IN ('pending', 'published', 'rejected', 'withdrawn')", name="status"
        ),
        CheckConstraint(MIGRATION_STAGE_CHECK, name="migration_stage"),
        # An organisation's page lists its published reviews newest first, straight from this.
        Index("ix_reviews_organisation_status_id", "organisation_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(10), default=ReviewStatus.PENDING, index=True)
    #: Language of the text, from its script.
    language: Mapped[str] = mapped_column(String(5))
    rating: Mapped[int]
    #: Optional 1-5 ratings by criterion (criteria depend on the organisation's kind).
    sub_ratings: Mapped[dict] = mapped_column(JSON, default=dict)

    # Structured answers: "yes" / "no" / "unsure", or None when not answered.
    fees_paid: Mapped[str | None] = mapped_column(String(6))
    fee_amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    fee_currency: Mapped[str | None] = mapped_column(String(3))
    fee_paid_to: Mapped[str | None] = mapped_column(String(10))
    documents_holder: Mapped[str | None] = mapped_column(String(10))
    job_as_promised: Mapped[str | None] = mapped_column(String(6))
    contract_in_language: Mapped[str | None] = mapped_column(String(6))
    wages_on_time: Mapped[str | None] = mapped_column(String(6))
    forced_overtime: Mapped[str | None] = mapped_column(String(6))
    free_to_leave: Mapped[str | None] = mapped_column(String(6))

    relationship_kind: Mapped[str] = mapped_column(String(10))
    year: Mapped[int]
    #: Where the worker comes from (choices.ORIGIN_COUNTRIES) and when the problem happened
    #: (MigrationStage); None: not said. Never shown with the review: in a small group of
    #: workers they could tell who wrote it. Counted only in figures (by route, by stage).
    origin_country: Mapped[str | None] = mapped_column(String(2))
    migration_stage: Mapped[str | None] = mapped_column(String(15))

    #: What the worker wrote (normalised). Moderators and caseworkers only.
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    zawgyi_converted: Mapped[bool] = mapped_column(default=False)
    #: Personal data hidden in the public text: [{"field", "start", "end", "kind"}, ...].
    redactions: Mapped[list] = mapped_column(JSON, default=list)
    #: The public text: personal data replaced by a marker.
    public_title: Mapped[str] = mapped_column(Text)  # markers can make it longer
    public_body: Mapped[str] = mapped_column(Text)

    #: The day it was written: never a time.
    written_on: Mapped[date] = mapped_column(index=True)  # counted by month on /metrics
    published_on: Mapped[date | None]
    tracking_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: Why it was not published (a reason code), and a moderator's note (internal).
    decision_reason: Mapped[str | None] = mapped_column(String(20))
    decision_note: Mapped[str | None] = mapped_column(Text)

    organisation: Mapped[Organisation] = relationship()
    reply: Mapped[Reply | None] = relationship(back_populates="review", uselist=False)

    @property
    def is_pending(self) -> bool:
        """Waits for a moderator."""
        return self.status == ReviewStatus.PENDING

    @property
    def is_published(self) -> bool:
        return self.status == ReviewStatus.PUBLISHED

    @property
    def is_rejected(self) -> bool:
        return self.status == ReviewStatus.REJECTED

    @property
    def is_withdrawn(self) -> bool:
        """The writer took it back: its words are gone."""
        return self.status == ReviewStatus.WITHDRAWN

    @property
    def may_be_withdrawn(self) -> bool:
        """The writer can still take it back (waiting or published)."""
        return self.is_pending or self.is_published


class Reply(PublicIdMixin, db.Model):
    """An organisation's one answer to a published review, moderated before it shows."""

    __tablename__ = "review_replies"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'published', 'rejected')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(
        ForeignKey("reviews.id", ondelete="CASCADE"), unique=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=ReplyStatus.PENDING, index=True)
    written_on: Mapped[date]
    decision_reason: Mapped[str | None] = mapped_column(String(20))

    review: Mapped[Review] = relationship(back_populates="reply")

    @property
    def is_pending(self) -> bool:
        """Waits for a moderator."""
        return self.status == ReplyStatus.PENDING

    @property
    def is_published(self) -> bool:
        return self.status == ReplyStatus.PUBLISHED

    @property
    def is_rejected(self) -> bool:
        return self.status == ReplyStatus.REJECTED


class Flag(PublicIdMixin, db.Model):
    """A reader's report that a published review breaks the rules. Never hides it alone."""

    __tablename__ = "review_flags"
    __table_args__ = (CheckConstraint("status IN ('open', 'dismissed', 'upheld')", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=FlagStatus.OPEN, index=True)
    written_on: Mapped[date]

    review: Mapped[Review] = relationship()


class OrganisationScore(db.Model):
    """Aggregates of an organisation's published reviews, kept by the write layer."""

    __tablename__ = "organisation_scores"
    __table_args__ = (UniqueConstraint("organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    review_count: Mapped[int] = mapped_column(default=0)
    rating: Mapped[float | None]
    #: {criterion: average} for criteria enough reviewers rated.
    sub_ratings: Mapped[dict] = mapped_column(JSON, default=dict)
    #: Shares (0-1) among those who answered yes or no; None when too few answered.
    fees_paid_share: Mapped[float | None]
    documents_held_share: Mapped[float | None]
    as_promised_share: Mapped[float | None]
    #: {currency: median fee} for currencies enough reviewers gave.
    median_fees: Mapped[dict] = mapped_column(JSON, default=dict)
