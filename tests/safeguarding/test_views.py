"""Safeguarding's pages in a browser-like client: the risk check on a case and a
conversation, the consent form before sending a case, check-ins, the on-call roster, who
sees retaliation (the brand: counts per supplier, month and kind; the organisation:
nothing), the worker's safe contact behind an audited "Show", and the worker's own report
with their code (once per kind and month)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from goldendreams.cases.models import Case
from goldendreams.core import tracking
from goldendreams.core.auth import Role
from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.safeguarding import queries
from goldendreams.safeguarding.models import OnCall
from tests.factories import (
    BuyerFactory,
    CaseFactory,
    ConversationFactory,
    CsoFactory,
    OrganisationLinkFactory,
    UserFactory,
    referred,
)
from tests.safeguarding.factories import (
    HIGH,
    SAFE_CONTACT,
    CheckInFactory,
    RetaliationReportFactory,
    RiskAssessmentFactory,
)

NOTE = "The supervisor cut Ko Aung's pay by half after the visit."


def test_the_case_page_asks_the_risk_questions_and_a_high_risk_makes_it_urgent(
    client, login_as, mailbox
):
    caseworker = login_as(Role.CASEWORKER)
    case = CaseFactory()
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Is the worker kept from moving freely?" in page and "Not sure" in page
    response = client.post(f"/cases/safeguarding/case/{case.id}/risk",
                           data={**HIGH, "safe_contact": SAFE_CONTACT})  # fmt: skip
    assert response.status_code == 302
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "High risk" in page and "Write a safety plan" in page
    assert SAFE_CONTACT not in page and 'id="safe-contact-submit"' in page
    db.session.expire_all()
    assert db.session.get(Case, case.id).severity == "urgent"
    # Nobody is on call: the CSO's caseworkers are alerted, the assessor among them.
    assert mailbox.to(caseworker.email)


def test_a_missing_answer_comes_back_with_the_reason_and_nothing_stored(client, login_as):
    login_as(Role.CASEWORKER)
    case = CaseFactory()
    response = client.post(f"/cases/safeguarding/case/{case.id}/risk",
                           data={**HIGH, "danger": ""}, follow_redirects=True)  # fmt: skip
    assert "Answer every question." in response.get_data(as_text=True)
    assert queries.current_assessment(case_id=case.id) is None


@pytest.mark.parametrize("locale", ["my", "th", "km"])
def test_the_risk_check_is_in_the_readers_language(client, login_as, locale):
    login_as(Role.CASEWORKER)
    case = CaseFactory()
    client.set_cookie("locale", locale)
    response = client.get(f"/cases/{case.id}?lang={locale}")
    assert response.status_code == 200
    assert f'lang="{locale}"' in response.get_data(as_text=True)


def test_the_case_page_asks_for_consent_before_sending_it(client, login_as):
    login_as(Role.CASEWORKER)
    case = CaseFactory(status="triaged", organisation_consent=False)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Before you send the case to the employer or agency" in page
    refused = client.post(f"/cases/{case.id}/move", data={"to_status": "referred"},
                          follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert "The worker must agree first." in refused
    assert db.session.get(Case, case.id).status == "triaged"
    client.post(f"/cases/safeguarding/case/{case.id}/consent",
                data={"consent-recipient": "organisation", "consent-items": ["issue"],
                      "consent-method": "phone", "consent-note": "On the phone"})  # fmt: skip
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Before you send the case" not in page and "On the phone" in page
    client.post(f"/cases/{case.id}/move", data={"to_status": "referred"})
    db.session.expire_all()
    assert db.session.get(Case, case.id).status == "referred"


def test_check_ins_stand_out_on_the_case_page_and_in_the_list(client, login_as):
    login_as(Role.CASEWORKER)
    case = referred(CaseFactory())
    CheckInFactory(case_id=case.id, due_on=today() - timedelta(days=1))
    other = CheckInFactory(case_id=CaseFactory(owner=CsoFactory()).id)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Overdue" in page and "Record this check-in" in page
    listed = client.get("/cases/safeguarding/check-ins").get_data(as_text=True)
    assert case.reference in listed and other.case.reference not in listed
    response = client.post(f"/cases/safeguarding/case/{case.id}/check-in",
                           data={"schedule-due_on": (today() + timedelta(days=7)).isoformat(),
                                 "schedule-method": "worker_code"})  # fmt: skip
    assert response.status_code == 302 and len(queries.check_ins_of(case.id)) == 2


def test_caseworkers_go_on_call_and_set_their_telegram_chat(client, login_as):
    caseworker = login_as(Role.CASEWORKER)
    colleague = UserFactory(role="caseworker")
    page = client.get("/cases/safeguarding/on-call").get_data(as_text=True)
    assert colleague.email in page
    client.post(f"/cases/safeguarding/on-call/{caseworker.id}/on")
    assert [u.id for u in queries.on_call(caseworker.organisation_id)] == [caseworker.id]
    # Only an organisation admin puts a colleague on call.
    client.post(f"/cases/safeguarding/on-call/{colleague.id}/on", follow_redirects=True)
    assert [u.id for u in queries.on_call(caseworker.organisation_id)] == [caseworker.id]
    bad = client.post("/cases/safeguarding/on-call/telegram", data={"chat": "@me"},
                      follow_redirects=True)  # fmt: skip
    assert "A Telegram chat id is a number." in bad.get_data(as_text=True)
    client.post("/cases/safeguarding/on-call/telegram", data={"chat": "123456789"})
    assert db.session.query(OnCall).filter_by(user_id=caseworker.id).one().telegram_chat


def test_an_organisation_admin_puts_a_colleague_on_call(client):
    from tests.conftest import login

    admin = UserFactory(role="caseworker", org_admin=True)
    colleague = UserFactory(role="caseworker")
    login(client, admin)
    client.post(f"/cases/safeguarding/on-call/{colleague.id}/on")
    assert [u.id for u in queries.on_call(admin.organisation_id)] == [colleague.id]


def test_the_conversation_page_has_the_risk_check(client, login_as):
    login_as(Role.CASEWORKER)
    conversation = ConversationFactory()
    page = client.get(f"/inbox/{conversation.id}").get_data(as_text=True)
    assert "Is the worker threatened or punished?" in page
    client.post(f"/cases/safeguarding/conversation/{conversation.id}/risk", data=HIGH)
    db.session.expire_all()
    assert conversation.urgent
    assert "High risk" in client.get(f"/inbox/{conversation.id}").get_data(as_text=True)


def _supplier_case():
    brand = BuyerFactory()
    case = referred(CaseFactory())
    OrganisationLinkFactory(source=brand, target=case.organisation, kind="buys_from")
    RetaliationReportFactory(case_id=case.id, kind="pay_cut", note=NOTE)
    RiskAssessmentFactory(case_id=case.id, high=True)
    return brand, case


def _section(page: str, anchor: str) -> str:
    start = page.index(f'<section id="{anchor}">')
    return page[start : page.index("</section>", start)]


def test_the_brand_sees_retaliation_as_counts_per_supplier_month_and_kind(client, login_as):
    brand, case = _supplier_case()
    RetaliationReportFactory(case_id=referred(CaseFactory(organisation=case.organisation)).id,
                             kind="pay_cut", by_worker=True)  # fmt: skip
    login_as(Role.BRAND, brand)
    section = _section(client.get("/brand/").get_data(as_text=True), "retaliation")
    assert case.organisation.name in section and today().strftime("%Y") in section
    assert "Pay cut</span> 2</li>" in section  # two reports this month, counted
    # No case: the supplier knows its references, and would learn who spoke.
    assert case.reference not in section and case.public_id not in section
    assert NOTE not in section and SAFE_CONTACT not in section
    page = client.get(f"/brand/cases/{case.public_id}").get_data(as_text=True)
    assert "Retaliation" not in page and "Pay cut" not in page
    # Nor the severity, which a retaliation report turns urgent.
    assert "Severity" not in page and "Urgent" not in page and "High risk" not in page


def test_another_brand_never_sees_retaliation(client, login_as):
    _supplier_case()
    login_as(Role.BRAND, BuyerFactory())
    assert "Retaliation" not in client.get("/brand/").get_data(as_text=True)


def test_the_organisation_accused_never_sees_retaliation(client, login_as):
    _, case = _supplier_case()
    login_as(Role.EMPLOYER_STAFF, case.organisation)
    page = client.get(f"/portal/{case.organisation_id}/cases/{case.public_id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Retaliation" not in text and "Pay cut" not in text and SAFE_CONTACT not in text


def test_the_worker_reports_retaliation_with_their_code(client, mailbox):
    code = tracking.new_code()
    case = referred(CaseFactory(code_hash=tracking.code_hash(code)))
    page = client.post("/check", data={"code": code}).get_data(as_text=True)
    assert "Were you punished for asking for help?" in page
    response = client.post("/check/retaliation", data={"code": code, "kind": "dismissal"})
    assert response.status_code == 200
    assert "We will act at once" in response.get_data(as_text=True)
    [report] = queries.reports_of(case.id)
    assert report.by_worker and report.kind == "dismissal"
    assert db.session.get(Case, case.id).severity == "urgent"
    bad = client.post("/check/retaliation", data={"code": code, "kind": "nonsense"})
    assert "Choose an answer from the list." in bad.get_data(as_text=True)
    assert len(queries.reports_of(case.id)) == 1
    assert client.post("/check/retaliation", data={"code": "WRONG-CODE", "kind": "threats"}
                       ).status_code == 400  # fmt: skip


@pytest.mark.parametrize("locale", ["en", "my"])
def test_the_worker_reports_each_kind_once_a_month(client, mailbox, locale):
    code = tracking.new_code()
    case = referred(CaseFactory(code_hash=tracking.code_hash(code)))
    client.set_cookie("locale", locale)
    client.post("/check/retaliation", data={"code": code, "kind": "dismissal"})
    sent = len(mailbox.messages)
    again = client.post("/check/retaliation", data={"code": code, "kind": "dismissal"})
    assert again.status_code == 200
    if locale == "en":
        assert "You told us this already this month" in again.get_data(as_text=True)
    assert "We will act at once" not in again.get_data(as_text=True)
    assert len(queries.reports_of(case.id)) == 1 and len(mailbox.messages) == sent
    client.post("/check/retaliation", data={"code": code, "kind": "threats"})  # another kind
    assert len(queries.reports_of(case.id)) == 2


def test_the_safe_contact_is_shown_on_request_and_each_view_audited(client, login_as):
    from goldendreams.core.audit import AuditLog

    caseworker = login_as(Role.CASEWORKER)
    case = CaseFactory()
    RiskAssessmentFactory(case_id=case.id, high=True)
    assert SAFE_CONTACT not in client.get(f"/cases/{case.id}").get_data(as_text=True)
    shown = client.post(f"/cases/safeguarding/case/{case.id}/safe-contact")
    assert shown.status_code == 200 and SAFE_CONTACT.replace("'", "&#39;") in shown.get_data(
        as_text=True
    )
    [row] = db.session.query(AuditLog).filter_by(action="safeguarding.safe_contact_view").all()
    assert (row.actor_id, row.target_type, row.target_id) == (caseworker.id, "case", case.id)
    conversation = ConversationFactory()
    RiskAssessmentFactory(case_id=None, conversation_id=conversation.id)
    assert SAFE_CONTACT not in client.get(f"/inbox/{conversation.id}").get_data(as_text=True)
    shown = client.post(f"/cases/safeguarding/conversation/{conversation.id}/safe-contact")
    assert "ko.aung.safe" in shown.get_data(as_text=True)
    assert (
        db.session.query(AuditLog).filter_by(action="safeguarding.safe_contact_view").count() == 2
    )


def test_admins_never_see_the_safe_contact(client, login_as):
    from goldendreams.core.audit import AuditLog

    login_as(Role.ADMIN)
    case = CaseFactory()
    RiskAssessmentFactory(case_id=case.id, high=True)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "High risk" in page and 'id="safe-contact-submit"' not in page
    response = client.post(f"/cases/safeguarding/case/{case.id}/safe-contact")
    assert response.status_code == 302
    assert "ko.aung.safe" not in client.get(response.headers["Location"]).get_data(as_text=True)
    assert not db.session.query(AuditLog).filter_by(action="safeguarding.safe_contact_view").count()


def test_the_worker_is_not_asked_before_the_case_went_to_the_organisation(client):
    code = tracking.new_code()
    CaseFactory(code_hash=tracking.code_hash(code))
    page = client.post("/check", data={"code": code}).get_data(as_text=True)
    assert "Were you punished" not in page
