"""The service directory (legal aid, shelters, health care, ...) and a case's referrals of
its worker to one of those services.

A service never has an account: a referral is the CSO's own record of what it asked of the
service and what came of it. Dates only, like every record about a worker.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from goldendreams.agencies.models import Organisation
from goldendreams.cases.models import Case
from goldendreams.core.base import PublicIdMixin
from goldendreams.core.crypto import EncryptedText
from goldendreams.extensions import db


class ServiceKind(StrEnum):
    LEGAL_AID = "legal_aid"
    SHELTER = "shelter"
    HEALTH_CARE = "health_care"
    EMBASSY = "embassy"  # an embassy or its labour attaché
    LABOUR_INSPECTION = "labour_inspection"
    UNION = "union"
    DEBT_COUNSELLING = "debt_counselling"


class ServiceStatus(StrEnum):
    """Listed, or switched off. The listed value is the site's ``published``: switching a
    service off then drops every kept public page at once (core/freshness.py), as a
    takedown does: a shelter found unsafe must be gone from /help/ now."""

    LISTED = "published"
    OFF = "off"


class ReferralState(StrEnum):
    """A worker's referral to a service, as the caseworker follows it up."""

    SENT = "sent"
    ACCEPTED = "accepted"
    #: The service said it cannot help.
    DECLINED = "declined"
    SUPPORT_GIVEN = "support_given"
    CLOSED = "closed"


#: Nothing more to follow up: never overdue.
FINISHED_STATES = frozenset({ReferralState.DECLINED, ReferralState.CLOSED})
#: Where a referral may go from each state (the caseworker moves it along).
NEXT_STATES: dict[ReferralState, tuple[ReferralState, ...]] = {
    ReferralState.SENT: (ReferralState.ACCEPTED, ReferralState.DECLINED, ReferralState.CLOSED),
    ReferralState.ACCEPTED: (ReferralState.SUPPORT_GIVEN, ReferralState.CLOSED),
    ReferralState.SUPPORT_GIVEN: (ReferralState.CLOSED,),
    ReferralState.DECLINED: (),
    ReferralState.CLOSED: (),
}


class Service(PublicIdMixin, db.Model):
    """One service of the directory, in one country. Public data only: what a worker needs
    to reach it, and when someone of the network last checked that it still works."""

    __tablename__ = "support_services"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)  # ServiceKind
    name: Mapped[str] = mapped_column(String(200))
    #: The name in the country's script (shown beside the English one).
    name_local: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2), index=True)  # agencies.models.COUNTRIES
    province: Mapped[str | None] = mapped_column(String(100))
    #: agencies.models.CSO_LANGUAGES codes.
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    phone: Mapped[str | None] = mapped_column(String(30))
    #: http(s) only (checked by the service layer).
    website: Mapped[str | None] = mapped_column(String(300))
    chat: Mapped[str | None] = mapped_column(String(300))
    address: Mapped[str | None] = mapped_column(Text)
    hours: Mapped[str | None] = mapped_column(String(200))
    #: What it offers, in a line or two.
    offers: Mapped[str | None] = mapped_column(String(500))
    free: Mapped[bool] = mapped_column(default=True)
    #: The CSO that keeps the entry up to date (None: the site's admins).
    cso_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    #: The last day someone called or visited to check it (None: never checked).
    checked_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(10), default=ServiceStatus.LISTED, index=True)
    created_on: Mapped[date]

    cso: Mapped[Organisation | None] = relationship()

    @property
    def active(self) -> bool:
        return self.status == ServiceStatus.LISTED

    @property
    def tel(self) -> str:
        """The number for a ``tel:`` link: digits and a leading +, nothing else."""
        phone = (self.phone or "").strip()
        if phone.startswith("+"):
            phone = phone.replace("(0)", "")  # "+66 (0)2 …": the 0 is dialled only at home
        digits = "".join(ch for ch in phone if ch.isdigit() and ch.isascii())
        return ("+" if phone.startswith("+") else "") + digits


class ServiceReferral(db.Model):
    """A caseworker referred the worker of a case to a service: what the worker needs (an
    internal note, encrypted), where it stands, what came of it and when to follow it up.
    Made only once the worker's consent to tell a service is on record (cases.consent)."""

    __tablename__ = "service_referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    service_id: Mapped[int] = mapped_column(
        ForeignKey("support_services.id", ondelete="RESTRICT"), index=True
    )
    state: Mapped[str] = mapped_column(String(15), default=ReferralState.SENT, index=True)
    #: What the worker needs from the service. Internal: never shown outside the CSO.
    note: Mapped[str] = mapped_column(EncryptedText)
    #: What came of it, in the caseworker's words. Internal too.
    outcome: Mapped[str | None] = mapped_column(EncryptedText)
    referred_on: Mapped[date]
    follow_up_on: Mapped[date] = mapped_column(index=True)
    closed_on: Mapped[date | None]
    #: The follow-up date its assignee was reminded of: each date is reminded once.
    reminded_for: Mapped[date | None]
    referred_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: The consent it was made under (kept when the consent is withdrawn later).
    consent_id: Mapped[int | None] = mapped_column(
        ForeignKey("consent_records.id", ondelete="SET NULL")
    )

    case: Mapped[Case] = relationship()
    service: Mapped[Service] = relationship()
    consent = relationship("ConsentRecord")
    referred_by = relationship("User", foreign_keys=[referred_by_id])

    @property
    def finished(self) -> bool:
        return self.state in FINISHED_STATES

    def overdue_on(self, day: date) -> bool:
        """Its follow-up date has passed and nothing closed it."""
        return not self.finished and self.follow_up_on < day
