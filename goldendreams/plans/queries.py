"""Reading plans: per organisation, per verifying CSO, per case, per brand."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from goldendreams.agencies.models import LinkKind, OrganisationLink
from goldendreams.cases import queries as case_queries
from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.plans import permissions
from goldendreams.plans.models import ItemStatus, Plan, PlanItem, PlanStatus, plan_cases


def _plans(query) -> list[Plan]:
    options = (
        selectinload(Plan.items),
        selectinload(Plan.organisation),
        selectinload(Plan.categories),
        selectinload(Plan.cases),
    )
    return list(db.session.scalars(query.options(*options).order_by(Plan.id.desc())))


def plans_of(organisation_id: int) -> list[Plan]:
    """An organisation's plans, newest first."""
    return _plans(select(Plan).where(Plan.organisation_id == organisation_id))


def plans_verified_by(user) -> list[Plan]:
    """The plans a caseworker's CSO verifies (admins: every plan)."""
    if permissions.is_admin(user):
        return _plans(select(Plan))
    return _plans(select(Plan).where(Plan.verifier_id == user.organisation_id))


def plans_of_case(case_id: int) -> list[Plan]:
    """The plans that name a case."""
    linked = select(plan_cases.c.plan_id).where(plan_cases.c.case_id == case_id)
    return _plans(select(Plan).where(Plan.id.in_(linked)))


def employers_recruited_for(agency_id: int) -> list[int]:
    query = select(OrganisationLink.target_id).filter_by(
        kind=LinkKind.RECRUITS_FOR, source_id=agency_id
    )
    return list(db.session.scalars(query))


def agencies_recruiting_for(employer_ids: list[int]) -> list[int]:
    query = select(OrganisationLink.source_id).where(
        OrganisationLink.kind == LinkKind.RECRUITS_FOR,
        OrganisationLink.target_id.in_(employer_ids),
    )
    return sorted(set(db.session.scalars(query)))


def brand_ids(plan: Plan) -> list[int]:
    """The brands that see a plan: those that buy from its employer; for an agency, those
    that buy from the employers it recruits for."""
    if plan.organisation.kind == "agency":
        employers = employers_recruited_for(plan.organisation_id)
        return sorted({b for e in employers for b in case_queries.buyer_ids(e)})
    return case_queries.buyer_ids(plan.organisation_id)


def plans_for_brand(buyer_id: int) -> list[Plan]:
    """The plans (under way or completed) of a brand's suppliers and of the agencies that
    recruit for them."""
    suppliers = case_queries.supplier_ids(buyer_id)
    organisations = set(suppliers) | set(agencies_recruiting_for(suppliers))
    query = select(Plan).where(
        Plan.organisation_id.in_(organisations), Plan.status != PlanStatus.DRAFT
    )
    return _plans(query)


def overdue_items(plan: Plan, day: date | None = None) -> list:
    day = day or today()
    return [item for item in plan.items if item.is_overdue(day)]


def overdue_count(plans: list[Plan], day: date | None = None) -> int:
    day = day or today()
    return sum(len(overdue_items(plan, day)) for plan in plans)


def shared_case_references(plan: Plan) -> list:
    """The linked cases an organisation or a brand may know of: those sent to the
    organisation (a case not yet shared with it does not exist for them)."""
    return [case for case in plan.cases if case.shared_with_organisation]


def items_newly_overdue(day: date) -> list:
    """Items past their due date, not verified, in a plan under way, whose organisation was
    not told yet (each item once)."""
    query = (
        select(PlanItem)
        .join(Plan, Plan.id == PlanItem.plan_id)
        .where(
            PlanItem.due_on < day,
            PlanItem.status != ItemStatus.VERIFIED,
            PlanItem.overdue_notified_on.is_(None),
            Plan.status == PlanStatus.ACTIVE,
        )
        .order_by(PlanItem.plan_id, PlanItem.id)
    )
    return list(db.session.scalars(query))
