"""Organisations and the links between them."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from goldendreams.core.base import UTCDateTime, today, utcnow
from goldendreams.extensions import db


class OrgKind(StrEnum):
    EMPLOYER = "employer"
    AGENCY = "agency"
    BUYER = "buyer"
    NGO = "ngo"
    UNION = "union"
    GOVERNMENT = "government"
    ASSOCIATION = "association"


#: Civil-society organisations of the network: they help workers, nobody reviews them.
CSO_KINDS = (OrgKind.NGO, OrgKind.UNION)
#: The kinds the public directory lists (CSOs have their own page, /partners).
DIRECTORY_KINDS = (OrgKind.EMPLOYER, OrgKind.AGENCY, OrgKind.BUYER)
#: The kinds a case can be about (and an industry association can have as members).
CASE_KINDS = (OrgKind.EMPLOYER, OrgKind.AGENCY)
#: Members of the network with no public page: not in the directory, search or /partners,
#: not reviewed, not claimed (their officers and staff are invited by the site's admins).
PRIVATE_KINDS = (OrgKind.GOVERNMENT, OrgKind.ASSOCIATION)


class OfficeKind(StrEnum):
    """What a government office of the network is (its officers receive referred cases)."""

    LABOUR_INSPECTION = "labour_inspection"
    ANTI_TRAFFICKING = "anti_trafficking"
    EMBASSY = "embassy"


class CsoService(StrEnum):
    """What a CSO does for workers (shown on /partners and the help page)."""

    HOTLINE = "hotline"
    LEGAL_AID = "legal_aid"
    SHELTER = "shelter"
    CASE_SUPPORT = "case_support"
    OUTREACH = "outreach"
    UNION_REPRESENTATION = "union_representation"


class LicenceStatus(StrEnum):
    """What the licensing authority says. ``expired`` is also derived from the expiry date."""

    VALID = "valid"
    EXPIRED = "expired"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


class LinkKind(StrEnum):
    RECRUITS_FOR = "recruits_for"  # agency → employer
    BUYS_FROM = "buys_from"  # buyer → employer
    MEMBER_OF = "member_of"  # employer or agency → industry association
    WORKS_WITH = "works_with"  # origin agency (MM, KH, LA, NP) → destination agency


KIND_LABELS = {
    OrgKind.EMPLOYER: _l("Employer"),
    OrgKind.AGENCY: _l("Recruitment agency"),
    OrgKind.BUYER: _l("Brand or buyer"),
    OrgKind.NGO: _l("NGO"),
    OrgKind.UNION: _l("Trade union"),
    OrgKind.GOVERNMENT: _l("Government office"),
    OrgKind.ASSOCIATION: _l("Industry association"),
}

OFFICE_LABELS = {
    OfficeKind.LABOUR_INSPECTION: _l("Labour inspection"),
    OfficeKind.ANTI_TRAFFICKING: _l("Anti-trafficking unit"),
    OfficeKind.EMBASSY: _l("Embassy labour attaché"),
}

SERVICE_LABELS = {
    CsoService.HOTLINE: _l("Hotline"),
    CsoService.LEGAL_AID: _l("Legal aid"),
    CsoService.SHELTER: _l("Shelter"),
    CsoService.CASE_SUPPORT: _l("Help with a case"),
    CsoService.OUTREACH: _l("Outreach to workers"),
    CsoService.UNION_REPRESENTATION: _l("Union representation"),
}

LICENCE_LABELS = {
    LicenceStatus.VALID: _l("Licence valid"),
    LicenceStatus.EXPIRED: _l("Licence expired"),
    LicenceStatus.SUSPENDED: _l("Licence suspended"),
    LicenceStatus.REVOKED: _l("Licence cancelled"),
}

SECTORS = {
    "seafood": _l("Seafood processing"),
    "fishing": _l("Fishing boats"),
    "poultry": _l("Poultry and meat"),
    "garments": _l("Garments and textiles"),
    "electronics": _l("Electronics"),
    "construction": _l("Construction"),
    "agriculture": _l("Farms and plantations"),
    "domestic_work": _l("Domestic work"),
    "manufacturing": _l("Factories (other)"),
    "hospitality": _l("Hotels and restaurants"),
    "retail": _l("Shops and retail"),
    "recruitment": _l("Recruitment"),
}

#: Countries the site covers: where workers come from and where they go.
COUNTRIES = ("TH", "MY", "MM", "KH", "LA", "NP")
DESTINATIONS = ("TH", "MY")
#: Where workers come from; an agency based there is an origin agency (it works with
#: destination agencies).
ORIGINS = tuple(code for code in COUNTRIES if code not in DESTINATIONS)
#: Languages a CSO may speak with workers: the site's six, and Malay.
CSO_LANGUAGES = ("en", "my", "km", "th", "lo", "ne", "ms")


class LicenceList(db.Model):
    """One official list of licensed recruitment agencies, as imported (``licences.py``): the
    authority (a key of ``licences.AUTHORITIES``), the date the authority published it, the
    day it was imported, the file's base name, and what the import found."""

    __tablename__ = "licence_lists"
    __table_args__ = (Index("ix_licence_lists_authority_date", "authority", "list_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    authority: Mapped[str] = mapped_column(String(20))
    list_date: Mapped[date]
    imported_on: Mapped[date] = mapped_column(default=today)
    file_name: Mapped[str] = mapped_column(String(255))
    rows: Mapped[int] = mapped_column(default=0)
    matched: Mapped[int] = mapped_column(default=0)
    new: Mapped[int] = mapped_column(default=0)
    revoked: Mapped[int] = mapped_column(default=0)
    expired: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    skipped: Mapped[int] = mapped_column(default=0)
    no_longer_listed: Mapped[int] = mapped_column(default=0)

    @property
    def source(self):
        """The authority (``licences.LicenceAuthority``), or None for a key no longer known."""
        from goldendreams.agencies.licences import AUTHORITIES

        return AUTHORITIES.get(self.authority)


class Organisation(db.Model):
    """An employer, a recruitment agency, a buyer (brand), or a CSO of the network (an NGO
    or a trade union, with what it covers)."""

    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('employer', 'agency', 'buyer', 'ngo', 'union', 'government', 'association')",
            name="kind",
        ),
        CheckConstraint(
            "licence_status IS NULL OR licence_status IN "
            "('valid', 'expired', 'suspended', 'revoked')",
            name="licence_status",
        ),
        Index("ix_organisations_kind_country_province", "kind", "country", "province"),
        Index("ix_organisations_sort_name", "sort_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(200))
    #: Lower-cased name, for sorting the same way on SQLite and PostgreSQL.
    sort_name: Mapped[str] = mapped_column(String(200))
    name_local: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2), index=True)
    province: Mapped[str | None] = mapped_column(String(100))
    sector: Mapped[str | None] = mapped_column(String(30), index=True)
    licence_number: Mapped[str | None] = mapped_column(String(100))
    licence_authority: Mapped[str | None] = mapped_column(String(200))
    licence_status: Mapped[str | None] = mapped_column(String(10), index=True)
    licence_expiry: Mapped[date | None]
    #: When the licence was last checked against an official list (``licence_list``), and
    #: which; both empty while staff type the licence by hand.
    licence_checked_on: Mapped[date | None]
    licence_list_id: Mapped[int | None] = mapped_column(
        ForeignKey("licence_lists.id", ondelete="SET NULL"), index=True
    )
    verified: Mapped[bool] = mapped_column(default=False)
    contact_phone: Mapped[str | None] = mapped_column(String(50))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    website: Mapped[str | None] = mapped_column(String(300))
    # CSOs only (empty for other kinds): what they cover. Few values each, read whole, so
    # JSON lists rather than tables; the /partners filter reads them in Python.
    #: COUNTRIES codes.
    countries_covered: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Free names of provinces or states.
    provinces_covered: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: CSO_LANGUAGES codes.
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: CsoService values.
    services: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Government offices only: an OfficeKind value.
    office_kind: Mapped[str | None] = mapped_column(String(20))
    #: Fictional demo data, shown with a notice so nobody mistakes it for a real company.
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    licence_list: Mapped[LicenceList | None] = relationship()

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[OrgKind(self.kind)])

    @property
    def sector_label(self) -> str:
        return str(SECTORS.get(self.sector, "")) if self.sector else ""

    @property
    def is_agency(self) -> bool:
        return self.kind == OrgKind.AGENCY

    @property
    def is_cso(self) -> bool:
        return self.kind in CSO_KINDS

    @property
    def is_public(self) -> bool:
        """Whether the organisation has a public page (PRIVATE_KINDS have none)."""
        return self.kind not in PRIVATE_KINDS

    @property
    def office_label(self) -> str:
        return str(OFFICE_LABELS[OfficeKind(self.office_kind)]) if self.office_kind else ""

    @property
    def service_labels(self) -> list[str]:
        return [str(SERVICE_LABELS[CsoService(s)]) for s in self.services if s in SERVICE_LABELS]

    def covers(self, country: str) -> bool:
        """A CSO covers the countries listed, and the one it is based in."""
        return country == self.country or country in self.countries_covered

    def licence_state(self, on: date | None = None) -> LicenceStatus | None:
        """The licence status as a reader should see it: a valid licence past its expiry is
        expired. None for organisations without a licence on record."""
        if not self.licence_status:
            return None
        status = LicenceStatus(self.licence_status)
        if (
            status == LicenceStatus.VALID
            and self.licence_expiry
            and self.licence_expiry < (on or today())
        ):
            return LicenceStatus.EXPIRED
        return status

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.kind} {self.name!r}>"


class OrganisationLink(db.Model):
    """A directed link: an agency recruits for an employer, or a buyer buys from one."""

    __tablename__ = "organisation_links"
    __table_args__ = (
        UniqueConstraint("kind", "source_id", "target_id"),
        CheckConstraint(
            "kind IN ('recruits_for', 'buys_from', 'member_of', 'works_with')", name="kind"
        ),
        CheckConstraint("source_id <> target_id", name="not_self"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(15))
    source_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    target_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    source: Mapped[Organisation] = relationship(foreign_keys=[source_id])
    target: Mapped[Organisation] = relationship(foreign_keys=[target_id])


class ClaimStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


class ProfileClaim(db.Model):
    """Someone asks for an account for an employer or agency in the directory, or asks for
    an organisation that is not listed yet to be added (``organisation_id`` empty, the
    ``new_*`` fields filled). A moderator approves (an invitation follows) or refuses with a
    reason; either way the claimant is told by e-mail, in their language."""

    __tablename__ = "profile_claims"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'refused')", name="status"),
        CheckConstraint(
            "organisation_id IS NOT NULL OR new_org_name IS NOT NULL", name="names_an_org"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    new_org_name: Mapped[str | None] = mapped_column(String(200))
    new_org_kind: Mapped[str | None] = mapped_column(String(10))
    new_org_country: Mapped[str | None] = mapped_column(String(2))
    claimant_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    job_title: Mapped[str] = mapped_column(String(200))
    licence_number: Mapped[str | None] = mapped_column(String(100))
    locale: Mapped[str | None] = mapped_column(String(5))
    status: Mapped[str] = mapped_column(String(10), default=ClaimStatus.PENDING, index=True)
    reason: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation = relationship(Organisation)
