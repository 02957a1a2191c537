"""Test data of safeguarding."""

from __future__ import annotations

from datetime import timedelta

import factory

from goldendreams.core.base import today
from goldendreams.safeguarding.models import CheckIn, OnCall, RetaliationReport, RiskAssessment
from tests.factories import BaseFactory, CaseFactory, UserFactory

#: Answers that make the risk high (the worker's movement is restricted).
HIGH = {"danger": "no", "movement": "yes", "documents": "no", "debt": "no", "threats": "no",
        "children": "no"}  # fmt: skip
#: Answers that make the risk low.
LOW = dict.fromkeys(HIGH, "no")
SAFE_CONTACT = "Only LINE after 9 pm, id ko.aung.safe; never call the dormitory phone"


class RiskAssessmentFactory(BaseFactory):
    class Meta:
        model = RiskAssessment

    case_id = factory.LazyFunction(lambda: CaseFactory().id)
    danger = "no"
    movement = "no"
    documents = "no"
    debt = "no"
    threats = "no"
    children = "no"
    safe_contact = SAFE_CONTACT
    level = "low"
    assessed_on = factory.LazyFunction(today)

    class Params:
        high = factory.Trait(movement="yes", level="high")


class OnCallFactory(BaseFactory):
    class Meta:
        model = OnCall

    user_id = factory.LazyFunction(lambda: UserFactory(role="caseworker").id)
    on_call = True


class CheckInFactory(BaseFactory):
    class Meta:
        model = CheckIn

    case_id = factory.LazyFunction(lambda: CaseFactory().id)
    due_on = factory.LazyFunction(lambda: today() + timedelta(days=3))
    method = "phone"


class RetaliationReportFactory(BaseFactory):
    class Meta:
        model = RetaliationReport

    case_id = factory.LazyFunction(lambda: CaseFactory().id)
    kind = "pay_cut"
    reported_on = factory.LazyFunction(today)
    note = "The supervisor cut Ko Aung's pay by half after the visit."
