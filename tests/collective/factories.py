"""Factories of collective cases, their grouped cases, beneficiary lines and instalments."""

from __future__ import annotations

from decimal import Decimal

import factory

from goldendreams.collective.models import (
    Beneficiary,
    CollectiveCase,
    CollectiveMember,
    Instalment,
)
from goldendreams.core.base import today
from tests.factories import BaseFactory, CaseFactory, network_cso, referred


class CollectiveFactory(BaseFactory):
    """A collective case of the test network's CSO, about a new employer (no case yet)."""

    class Meta:
        model = CollectiveCase

    reference = factory.Sequence(lambda n: f"ILM-C-2026-{n + 10000:08d}")
    owner = factory.LazyFunction(network_cso)
    organisation = factory.SubFactory("tests.factories.OrganisationFactory")
    grouping = "dormitory"
    description = "Dormitory B, room of Ko Aung's brother"
    workers_covered = 12
    opened_on = factory.LazyFunction(today)


class MemberFactory(BaseFactory):
    class Meta:
        model = CollectiveMember

    collective = factory.SubFactory(CollectiveFactory)
    case = factory.LazyAttribute(
        lambda o: CaseFactory(organisation=o.collective.organisation, owner=o.collective.owner)
    )
    added_on = factory.LazyFunction(today)


class BeneficiaryFactory(BaseFactory):
    class Meta:
        model = Beneficiary

    collective = factory.SubFactory(CollectiveFactory)
    label = factory.Sequence(lambda n: f"Ma Hnin Secret {n}")
    amount_owed = Decimal("18000")
    amount_paid = Decimal("0")
    currency = "THB"


class InstalmentFactory(BaseFactory):
    class Meta:
        model = Instalment

    collective = factory.SubFactory(CollectiveFactory)
    due_on = factory.LazyFunction(today)
    amount = Decimal("50000")
    currency = "THB"
    state = "due"


def collective_with_case(shared: bool = True, **fields) -> CollectiveCase:
    """A collective case grouping one case, referred to its organisation when ``shared``."""
    collective = CollectiveFactory(**fields)
    member = MemberFactory(collective=collective)
    if shared:
        member.case.status = "referred"
        referred(member.case)
    return collective


def route_ids(organisation) -> dict[str, str]:
    """Ids for the collective routes' <collective_id>, <instalment_id> and <line_id> (shared
    route tests): a collective case about ``organisation``, told to it, with one line and
    one instalment."""
    collective = collective_with_case(organisation=organisation)
    return {
        "collective": collective.public_id,
        "instalment": InstalmentFactory(collective=collective).public_id,
        "line": str(BeneficiaryFactory(collective=collective).id),
    }
