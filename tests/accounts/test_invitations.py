"""Invitations: the mailed one-time link opens an account once, within its hours, and a link
that does not work says nothing about why."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from goldendreams.accounts import invitations, services
from goldendreams.accounts.models import Invitation, User
from goldendreams.core.audit import AuditLog
from goldendreams.core.auth import Role
from goldendreams.core.base import utcnow
from goldendreams.extensions import db
from tests.conftest import login
from tests.factories import AgencyFactory, InvitationFactory, network_cso
from tests.mailbox import links_in, text_of

NEW_PASSWORD = "plum kettle harbour violin"


def _token_from(mailbox, email: str) -> str:
    link = next(link for link in links_in(mailbox.last_to(email)) if "/invitation/" in link)
    return urlsplit(link).path.rsplit("/", 1)[1]


def _accept(client, token: str, password: str = NEW_PASSWORD, again: str | None = None):
    data = {"new": password, "again": password if again is None else again}
    return client.post(f"/invitation/{token}", data=data)


def _users() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_an_invitation_opens_an_account_once(app, client, mailbox, user_for):
    admin = user_for(Role.ADMIN)
    agency = AgencyFactory(name="Golden Bridge Recruitment")
    invitation = invitations.invite(
        admin, "New.Person@Example.org", "agency_staff", agency, org_admin=True, locale="th"
    )
    message = mailbox.last_to("new.person@example.org")
    assert message["Content-Language"] == "th"
    token = _token_from(mailbox, "new.person@example.org")
    # Only the token's hash is stored.
    assert token not in invitation.token_hash and invitation.token_hash == services.token_hash(
        token
    )

    page = client.get(f"/invitation/{token}").get_data(as_text=True)
    assert "new.person@example.org" in page and "Golden Bridge Recruitment" in page
    assert "Agency staff" in page

    response = _accept(client, token)
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"
    user = db.session.scalar(select(User).filter_by(email="new.person@example.org"))
    assert (user.role, user.organisation_id, user.org_admin, user.preferred_locale) == (
        "agency_staff",
        agency.id,
        True,
        "th",
    )
    assert services.authenticate("new.person@example.org", NEW_PASSWORD) == user
    db.session.refresh(invitation)
    assert invitation.used_at is not None
    entry = db.session.scalar(select(AuditLog).filter_by(action="account.created"))
    assert entry.target_id == user.id and entry.detail == {"invitation": invitation.id}

    # Single use: the same link opens nothing again, and creates nothing.
    again = client.get(f"/invitation/{token}")
    assert again.status_code == 404
    assert _accept(client, token).status_code == 404
    assert _users() == 2


def test_the_mail_says_the_role_in_the_invitees_language(app, mailbox, user_for):
    invitations.invite(user_for(Role.ADMIN), "mod@example.org", "moderator", locale="en")
    text = text_of(mailbox.last_to("mod@example.org"))
    assert "as Moderator." in text and "72 hours" in text
    assert "/invitation/" in text


def test_bad_passwords_are_refused_on_the_form(app, client):
    invitation = InvitationFactory()
    short = _accept(client, invitation.token, "short")
    assert short.status_code == 200 and "at least 12" in short.get_data(as_text=True).lower()
    different = _accept(client, invitation.token, NEW_PASSWORD, NEW_PASSWORD + "x")
    assert "not the same" in different.get_data(as_text=True)
    assert _users() == 0
    db.session.refresh(invitation)
    assert invitation.used_at is None  # still usable


def _spoil(invitation: Invitation, how: str) -> str:
    if how == "expired":
        invitation.expires_at = utcnow() - timedelta(seconds=1)
    elif how in ("used", "withdrawn"):
        invitation.used_at = utcnow()
    db.session.commit()
    return invitation.token if how != "unknown" else "no-such-token-0000000000000000000000"


@pytest.mark.parametrize("how", ["expired", "used", "withdrawn", "unknown"])
def test_a_link_that_does_not_work_says_the_same_whatever_the_reason(app, client, how):
    working = InvitationFactory()
    token = _spoil(InvitationFactory(), how)
    responses = [client.get(f"/invitation/{token}"), _accept(client, token)]
    for response in responses:
        assert response.status_code == 404
        assert "This link does not work any more" in response.get_data(as_text=True)
    assert _users() == 0
    # The very same page, whatever the reason (but for the token in its own links).
    unknown = _spoil(working, "unknown")
    reference = client.get(f"/invitation/{unknown}").get_data(as_text=True)
    assert responses[0].get_data(as_text=True).replace(token, unknown) == reference


def test_a_link_expires_after_its_hours(app, client, mailbox, user_for):
    invitations.invite(user_for(Role.ADMIN), "late@example.org", "caseworker", network_cso())
    token = _token_from(mailbox, "late@example.org")
    invitation = db.session.scalar(select(Invitation).filter_by(email="late@example.org"))
    hours = (invitation.expires_at - invitation.created_at).total_seconds() / 3600
    assert hours == app.config["INVITATION_HOURS"] == 72
    assert client.get(f"/invitation/{token}").status_code == 200
    invitation.expires_at = utcnow() - timedelta(minutes=1)  # the clock moved on
    db.session.commit()
    assert _accept(client, token).status_code == 404
    assert _users() == 1  # the admin only


def test_a_newer_invitation_replaces_the_older(app, client, mailbox, user_for):
    admin = user_for(Role.ADMIN)
    invitations.invite(admin, "twice@example.org", "moderator")
    first = _token_from(mailbox, "twice@example.org")
    invitations.invite(admin, "twice@example.org", "caseworker", network_cso())
    second = _token_from(mailbox, "twice@example.org")
    assert client.get(f"/invitation/{first}").status_code == 404
    assert _accept(client, second).status_code == 302
    assert db.session.scalar(select(User.role).filter_by(email="twice@example.org")) == "caseworker"


def test_an_address_with_an_account_cannot_be_invited(app, user_for):
    admin = user_for(Role.ADMIN)
    with pytest.raises(services.AccountError, match="exists already"):
        invitations.invite(admin, admin.email.upper(), "moderator")


def test_an_account_made_meanwhile_makes_the_link_useless(app, client, user_for):
    invitation = InvitationFactory(email="race@example.org")
    services.create_user("race@example.org", NEW_PASSWORD, "moderator")
    response = _accept(client, invitation.token)
    assert response.status_code == 200
    assert "exists already" in response.get_data(as_text=True)
    assert _users() == 1


def test_org_roles_need_their_organisation(app, user_for):
    admin = user_for(Role.ADMIN)
    with pytest.raises(services.AccountError):
        invitations.invite(admin, "a@example.org", "agency_staff")
    with pytest.raises(services.AccountError):
        invitations.invite(admin, "a@example.org", "employer_staff", AgencyFactory())
    with pytest.raises(services.AccountError):
        invitations.invite(admin, "a@example.org", "moderator", AgencyFactory())


def test_invited_account_logs_in(app, client):
    invitation = InvitationFactory(role="agency_staff", organisation=AgencyFactory())
    assert _accept(client, invitation.token).status_code == 302
    user = db.session.scalar(select(User).filter_by(email=invitation.email))
    response = login(client, user, NEW_PASSWORD)
    assert urlsplit(response.headers["Location"]).path == "/staff/"


def test_flask_users_invite(app, mailbox):
    AgencyFactory(name="Cli Agency")
    result = app.test_cli_runner().invoke(
        args=["users", "invite", "--email", "first@example.org", "--role", "admin"]
    )
    assert result.exit_code == 0, result.output
    assert "first@example.org" in result.output
    assert "/invitation/" in text_of(mailbox.last_to("first@example.org"))
    result = app.test_cli_runner().invoke(
        args=["users", "invite", "--email", "a@example.org", "--role", "agency_staff",
              "--org", "Cli Agency", "--locale", "my"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert mailbox.last_to("a@example.org")["Content-Language"] == "my"
    refused = app.test_cli_runner().invoke(
        args=["users", "invite", "--email", "b@example.org", "--role", "agency_staff"]
    )
    assert refused.exit_code != 0
