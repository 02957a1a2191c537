"""Safeguarding's rules: the risk level, high risk makes a case or conversation urgent and
alerts the on-call people (and only them, with nothing of the worker), check-ins and their
reminder, retaliation reports, and consent before anything is shared."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from goldendreams.cases import consent, referrals
from goldendreams.cases import services as case_services
from goldendreams.cases.models import Case, ConsentRecord
from goldendreams.core.audit import AuditLog
from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.safeguarding import alerts, queries, rules, services
from goldendreams.safeguarding.models import CheckIn, RetaliationReport, RiskAssessment
from tests.factories import (
    CaseFactory,
    ConversationFactory,
    CsoFactory,
    UserFactory,
    network_cso,
    referred,
)
from tests.mailbox import html_of, text_of
from tests.safeguarding.factories import (
    HIGH,
    LOW,
    SAFE_CONTACT,
    CheckInFactory,
    OnCallFactory,
    RetaliationReportFactory,
    RiskAssessmentFactory,
)

SUMMARY = "Ko Aung was locked in the dormitory by supervisor U Kyaw"


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)))


@pytest.mark.parametrize(
    ("changes", "level"),
    [
        ({}, "low"),
        ({"danger": "yes"}, "high"),
        ({"movement": "yes"}, "high"),
        ({"threats": "yes"}, "high"),
        ({"documents": "yes"}, "medium"),
        ({"debt": "yes"}, "medium"),
        ({"documents": "yes", "debt": "yes"}, "high"),
        ({"children": "yes"}, "medium"),
        ({"children": "yes", "debt": "yes"}, "high"),
        ({"danger": "not_sure"}, "medium"),
        ({"debt": "not_sure", "children": "not_sure"}, "low"),
    ],
)
def test_the_risk_level_rule(changes, level):
    assert rules.risk_level({**LOW, **changes}) == level


def test_a_high_risk_makes_the_case_urgent_and_alerts_only_the_on_call_people(app, mailbox):
    caseworker = UserFactory(role="caseworker")
    on_call = OnCallFactory(user_id=UserFactory(role="caseworker").id).user
    off_call = UserFactory(role="caseworker")
    elsewhere = UserFactory(role="caseworker", organisation=CsoFactory())
    OnCallFactory(user_id=elsewhere.id)
    case = CaseFactory(summary=SUMMARY, severity="medium")
    mailbox.clear()

    assessment = services.assess_case(case, caseworker, HIGH, SAFE_CONTACT)

    assert assessment.level == "high" and assessment.assessed_by_id == caseworker.id
    assert db.session.get(Case, case.id).severity == "urgent"
    assert actions() == ["safeguarding.assess", "case.urgent"]
    assert [m["To"] for m in mailbox.messages] == [on_call.email]
    mail = mailbox.last_to(on_call.email)
    body = text_of(mail) + html_of(mail) + mail["Subject"]
    assert f"/cases/{case.id}" in body
    for secret in (SUMMARY, SAFE_CONTACT, case.organisation.name, case.contact):
        assert secret not in body
    assert not mailbox.to(off_call.email) and not mailbox.to(elsewhere.email)


def test_on_call_people_are_alerted_even_with_the_kind_switched_off(app, mailbox):
    person = UserFactory(role="caseworker", muted_notifications=["safeguarding_alert"])
    OnCallFactory(user_id=person.id)
    services.assess_case(CaseFactory(), UserFactory(role="caseworker"), HIGH, None)
    assert mailbox.to(person.email)


def test_nobody_on_call_alerts_every_caseworker_of_the_cso_as_they_chose(app, mailbox):
    first, second = UserFactory(role="caseworker"), UserFactory(role="caseworker")
    muted = UserFactory(role="caseworker", muted_notifications=["safeguarding_alert"])
    other_cso = UserFactory(role="caseworker", organisation=CsoFactory())
    services.assess_case(CaseFactory(), first, HIGH, None)
    assert mailbox.to(first.email) and mailbox.to(second.email)
    assert not mailbox.to(muted.email) and not mailbox.to(other_cso.email)


def test_a_low_risk_changes_nothing_and_alerts_nobody(app, mailbox):
    OnCallFactory()
    case = CaseFactory(severity="medium")
    services.assess_case(case, UserFactory(role="caseworker"), LOW, None)
    assert case.severity == "medium" and not mailbox.messages


def test_a_new_assessment_replaces_the_last_and_keeps_the_history(app):
    case, caseworker = CaseFactory(), UserFactory(role="caseworker")
    services.assess_case(case, caseworker, {**LOW, "debt": "yes"}, "old way")
    services.assess_case(case, caseworker, LOW, None)
    assert queries.current_assessment(case_id=case.id).level == "low"
    assert [a.level for a in queries.assessments(case_id=case.id)] == ["low", "medium"]


@pytest.mark.parametrize(
    "answers", [{**LOW, "danger": None}, {**LOW, "movement": "maybe"}, {}, {**LOW, "debt": ""}]
)
def test_bad_answers_store_nothing(app, answers):
    case = CaseFactory()
    with pytest.raises(services.SafeguardingError, match="Answer every question"):
        services.assess_case(case, UserFactory(role="caseworker"), answers, None)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(RiskAssessment)) == 0


def test_only_those_who_run_the_case_assess_it(app):
    case = CaseFactory()
    for actor in (UserFactory(role="caseworker", organisation=CsoFactory()),
                  UserFactory(role="moderator")):  # fmt: skip
        with pytest.raises(services.SafeguardingError):
            services.assess_case(case, actor, HIGH, None)
    assert case.severity == "medium"


def test_a_high_risk_conversation_is_tagged_urgent_through_the_inbox(app, mailbox):
    conversation = ConversationFactory()
    person = OnCallFactory().user
    caseworker = UserFactory(role="caseworker")
    services.assess_conversation(conversation, caseworker, HIGH, SAFE_CONTACT)
    assert conversation.urgent
    assert actions() == ["safeguarding.assess", "conversation.tag"]
    mail = mailbox.last_to(person.email)
    assert f"/inbox/{conversation.id}" in text_of(mail) and SAFE_CONTACT not in text_of(mail)


def test_the_safe_contact_is_stored_encrypted(app):
    case = CaseFactory()
    services.assess_case(case, UserFactory(role="caseworker"), LOW, SAFE_CONTACT)
    raw = db.session.execute(db.text("SELECT safe_contact FROM risk_assessments")).scalar()
    assert raw and SAFE_CONTACT not in raw


# --- plan, check-ins --------------------------------------------------------------------------


def test_a_plan_needs_a_high_risk_and_schedules_the_next_check_in(app):
    case, caseworker = CaseFactory(), UserFactory(role="caseworker")
    with pytest.raises(services.SafeguardingError):
        services.save_plan(case, caseworker, "Move her to the shelter", None, None)
    services.assess_case(case, caseworker, HIGH, None)
    soon = today() + timedelta(days=2)
    services.save_plan(case, caseworker, "Move her to the shelter", soon, "phone")
    assert queries.plan_of(case.id).text == "Move her to the shelter"
    assert queries.next_check_in(case.id).due_on == soon


def test_check_ins_need_a_high_risk_or_a_referred_case_and_a_day_ahead(app):
    case, caseworker = CaseFactory(), UserFactory(role="caseworker")
    with pytest.raises(services.SafeguardingError):
        services.schedule_check_in(case, caseworker, today() + timedelta(days=7), "phone")
    referred(case)
    bad = [(today() - timedelta(days=1), "phone"), (None, "phone"),
           (today() + timedelta(days=400), "phone"), (today(), "pigeon")]  # fmt: skip
    for bad_day, method in bad:
        with pytest.raises(services.SafeguardingError):
            services.schedule_check_in(case, caseworker, bad_day, method)
        db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 0
    services.schedule_check_in(case, caseworker, today(), "worker_code")
    assert queries.next_check_in(case.id).method == "worker_code"


def test_the_assignee_is_mailed_once_when_a_check_in_falls_due(app, mailbox):
    assignee = UserFactory(role="caseworker")
    case = CaseFactory(assignee_id=assignee.id)
    CheckInFactory(case_id=case.id, due_on=today())
    CheckInFactory(case_id=case.id, due_on=today() + timedelta(days=1))
    assert alerts.check_ins_due.call_local() == 1
    assert alerts.check_ins_due.call_local() == 0
    mail = mailbox.last_to(assignee.email)
    assert case.reference in mail["Subject"] and case.summary not in text_of(mail)


# --- retaliation ------------------------------------------------------------------------------


def test_retaliation_is_recorded_only_once_the_organisation_knows_of_the_case(app, mailbox):
    case, caseworker = CaseFactory(), UserFactory(role="caseworker")
    with pytest.raises(services.SafeguardingError):
        services.report_retaliation(case, caseworker, "pay_cut", None)
    referred(case)
    person = OnCallFactory().user
    services.report_retaliation(case, caseworker, "pay_cut", "Half the pay, since the visit")
    assert case.severity == "urgent" and mailbox.to(person.email)
    assert "safeguarding.retaliation" in actions()
    with pytest.raises(services.SafeguardingError):
        services.report_retaliation(case, caseworker, "gossip", None)


def test_a_check_in_reporting_retaliation_needs_its_kind(app):
    case, caseworker = referred(CaseFactory()), UserFactory(role="caseworker")
    check_in = CheckInFactory(case_id=case.id)
    with pytest.raises(services.SafeguardingError):
        services.record_check_in(check_in, caseworker, "retaliation", None, None)
    db.session.rollback()
    services.record_check_in(check_in, caseworker, "retaliation", "Fired", "dismissal")
    assert check_in.done_on == today() and check_in.outcome == "retaliation"
    assert [r.kind for r in queries.reports_of(case.id)] == ["dismissal"]
    with pytest.raises(services.SafeguardingError):  # recorded already
        services.record_check_in(check_in, caseworker, "fine", None)


def test_the_workers_own_report_keeps_the_month_only_and_is_not_audited(app, mailbox):
    case = referred(CaseFactory())
    person = OnCallFactory().user
    before = actions()
    report = services.worker_reports_retaliation(case, "threats")
    assert report.by_worker and report.reported_on == today().replace(day=1)
    assert report.recorded_by_id is None and actions() == before
    assert case.severity == "urgent" and mailbox.to(person.email)
    with pytest.raises(services.SafeguardingError):
        services.worker_reports_retaliation(CaseFactory(), "threats")
    assert db.session.scalar(select(func.count()).select_from(RetaliationReport)) == 1


def test_the_workers_own_report_alerts_with_the_case_list_never_the_case(app, mailbox):
    case = referred(CaseFactory())
    person = OnCallFactory().user
    services.worker_reports_retaliation(case, "threats")
    message = mailbox.last_to(person.email)
    for body in (text_of(message), html_of(message)):
        assert "/cases/" in body  # the list, where urgent cases come first
        assert f"/cases/{case.id}" not in body and case.reference not in body
    # A caseworker's report still links to the case.
    services.report_retaliation(case, UserFactory(role="caseworker"), "pay_cut", None)
    assert f"/cases/{case.id}" in text_of(mailbox.last_to(person.email))


def test_the_worker_reports_each_kind_once_a_month(app, mailbox):
    case = referred(CaseFactory())
    person = OnCallFactory().user
    services.worker_reports_retaliation(case, "threats")
    with pytest.raises(services.SafeguardingError, match="already this month"):
        services.worker_reports_retaliation(case, "threats")
    db.session.rollback()
    assert len(queries.reports_of(case.id)) == 1 and len(mailbox.to(person.email)) == 1
    services.worker_reports_retaliation(case, "dismissal")  # another kind
    # Last month's report of the same kind does not count; nor a caseworker's this month.
    last_month = (today().replace(day=1) - timedelta(days=1)).replace(day=1)
    other = referred(CaseFactory())
    RetaliationReportFactory(case_id=other.id, kind="threats", by_worker=True,
                             reported_on=last_month)  # fmt: skip
    services.report_retaliation(other, UserFactory(role="caseworker"), "threats", None)
    services.worker_reports_retaliation(other, "threats")
    assert len(queries.reports_of(other.id)) == 3


def test_brands_read_retaliation_as_counts_never_cases(app):
    from tests.factories import BuyerFactory, OrganisationLinkFactory

    brand = BuyerFactory()
    case = referred(CaseFactory())
    OrganisationLinkFactory(source=brand, target=case.organisation, kind="buys_from")
    services.worker_reports_retaliation(case, "threats")
    services.report_retaliation(case, UserFactory(role="caseworker"), "threats", None)
    services.report_retaliation(case, UserFactory(role="caseworker"), "pay_cut", None)
    assert queries.brand_report_counts(brand.id) == [
        (case.organisation.name, today().replace(day=1), {"pay_cut": 1, "threats": 2})
    ]
    assert queries.brand_report_counts(BuyerFactory().id) == []


def test_only_the_owning_csos_caseworkers_see_the_safe_contact_each_view_audited(app):
    case = CaseFactory()
    RiskAssessmentFactory(case_id=case.id)
    caseworker = UserFactory(role="caseworker")
    assert services.view_safe_contact(caseworker, case=case) == SAFE_CONTACT
    assert actions().count("safeguarding.safe_contact_view") == 1
    for other in (UserFactory(role="admin"), UserFactory(role="caseworker",
                                                         organisation=CsoFactory())):  # fmt: skip
        with pytest.raises(services.SafeguardingError):
            services.view_safe_contact(other, case=case)
    with pytest.raises(services.SafeguardingError, match="no way to reach them"):
        services.view_safe_contact(caseworker, case=CaseFactory())
    assert actions().count("safeguarding.safe_contact_view") == 1


# --- consent before sharing -------------------------------------------------------------------


def test_a_case_is_not_sent_to_the_organisation_without_the_workers_consent(app):
    caseworker = UserFactory(role="caseworker")
    case = CaseFactory(status="triaged", organisation_consent=False)
    with pytest.raises(case_services.CaseError, match="The worker must agree first"):
        case_services.move(case, caseworker, "referred")
    db.session.rollback()
    assert case.status == "triaged" and not case.shared_with_organisation
    record = services.record_consent(case, caseworker, "organisation", ["issue"], "phone",
                                     "On the phone, in Karen")  # fmt: skip
    services.withdraw_consent(case, caseworker, record)
    with pytest.raises(case_services.CaseError):
        case_services.move(case, caseworker, "referred")
    db.session.rollback()
    services.record_consent(case, caseworker, "organisation", ["issue"], "in_person", None)
    case_services.move(case, caseworker, "referred")
    assert case.shared_with_organisation


@pytest.mark.parametrize(
    ("recipient", "items", "method"),
    [
        ("nobody", ["issue"], "phone"),
        ("organisation", [], "phone"),
        ("organisation", ["passwords"], "phone"),
        ("organisation", ["issue"], "worker_code"),
        ("organisation", ["issue"], "telepathy"),
    ],
)
def test_malformed_consent_is_refused_and_stores_nothing(app, recipient, items, method):
    case = CaseFactory(organisation_consent=False)
    with pytest.raises(services.SafeguardingError):
        services.record_consent(case, UserFactory(role="caseworker"), recipient, items, method, "")
    assert db.session.scalar(select(func.count()).select_from(ConsentRecord)) == 0


def test_a_referral_to_a_cso_or_an_office_records_the_consent_it_asks_for(app):
    caseworker = UserFactory(role="caseworker")
    case = CaseFactory(organisation_consent=False)
    cso = CsoFactory()
    referrals.propose(case, caseworker, cso, "Please help", "phone", "On the phone")
    assert consent.has_consent("cso", "identity", case_id=case.id)
    assert not consent.has_consent("government", case_id=case.id)
    assert actions() == ["case.referral_propose"]  # one entry: it says how the worker agreed


def test_the_workers_yes_on_their_code_page_is_a_consent_without_a_trace(app):
    from goldendreams.core import tracking

    code = tracking.new_code()
    case = CaseFactory(code_hash=tracking.code_hash(code), organisation_consent=False)
    caseworker = UserFactory(role="caseworker")
    office_referral = referrals.propose(case, caseworker, CsoFactory(), "Help", "worker_code")
    assert not consent.has_consent("cso", case_id=case.id)
    before = actions()
    referrals.worker_consents(office_referral, yes=True)
    record = consent.current("cso", case_id=case.id)
    assert record.method == "worker_code" and record.recorded_on == office_referral.proposed_on
    assert record.recorded_by_id is None and actions() == before


def test_urgent_cases_come_first_in_the_caseworkers_list(app):
    from goldendreams.cases import queries as case_queries

    older_urgent = CaseFactory(severity="urgent")
    newer = CaseFactory()
    caseworker = UserFactory(role="caseworker")
    assert [c.id for c in case_queries.cases_run_by(caseworker)] == [older_urgent.id, newer.id]
    assert network_cso().id == caseworker.organisation_id
