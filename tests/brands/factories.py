"""Test data of the brands feature: a supplier with a brand, cases sent to it, and
escalations made the way the site makes them (with the worker's consent)."""

from __future__ import annotations

from datetime import timedelta

import factory

from goldendreams.brands.models import (
    BrandEscalation,
    Commitment,
    CommitmentKind,
    CommitmentStatus,
    Escalation,
    EscalationReason,
)
from goldendreams.cases import consent
from goldendreams.cases.models import ConsentItem, ConsentRecipient
from goldendreams.core.base import today
from tests.factories import (
    BaseFactory,
    BuyerFactory,
    CaseFactory,
    OrganisationFactory,
    OrganisationLinkFactory,
    network_cso,
    referred,
)


def supply_chain():
    """An employer and a brand that buys from it."""
    employer, brand = OrganisationFactory(), BuyerFactory()
    OrganisationLinkFactory(kind="buys_from", source=brand, target=employer)
    return employer, brand


def shared_case(employer, severity: str = "high", consented: bool = True, **fields):
    """An open case of the test network's CSO, referred to ``employer``; with the worker's
    consent to tell brands what happened unless ``consented`` is False."""
    case = referred(CaseFactory(organisation=employer, severity=severity, status="referred",
                                **fields))  # fmt: skip
    if consented:
        consent.record(None, ConsentRecipient.BRAND, [ConsentItem.ISSUE], "phone", "Yes.",
                       case_id=case.id)  # fmt: skip
    return case


class EscalationFactory(BaseFactory):
    class Meta:
        model = Escalation

    organisation = factory.SubFactory(OrganisationFactory)
    cso = factory.LazyFunction(network_cso)
    reason = EscalationReason.SEVERE
    note = "Escalation note zqescnote: please call the supplier."
    escalated_on = factory.LazyFunction(today)


class BrandEscalationFactory(BaseFactory):
    class Meta:
        model = BrandEscalation

    escalation = factory.SubFactory(EscalationFactory)
    brand = factory.SubFactory(BuyerFactory)
    ack_due_on = factory.LazyFunction(lambda: today() + timedelta(days=7))


class CommitmentFactory(BaseFactory):
    class Meta:
        model = Commitment

    brand_escalation = factory.SubFactory(BrandEscalationFactory)
    kind = CommitmentKind.VISIT
    text = "We visit the factory."
    due_on = factory.LazyFunction(lambda: today() + timedelta(days=21))
    status = CommitmentStatus.PROMISED
    recorded_on = factory.LazyFunction(today)
