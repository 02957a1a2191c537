"""Mobilizers' group complaints: who may log one, who runs it, what the mobilizer sees."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from goldendreams.cases import permissions, queries, services, taxonomy
from goldendreams.cases.models import Case
from goldendreams.core.audit import AuditLog
from goldendreams.core.auth import Role
from goldendreams.extensions import db
from tests.factories import (
    AgencyFactory,
    BuyerFactory,
    CaseEventFactory,
    CaseFactory,
    CaseReferralFactory,
    CsoFactory,
    OrganisationFactory,
    UserFactory,
    consent_to_refer,
    network_cso,
)
from tests.mailbox import html_of, text_of

SUMMARY = "Twelve of us paid 18,000 baht each to broker Ko Zaw; phone 09 777 123 456."


@pytest.fixture
def workplace(app):
    taxonomy.load()
    network_cso()
    return OrganisationFactory()


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]


def log(mobilizer, workplace, workers=12, codes=("FEE-01",), summary=SUMMARY) -> Case:
    return services.open_group_case(mobilizer, workplace, list(codes), workers, summary)


# --- the service -----------------------------------------------------------------------------


def test_a_mobilizer_logs_a_group_complaint_for_their_cso(workplace):
    cso = CsoFactory(kind="union")
    mobilizer = UserFactory(role="mobilizer", organisation=cso)
    case = log(mobilizer, workplace)
    assert case.source == "group"
    assert case.owner_id == cso.id  # their CSO, not where the routing rules would send it
    assert case.logged_by_id == mobilizer.id
    assert case.severity == "medium"
    assert case.workers_affected == 12
    assert case.summary == SUMMARY
    assert case.contact is None
    assert case.status == "new" and case.reference.startswith("ILM-")
    rows = db.session.scalars(select(AuditLog).filter_by(action="case.open")).all()
    assert len(rows) == 1 and rows[0].actor_id == mobilizer.id


def test_urgent_issues_still_make_it_urgent(workplace):
    case = log(UserFactory(role="mobilizer"), workplace, codes=("ILO-03",))
    assert case.severity == "urgent"


@pytest.mark.parametrize("role", ["admin", "moderator", "caseworker", "employer_staff", "brand"])
def test_only_mobilizers_log_group_complaints(workplace, role):
    user = UserFactory(role=role)
    with pytest.raises(services.CaseError):
        log(user, workplace)
    assert db.session.scalar(select(Case.id)) is None


def test_a_mobilizer_without_a_cso_logs_nothing(workplace):
    mobilizer = UserFactory(role="mobilizer")
    mobilizer.organisation = None
    db.session.commit()
    with pytest.raises(services.CaseError):
        log(mobilizer, workplace)


@pytest.mark.parametrize("workers", [0, 1, 100_001, None, "12"])
def test_a_group_is_two_workers_or_more(workplace, workers):
    with pytest.raises(services.CaseError):
        log(UserFactory(role="mobilizer"), workplace, workers=workers)
    assert db.session.scalar(select(Case.id)) is None


def test_what_happened_is_required(workplace):
    with pytest.raises(services.CaseError):
        log(UserFactory(role="mobilizer"), workplace, summary="  ")


def test_only_about_employers_and_agencies(workplace):
    with pytest.raises(services.CaseError):
        log(UserFactory(role="mobilizer"), BuyerFactory())
    with pytest.raises(services.CaseError):
        log(UserFactory(role="mobilizer"), CsoFactory())


def test_the_csos_caseworkers_run_it_others_do_not(workplace):
    cso, other = CsoFactory(), CsoFactory()
    case = log(UserFactory(role="mobilizer", organisation=cso), workplace)
    own = UserFactory(role="caseworker", organisation=cso)
    foreign = UserFactory(role="caseworker", organisation=other)
    assert permissions.may_run_case(own, case)
    assert not permissions.may_run_case(foreign, case)
    assert case in queries.cases_run_by(own)
    assert case not in queries.cases_run_by(foreign)


def test_only_the_mobilizer_who_logged_it_follows_it(workplace):
    cso = CsoFactory()
    mobilizer = UserFactory(role="mobilizer", organisation=cso)
    case = log(mobilizer, workplace)
    assert permissions.may_follow_group_case(mobilizer, case)
    for other in (
        UserFactory(role="mobilizer", organisation=cso),  # a colleague
        UserFactory(role="caseworker", organisation=cso),  # runs it, does not "follow" it
        UserFactory(role="admin"),
    ):
        assert not permissions.may_follow_group_case(other, case)
    mobilizer.organisation = CsoFactory()  # moved to another CSO: no longer theirs
    db.session.commit()
    assert not permissions.may_follow_group_case(mobilizer, case)


def test_the_mobilizer_still_follows_it_once_handed_to_another_cso(workplace):
    cso = CsoFactory()
    mobilizer = UserFactory(role="mobilizer", organisation=cso)
    case = log(mobilizer, workplace)
    referral = CaseReferralFactory(case=case, status="accepted")
    case.owner = referral.receiver
    db.session.commit()
    assert permissions.may_follow_group_case(mobilizer, case)


# --- the pages -------------------------------------------------------------------------------


def test_a_mobilizer_logs_one_through_the_form(client, login_as, workplace):
    mobilizer = login_as(Role.MOBILIZER)
    page = client.get("/cases/group/new")
    assert page.status_code == 200
    assert workplace.name in page.get_data(as_text=True)
    assert "FEE-01" in page.get_data(as_text=True)
    response = client.post(
        "/cases/group/new",
        data={
            "csrf_token": csrf(page.get_data(as_text=True)),
            "organisation_id": workplace.id,
            "categories": ["FEE-01", "ILO-07"],
            "workers": "25",
            "summary": SUMMARY,
        },
    )
    case = db.session.scalar(select(Case))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cases/group/{case.public_id}")
    assert case.logged_by_id == mobilizer.id and case.workers_affected == 25
    assert case.owner_id == mobilizer.organisation_id and case.contact is None


def test_one_worker_is_not_a_group_on_the_form(client, login_as, workplace):
    login_as(Role.MOBILIZER)
    page = client.get("/cases/group/new").get_data(as_text=True)
    response = client.post(
        "/cases/group/new",
        data={
            "csrf_token": csrf(page),
            "organisation_id": workplace.id,
            "categories": ["FEE-01"],
            "workers": "1",
            "summary": SUMMARY,
        },
    )
    assert response.status_code == 200
    assert "2 workers or more" in response.get_data(as_text=True)
    assert db.session.scalar(select(Case.id)) is None


def test_the_list_shows_only_my_complaints(client, login_as, workplace):
    mobilizer = login_as(Role.MOBILIZER)
    mine = log(mobilizer, workplace)
    colleague = log(UserFactory(role="mobilizer"), AgencyFactory())
    hotline = CaseFactory(organisation=workplace)
    page = client.get("/cases/group/").get_data(as_text=True)
    assert mine.reference in page and workplace.name in page
    assert "A caseworker will look at it." in page  # the status in the worker's words
    assert colleague.reference not in page and hotline.reference not in page


def test_the_follow_page_shows_the_shared_steps_only(client, login_as, workplace):
    mobilizer = login_as(Role.MOBILIZER)
    case = log(mobilizer, workplace)
    caseworker = UserFactory(role="caseworker", organisation=mobilizer.organisation)
    services.add_note(case, caseworker, "Internal: the broker threatens them.", shared=False)
    services.move(case, caseworker, "triaged")
    consent_to_refer(case)
    services.move(case, caseworker, "referred")
    services.add_note(case, caseworker, "Shared note for the employer only.", shared=True)
    services.record_remediation(
        case, caseworker, "fee_repayment", None, None, 12, "Paid back to Ko Aung in cash."
    )
    CaseEventFactory(case=case, kind="note", shared=False, text="Hidden caseworker remark")
    case.contact = "LINE ko.aung.private"  # even if a caseworker wrote one down
    db.session.commit()
    page = client.get(f"/cases/group/{case.public_id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert case.reference in text and workplace.name in text
    assert "The employer or agency is fixing the problem." in text
    assert "Fees paid back" in text and "Sent to the organisation" in text
    for secret in ("Internal: the broker", "Shared note", "Paid back to Ko Aung",
                   "Hidden caseworker remark", "ko.aung.private", "Ko Zaw", "09 777"):  # fmt: skip
        assert secret not in text


def test_the_outcome_is_shown_once_closed(client, login_as, workplace):
    mobilizer = login_as(Role.MOBILIZER)
    case = log(mobilizer, workplace)
    caseworker = UserFactory(role="caseworker", organisation=mobilizer.organisation)
    services.move(case, caseworker, "no_basis")
    text = client.get(f"/cases/group/{case.public_id}").get_data(as_text=True)
    assert "No basis found" in text


def test_another_mobilizers_case_is_not_found(client, login_as, workplace):
    login_as(Role.MOBILIZER)
    others = log(UserFactory(role="mobilizer"), workplace)
    hotline = CaseFactory(organisation=workplace)
    assert client.get(f"/cases/group/{others.public_id}").status_code == 404
    assert client.get(f"/cases/group/{hotline.public_id}").status_code == 404
    assert client.get("/cases/group/999999").status_code == 404


@pytest.mark.parametrize(
    "role",
    [Role.ADMIN, Role.MODERATOR, Role.CASEWORKER, Role.EMPLOYER_STAFF, Role.AGENCY_STAFF,
     Role.BRAND, Role.GOVERNMENT, Role.ASSOCIATION],
)  # fmt: skip
def test_other_roles_are_turned_away(client, login_as, workplace, role):
    case = log(UserFactory(role="mobilizer"), workplace)
    login_as(role)
    for path in ("/cases/group/", "/cases/group/new", f"/cases/group/{case.public_id}"):
        assert client.get(path).status_code == 403, path
    assert client.post("/cases/group/new", data={}).status_code in (400, 403)


def test_anonymous_readers_are_sent_to_log_in(client, workplace):
    for path in ("/cases/group/", "/cases/group/new", "/cases/group/NoSuchPublicId00"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_staff_home_links_a_mobilizers_pages(client, login_as, workplace):
    login_as(Role.MOBILIZER)
    page = client.get("/staff/").get_data(as_text=True)
    assert "/cases/group/" in page and "/cases/group/new" in page and "/staff/share" in page
    assert 'href="/cases/"' not in page


# --- the mobilizer hears when it moves -------------------------------------------------------


def test_the_mobilizer_is_mailed_on_each_status_change(workplace, mailbox):
    mobilizer = UserFactory(role="mobilizer")
    case = log(mobilizer, workplace)
    caseworker = UserFactory(role="caseworker")
    mailbox.clear()
    services.move(case, caseworker, "triaged")
    consent_to_refer(case)
    services.move(case, caseworker, "referred")
    services.record_remediation(case, caseworker, "fee_repayment", None, None, None, None)
    services.move(case, caseworker, "resolved")
    services.close_resolved(case, caseworker)
    mine = [m for m in mailbox.messages if m["To"] == mobilizer.email]
    assert len(mine) == 5
    for message in mine:
        assert case.reference in message["Subject"]
        body = text_of(message) + html_of(message)
        assert f"/cases/group/{case.public_id}" in body
        assert "Ko Zaw" not in body and "18,000" not in body
    assert "Closed" in mine[-1]["Subject"]


def test_no_mail_to_a_mobilizer_who_switched_it_off_or_left(workplace, mailbox):
    mobilizer = UserFactory(role="mobilizer", muted_notifications=["group_case_update"])
    left = UserFactory(role="mobilizer")
    quiet, gone = log(mobilizer, workplace), log(left, workplace)
    left.active = False
    db.session.commit()
    caseworker = UserFactory(role="caseworker")
    mailbox.clear()
    services.move(quiet, caseworker, "triaged")
    services.move(gone, caseworker, "triaged")
    assert not [m for m in mailbox.messages if m["To"] in (mobilizer.email, left.email)]


def test_other_cases_mail_no_mobilizer(workplace, mailbox):
    mobilizer = UserFactory(role="mobilizer")
    case = CaseFactory(organisation=workplace)
    mailbox.clear()
    services.move(case, UserFactory(role="caseworker"), "triaged")
    assert not [m for m in mailbox.messages if m["To"] == mobilizer.email]
