"""The rules of escalations: who may escalate what and when, consent first, one deadline per
brand, acknowledgement and commitments, reminders once, mails without a worker's words."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from goldendreams.brands import services, tasks
from goldendreams.brands.models import BrandEscalation, Escalation
from goldendreams.cases import consent, taxonomy
from goldendreams.cases.models import ConsentItem, ConsentRecipient
from goldendreams.core.audit import AuditLog
from goldendreams.core.base import today
from goldendreams.extensions import db
from tests.brands.factories import shared_case, supply_chain
from tests.factories import (
    AgencyFactory,
    BuyerFactory,
    CaseFactory,
    CsoFactory,
    OrganisationLinkFactory,
    UserFactory,
    referred,
)
from tests.mailbox import html_of, text_of


@pytest.fixture(autouse=True)
def _taxonomy(app):
    taxonomy.load()


@pytest.fixture
def caseworker(app):
    return UserFactory(role="caseworker")


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _audits(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditLog).filter_by(action=action))


def test_a_severe_case_goes_to_every_brand_buying_from_the_employer(app, caseworker, mailbox):
    employer, brand = supply_chain()
    other = BuyerFactory()
    OrganisationLinkFactory(kind="buys_from", source=other, target=employer)
    BuyerFactory()  # buys from nobody here
    staff = UserFactory(role="brand", organisation=brand, preferred_locale="th")
    case = shared_case(employer)
    escalation = services.escalate(caseworker, employer, [case], "severe", "Please call them.")
    assert sorted(p.brand_id for p in escalation.brands) == sorted([brand.id, other.id])
    due = today() + timedelta(days=app.config["ESCALATION_ACK_DAYS"])
    assert {p.ack_due_on for p in escalation.brands} == {due}
    assert escalation.cso_id == caseworker.organisation_id
    assert _audits("escalation.create") == 1
    message = mailbox.last_to(staff.email)
    assert message["Content-Language"] == "th"
    part = next(p for p in escalation.brands if p.brand_id == brand.id)
    assert f"/brand/escalations/{part.public_id}" in text_of(message)
    for secret in ("Please call them.", case.summary, case.contact):
        assert secret not in text_of(message) + html_of(message)


def test_an_agencys_case_goes_to_the_brands_of_the_employers_it_recruits_for(app, caseworker):
    employer, brand = supply_chain()
    agency = AgencyFactory()
    OrganisationLinkFactory(kind="recruits_for", source=agency, target=employer)
    case = shared_case(agency)
    escalation = services.escalate(caseworker, agency, [case], "severe", "Fees again.")
    assert [p.brand_id for p in escalation.brands] == [brand.id]


@pytest.mark.parametrize(
    ("setup", "reason", "message"),
    [
        ("no_consent", "severe", "has not agreed"),
        ("not_referred", "severe", "already sent"),
        ("medium_on_time", "severe", "late or the problem is severe"),
        ("late_medium", "severe", "high or urgent"),
        ("severe_on_time", "no_response", "None of these cases is late"),
        ("severe_on_time", "repeated", "two cases or more"),
        ("severe_on_time", "bogus", "reason from the list"),
        ("no_brand", "severe", "No brand"),
        ("other_cso", "severe", "cannot make this step"),
    ],
)
def test_refusals_say_why_and_store_nothing(app, caseworker, setup, reason, message):
    employer, _brand = supply_chain()
    if setup == "no_brand":
        employer = CaseFactory().organisation
    severity = "medium" if setup in ("medium_on_time", "late_medium") else "high"
    if setup == "not_referred":
        case = CaseFactory(organisation=employer, severity="high", status="triaged")
    else:
        case = shared_case(employer, severity=severity, consented=setup != "no_consent")
    if setup == "late_medium":
        case.stage_since = today() - timedelta(days=60)
        db.session.commit()
    actor = caseworker
    if setup == "other_cso":
        actor = UserFactory(role="caseworker", organisation=CsoFactory())
    before = (_count(Escalation), _count(BrandEscalation), _count(AuditLog))
    with pytest.raises(services.EscalationError, match=message):
        services.escalate(actor, employer, [case], reason, "A note.")
    assert (_count(Escalation), _count(BrandEscalation), _count(AuditLog)) == before


def test_the_organisation_being_late_is_a_reason(app, caseworker):
    employer, _brand = supply_chain()
    case = shared_case(employer, severity="medium")
    case.stage_since = today() - timedelta(days=60)
    db.session.commit()
    escalation = services.escalate(caseworker, employer, [case], "no_response", "No answer.")
    assert escalation.reason == "no_response"


def test_consent_recorded_with_a_single_case_goes_in_the_same_transaction(app, caseworker):
    employer, _brand = supply_chain()
    case = shared_case(employer, consented=False)
    services.escalate(caseworker, employer, [case], "severe", "Note.", consent_method="phone",
                      consent_note="On the phone.")  # fmt: skip
    assert consent.has_consent(ConsentRecipient.BRAND, ConsentItem.ISSUE, case_id=case.id)
    # For a pattern, each worker's consent is recorded on their case first.
    second, third = shared_case(employer, consented=False), shared_case(employer, consented=False)
    with pytest.raises(services.EscalationError, match="each worker"):
        services.escalate(caseworker, employer, [second, third], "repeated", "Again.",
                          consent_method="phone")  # fmt: skip
    assert not consent.has_consent(ConsentRecipient.BRAND, case_id=second.id)


def test_a_pattern_may_take_cases_neither_late_nor_severe_with_one_that_is(app, caseworker):
    employer, _brand = supply_chain()
    cases = [shared_case(employer), shared_case(employer, severity="low")]
    escalation = services.escalate(caseworker, employer, cases, "repeated", "Twice now.")
    assert escalation.is_pattern and len(escalation.cases) == 2


def test_the_brand_acknowledges_and_commits_the_cso_hears(app, caseworker, mailbox):
    employer, brand = supply_chain()
    staff = UserFactory(role="brand", organisation=brand)
    stranger = UserFactory(role="brand", organisation=BuyerFactory())
    escalation = services.escalate(caseworker, employer, [shared_case(employer)], "severe", "N.")
    part = escalation.brands[0]
    mailbox.clear()
    with pytest.raises(services.EscalationError):
        services.acknowledge(stranger, part)
    services.acknowledge(staff, part)
    assert part.acknowledged_on == today()
    assert caseworker.email in [m["To"] for m in mailbox.messages]
    with pytest.raises(services.EscalationError, match="already"):
        services.acknowledge(staff, part)
    with pytest.raises(services.EscalationError, match="one year"):
        services.add_commitment(staff, part, "visit", "A visit.", today() - timedelta(days=1))
    with pytest.raises(services.EscalationError, match="from the list"):
        services.add_commitment(staff, part, "bribe", "Hmm.", today())
    commitment = services.add_commitment(staff, part, "visit", "A visit.", today())
    assert not services.commitment_overdue(commitment)
    services.mark_done(staff, commitment)
    assert commitment.is_done and commitment.done_on == today()
    assert _audits("escalation.acknowledge") == 1
    assert _audits("escalation.commit") == 1
    assert _audits("escalation.commitment_done") == 1


def test_overdue_acknowledgements_are_reminded_once(app, caseworker, mailbox):
    employer, brand = supply_chain()
    staff = UserFactory(role="brand", organisation=brand)
    escalation = services.escalate(caseworker, employer, [shared_case(employer)], "severe", "N.")
    part = escalation.brands[0]
    assert tasks.remind_overdue_acknowledgements.call_local() == 0  # not late yet
    part.ack_due_on = today() - timedelta(days=1)
    db.session.commit()
    assert services.ack_overdue(part)
    mailbox.clear()
    assert tasks.remind_overdue_acknowledgements.call_local() == 1
    assert [m["To"] for m in mailbox.messages] == [staff.email]
    assert tasks.remind_overdue_acknowledgements.call_local() == 0  # once


def test_a_late_commitment_stands_out(app, caseworker):
    employer, brand = supply_chain()
    staff = UserFactory(role="brand", organisation=brand)
    escalation = services.escalate(caseworker, employer, [shared_case(employer)], "severe", "N.")
    commitment = services.add_commitment(staff, escalation.brands[0], "call", "A call.", today())
    commitment.due_on = today() - timedelta(days=1)
    db.session.commit()
    assert services.commitment_overdue(commitment)
    assert services.escalation_overdue(escalation)


def test_referred_case_from_another_org_cannot_join(app, caseworker):
    employer, _brand = supply_chain()
    elsewhere = referred(CaseFactory(severity="high", status="referred"))
    with pytest.raises(services.EscalationError, match="this organisation only"):
        services.escalate(caseworker, employer, [shared_case(employer), elsewhere], "severe", "N")
