"""Cases, their issue categories and their timeline."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from goldendreams.agencies.models import Organisation
from goldendreams.core.base import PublicIdMixin
from goldendreams.extensions import db
from goldendreams.reviews.models import MIGRATION_STAGE_CHECK


class CaseStatus(StrEnum):
    NEW = "new"
    TRIAGED = "triaged"
    #: Sent to the organisation (employer or agency) to fix.
    REFERRED = "referred"
    IN_REMEDIATION = "in_remediation"
    RESOLVED = "resolved"
    CLOSED = "closed"
    NO_BASIS = "no_basis"
    REFERRED_OUT = "referred_out"


class CaseSource(StrEnum):
    REVIEW = "review"
    HOTLINE = "hotline"
    OUTREACH = "outreach"
    #: A group grievance a mobilizer logged for the workers who asked them.
    GROUP = "group"
    #: Opened from a conversation with the worker (the site or a messaging app).
    MESSAGE = "message"


OPEN_STATUSES = (
    CaseStatus.NEW, CaseStatus.TRIAGED, CaseStatus.REFERRED, CaseStatus.IN_REMEDIATION,
    CaseStatus.RESOLVED,
)  # fmt: skip
CLOSED_STATUSES = (CaseStatus.CLOSED, CaseStatus.NO_BASIS, CaseStatus.REFERRED_OUT)


class CaseOutcome(StrEnum):
    """How a closed case ended (labels: choices.OUTCOMES)."""

    #: The workers confirmed it: the CSO's rule (validation/) is met.
    RESOLVED_CONFIRMED = "resolved_confirmed"
    #: The CSO verified it (interviews, documents, a visit); the workers' rule is not met.
    RESOLVED_VERIFIED = "resolved_verified"
    RESOLVED_UNCONFIRMED = "resolved_unconfirmed"
    NO_BASIS = "no_basis"
    REFERRED_OUT = "referred_out"


#: The outcomes of a case closed as fixed (the figures' "resolved" cases).
RESOLVED_OUTCOMES = (
    CaseOutcome.RESOLVED_CONFIRMED, CaseOutcome.RESOLVED_VERIFIED,
    CaseOutcome.RESOLVED_UNCONFIRMED,
)  # fmt: skip


class ReferralStatus(StrEnum):
    """A referral of a case from its CSO to another CSO or to a government office."""

    #: The worker was asked through their code and has not answered yet.
    ASKING_WORKER = "asking_worker"
    #: The worker said no: nothing is sent.
    WORKER_REFUSED = "worker_refused"
    #: The worker agreed (or the caseworker recorded how they agreed): the receiver decides.
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    #: The sending caseworker took it back before the receiver decided.
    WITHDRAWN = "withdrawn"


#: SQL for a referral still open (asking the worker, or waiting for the receiver).
OPEN_REFERRAL_WHERE = "status IN ('asking_worker', 'proposed')"


class ConsentMethod(StrEnum):
    """How the worker agreed to their case being referred."""

    WORKER_CODE = "worker_code"  # on the site, with their private code
    IN_PERSON = "in_person"
    PHONE = "phone"
    MESSAGE = "message"  # a chat or text message


class ConsentRecipient(StrEnum):
    """Who a worker agreed may be told about their case or conversation."""

    ORGANISATION = "organisation"  # the employer or agency the case is about
    CSO = "cso"  # another CSO of the network
    SERVICE = "service"  # a service of the directory (legal aid, shelter, ...)
    GOVERNMENT = "government"
    BRAND = "brand"


class ConsentItem(StrEnum):
    """What the worker agreed may be shared."""

    #: What happened, without the worker's name or contact.
    ISSUE = "issue"
    #: The worker's name and how to reach them.
    IDENTITY = "identity"
    #: The worker's documents (contract, pay slips, photos).
    DOCUMENTS = "documents"


class AnswerMethod(StrEnum):
    """How the worker gave a caseworker their answer to "Was it fixed?" (the worker's own
    answer, with their code, needs none): kept on the ``validation`` event, no column."""

    PHONE = "phone"
    IN_PERSON = "in_person"
    MESSAGE = "message"  # a chat or text message


class GovernmentAction(StrEnum):
    """What a government office did about a case referred to it."""

    INSPECTION = "inspection"
    ORDER = "order"
    FINE = "fine"
    REPATRIATION_SUPPORT = "repatriation_support"


#: Government actions that fix something for the workers: they count as remediation
#: steps (an inspection or a fine alone does not).
REMEDIATING_ACTIONS = frozenset({GovernmentAction.ORDER, GovernmentAction.REPATRIATION_SUPPORT})


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
    __table_args__ = (CheckConstraint(MIGRATION_STAGE_CHECK, name="migration_stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str | None] = mapped_column(String(20), unique=True)
    source: Mapped[str] = mapped_column(String(10))  # CaseSource
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    #: The CSO whose caseworkers run the case (routing rules choose it; an accepted
    #: referral hands it on). Conversations with workers will be owned the same way.
    owner_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    #: The mobilizer who logged a group grievance: they follow it (status only).
    logged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: What the routing rules read: the worker's country of origin and language, when known.
    worker_country: Mapped[str | None] = mapped_column(String(2))
    worker_language: Mapped[str | None] = mapped_column(String(5))
    #: When the problem happened on the worker's way (reviews.choices.MigrationStage), when
    #: known. Counted in figures by route and stage; never shown to organisations.
    migration_stage: Mapped[str | None] = mapped_column(String(15))
    review_id: Mapped[int | None] = mapped_column(
        ForeignKey("reviews.id", ondelete="SET NULL"), unique=True
    )
    #: A case logged from a call or outreach: the hash of the private code the caseworker
    #: reads out, with which the worker follows the case and says whether it was fixed.
    #: (A review's case opens with the review's code, a conversation's with its own.)
    code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
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
    #: CaseOutcome
    outcome: Mapped[str | None] = mapped_column(String(25))
    #: The worker's answer to "Was it fixed?": yes | partly | no.
    worker_answer: Mapped[str | None] = mapped_column(String(6))
    #: The worker's comment: internal. Neither is dated, nor an event: no trace of when.
    worker_comment: Mapped[str | None] = mapped_column(Text)

    organisation: Mapped[Organisation] = relationship(foreign_keys=[organisation_id])
    owner: Mapped[Organisation] = relationship(foreign_keys=[owner_id])
    referrals: Mapped[list[CaseReferral]] = relationship(
        back_populates="case", order_by="CaseReferral.id", cascade="all, delete-orphan"
    )
    categories: Mapped[list[IssueCategory]] = relationship(
        secondary=case_categories, order_by=IssueCategory.code
    )
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", order_by="CaseEvent.id", cascade="all, delete-orphan"
    )
    assignee = relationship("User", foreign_keys=[assignee_id])
    logged_by = relationship("User", foreign_keys=[logged_by_id])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def worker_has_code(self) -> bool:
        """The worker opens this case at "Check with my code": their review's code, a code
        read out to them, or the code of the conversation it was opened from (a web one:
        issue 19's messaging apps will answer in the app instead)."""
        return (
            self.review_id is not None
            or self.code_hash is not None
            or self.source == CaseSource.MESSAGE
        )

    @property
    def is_confirmed_fixed(self) -> bool:
        """Closed with the worker's word that the problem was fixed."""
        return self.outcome == "resolved_confirmed"

    @property
    def shared_with_organisation(self) -> bool:
        """An organisation hears of a case only once a caseworker refers it to them."""
        return any(e.kind == "status" and e.status_to == "referred" for e in self.events)


class CaseEvent(db.Model):
    """One entry of a case's timeline, internal or shared with the organisation."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: status | note | acknowledged | proposal | remediation | validation | assigned |
    #: referral | government
    kind: Mapped[str] = mapped_column(String(15))
    shared: Mapped[bool] = mapped_column(default=False)
    status_from: Mapped[str | None] = mapped_column(String(15))
    status_to: Mapped[str | None] = mapped_column(String(15))
    text: Mapped[str | None] = mapped_column(Text)
    #: A remediation kind, or for ``government`` events a GovernmentAction.
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

    @property
    def is_government_action(self) -> bool:
        return self.kind == "government"

    #: Shown only where a person is named (who recorded a worker's answer, internal).
    actor = relationship("User", foreign_keys=[actor_id])


class CaseReferral(db.Model):
    """A case offered by the CSO that owns it to another CSO (which, once it accepts, owns
    the case) or to a government office (which, once it accepts, records its actions).

    Nothing is offered before the worker agrees: consent is asked through their code or
    recorded by the caseworker with how it was given. Dates only, like every case record.
    """

    __tablename__ = "case_referrals"
    # One open referral per case at a time, even when two caseworkers press "Send" at once.
    __table_args__ = (
        Index(
            "uq_case_referrals_open", "case_id", unique=True,
            sqlite_where=text(OPEN_REFERRAL_WHERE), postgresql_where=text(OPEN_REFERRAL_WHERE),
        ),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    from_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"))
    to_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[str] = mapped_column(String(15), index=True)  # ReferralStatus
    #: What the sender tells the receiver: all the receiver reads before it decides.
    note: Mapped[str] = mapped_column(Text)
    consent_method: Mapped[str | None] = mapped_column(String(15))  # ConsentMethod
    #: How the caseworker says the worker agreed ("on the phone, 3 May, in Burmese").
    consent_note: Mapped[str | None] = mapped_column(Text)
    decline_reason: Mapped[str | None] = mapped_column(Text)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    proposed_on: Mapped[date]
    decided_on: Mapped[date | None]

    case: Mapped[Case] = relationship(back_populates="referrals")
    sender: Mapped[Organisation] = relationship(foreign_keys=[from_id])
    receiver: Mapped[Organisation] = relationship(foreign_keys=[to_id])


class RoutingRule(db.Model):
    """Where new cases go: the most specific rule that matches wins (the worker's country
    and language, then the organisation's country, then the rule with no condition).
    Admins set them at /staff/routing."""

    __tablename__ = "routing_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_country: Mapped[str | None] = mapped_column(String(2))
    worker_language: Mapped[str | None] = mapped_column(String(5))
    organisation_country: Mapped[str | None] = mapped_column(String(2))
    cso_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))

    cso: Mapped[Organisation] = relationship()


class ConsentRecord(db.Model):
    """The worker's consent to share something about them with one kind of recipient,
    recorded before anything is shared (cases/consent.py): what may be shared, with whom,
    how the worker agreed. On a case or on a conversation (not yet a case). Dates only."""

    __tablename__ = "consent_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    #: A conversation of the inbox (a table of a higher feature: named, not imported).
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    recipient: Mapped[str] = mapped_column(String(15))  # ConsentRecipient
    #: [ConsentItem, ...]
    items: Mapped[list] = mapped_column(JSON)
    method: Mapped[str] = mapped_column(String(15))  # ConsentMethod
    #: How the caseworker says the worker agreed ("on the phone, in Burmese").
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_on: Mapped[date]
    #: The worker took it back: nothing more is shared on its strength.
    withdrawn_on: Mapped[date | None]
