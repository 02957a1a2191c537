"""Government offices: the cases CSOs referred to them (the shared part only), the actions
they record (an order or help to go home counts as remediation), their country's figures
(every one under 3 hidden)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from goldendreams.cases import government, permissions, queries, services, taxonomy
from goldendreams.cases.models import GovernmentAction
from goldendreams.core.audit import AuditLog
from goldendreams.core.auth import Role
from goldendreams.core.base import today
from goldendreams.extensions import db
from tests.conftest import login
from tests.factories import (
    AgencyFactory,
    CaseEventFactory,
    CaseFactory,
    CaseReferralFactory,
    GovernmentOfficeFactory,
    OrganisationFactory,
    UserFactory,
    referred,
)

SUMMARY = "Internal summary: Ko Aung was beaten by the supervisor"
CONTACT = "LINE ko.aung.hidden"
NOTE = "Internal note: the worker fears the broker"
COMMENT = "Worker comment: my passport is still missing"
REFERRAL_NOTE = "Please inspect the dormitories at the Mahachai plant."


def text(response) -> str:
    return response.get_data(as_text=True)


def officer_of(office):
    return UserFactory(role="government", organisation=office)


def case_for(office, status: str = "in_remediation", **fields):
    """A case referred to its organisation, then to ``office`` (accepted), with secrets."""
    taxonomy.load()
    case = referred(
        CaseFactory(**{"status": status, "summary": SUMMARY, "contact": CONTACT,
                       "worker_comment": COMMENT, "worker_answer": "partly", **fields})
    )  # fmt: skip
    CaseEventFactory(case=case, text=NOTE)  # internal
    CaseEventFactory(case=case, text="Shared note: wages checked", shared=True)
    CaseReferralFactory(case=case, receiver=office, status="accepted", note=REFERRAL_NOTE,
                        decided_on=today())  # fmt: skip
    db.session.expire(case)
    return case


# --- rules ----------------------------------------------------------------------------------


def test_who_sees_a_case_as_an_office(app):
    office = GovernmentOfficeFactory()
    case = case_for(office)
    officer = officer_of(office)
    assert permissions.is_government_officer(officer)
    assert permissions.may_see_as_office(officer, case)
    assert permissions.may_record_government_action(officer, case)
    assert permissions.may_see_country_figures(officer)
    # Another office, in the same country or another one, sees nothing of it.
    for other in (GovernmentOfficeFactory(), GovernmentOfficeFactory(country="MY")):
        assert not permissions.may_see_as_office(officer_of(other), case)
    for role in ("admin", "moderator", "caseworker", "brand", "association", "mobilizer"):
        user = UserFactory(role=role)
        assert not permissions.is_government_officer(user)
        assert not permissions.may_see_as_office(user, case)
        assert not permissions.may_see_country_figures(user)


@pytest.mark.parametrize("status", ["proposed", "declined", "withdrawn", "asking_worker"])
def test_a_referral_not_accepted_gives_no_access(app, status):
    office = GovernmentOfficeFactory()
    case = referred(CaseFactory(status="referred"))
    CaseReferralFactory(case=case, receiver=office, status=status)
    db.session.expire(case)
    assert not permissions.may_see_as_office(officer_of(office), case)


def test_a_closed_case_takes_no_action(app):
    office = GovernmentOfficeFactory()
    case = case_for(office, status="closed")
    officer = officer_of(office)
    assert permissions.may_see_as_office(officer, case)
    assert not permissions.may_record_government_action(officer, case)
    with pytest.raises(services.CaseError):
        government.record_action(case, officer, GovernmentAction.INSPECTION, None, None)


def test_recording_an_action(app, mailbox):
    office = GovernmentOfficeFactory()
    case = case_for(office)
    staff = UserFactory(role="employer_staff", organisation=case.organisation)
    officer = officer_of(office)
    mailbox.clear()
    event = government.record_action(case, officer, GovernmentAction.FINE, " Fined 50,000 ", 12)
    assert (event.kind, event.remediation_kind, event.shared) == ("government", "fine", True)
    assert (event.text, event.workers_covered, event.by_organisation) == ("Fined 50,000", 12, False)
    entries = db.session.scalars(select(AuditLog).filter_by(action="case.government_action"))
    entry = entries.one()
    assert (entry.actor_id, entry.target_id, entry.detail["kind"]) == (
        officer.id,
        case.id,
        "fine",
    )
    # The organisation hears of it (a label, never the text).
    assert [m["To"] for m in mailbox.messages] == [staff.email]
    assert "Fined" not in str(mailbox.messages[0])


@pytest.mark.parametrize(
    ("action", "workers", "text"),
    [
        ("bribe", None, None),
        ("order", 0, None),
        ("order", 100_001, None),
        ("order", None, "x" * 5001),
    ],
)
def test_bad_actions_are_refused(app, action, workers, text):
    office = GovernmentOfficeFactory()
    case = case_for(office)
    with pytest.raises(services.CaseError):
        government.record_action(case, officer_of(office), action, text, workers)
    assert db.session.scalar(select(AuditLog.id).filter_by(action="case.government_action")) is None


def test_an_officer_of_another_office_cannot_record(app):
    case = case_for(GovernmentOfficeFactory())
    with pytest.raises(services.CaseError):
        government.record_action(
            case, officer_of(GovernmentOfficeFactory()), GovernmentAction.ORDER, None, None
        )
    caseworker = UserFactory(role="caseworker")
    with pytest.raises(services.CaseError):
        government.record_action(case, caseworker, GovernmentAction.ORDER, None, None)


@pytest.mark.parametrize(
    ("action", "counts"),
    [
        (GovernmentAction.ORDER, True),
        (GovernmentAction.REPATRIATION_SUPPORT, True),
        (GovernmentAction.INSPECTION, False),
        (GovernmentAction.FINE, False),
    ],
)
def test_an_order_or_help_to_go_home_counts_as_remediation(app, action, counts):
    office = GovernmentOfficeFactory()
    case = case_for(office, status="in_remediation", worker_answer=None)
    caseworker = UserFactory(role="caseworker")
    assert not services.has_remediation(case) and not services.can_answer(case)
    with pytest.raises(services.CaseError, match="Record what was done"):
        services.move(case, caseworker, "resolved")
    government.record_action(case, officer_of(office), action, None, None)
    assert services.has_remediation(case) is counts
    assert services.can_answer(case) is counts
    if counts:
        services.move(case, caseworker, "resolved")
        assert case.status == "resolved"
    else:
        with pytest.raises(services.CaseError):
            services.move(case, caseworker, "resolved")


def test_an_order_moves_a_referred_case_to_being_fixed(app):
    office = GovernmentOfficeFactory()
    case = case_for(office, status="referred")
    government.record_action(case, officer_of(office), GovernmentAction.ORDER, None, None)
    assert case.status == "in_remediation"
    case = case_for(office, status="referred")
    government.record_action(case, officer_of(office), GovernmentAction.INSPECTION, None, None)
    assert case.status == "referred"


# --- country figures --------------------------------------------------------------------------


def _cases_in(country: str, count: int, days_ago: int = 1, **fields):
    """Cases referred to an organisation of ``country`` (yesterday: the figures count the
    cases referred before today)."""
    org = OrganisationFactory(country=country)
    return [referred(CaseFactory(organisation=org, **fields), days_ago) for _ in range(count)]


def test_country_figures_are_suppressed_under_three(app):
    taxonomy.load()
    _cases_in("TH", 2)
    CaseFactory(organisation=OrganisationFactory(country="TH"))  # not referred: not counted
    figures = queries.country_figures("TH", "en")
    assert figures["total"] is None
    assert all(value is None for _, value in figures["by_status"])
    assert all(value is None for _, value in figures["by_category"])
    assert all(value is None for _, value in figures["by_month"])
    assert figures["median_days"] is None and figures["confirmed_share"] is None


def test_country_figures_from_three_cases(app):
    taxonomy.load()
    opened = today() - timedelta(days=10)
    cases = _cases_in(
        "TH", 3, status="closed", opened_on=opened, resolved_on=today() - timedelta(days=4),
        outcome="resolved_confirmed",
    )  # fmt: skip
    cases[2].outcome = "resolved_unconfirmed"
    _cases_in("MY", 4)  # another country: not counted
    agency_case = referred(
        CaseFactory(organisation=AgencyFactory(country="TH"), status="new"), days_ago=1
    )
    office = GovernmentOfficeFactory()
    for case in cases:
        CaseReferralFactory(case=case, receiver=office, status="accepted")
        CaseEventFactory(case=case, kind="government", remediation_kind="inspection", shared=True)
    db.session.commit()
    figures = queries.country_figures("TH", "en")
    assert figures["total"] == 4
    # One cell under 3 would be given away by the total: the next smallest goes too.
    assert dict(figures["by_status"]) == {"closed": None, "new": None}
    assert len(figures["by_category"]) == 1 and figures["by_category"][0][1] == 4
    assert figures["median_days"] == 6
    assert figures["confirmed_share"] is None  # 1 unconfirmed: under 3
    # Cases with an action, not actions: a second inspection of one case adds nothing.
    CaseEventFactory(case=cases[0], kind="government", remediation_kind="inspection", shared=True)
    db.session.commit()
    assert queries.country_figures("TH", "en")["actions"] == [("inspection", 3)]
    # A case referred today waits for tomorrow's figures.
    _cases_in("TH", 1, days_ago=0)
    assert queries.country_figures("TH", "en")["total"] == 4
    assert agency_case.organisation.country == "TH"


# --- pages ------------------------------------------------------------------------------------


def test_the_office_sees_its_cases_and_never_the_internal_part(client):
    office = GovernmentOfficeFactory()
    case = case_for(office)
    other = case_for(GovernmentOfficeFactory())
    login(client, officer_of(office))
    page = text(client.get("/cases/office/"))
    assert case.reference in page and other.reference not in page
    assert case.organisation.name in page and "/cases/office/figures" in page
    response = client.get(f"/cases/office/{case.public_id}")
    assert response.status_code == 200
    page = text(response)
    assert REFERRAL_NOTE in page and "Shared note: wages checked" in page
    assert case.organisation.name in page and 'name="action"' in page
    for secret in (SUMMARY, CONTACT, NOTE, COMMENT, "Ko Aung", "Partly"):
        assert secret not in page
    # Another office's case, a case never referred, one that does not exist: not found.
    assert client.get(f"/cases/office/{other.public_id}").status_code == 404
    assert client.get(f"/cases/office/{CaseFactory().public_id}").status_code == 404
    assert client.get("/cases/office/999999").status_code == 404
    assert (
        client.post(f"/cases/office/{other.public_id}/action", data={"action": "fine"}).status_code
        == 404
    )


def test_the_office_records_an_action_through_the_form(client):
    office = GovernmentOfficeFactory()
    case = case_for(office)
    login(client, officer_of(office))
    response = client.post(
        f"/cases/office/{case.public_id}/action",
        data={"action": "repatriation_support", "workers": "3", "text": "Flights paid"},
    )
    assert response.status_code == 302
    page = text(client.get(f"/cases/office/{case.public_id}"))
    assert "Help to go home" in page and "Flights paid" in page and "3 workers" in page
    # A bad choice is refused with a message, nothing recorded.
    response = client.post(f"/cases/office/{case.public_id}/action", data={"action": "bribe"})
    assert response.status_code == 302
    assert len([e for e in case.events if e.kind == "government"]) == 1


def test_the_caseworker_and_the_organisation_see_the_action(client):
    office = GovernmentOfficeFactory()
    case = case_for(office)
    government.record_action(case, officer_of(office), GovernmentAction.ORDER, "Ordered", None)
    login(client, UserFactory(role="caseworker"))
    page = text(client.get(f"/cases/{case.id}"))
    assert "Order to fix it" in page and "Ordered" in page


def test_country_figures_page(client):
    taxonomy.load()
    _cases_in("TH", 3)
    _cases_in("MY", 5)
    login(client, officer_of(GovernmentOfficeFactory(country="TH")))
    response = client.get("/cases/office/figures")
    assert response.status_code == 200
    page = text(response)
    assert "Figures for your country" in page and "<dd>3</dd>" in page
    for case in queries.all_cases():
        assert case.reference not in page


@pytest.mark.parametrize(
    "role",
    [Role.ADMIN, Role.MODERATOR, Role.CASEWORKER, Role.ASSOCIATION, Role.MOBILIZER,
     Role.AGENCY_STAFF, Role.EMPLOYER_STAFF, Role.BRAND],
)  # fmt: skip
def test_other_roles_are_turned_away(client, login_as, role):
    case = case_for(GovernmentOfficeFactory())
    login_as(role)
    for path in ("/cases/office/", f"/cases/office/{case.public_id}", "/cases/office/figures"):
        assert client.get(path).status_code == 403, path
    assert (
        client.post(f"/cases/office/{case.public_id}/action", data={"action": "fine"}).status_code
        == 403
    )


def test_anonymous_go_to_the_login(client):
    case = case_for(GovernmentOfficeFactory())
    for path in ("/cases/office/", f"/cases/office/{case.public_id}", "/cases/office/figures"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = client.post(f"/cases/office/{case.public_id}/action", data={"action": "fine"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_staff_home_links_to_the_office_pages(client):
    login(client, officer_of(GovernmentOfficeFactory()))
    page = text(client.get("/staff/"))
    assert "/cases/office/" in page and "/cases/office/figures" in page
