"""Job postings, their fee lines, applications and readers' reports."""

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

JOB_STATUSES = ("draft", "submitted", "published", "rejected", "closed")


class JobOrderDecision(StrEnum):
    """What the hiring employer says of a job posted in its name (None: not decided yet)."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    REFUSED = "refused"


APPLICATION_STATUSES = ("received", "shortlisted", "interview", "offered", "hired", "not_selected")


class Job(db.Model):
    """A job an agency recruits for. Public only once a moderator has published it."""

    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint(
            "status IN ('draft', 'submitted', 'published', 'rejected', 'closed')", name="status"
        ),
        CheckConstraint(
            "employer_decision IS NULL OR employer_decision IN ('pending', 'confirmed', 'refused')",
            name="employer_decision",
        ),
        Index("ix_jobs_status_deadline", "status", "deadline"),
        Index("ix_jobs_status_country_province", "status", "destination_country", "province"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed: an organisation's page lists its open jobs.
    agency_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    employer_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(10), default="draft")
    sector: Mapped[str | None] = mapped_column(String(30), index=True)
    destination_country: Mapped[str | None] = mapped_column(String(2))
    province: Mapped[str | None] = mapped_column(String(100))
    positions: Mapped[int | None]
    salary_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    salary_currency: Mapped[str | None] = mapped_column(String(3))
    salary_period: Mapped[str | None] = mapped_column(String(5))  # day | month | piece
    #: The salary as a month's pay in its own currency (None for piece rates): for sorting,
    #: filtering and comparing with fees. Kept by the write layer.
    monthly_salary: Mapped[Decimal | None] = mapped_column(Numeric(12, 2), index=True)
    hours_per_day: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))
    rest_days_per_week: Mapped[int | None]
    overtime_rate: Mapped[Decimal | None] = mapped_column(Numeric(4, 2))
    accommodation: Mapped[str | None] = mapped_column(String(10))  # free | deducted | none
    food: Mapped[str | None] = mapped_column(String(10))
    contract_months: Mapped[int | None]
    gender: Mapped[str | None] = mapped_column(String(6))  # any | women | men
    age_min: Mapped[int | None]
    age_max: Mapped[int | None]
    #: Languages the worker should speak (language codes).
    languages: Mapped[list] = mapped_column(JSON, default=list)
    skills: Mapped[str | None] = mapped_column(Text)
    #: Countries the agency recruits from (country codes).
    recruiting_from: Mapped[list] = mapped_column(JSON, default=list)
    deadline: Mapped[date | None]
    #: True when every fee line is paid by the employer. Kept by the write layer.
    employer_pays: Mapped[bool] = mapped_column(default=True)
    #: The automatic checks computed when the job was last submitted.
    checks: Mapped[list] = mapped_column(JSON, default=list)
    decision_reason: Mapped[str | None] = mapped_column(String(20))
    decision_note: Mapped[str | None] = mapped_column(Text)
    created_on: Mapped[date]
    submitted_on: Mapped[date | None]
    published_on: Mapped[date | None] = mapped_column(index=True)
    closed_on: Mapped[date | None]
    #: The origin-country agency (Myanmar, Cambodia, Laos, Nepal) the posting agency works
    #: with for this job: the first link of the recruitment chain.
    origin_agency_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    # The job order: the employer confirms the job as posted (the "demand letter"), or
    # refuses it with a reason. Kept by the write layer; an edit by the agency resets it.
    employer_decision: Mapped[str | None] = mapped_column(String(10))
    employer_decided_on: Mapped[date | None]
    #: The employer's staff member who decided (staff are not anonymous).
    employer_decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    employer_note: Mapped[str | None] = mapped_column(String(1000))
    #: How many workers the employer confirms it will hire (at most ``positions``).
    confirmed_positions: Mapped[int | None]
    #: The employer says the pay, hours and contract length are right.
    terms_confirmed: Mapped[bool | None]
    #: The employer says the fee lines it pays are right.
    fees_confirmed: Mapped[bool | None]

    agency: Mapped[Organisation] = relationship(foreign_keys=[agency_id])
    employer: Mapped[Organisation | None] = relationship(foreign_keys=[employer_id])
    origin_agency: Mapped[Organisation | None] = relationship(foreign_keys=[origin_agency_id])
    texts: Mapped[list[JobText]] = relationship(
        back_populates="job", cascade="all, delete-orphan", order_by="JobText.id"
    )
    fees: Mapped[list[FeeLine]] = relationship(
        back_populates="job", cascade="all, delete-orphan", order_by="FeeLine.id"
    )

    def text_for(self, locale: str) -> JobText | None:
        """The title and description in ``locale``, else in English (the language most
        readers share), else the first one written."""
        by_locale = {text.locale: text for text in self.texts}
        fallback = self.texts[0] if self.texts else None
        return by_locale.get(locale) or by_locale.get("en") or fallback

    @property
    def order_decision(self) -> JobOrderDecision:
        """The employer's decision on this job order (pending until it decides)."""
        return JobOrderDecision(self.employer_decision or JobOrderDecision.PENDING)

    def worker_fees(self) -> dict[str, Decimal]:
        """What the worker pays, per currency."""
        totals: dict[str, Decimal] = {}
        for line in self.fees:
            if line.paid_by == "worker" and line.amount > 0:
                totals[line.currency] = totals.get(line.currency, Decimal(0)) + line.amount
        return totals

    def months_of_pay(self) -> Decimal | None:
        """How many months of this job's pay the worker's fees cost. None when a fee is in
        another currency than the pay: without an exchange rate the figure would mislead."""
        fees = self.worker_fees()
        if not fees or set(fees) != {self.salary_currency} or not self.monthly_salary:
            return None
        return max(
            Decimal("0.1"),
            (fees[self.salary_currency] / self.monthly_salary).quantize(Decimal("0.1")),
        )


class JobText(db.Model):
    """A job's title and description in one language."""

    __tablename__ = "job_texts"
    __table_args__ = (UniqueConstraint("job_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(5))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)

    job: Mapped[Job] = relationship(back_populates="texts")


class FeeLine(db.Model):
    """One cost of getting the job, and who pays it."""

    __tablename__ = "job_fees"
    __table_args__ = (
        CheckConstraint("amount >= 0", name="amount"),
        CheckConstraint("paid_by IN ('worker', 'employer')", name="paid_by"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    currency: Mapped[str] = mapped_column(String(3))
    paid_by: Mapped[str] = mapped_column(String(8))

    job: Mapped[Job] = relationship(back_populates="fees")


class Application(PublicIdMixin, db.Model):
    """A jobseeker's application. Personal data is removed after the retention period."""

    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("job_id", "phone_key"),
        CheckConstraint(
            "status IN ('received', 'shortlisted', 'interview', 'offered', 'hired', "
            "'not_selected')",
            name="status",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    name: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(40))
    #: The phone's digits, hashed: one application per phone per job. Purged with the rest.
    phone_key: Mapped[str | None] = mapped_column(String(64))
    origin_country: Mapped[str] = mapped_column(String(2))
    origin_region: Mapped[str | None] = mapped_column(String(100))
    language: Mapped[str] = mapped_column(String(5))
    consent: Mapped[bool]
    status: Mapped[str] = mapped_column(String(12), default="received")
    #: The agency's latest message to the applicant.
    message: Mapped[str | None] = mapped_column(Text)
    tracking_hash: Mapped[str] = mapped_column(String(64), unique=True)
    applied_on: Mapped[date]
    purged_on: Mapped[date | None]

    job: Mapped[Job] = relationship()


class JobFlag(PublicIdMixin, db.Model):
    """A reader's report that a published job is misleading or a scam."""

    __tablename__ = "job_flags"
    __table_args__ = (CheckConstraint("status IN ('open', 'dismissed', 'upheld')", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    written_on: Mapped[date]

    job: Mapped[Job] = relationship()
