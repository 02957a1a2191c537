"""Admins manage staff at /staff/users: list and filter, invite, change role or organisation,
switch off and on, let a locked account in, reset a second factor; every change audited."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from goldendreams.accounts import services, users_views
from goldendreams.accounts.models import (
    Invitation,
    RecoveryCode,
    SecondFactor,
    StaffSession,
    User,
)
from goldendreams.core.audit import AuditLog
from goldendreams.core.auth import Role
from goldendreams.extensions import db
from tests.conftest import login
from tests.factories import (
    AgencyFactory,
    AssociationFactory,
    BuyerFactory,
    CsoFactory,
    GovernmentOfficeFactory,
    InvitationFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.mailbox import text_of


def _audit(action: str) -> list[AuditLog]:
    return list(db.session.scalars(select(AuditLog).filter_by(action=action)))


def _sessions(user: User) -> int:
    query = select(func.count()).select_from(StaffSession).filter_by(user_id=user.id)
    return db.session.scalar(query)


def test_the_list_filters_by_role_and_organisation(client, login_as):
    login_as(Role.ADMIN)
    agency = AgencyFactory(name="Filter Agency")
    at_agency = UserFactory(role="agency_staff", organisation=agency, email="a@agency.example")
    elsewhere = UserFactory(role="agency_staff", organisation=AgencyFactory(), email="b@x.example")
    moderator = UserFactory(role="moderator", email="mod@site.example")

    page = client.get("/staff/users").get_data(as_text=True)
    assert all(u.email in page for u in (at_agency, elsewhere, moderator))
    by_role = client.get("/staff/users?role=moderator").get_data(as_text=True)
    assert moderator.email in by_role and at_agency.email not in by_role
    by_org = client.get(f"/staff/users?organisation={agency.id}").get_data(as_text=True)
    assert at_agency.email in by_org and elsewhere.email not in by_org
    assert moderator.email not in by_org
    # Values no list has: refused on the form, not sent to the database.
    for bad in ("?role=king", "?organisation=abc", "?organisation=99999", "?role=%00"):
        response = client.get(f"/staff/users{bad}")
        assert response.status_code == 200
        assert "Choose an answer from the list." in response.get_data(as_text=True)


def test_the_list_is_paginated(client, login_as, monkeypatch):
    monkeypatch.setattr(users_views, "PAGE_SIZE", 3)
    login_as(Role.ADMIN)
    for _ in range(4):
        UserFactory()
    first = client.get("/staff/users").get_data(as_text=True)
    assert "Page 1 of 2" in first
    assert client.get("/staff/users?page=2").status_code == 200
    assert client.get("/staff/users?page=3").status_code == 404


def test_the_old_address_sends_admins_on(client, login_as):
    login_as(Role.ADMIN)
    response = client.get("/staff/accounts")
    assert response.status_code == 301
    assert urlsplit(response.headers["Location"]).path == "/staff/users"


def test_admin_invites_and_withdraws(client, login_as, mailbox):
    admin = login_as(Role.ADMIN)
    buyer = BuyerFactory(name="Big Brand")
    form = {"email": "buyer@brand.example", "role": "brand", "organisation": str(buyer.id),
            "org_admin": "y", "locale": "km"}  # fmt: skip
    response = client.post("/staff/users/invite", data=form)
    assert response.status_code == 302
    invitation = db.session.scalar(select(Invitation).filter_by(email="buyer@brand.example"))
    assert (invitation.role, invitation.organisation_id, invitation.org_admin) == (
        "brand",
        buyer.id,
        True,
    )
    assert invitation.invited_by_id == admin.id and invitation.preferred_locale == "km"
    assert mailbox.last_to("buyer@brand.example")["Content-Language"] == "km"
    page = client.get("/staff/users").get_data(as_text=True)
    assert "buyer@brand.example" in page

    assert client.post(f"/staff/users/invitations/{invitation.id}/withdraw").status_code == 302
    db.session.refresh(invitation)
    assert invitation.used_at is not None
    assert "buyer@brand.example" not in client.get("/staff/users").get_data(as_text=True)
    (entry,) = _audit("account.invitation_withdrawn")
    assert (entry.actor_id, entry.target_id) == (admin.id, invitation.id)


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"email": "x@example.org", "role": "agency_staff"}, "needs an organisation"),
        ({"email": "not an address", "role": "moderator"}, "like name@example.org"),
        ({"email": "", "role": "moderator"}, "Please enter your email."),
        ({"email": "x@example.org", "role": "king"}, "Choose an answer from the list."),
    ],
)
def test_a_wrong_invitation_says_why_and_keeps_the_form(client, login_as, form, message):
    login_as(Role.ADMIN)
    response = client.post("/staff/users/invite", data={"locale": "en", **form})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page
    if form["email"]:
        assert form["email"] in page  # nothing typed is lost
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_an_org_role_with_the_wrong_kind_of_organisation(client, login_as):
    login_as(Role.ADMIN)
    form = {"email": "x@example.org", "role": "agency_staff",
            "organisation": str(OrganisationFactory().id), "locale": "en"}  # fmt: skip
    page = client.post("/staff/users/invite", data=form).get_data(as_text=True)
    assert "needs an organisation of the right kind" in page


def test_admin_changes_role_and_organisation(client, login_as):
    admin = login_as(Role.ADMIN)
    target = UserFactory(role="moderator")
    employer = OrganisationFactory()
    data = {"role": "employer_staff", "organisation": str(employer.id), "org_admin": "y"}
    assert client.post(f"/staff/users/{target.id}", data=data).status_code == 302
    db.session.refresh(target)
    assert (target.role, target.organisation_id, target.org_admin) == (
        "employer_staff",
        employer.id,
        True,
    )
    (entry,) = _audit("account.role_changed")
    assert entry.actor_id == admin.id and entry.target_id == target.id
    assert entry.detail["role_from"] == "moderator" and entry.detail["role_to"] == "employer_staff"

    # Back to a role of the site: the organisation goes.
    data = {"role": "moderator", "organisation": str(employer.id), "org_admin": "y"}
    assert client.post(f"/staff/users/{target.id}", data=data).status_code == 302
    db.session.refresh(target)
    assert (target.role, target.organisation_id, target.org_admin) == ("moderator", None, False)


@pytest.mark.parametrize(
    ("role", "factory"),
    [
        ("caseworker", CsoFactory),
        ("mobilizer", CsoFactory),
        ("government", GovernmentOfficeFactory),
        ("association", AssociationFactory),
    ],
)
def test_network_members_get_their_kind_of_organisation(client, login_as, role, factory):
    """Caseworkers and mobilizers belong to a CSO, government officers to an office,
    association staff to their association: the select offers each under its roles."""
    login_as(Role.ADMIN)
    target = UserFactory(role="moderator")
    organisation, employer = factory(), OrganisationFactory()
    page = client.get(f"/staff/users/{target.id}").get_data(as_text=True)
    assert f'value="{organisation.id}"' in page and "<optgroup" in page
    response = client.post(
        f"/staff/users/{target.id}", data={"role": role, "organisation": str(employer.id)}
    )
    assert response.status_code == 200 and "right kind" in response.text
    db.session.refresh(target)
    assert target.role == "moderator"
    data = {"role": role, "organisation": str(organisation.id)}
    assert client.post(f"/staff/users/{target.id}", data=data).status_code == 302
    db.session.refresh(target)
    assert (target.role, target.organisation_id) == (role, organisation.id)


def test_a_caseworker_needs_a_cso(client, login_as):
    login_as(Role.ADMIN)
    data = {"email": "cw@example.org", "role": "caseworker", "locale": "en"}
    response = client.post("/staff/users/invite", data=data)
    assert response.status_code == 200
    assert "A caseworker belongs to an NGO or a union of the network." in response.text
    data["organisation"] = str(AgencyFactory().id)
    assert "NGO or a union" in client.post("/staff/users/invite", data=data).text
    data["organisation"] = str(CsoFactory().id)
    assert client.post("/staff/users/invite", data=data).status_code == 302
    invitation = db.session.scalar(select(Invitation).filter_by(email="cw@example.org"))
    assert invitation.role == "caseworker" and invitation.organisation.kind == "ngo"


def test_a_role_change_keeps_the_rules(client, login_as):
    login_as(Role.ADMIN)
    target = UserFactory(role="moderator")
    data = {"role": "agency_staff", "organisation": str(OrganisationFactory().id)}
    response = client.post(f"/staff/users/{target.id}", data=data)
    assert response.status_code == 200
    assert "right kind" in response.get_data(as_text=True)
    db.session.refresh(target)
    assert target.role == "moderator"
    assert not _audit("account.role_changed")


def test_an_admin_cannot_demote_or_switch_off_themselves(client, login_as):
    admin = login_as(Role.ADMIN)
    response = client.post(f"/staff/users/{admin.id}", data={"role": "moderator"})
    assert "cannot take the administrator role from yourself" in response.get_data(as_text=True)
    response = client.post(f"/staff/users/{admin.id}/switch-off", follow_redirects=True)
    assert "cannot switch off your own account" in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.role == "admin" and admin.active
    assert client.get("/staff/").status_code == 200  # still logged in
    assert not _audit("account.switched_off") and not _audit("account.role_changed")


def test_switching_off_ends_sessions_and_on_lets_in_again(app, client, login_as):
    admin = login_as(Role.ADMIN)
    target = UserFactory(role="moderator")
    other = app.test_client()
    login(other, target)
    assert other.get("/staff/").status_code == 200
    assert _sessions(target) == 1

    assert client.post(f"/staff/users/{target.id}/switch-off").status_code == 302
    db.session.refresh(target)
    assert not target.active and _sessions(target) == 0
    assert other.get("/staff/").status_code == 302  # logged out
    assert services.authenticate(target.email, "correct horse battery") is None

    assert client.post(f"/staff/users/{target.id}/switch-on").status_code == 302
    db.session.refresh(target)
    assert target.active
    assert [e.actor_id for e in _audit("account.switched_off")] == [admin.id]
    assert [e.actor_id for e in _audit("account.switched_on")] == [admin.id]


def test_lifting_a_lockout_is_audited(client, login_as):
    admin = login_as(Role.ADMIN)
    target = UserFactory(role="moderator")
    assert client.post(f"/staff/users/{target.id}/let-in").status_code == 302
    (entry,) = _audit("account.lockout_lifted")
    assert (entry.actor_id, entry.target_id) == (admin.id, target.id)


def test_resetting_a_second_factor(app, client, login_as, mailbox):
    admin = login_as(Role.ADMIN)
    target = UserFactory(role="caseworker", preferred_locale="ne")
    # Factory users of the roles that need one have a confirmed second factor.
    assert db.session.get(SecondFactor, target.id) is not None
    db.session.add(RecoveryCode(user_id=target.id, code_hash="0" * 64))
    db.session.commit()
    other = app.test_client()
    login(other, target)

    assert client.post(f"/staff/users/{target.id}/second-factor/reset").status_code == 302
    db.session.expire_all()
    assert db.session.get(SecondFactor, target.id) is None
    assert not db.session.scalars(select(RecoveryCode).filter_by(user_id=target.id)).all()
    assert _sessions(target) == 0
    (entry,) = _audit("account.second_factor_reset")
    assert (entry.actor_id, entry.target_id) == (admin.id, target.id)
    message = mailbox.last_to(target.email)
    assert message["Content-Language"] == "ne"
    assert "/login" in text_of(message)


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_only_admins_manage_staff(client, login_as, role):
    login_as(role)
    target = UserFactory(role="moderator")
    invitation = InvitationFactory()
    assert client.get("/staff/users").status_code == 403
    assert client.get("/staff/users/invite").status_code == 403
    assert client.get(f"/staff/users/{target.id}").status_code == 403
    for action in ("switch-off", "switch-on", "let-in", "second-factor/reset"):
        assert client.post(f"/staff/users/{target.id}/{action}").status_code == 403
    assert client.post(f"/staff/users/invitations/{invitation.id}/withdraw").status_code == 403
    db.session.refresh(target)
    assert target.active
    assert not db.session.scalars(select(AuditLog)).all()


def test_unknown_ids_are_404(client, login_as):
    login_as(Role.ADMIN)
    assert client.get("/staff/users/99999").status_code == 404
    assert client.post("/staff/users/99999/switch-off").status_code == 404
    assert client.post("/staff/users/invitations/99999/withdraw").status_code == 404
