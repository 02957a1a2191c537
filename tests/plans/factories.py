"""Factories of plans and their steps, and a small world to test them in."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta

import factory
from PIL import Image

from goldendreams.accounts.models import User
from goldendreams.agencies.models import Organisation
from goldendreams.cases.models import Case
from goldendreams.core.base import today
from goldendreams.plans.models import ItemStatus, Plan, PlanItem, PlanStatus
from tests.factories import (
    AgencyFactory,
    BaseFactory,
    BuyerFactory,
    CaseFactory,
    CsoFactory,
    OrganisationFactory,
    OrganisationLinkFactory,
    UserFactory,
    _categories,
    network_cso,
    referred,
)


class PlanFactory(BaseFactory):
    class Meta:
        model = Plan

    organisation = factory.SubFactory(OrganisationFactory)
    verifier = factory.LazyFunction(network_cso)
    title = factory.Sequence(lambda n: f"Improvement plan {n}")
    written_by = "organisation"
    status = PlanStatus.ACTIVE
    written_on = factory.LazyFunction(today)
    started_on = factory.LazyFunction(today)
    categories = factory.LazyFunction(lambda: _categories("ILO-07"))


class PlanItemFactory(BaseFactory):
    class Meta:
        model = PlanItem

    plan = factory.SubFactory(PlanFactory)
    text = factory.Sequence(lambda n: f"Change number {n}")
    owner = "HR manager"
    due_on = factory.LazyFunction(lambda: today() + timedelta(days=30))
    status = ItemStatus.PLANNED


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 10, 10)).save(out, format="PNG")
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    """An employer with a referred case run by the network CSO, an agency recruiting for
    it, a brand buying from it; staff of each; another CSO, brand and employer."""

    employer: Organisation
    agency: Organisation
    brand: Organisation
    case: Case
    employer_staff: User
    agency_staff: User
    brand_staff: User
    caseworker: User
    admin: User
    other_cso: Organisation
    other_caseworker: User
    other_brand_staff: User
    other_employer_staff: User


def world() -> World:
    employer, agency, brand = OrganisationFactory(), AgencyFactory(), BuyerFactory()
    OrganisationLinkFactory(kind="buys_from", source=brand, target=employer)
    OrganisationLinkFactory(kind="recruits_for", source=agency, target=employer)
    other_cso = CsoFactory()
    other_brand = BuyerFactory()
    case = referred(CaseFactory(organisation=employer, categories=_categories("ILO-07")))
    return World(
        employer=employer,
        agency=agency,
        brand=brand,
        case=case,
        employer_staff=UserFactory(role="employer_staff", organisation=employer),
        agency_staff=UserFactory(role="agency_staff", organisation=agency),
        brand_staff=UserFactory(role="brand", organisation=brand),
        caseworker=UserFactory(role="caseworker"),
        admin=UserFactory(role="admin"),
        other_cso=other_cso,
        other_caseworker=UserFactory(role="caseworker", organisation=other_cso),
        other_brand_staff=UserFactory(role="brand", organisation=other_brand),
        other_employer_staff=UserFactory(role="employer_staff", organisation=OrganisationFactory()),
    )


def route_ids(organisation) -> dict[str, str]:
    """Public ids for the plan routes' <plan_id> and <item_id> (shared route tests): a plan
    under way of ``organisation`` with one step."""
    item = PlanItemFactory(plan=PlanFactory(organisation=organisation))
    return {"plan": item.plan.public_id, "item": item.public_id}
