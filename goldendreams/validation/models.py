"""An outcome validated twice: the organisation's sign-off with its evidence, the CSO's
verification, and each CSO's rule for "confirmed by workers". Dates only, like every case
record; what could name a worker (the sign-off's statement, a file's name, the CSO's note)
is stored encrypted."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from goldendreams.core.base import PublicIdMixin
from goldendreams.core.crypto import EncryptedText
from goldendreams.extensions import db


class VerificationMethod(StrEnum):
    """How the CSO checked that the fix is real."""

    WORKER_INTERVIEWS = "worker_interviews"
    DOCUMENTS = "documents"
    SITE_VISIT = "site_visit"


class EvidenceType(StrEnum):
    """The files an organisation may attach, as their first bytes say (never as the
    browser says)."""

    PDF = "application/pdf"
    JPEG = "image/jpeg"
    PNG = "image/png"


class SignOff(PublicIdMixin, db.Model):
    """The organisation's statement that the problem is fixed, signed by one of its staff
    (shown as the organisation and the job title typed, never a person), with evidence.
    A new sign-off replaces the one before (the latest counts; the others are history)."""

    __tablename__ = "validation_signoffs"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT")
    )
    #: What was fixed, in the organisation's words (may name workers: encrypted).
    statement: Mapped[str] = mapped_column(EncryptedText)
    #: The signer's job title, as they typed it ("HR manager").
    signer_title: Mapped[str] = mapped_column(String(120))
    #: Internal: who pressed the button (audited too); never shown outside the CSO.
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    signed_on: Mapped[date]
    #: The CSO shares this sign-off and its evidence with the brands buying from the
    #: organisation (only with the worker's consent to share documents with brands).
    shared_with_brands: Mapped[bool] = mapped_column(default=False)

    case = relationship("Case")
    organisation = relationship("Organisation")
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="signoff", order_by="Evidence.id", cascade="all, delete-orphan"
    )


class Evidence(PublicIdMixin, db.Model):
    """One file attached to a sign-off: encrypted in the file store (core/files.py)."""

    __tablename__ = "validation_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    signoff_id: Mapped[int] = mapped_column(
        ForeignKey("validation_signoffs.id", ondelete="CASCADE"), index=True
    )
    file_key: Mapped[str] = mapped_column(String(32))
    #: The name the file had on the organisation's computer (may name a worker).
    filename: Mapped[str] = mapped_column(EncryptedText)
    content_type: Mapped[str] = mapped_column(String(40))  # EvidenceType, as sniffed
    size: Mapped[int]

    signoff: Mapped[SignOff] = relationship(back_populates="evidence")

    @property
    def extension(self) -> str:
        return {EvidenceType.PDF: "pdf", EvidenceType.JPEG: "jpg"}.get(self.content_type, "png")


class Verification(db.Model):
    """How a caseworker checked the outcome (internal: never shown outside the CSO)."""

    __tablename__ = "validation_verifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: [VerificationMethod, ...]
    methods: Mapped[list] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(EncryptedText)
    verified_on: Mapped[date]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    case = relationship("Case")
    actor = relationship("User")


class ValidationRule(db.Model):
    """A CSO's rule for closing a case as "confirmed by workers": the share of reachable
    workers who said yes, and how many answers at least. No row: the site's defaults."""

    __tablename__ = "validation_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    cso_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), unique=True
    )
    min_yes_percent: Mapped[int]
    min_answers: Mapped[int]
