"""Reading the directory: filtered lists, provinces, and an organisation's links."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import aliased

from goldendreams.agencies.models import (
    CSO_KINDS,
    DESTINATIONS,
    LicenceStatus,
    LinkKind,
    Organisation,
    OrganisationLink,
    OrgKind,
)
from goldendreams.core.base import today
from goldendreams.core.cache import memo
from goldendreams.extensions import db


@dataclass(frozen=True)
class DirectoryFilters:
    kind: str | None = None
    country: str | None = None
    province: str | None = None
    sector: str | None = None
    licence: str | None = None
    #: The kinds listed at all (the public directory: DIRECTORY_KINDS; staff: every kind).
    kinds: tuple[str, ...] | None = None


def licence_condition(state: LicenceStatus, org=Organisation):
    """SQL for "the licence as a reader sees it is ``state``" (see Organisation.licence_state);
    ``org`` may be an alias of Organisation."""
    on = today()
    status = org.licence_status
    expiry = org.licence_expiry
    if state == LicenceStatus.VALID:
        return and_(status == "valid", or_(expiry.is_(None), expiry >= on))
    if state == LicenceStatus.EXPIRED:
        return or_(status == "expired", and_(status == "valid", expiry < on))
    return status == state.value


def directory_query(filters: DirectoryFilters) -> Select:
    """Organisations matching the filters, by name."""
    query = select(Organisation)
    if filters.kinds is not None:
        query = query.where(Organisation.kind.in_(filters.kinds))
    if filters.kind:
        query = query.where(Organisation.kind == filters.kind)
    if filters.country:
        query = query.where(Organisation.country == filters.country)
    if filters.province:
        query = query.where(Organisation.province == filters.province)
    if filters.sector:
        query = query.where(Organisation.sector == filters.sector)
    if filters.licence:
        query = query.where(
            Organisation.kind == OrgKind.AGENCY, licence_condition(LicenceStatus(filters.licence))
        )
    return query.order_by(Organisation.sort_name, Organisation.id)


@memo
def provinces(country: str | None = None, kinds: tuple[str, ...] | None = None) -> list[str]:
    """Provinces that have at least one organisation (of ``kinds``), optionally in one
    country."""
    query = select(Organisation.province).where(Organisation.province.is_not(None)).distinct()
    if country:
        query = query.where(Organisation.country == country)
    if kinds is not None:
        query = query.where(Organisation.kind.in_(kinds))
    return sorted(db.session.scalars(query), key=str.casefold)


def partners(country: str | None = None) -> list[Organisation]:
    """The network's CSOs, by name; with ``country``, those covering it (Organisation.covers).

    The network has tens of CSOs, not thousands: the coverage lists are read here, the same
    way on SQLite and PostgreSQL, rather than in JSON SQL that differs between them."""
    query = select(Organisation).where(Organisation.kind.in_(CSO_KINDS))
    found = db.session.scalars(query.order_by(Organisation.sort_name, Organisation.id))
    return [org for org in found if country is None or org.covers(country)]


def linked(org: Organisation) -> dict[str, list[Organisation]]:
    """The organisations linked to ``org``, by relation, each list sorted by name.

    Keys: ``recruits_for`` and ``recruited_by`` (agency ↔ employer), ``buys_from`` and
    ``bought_by`` (buyer ↔ employer).
    """
    other = aliased(Organisation)
    out: dict[str, list[Organisation]] = {}
    for key, kind, own_end, other_end in (
        ("recruits_for", LinkKind.RECRUITS_FOR, "source_id", "target_id"),
        ("recruited_by", LinkKind.RECRUITS_FOR, "target_id", "source_id"),
        ("buys_from", LinkKind.BUYS_FROM, "source_id", "target_id"),
        ("bought_by", LinkKind.BUYS_FROM, "target_id", "source_id"),
    ):
        query = (
            select(other)
            .join(OrganisationLink, getattr(OrganisationLink, other_end) == other.id)
            .where(OrganisationLink.kind == kind, getattr(OrganisationLink, own_end) == org.id)
            .order_by(other.sort_name)
        )
        out[key] = list(db.session.scalars(query))
    return out


def links_of(org: Organisation) -> list[OrganisationLink]:
    """Every link that has ``org`` at one end, for the staff page."""
    query = select(OrganisationLink).where(
        or_(OrganisationLink.source_id == org.id, OrganisationLink.target_id == org.id)
    )
    return list(db.session.scalars(query.order_by(OrganisationLink.id)))


#: Which kinds an organisation of each kind can be linked to (CSOs and government offices
#: have no links; an industry association's links are its member employers and agencies).
LINK_PARTNER_KINDS = {
    OrgKind.AGENCY: [OrgKind.EMPLOYER, OrgKind.ASSOCIATION, OrgKind.AGENCY],
    OrgKind.BUYER: [OrgKind.EMPLOYER],
    OrgKind.EMPLOYER: [OrgKind.AGENCY, OrgKind.BUYER, OrgKind.ASSOCIATION],
    OrgKind.ASSOCIATION: [OrgKind.EMPLOYER, OrgKind.AGENCY],
}


def linkable(org: Organisation) -> bool:
    """Whether ``org``'s kind has links at all (the staff page shows them then)."""
    return OrgKind(org.kind) in LINK_PARTNER_KINDS


def link_candidates(org: Organisation) -> list[Organisation]:
    """Organisations that could be linked to ``org`` (by kind), not linked yet."""
    partner_kinds = LINK_PARTNER_KINDS.get(OrgKind(org.kind), [])
    if not partner_kinds:
        return []
    already = {link.source_id for link in links_of(org)} | {
        link.target_id for link in links_of(org)
    }
    query = (
        select(Organisation)
        .where(Organisation.kind.in_(partner_kinds), Organisation.id != org.id)
        .order_by(Organisation.kind, Organisation.sort_name)
    )
    return [
        candidate
        for candidate in db.session.scalars(query)
        if candidate.id not in already and _may_pair(org, candidate)
    ]


def _may_pair(org: Organisation, candidate: Organisation) -> bool:
    """Two agencies pair only as an origin agency and a destination agency ("works with")."""
    if not org.kind == candidate.kind == OrgKind.AGENCY:
        return True
    return (org.country in DESTINATIONS) != (candidate.country in DESTINATIONS)
