"""Reading the brands feature: who buys from whom, escalations, the dashboard's filters."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from goldendreams.agencies.models import LinkKind, Organisation, OrganisationLink, OrgKind
from goldendreams.brands.models import BrandEscalation, Escalation, escalation_cases
from goldendreams.cases import queries as case_queries
from goldendreams.cases.models import Case
from goldendreams.core.base import today
from goldendreams.extensions import db

#: Cases a brand's dashboard lists on one page.
PAGE_SIZE = 20
#: Quarters the period filter offers (the brand sees months and quarters, never days).
QUARTERS_SHOWN = 8


def employers_recruited_for(agency_id: int) -> list[int]:
    query = select(OrganisationLink.target_id).filter_by(
        kind=LinkKind.RECRUITS_FOR, source_id=agency_id
    )
    return list(db.session.scalars(query))


def brands_for(organisation: Organisation) -> list[Organisation]:
    """The brands an escalation about ``organisation`` goes to: those that buy from it, or,
    for an agency, from the employers it recruits for."""
    employers = (
        employers_recruited_for(organisation.id)
        if organisation.kind == OrgKind.AGENCY
        else [organisation.id]
    )
    ids = {buyer for employer in employers for buyer in case_queries.buyer_ids(employer)}
    if not ids:
        return []
    query = select(Organisation).where(Organisation.id.in_(ids), Organisation.kind == "buyer")
    return list(db.session.scalars(query.order_by(Organisation.sort_name)))


@dataclass
class Upstream:
    agency: Organisation
    suppliers: list[str]


def upstream(buyer_id: int) -> list[Upstream]:
    """The recruitment agencies that recruit for a brand's suppliers, each with the names of
    the suppliers it recruits for, by name."""
    suppliers = case_queries.supplier_ids(buyer_id)
    if not suppliers:
        return []
    query = (
        select(OrganisationLink)
        .where(
            OrganisationLink.kind == LinkKind.RECRUITS_FOR,
            OrganisationLink.target_id.in_(suppliers),
        )
        .options(selectinload(OrganisationLink.source), selectinload(OrganisationLink.target))
    )
    found: dict[int, Upstream] = {}
    for link in db.session.scalars(query):
        entry = found.setdefault(link.source_id, Upstream(link.source, []))
        entry.suppliers.append(link.target.name)
    for entry in found.values():
        entry.suppliers.sort()
    return sorted(found.values(), key=lambda e: e.agency.sort_name or e.agency.name)


def suppliers(buyer_id: int) -> list[Organisation]:
    ids = case_queries.supplier_ids(buyer_id)
    if not ids:
        return []
    query = select(Organisation).where(Organisation.id.in_(ids)).order_by(Organisation.sort_name)
    return list(db.session.scalars(query))


# --- escalations ------------------------------------------------------------------------------

_ESCALATION_LOAD = (
    selectinload(Escalation.cases).selectinload(Case.categories),
    selectinload(Escalation.brands).selectinload(BrandEscalation.commitments),
    selectinload(Escalation.brands).selectinload(BrandEscalation.brand),
    selectinload(Escalation.organisation),
    selectinload(Escalation.cso),
)


def brand_escalations(brand_id: int) -> list[BrandEscalation]:
    """What was escalated to one brand, newest first."""
    query = (
        select(BrandEscalation)
        .filter_by(brand_id=brand_id)
        .order_by(BrandEscalation.id.desc())
        .options(
            selectinload(BrandEscalation.commitments),
            selectinload(BrandEscalation.escalation).selectinload(Escalation.cases),
            selectinload(BrandEscalation.escalation).selectinload(Escalation.organisation),
        )
    )
    return list(db.session.scalars(query))


def escalations_of_cso(cso_id: int | None) -> list[Escalation]:
    """A CSO's escalations, newest first (None: every CSO's, for admins)."""
    query = select(Escalation).order_by(Escalation.id.desc()).options(*_ESCALATION_LOAD)
    if cso_id is not None:
        query = query.filter_by(cso_id=cso_id)
    return list(db.session.scalars(query))


def escalations_of_case(case_id: int) -> list[Escalation]:
    query = (
        select(Escalation)
        .join(escalation_cases, escalation_cases.c.escalation_id == Escalation.id)
        .where(escalation_cases.c.case_id == case_id)
        .order_by(Escalation.id.desc())
        .options(*_ESCALATION_LOAD)
    )
    return list(db.session.scalars(query))


def escalations_about(organisation_id: int) -> list[Escalation]:
    """Escalations about one employer or agency (what its staff see), newest first."""
    query = (
        select(Escalation)
        .filter_by(organisation_id=organisation_id)
        .order_by(Escalation.id.desc())
        .options(*_ESCALATION_LOAD)
    )
    return list(db.session.scalars(query))


def escalated_to(brand_id: int, case_id: int) -> bool:
    """Was this case escalated to this brand?"""
    query = (
        select(BrandEscalation.id)
        .join(escalation_cases, escalation_cases.c.escalation_id == BrandEscalation.escalation_id)
        .where(BrandEscalation.brand_id == brand_id, escalation_cases.c.case_id == case_id)
        .limit(1)
    )
    return db.session.scalar(query) is not None


def escalatable_cases(cso_id: int | None, organisation_id: int) -> list[Case]:
    """The open cases at an organisation, shared with it, that a CSO runs (None: every
    CSO's, for admins): what a caseworker may choose for an escalation."""
    return [
        case
        for case in case_queries.cases_of(organisation_id)
        if case.is_open
        and case.shared_with_organisation
        and (cso_id is None or case.owner_id == cso_id)
    ]


# --- the dashboard ----------------------------------------------------------------------------


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def recent_quarters(count: int = QUARTERS_SHOWN) -> list[tuple[str, int, int]]:
    """The last ``count`` quarters, newest first: (key, year, number)."""
    year, number = today().year, (today().month - 1) // 3 + 1
    found = []
    for _ in range(count):
        found.append((f"{year}-Q{number}", year, number))
        year, number = (year, number - 1) if number > 1 else (year - 1, 4)
    return found


def filter_cases(
    cases: list[Case],
    supplier_id: int | None = None,
    category: str | None = None,
    severity: str | None = None,
    quarter: str | None = None,
) -> list[Case]:
    """The cases that match every filter given."""
    return [
        case
        for case in cases
        if (supplier_id is None or case.organisation_id == supplier_id)
        and (not category or any(c.code == category for c in case.categories))
        and (not severity or case.severity == severity)
        and (not quarter or quarter_of(case.opened_on) == quarter)
    ]


@dataclass
class Page:
    """One page of a list, with what the ``pager`` macro reads."""

    items: list
    page: int
    total: int
    per_page: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(math.ceil(self.total / self.per_page), 1)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def page_of(items: list, page: int, per_page: int = PAGE_SIZE) -> Page:
    start = (page - 1) * per_page
    return Page(items[start : start + per_page], page, len(items), per_page)
