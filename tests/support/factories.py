"""Factories of the service directory and of referrals to services."""

from __future__ import annotations

from datetime import timedelta

import factory

from goldendreams.core.base import today
from goldendreams.support.models import ReferralState, Service, ServiceReferral
from tests.factories import BaseFactory, CaseFactory


class ServiceFactory(BaseFactory):
    class Meta:
        model = Service

    kind = "legal_aid"
    name = factory.Sequence(lambda n: f"Example Legal Aid Clinic {n:03d}")
    country = "TH"
    province = "Tak"
    languages = factory.LazyFunction(lambda: ["my", "th"])
    phone = "+66 55 555 0201"
    website = "https://legal-aid.example.org/"
    offers = "Advice on unpaid wages."
    free = True
    created_on = factory.LazyFunction(today)


class ServiceReferralFactory(BaseFactory):
    class Meta:
        model = ServiceReferral

    case = factory.SubFactory(CaseFactory)
    service = factory.SubFactory(ServiceFactory)
    state = ReferralState.SENT
    note = "Needs a lawyer zqreferralnote."
    referred_on = factory.LazyFunction(today)
    follow_up_on = factory.LazyFunction(lambda: today() + timedelta(days=7))
