"""The read side of the service directory and of referrals to services. Rights' help page
reads ``for_help`` (rights sits above support in the import order)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, select

from goldendreams.cases.models import Case
from goldendreams.core.base import json_list_has
from goldendreams.extensions import db
from goldendreams.support.models import (
    FINISHED_STATES,
    Service,
    ServiceKind,
    ServiceReferral,
    ServiceStatus,
)

_FINISHED = [str(state) for state in FINISHED_STATES]
#: The order of kinds on the public pages: the most urgent needs first.
KIND_ORDER = (
    ServiceKind.SHELTER, ServiceKind.HEALTH_CARE, ServiceKind.LEGAL_AID, ServiceKind.EMBASSY,
    ServiceKind.LABOUR_INSPECTION, ServiceKind.UNION, ServiceKind.DEBT_COUNSELLING,
)  # fmt: skip


@dataclass(frozen=True)
class ServiceFilters:
    country: str | None = None
    kind: str | None = None
    language: str | None = None


def services_query(filters: ServiceFilters, listed_only: bool = True) -> Select:
    """Services matching ``filters``, by country, kind and name."""
    query = select(Service)
    if listed_only:
        query = query.where(Service.status == ServiceStatus.LISTED)
    if filters.country:
        query = query.where(Service.country == filters.country)
    if filters.kind:
        query = query.where(Service.kind == filters.kind)
    if filters.language:
        query = query.where(json_list_has(Service.languages, filters.language))
    return query.order_by(Service.country, Service.kind, Service.name, Service.id)


def for_help(country: str | None) -> dict[str, list[Service]]:
    """The listed services of one country, by kind (in KIND_ORDER); empty without one."""
    if not country:
        return {}
    found = db.session.scalars(services_query(ServiceFilters(country=country)))
    grouped: dict[str, list[Service]] = {}
    for service in found:
        grouped.setdefault(service.kind, []).append(service)
    return {kind: grouped[kind] for kind in KIND_ORDER if kind in grouped}


def managed_by(user_is_admin: bool, cso_id: int | None, filters: ServiceFilters) -> list[Service]:
    """The staff list: every service for admins, their CSO's for a CSO's admin (listed
    or switched off)."""
    query = services_query(filters, listed_only=False)
    if not user_is_admin:
        query = query.where(Service.cso_id == cso_id)
    return list(db.session.scalars(query))


def listed_services() -> list[Service]:
    """Every listed service, for the referral form's menu."""
    return list(db.session.scalars(services_query(ServiceFilters())))


def of_case(case_id: int) -> list[ServiceReferral]:
    """A case's referrals to services, newest first."""
    query = select(ServiceReferral).where(ServiceReferral.case_id == case_id)
    return list(db.session.scalars(query.order_by(ServiceReferral.id.desc())))


def _overdue(query: Select, day: date) -> Select:
    return query.where(ServiceReferral.state.not_in(_FINISHED), ServiceReferral.follow_up_on < day)


def for_cso(cso_id: int | None, show: str, day: date) -> list[ServiceReferral]:
    """Referrals of the cases a CSO runs (``cso_id`` None: every CSO's, for admins):
    ``open``, ``overdue`` or ``all``; the oldest follow-up first."""
    query = select(ServiceReferral).join(Case, Case.id == ServiceReferral.case_id)
    if cso_id is not None:
        query = query.where(Case.owner_id == cso_id)
    if show == "overdue":
        query = _overdue(query, day)
    elif show == "open":
        query = query.where(ServiceReferral.state.not_in(_FINISHED))
    return list(
        db.session.scalars(query.order_by(ServiceReferral.follow_up_on, ServiceReferral.id))
    )


def overdue_to_remind(day: date) -> list[ServiceReferral]:
    """Overdue referrals whose follow-up date nobody was reminded of yet."""
    query = _overdue(select(ServiceReferral), day).where(
        (ServiceReferral.reminded_for.is_(None))
        | (ServiceReferral.reminded_for != ServiceReferral.follow_up_on)
    )
    return list(db.session.scalars(query.order_by(ServiceReferral.id)))
