"""Industry associations: figures over their members' cases (every one under 3 hidden),
never a single case, a reference or a list of cases; and their monthly mail."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from goldendreams.agencies.models import Organisation
from goldendreams.cases import notices, permissions, queries, taxonomy
from goldendreams.core.auth import Role
from goldendreams.core.base import today
from goldendreams.extensions import db
from tests.conftest import login
from tests.factories import (
    AgencyFactory,
    AssociationFactory,
    CaseFactory,
    OrganisationFactory,
    OrganisationLinkFactory,
    UserFactory,
    referred,
)
from tests.mailbox import text_of


def text(response) -> str:
    return response.get_data(as_text=True)


def association_with(*members):
    association = AssociationFactory()
    for member in members:
        OrganisationLinkFactory(kind="member_of", source=member, target=association)
    return association


def cases_at(org, count: int, days_ago: int = 40, **fields):
    """Cases referred to ``org`` last month by default (the figures count only those
    referred before this month began)."""
    taxonomy.load()
    return [referred(CaseFactory(organisation=org, **fields), days_ago) for _ in range(count)]


def test_members_and_who_may_see_figures(app):
    employer, agency = OrganisationFactory(), AgencyFactory()
    association = association_with(employer, agency)
    association_with(OrganisationFactory())  # another association's member
    assert sorted(queries.member_ids(association.id)) == sorted([employer.id, agency.id])
    assert queries.member_names(association.id) == sorted(
        [employer.name, agency.name], key=str.casefold
    )
    staff = UserFactory(role="association", organisation=association)
    assert permissions.may_see_member_figures(staff)
    for role in ("admin", "moderator", "caseworker", "government", "brand", "mobilizer"):
        assert not permissions.may_see_member_figures(UserFactory(role=role))
    staff.active = False
    assert not permissions.may_see_member_figures(staff)


def test_figures_are_suppressed_under_three(app):
    employer = OrganisationFactory()
    association = association_with(employer)
    cases_at(employer, 2)
    CaseFactory(organisation=employer)  # not referred to the member: not counted
    cases_at(OrganisationFactory(), 5)  # not a member
    figures = queries.association_figures(association.id, "en")
    assert figures["total"] is None
    for key in ("by_status", "by_category", "by_member"):
        assert all(value is None for _, value in figures[key]), key
    assert figures["median_days"] is None and figures["confirmed_share"] is None


def test_figures_from_three_cases(app):
    employer, agency = OrganisationFactory(name="Member Foods"), AgencyFactory()
    association = association_with(employer, agency)
    opened = today() - timedelta(days=20)
    cases_at(employer, 3, status="closed", opened_on=opened, resolved_on=opened + timedelta(9),
             outcome="resolved_confirmed")  # fmt: skip
    cases_at(agency, 1, status="in_remediation")
    figures = queries.association_figures(association.id, "en")
    assert figures["total"] == 4
    assert figures["median_days"] == 9
    assert figures["confirmed_share"] is None  # 3 of 3 would say each worker confirmed
    # The agency's one case is hidden, and so is the employer's (else 4 - 3 would tell).
    assert dict(figures["by_member"]) == {"Member Foods": None, agency.name: None}
    assert figures["by_category"][0][1] == 4
    cases_at(agency, 2, status="in_remediation")
    figures = queries.association_figures(association.id, "en")
    assert dict(figures["by_member"]) == {"Member Foods": 3, agency.name: 3}
    assert dict(figures["by_status"]) == {"closed": 3, "in_remediation": 3}
    cases_at(employer, 3, status="closed", outcome="resolved_unconfirmed")
    assert queries.association_figures(association.id, "en")["confirmed_share"] == 0.5


def test_figures_move_once_a_month_not_with_each_case(app):
    employer = OrganisationFactory()
    association = association_with(employer)
    cases_at(employer, 3)
    before = queries.association_figures(association.id, "en")
    cases_at(employer, 1, days_ago=0)  # referred this month: next month's figures
    assert queries.association_figures(association.id, "en") == before


def test_the_association_page_shows_figures_and_members_never_cases(client):
    employer = OrganisationFactory(name="Member Foods")
    association = association_with(employer)
    cases = cases_at(employer, 3)
    outsider = cases_at(OrganisationFactory(name="Not A Member"), 3)
    login(client, UserFactory(role="association", organisation=association))
    response = client.get("/cases/association/")
    assert response.status_code == 200
    page = text(response)
    assert "Member Foods" in page and association.name in page and "<dd>3</dd>" in page
    assert "Not A Member" not in page
    for case in cases + outsider:
        assert case.reference not in page and f"/cases/{case.id}" not in page
        assert case.summary not in page


def test_the_staff_home_links_to_the_figures(client):
    login(client, UserFactory(role="association", organisation=AssociationFactory()))
    assert "/cases/association/" in text(client.get("/staff/"))


@pytest.mark.parametrize(
    "role",
    [Role.ADMIN, Role.MODERATOR, Role.CASEWORKER, Role.GOVERNMENT, Role.MOBILIZER,
     Role.AGENCY_STAFF, Role.EMPLOYER_STAFF, Role.BRAND],
)  # fmt: skip
def test_other_roles_are_turned_away(client, login_as, role):
    login_as(role)
    assert client.get("/cases/association/").status_code == 403


def test_anonymous_go_to_the_login(client):
    response = client.get("/cases/association/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- the monthly mail -------------------------------------------------------------------------


def test_the_monthly_mail_counts_last_months_cases(app, mailbox):
    employer = OrganisationFactory()
    association = association_with(employer)
    staff = UserFactory(role="association", organisation=association)
    muted = UserFactory(role="association", organisation=association,
                        muted_notifications=["member_figures"])  # fmt: skip
    quiet = association_with(OrganisationFactory())  # no case: "fewer than 3"
    quiet_staff = UserFactory(role="association", organisation=quiet)
    day = date(2026, 3, 1)
    cases = cases_at(employer, 3, opened_on=date(2026, 2, 10))
    cases_at(employer, 4, opened_on=date(2026, 3, 1))  # this month: not yet
    CaseFactory(organisation=employer, opened_on=date(2026, 2, 11))  # not referred
    mailbox.clear()
    assert notices.member_figures(day) == 2
    by_to = {m["To"]: m for m in mailbox.messages}
    assert set(by_to) == {staff.email, quiet_staff.email} and muted.email not in by_to
    body = text_of(by_to[staff.email])
    assert "February 2026" in by_to[staff.email]["Subject"]
    assert ": 3" in body and "/cases/association/" in body
    for case in cases:
        assert case.reference not in body and employer.name not in body
    assert "fewer than 3" in text_of(by_to[quiet_staff.email])


# --- staff: an association and its members --------------------------------------------------


def test_admin_creates_an_association_with_a_member(client, login_as):
    login_as(Role.ADMIN)
    employer = OrganisationFactory(name="Joining Foods")
    response = client.post(
        "/staff/organisations/new",
        data={"kind": "association", "name": "Thai Seafood Makers", "country": "TH",
              "sector": "seafood", "licence_status": "", "office_kind": ""},
    )  # fmt: skip
    assert response.status_code == 302
    association = db.session.scalars(select(Organisation).filter_by(kind="association")).one()
    page = text(client.get(f"/staff/organisations/{association.id}"))
    assert 'id="links"' in page and "Joining Foods" in page
    response = client.post(
        f"/staff/organisations/{association.id}/links", data={"partner": employer.id}
    )
    assert response.status_code == 302
    assert queries.member_ids(association.id) == [employer.id]
    assert "Member: Joining Foods" in text(client.get(f"/staff/organisations/{association.id}"))
    assert "Member of Thai Seafood Makers" in text(
        client.get(f"/staff/organisations/{employer.id}")
    )
