"""Organisation admins invite and switch off colleagues of their own organisation, and can
never see or touch another organisation's accounts or invitations."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from goldendreams.accounts import invitations, permissions, services
from goldendreams.accounts.models import Invitation, StaffSession, User
from goldendreams.core.audit import AuditLog
from goldendreams.core.auth import ORG_ROLE_KINDS, Role
from goldendreams.extensions import db
from tests.conftest import login
from tests.factories import (
    AgencyFactory,
    AssociationFactory,
    BuyerFactory,
    CsoFactory,
    GovernmentOfficeFactory,
    OrganisationFactory,
    UserFactory,
)

ORG_FACTORIES = {"agency": AgencyFactory, "employer": OrganisationFactory, "buyer": BuyerFactory}


@pytest.fixture
def org_admin(client):
    """An agency's organisation admin, logged in."""
    user = UserFactory(role="agency_staff", organisation=AgencyFactory(), org_admin=True)
    login(client, user)
    return user


def _invitations() -> int:
    return db.session.scalar(select(func.count()).select_from(Invitation))


def test_the_list_shows_own_colleagues_only(client, org_admin):
    colleague = UserFactory(role="agency_staff", organisation=org_admin.organisation)
    stranger = UserFactory(role="agency_staff", organisation=AgencyFactory())
    moderator = UserFactory(role="moderator")
    page = client.get("/portal/colleagues/").get_data(as_text=True)
    assert org_admin.email in page and colleague.email in page
    assert stranger.email not in page and moderator.email not in page
    home = client.get("/staff/").get_data(as_text=True)
    assert "/portal/colleagues/" in home


def test_invite_a_colleague_to_the_own_organisation(client, org_admin, mailbox):
    form = {"email": "new@agency.example", "org_admin": "y", "locale": "my",
            # Sent anyway, and ignored: the role and organisation are the admin's own.
            "role": "admin", "organisation": str(AgencyFactory().id)}  # fmt: skip
    assert client.post("/portal/colleagues/invite", data=form).status_code == 302
    invitation = db.session.scalar(select(Invitation))
    assert (invitation.email, invitation.role, invitation.organisation_id) == (
        "new@agency.example",
        "agency_staff",
        org_admin.organisation_id,
    )
    assert invitation.org_admin and invitation.invited_by_id == org_admin.id
    assert mailbox.last_to("new@agency.example")["Content-Language"] == "my"
    assert "new@agency.example" in client.get("/portal/colleagues/").get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.AGENCY_STAFF, Role.EMPLOYER_STAFF, Role.BRAND])
def test_the_role_is_the_organisations_kind(client, role):
    org = ORG_FACTORIES[ORG_ROLE_KINDS[role]]()
    login(client, UserFactory(role=role.value, organisation=org, org_admin=True))
    client.post("/portal/colleagues/invite", data={"email": "c@example.org", "locale": "en"})
    invitation = db.session.scalar(select(Invitation))
    assert (invitation.role, invitation.organisation_id) == (role.value, org.id)


def test_switch_a_colleague_off(app, client, org_admin):
    colleague = UserFactory(role="agency_staff", organisation=org_admin.organisation)
    other = app.test_client()
    login(other, colleague)
    assert client.post(f"/portal/colleagues/{colleague.id}/switch-off").status_code == 302
    db.session.refresh(colleague)
    assert not colleague.active
    assert not db.session.scalars(select(StaffSession).filter_by(user_id=colleague.id)).all()
    assert other.get("/staff/").status_code == 302
    entry = db.session.scalar(select(AuditLog).filter_by(action="account.switched_off"))
    assert (entry.actor_id, entry.target_id) == (org_admin.id, colleague.id)


def test_not_themselves(client, org_admin):
    response = client.post(f"/portal/colleagues/{org_admin.id}/switch-off", follow_redirects=True)
    assert "cannot switch off your own account" in response.get_data(as_text=True)
    db.session.refresh(org_admin)
    assert org_admin.active


def test_other_organisations_are_404(client, org_admin):
    """Another agency's staff, the site's staff, and another agency's invitation: as if
    they did not exist; nothing changes."""
    stranger = UserFactory(role="agency_staff", organisation=AgencyFactory())
    same_kind_other_org = UserFactory(role="agency_staff", organisation=AgencyFactory())
    moderator = UserFactory(role="moderator")
    admin = UserFactory(role="admin")
    theirs = invitations.invite(admin, "x@other.example", "agency_staff", AgencyFactory())
    site = invitations.invite(admin, "y@site.example", "moderator")
    for user in (stranger, same_kind_other_org, moderator, admin):
        assert client.post(f"/portal/colleagues/{user.id}/switch-off").status_code == 404
    for invitation in (theirs, site):
        url = f"/portal/colleagues/invitations/{invitation.id}/withdraw"
        assert client.post(url).status_code == 404
    assert client.post("/portal/colleagues/99999/switch-off").status_code == 404
    db.session.expire_all()
    assert all(u.active for u in db.session.scalars(select(User)))
    assert all(i.used_at is None for i in db.session.scalars(select(Invitation)))
    page = client.get("/portal/colleagues/").get_data(as_text=True)
    assert "x@other.example" not in page and "y@site.example" not in page


def test_withdraw_an_own_invitation(client, org_admin):
    invitation = invitations.invite(
        org_admin, "z@agency.example", "agency_staff", org_admin.organisation
    )
    url = f"/portal/colleagues/invitations/{invitation.id}/withdraw"
    assert client.post(url).status_code == 302
    db.session.refresh(invitation)
    assert invitation.used_at is not None


def test_no_site_roles_for_organisation_admins(app, org_admin):
    """The service refuses what the form cannot ask for: a site role, or another org."""
    assert permissions.invitable_roles(org_admin) == [Role.AGENCY_STAFF]
    moderator = UserFactory(role="moderator")
    assert not permissions.may_manage_user(org_admin, moderator)
    assert not permissions.may_switch_off(org_admin, org_admin)


@pytest.mark.parametrize("role", list(Role))
def test_only_organisation_admins_get_in(client, role):
    kind = ORG_ROLE_KINDS.get(role)
    org = ORG_FACTORIES[kind]() if kind else None
    user = UserFactory(role=role.value, organisation=org)  # no org_admin right
    colleague = UserFactory(role=role.value, organisation=org)
    login(client, user)
    assert client.get("/portal/colleagues/").status_code == 403
    assert client.get("/portal/colleagues/invite").status_code == 403
    form = {"email": "q@example.org", "locale": "en"}
    assert client.post("/portal/colleagues/invite", data=form).status_code == 403
    assert client.post(f"/portal/colleagues/{colleague.id}/switch-off").status_code == 403
    assert _invitations() == 0
    db.session.refresh(colleague)
    assert colleague.active
    assert "/portal/colleagues/" not in client.get("/staff/").get_data(as_text=True)


def test_a_switched_off_org_admin_loses_the_right(client, org_admin):
    org_admin.active = False
    db.session.commit()
    assert client.get("/portal/colleagues/").status_code == 302  # logged out


def test_an_organisation_admin_learns_nothing_of_other_addresses(client, org_admin, mailbox):
    """An address with a staff account elsewhere, or an open invitation from the site's
    admins or another organisation, gets the answer of a sent invitation: nothing is sent,
    and the other invitation keeps working."""
    caseworker = UserFactory(role="caseworker")
    admin = UserFactory(role="admin")
    theirs = invitations.invite(admin, "moderator-to-be@ngo.example", "moderator")
    mailbox.clear()
    for email in (caseworker.email, "moderator-to-be@ngo.example"):
        before = _invitations()
        response = client.post("/portal/colleagues/invite", data={"email": email, "locale": "en"})
        assert response.status_code == 302
        assert "exists already" not in client.get("/portal/colleagues/").get_data(as_text=True)
        assert _invitations() == before and mailbox.to(email) == []
    db.session.refresh(theirs)
    assert theirs.used_at is None  # the admins' invitation still works


# --- a CSO's admin: a caseworker with the organisation-admin right ------------------------


@pytest.fixture
def cso_admin(client):
    """The admin of a CSO of the network (a caseworker), logged in."""
    user = UserFactory(role="caseworker", organisation=CsoFactory(), org_admin=True)
    login(client, user)
    return user


def test_a_cso_admin_invites_a_mobilizer_of_their_cso(client, cso_admin, mailbox):
    assert permissions.invitable_roles(cso_admin) == [Role.CASEWORKER, Role.MOBILIZER]
    assert "/portal/colleagues/" in client.get("/staff/").text
    page = client.get("/portal/colleagues/invite").text
    assert 'value="mobilizer"' in page and 'value="moderator"' not in page
    form = {
        "email": "leader@village.example",
        "role": "mobilizer",
        "locale": "my",
        "organisation": str(CsoFactory().id),
    }  # fmt: skip  (ignored: their own CSO)
    assert client.post("/portal/colleagues/invite", data=form).status_code == 302
    invitation = db.session.scalar(select(Invitation))
    assert (invitation.role, invitation.organisation_id, invitation.invited_by_id) == (
        "mobilizer",
        cso_admin.organisation_id,
        cso_admin.id,
    )
    assert mailbox.last_to("leader@village.example")
    assert "leader@village.example" in client.get("/portal/colleagues/").text


def test_a_mobilizer_is_never_an_organisation_admin(client, cso_admin):
    form = {"email": "m@ngo.example", "role": "mobilizer", "org_admin": "y", "locale": "en"}
    client.post("/portal/colleagues/invite", data=form)
    assert not db.session.scalar(select(Invitation)).org_admin
    mobilizer = UserFactory(role="mobilizer", organisation=cso_admin.organisation, org_admin=True)
    assert not permissions.may_manage_colleagues(mobilizer)


@pytest.mark.parametrize("role", ["moderator", "admin", "agency_staff", "government"])
def test_a_cso_admin_cannot_invite_to_a_site_or_other_role(client, cso_admin, role):
    form = {"email": "x@ngo.example", "role": role, "locale": "en"}
    response = client.post("/portal/colleagues/invite", data=form)
    assert response.status_code == 200  # the form refuses the choice
    assert _invitations() == 0


def test_the_service_refuses_another_cso_or_a_site_role(app, cso_admin):
    """What the form cannot ask for, the service refuses too."""
    other_cso = CsoFactory()
    with pytest.raises(services.AccountError):
        invitations.invite(cso_admin, "a@ngo.example", "caseworker", other_cso)
    with pytest.raises(services.AccountError):
        invitations.invite(cso_admin, "b@ngo.example", "moderator")
    with pytest.raises(services.AccountError):
        invitations.invite(cso_admin, "c@ngo.example", "government", GovernmentOfficeFactory())
    assert _invitations() == 0
    invitations.invite(cso_admin, "d@ngo.example", "caseworker", cso_admin.organisation)
    assert _invitations() == 1


def test_a_cso_admin_switches_off_own_colleagues_only(client, cso_admin):
    mobilizer = UserFactory(role="mobilizer", organisation=cso_admin.organisation)
    other_caseworker = UserFactory(role="caseworker", organisation=CsoFactory())
    default_cso_caseworker = UserFactory(role="caseworker")  # the test network's CSO
    for stranger in (other_caseworker, default_cso_caseworker):
        assert not permissions.may_manage_user(cso_admin, stranger)
        assert client.post(f"/portal/colleagues/{stranger.id}/switch-off").status_code == 404
    page = client.get("/portal/colleagues/").text
    assert mobilizer.email in page and other_caseworker.email not in page
    assert client.post(f"/portal/colleagues/{mobilizer.id}/switch-off").status_code == 302
    db.session.expire_all()
    assert not mobilizer.active
    assert other_caseworker.active and default_cso_caseworker.active


@pytest.mark.parametrize(
    ("role", "factory"),
    [("government", GovernmentOfficeFactory), ("association", AssociationFactory)],
)
def test_office_and_association_admins_invite_their_own_role(client, role, factory):
    office = factory()
    login(client, UserFactory(role=role, organisation=office, org_admin=True))
    assert 'name="role"' not in client.get("/portal/colleagues/invite").text
    client.post("/portal/colleagues/invite", data={"email": "n@office.example", "locale": "en"})
    invitation = db.session.scalar(select(Invitation))
    assert (invitation.role, invitation.organisation_id) == (role, office.id)
