"""Profile claims: "Work here? Ask for an account", the moderators' decision, the purge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.attributes import set_committed_value

from goldendreams.accounts.models import Invitation
from goldendreams.agencies import claims
from goldendreams.agencies.models import Organisation, ProfileClaim
from goldendreams.agencies.tasks import purge_refused_claims
from goldendreams.core.audit import AuditLog
from goldendreams.core.auth import Role
from goldendreams.core.base import utcnow
from goldendreams.core.queue import huey
from goldendreams.extensions import db
from tests.factories import (
    AgencyFactory,
    BuyerFactory,
    OrganisationFactory,
    ProfileClaimFactory,
    UserFactory,
)
from tests.mailbox import html_of, text_of


def text(response) -> str:
    return response.get_data(as_text=True)


FORM = {
    "name": "Somchai Jaidee",
    "email": "Somchai@Seafood.example",
    "job_title": "HR manager",
    "locale": "th",
}


def claims_of(org_id=None) -> list[ProfileClaim]:
    return list(db.session.scalars(select(ProfileClaim).filter_by(organisation_id=org_id)))


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)))


# --- asking ----------------------------------------------------------------------------------


def test_organisation_page_links_to_the_claim_form(client):
    employer, buyer = OrganisationFactory(), BuyerFactory()
    assert f"/organisations/{employer.id}/claim" in text(
        client.get(f"/organisations/{employer.id}")
    )
    assert "/claim" not in text(client.get(f"/organisations/{buyer.id}"))
    assert "/organisations/claim-new" in text(client.get("/directory/"))


def test_an_employer_is_claimed_and_the_page_says_what_happens_next(client):
    org = OrganisationFactory()
    page = text(client.get(f"/organisations/{org.id}/claim"))
    assert 'name="licence_number"' not in page  # employers hold no recruitment licence
    response = client.post(f"/organisations/{org.id}/claim", data=FORM)
    assert response.status_code == 200
    assert "What happens next" in text(response)
    [claim] = claims_of(org.id)
    assert (claim.claimant_name, claim.email, claim.job_title) == (
        "Somchai Jaidee", "somchai@seafood.example", "HR manager",
    )  # fmt: skip
    assert claim.status == "pending" and claim.locale == "th" and claim.licence_number is None


def test_the_reply_language_defaults_to_the_page_language(client):
    org = OrganisationFactory()
    client.set_cookie("gd_lang", "km")
    assert '<option selected value="km">' in text(client.get(f"/organisations/{org.id}/claim"))


def test_an_agency_must_give_its_licence_number(client):
    org = AgencyFactory()
    response = client.post(f"/organisations/{org.id}/claim", data=FORM)
    assert 'class="error"' in text(response) and not claims_of(org.id)
    assert "Somchai Jaidee" in text(response)  # nothing typed is lost
    client.post(f"/organisations/{org.id}/claim", data={**FORM, "licence_number": " LIC-1 "})
    assert claims_of(org.id)[0].licence_number == "LIC-1"


@pytest.mark.parametrize(
    "bad",
    [{"name": " "}, {"email": "not-an-address"}, {"job_title": ""}, {"locale": "xx"},
     {"name": "n" * 201}],
)  # fmt: skip
def test_bad_input_is_refused_with_a_message(client, bad):
    org = OrganisationFactory()
    response = client.post(f"/organisations/{org.id}/claim", data={**FORM, **bad})
    assert response.status_code == 200 and 'class="error"' in text(response)
    assert not claims_of(org.id)


def test_one_pending_claim_per_email_per_organisation(client):
    org, other = OrganisationFactory(), OrganisationFactory()
    client.post(f"/organisations/{org.id}/claim", data=FORM)
    again = client.post(
        f"/organisations/{org.id}/claim", data={**FORM, "email": "SOMCHAI@seafood.example"}
    )
    assert "is waiting already" in text(again)
    assert len(claims_of(org.id)) == 1
    client.post(f"/organisations/{other.id}/claim", data=FORM)  # another organisation: fine
    assert len(claims_of(other.id)) == 1


def test_buyers_and_missing_organisations_cannot_be_claimed(client):
    assert client.get(f"/organisations/{BuyerFactory().id}/claim").status_code == 404
    assert client.post("/organisations/999999/claim", data=FORM).status_code == 404


def test_claims_are_rate_limited_per_client(app, client):
    app.config["CLAIM_RATE_LIMIT"] = "2 per hour"
    for _ in range(2):
        org = OrganisationFactory()
        assert client.post(f"/organisations/{org.id}/claim", data=FORM).status_code == 200
    # Mistakes do not count; stored requests do.
    assert client.get(f"/organisations/{OrganisationFactory().id}/claim").status_code == 200
    assert (
        client.post(f"/organisations/{OrganisationFactory().id}/claim", data=FORM).status_code
        == 429
    )


def test_a_company_not_listed_can_be_asked_for(client):
    data = {**FORM, "org_name": "New Fish Co", "org_kind": "agency", "org_country": "MM"}
    response = client.post("/organisations/claim-new", data={**data, "licence_number": ""})
    assert 'class="error"' in text(response)  # an agency: its licence number is needed
    response = client.post("/organisations/claim-new", data={**data, "licence_number": "L-9"})
    assert "What happens next" in text(response)
    [claim] = claims_of(None)
    assert (claim.new_org_name, claim.new_org_kind, claim.new_org_country) == (
        "New Fish Co", "agency", "MM",
    )  # fmt: skip
    again = client.post("/organisations/claim-new", data={**data, "org_name": "NEW FISH CO",
                                                          "licence_number": "L-9"})  # fmt: skip
    assert "is waiting already" in text(again)
    for bad in ({"org_kind": "buyer"}, {"org_country": "US"}, {"org_name": ""}):
        response = client.post(
            "/organisations/claim-new", data={**data, "licence_number": "L", **bad}
        )
        assert 'class="error"' in text(response)
    assert len(claims_of(None)) == 1


# --- the moderators' decision ----------------------------------------------------------------


def test_pending_claims_are_in_the_moderation_queue(client, login_as):
    agency = AgencyFactory(licence_number="LIC-ON-RECORD")
    claim = ProfileClaimFactory(organisation=agency, licence_number="LIC-TYPED")
    new = ProfileClaimFactory(
        organisation=None,
        new_org_name="Unlisted Ltd",
        new_org_kind="employer",
        new_org_country="TH",
    )
    ProfileClaimFactory(status="refused")  # decided: not waiting
    login_as(Role.MODERATOR)
    queue = text(client.get("/moderation/"))
    assert f"/moderation/claims/{claim.id}" in queue and f"/moderation/claims/{new.id}" in queue
    assert queue.count("/moderation/claims/") == 2
    page = text(client.get(f"/moderation/claims/{claim.id}"))
    assert "LIC-ON-RECORD" in page and "LIC-TYPED" in page and claim.email in page
    assert "Unlisted Ltd" in text(client.get(f"/moderation/claims/{new.id}"))


def test_approving_invites_the_claimant_in_one_step(client, login_as, mailbox):
    org = OrganisationFactory()
    claim = ProfileClaimFactory(organisation=org)
    moderator = login_as(Role.MODERATOR)
    response = client.post(f"/moderation/claims/{claim.id}/approve")
    assert response.status_code == 302
    db.session.expire_all()
    assert claim.status == "approved" and claim.decided_by_id == moderator.id and claim.decided_at
    invitation = db.session.scalar(select(Invitation).filter_by(email=claim.email))
    assert invitation.role == "employer_staff" and invitation.organisation_id == org.id
    assert invitation.org_admin  # the organisation had no staff yet
    assert invitation.preferred_locale == "th" and invitation.invited_by_id == moderator.id
    assert {"claim.approve", "account.invited"} <= set(audit_actions())
    assert len(mailbox.to(claim.email)) == 1  # the invitation is the answer: one mail


def test_an_organisation_with_staff_gets_an_ordinary_member(client, login_as):
    agency = AgencyFactory()
    UserFactory(role="agency_staff", organisation=agency)
    claim = ProfileClaimFactory(organisation=agency, licence_number="L")
    login_as(Role.ADMIN)
    client.post(f"/moderation/claims/{claim.id}/approve")
    invitation = db.session.scalar(select(Invitation).filter_by(email=claim.email))
    assert invitation.role == "agency_staff" and not invitation.org_admin


def test_approving_a_new_company_adds_it_to_the_directory(client, login_as):
    claim = ProfileClaimFactory(organisation=None, new_org_name="Unlisted Ltd",
                                new_org_kind="employer", new_org_country="TH")  # fmt: skip
    login_as(Role.MODERATOR)
    client.post(f"/moderation/claims/{claim.id}/approve")
    org = db.session.scalar(select(Organisation).filter_by(name="Unlisted Ltd"))
    assert org is not None and not org.verified and org.kind == "employer" and org.country == "TH"
    db.session.expire_all()
    assert claim.organisation_id == org.id
    invitation = db.session.scalar(select(Invitation).filter_by(email=claim.email))
    assert invitation.organisation_id == org.id and invitation.org_admin
    assert {"organisation.create", "claim.approve", "account.invited"} <= set(audit_actions())


def test_an_email_with_an_account_cannot_be_approved(client, login_as):
    claim = ProfileClaimFactory()
    UserFactory(email=claim.email.upper(), role="employer_staff", organisation=claim.organisation)
    login_as(Role.MODERATOR)
    assert "exists already" in text(client.get(f"/moderation/claims/{claim.id}"))
    response = client.post(f"/moderation/claims/{claim.id}/approve")
    assert response.status_code == 400 and "exists already" in text(response)
    db.session.expire_all()
    assert claim.status == "pending"
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_a_failed_approval_changes_nothing(app, login_as, client, monkeypatch):
    """One transaction: when the invitation cannot be made, the claim stays pending and no
    organisation is added."""
    claim = ProfileClaimFactory(organisation=None, new_org_name="Half Made",
                                new_org_kind="employer", new_org_country="TH")  # fmt: skip
    moderator = UserFactory(role="moderator")

    def broken(*args, **kwargs):
        raise claims.AccountError("refused")

    monkeypatch.setattr(claims.invitations, "add_invitation", broken)
    with pytest.raises(claims.ClaimError):
        claims.approve_claim(claim, moderator)
    db.session.expire_all()
    assert claim.status == "pending" and claim.organisation_id is None
    assert db.session.scalar(select(Organisation).filter_by(name="Half Made")) is None
    assert "claim.approve" not in audit_actions()


def test_refusing_needs_a_reason_and_mails_it_in_their_language(client, login_as, mailbox):
    claim = ProfileClaimFactory(locale="en")
    login_as(Role.MODERATOR)
    response = client.post(f"/moderation/claims/{claim.id}/refuse", data={"reason": "  "})
    assert response.status_code == 400 and 'class="error"' in text(response)
    db.session.expire_all()
    assert claim.status == "pending" and not mailbox.messages
    reason = "We could not confirm that you work there."
    response = client.post(f"/moderation/claims/{claim.id}/refuse", data={"reason": reason})
    assert response.status_code == 302
    db.session.expire_all()
    assert claim.status == "refused" and claim.reason == reason and claim.decided_at
    message = mailbox.last_to(claim.email)
    assert reason in text_of(message) and reason in html_of(message)
    assert claim.organisation.name in text_of(message)
    assert "claim.refuse" in audit_actions()
    # The audit entry holds ids, not the reason or the claimant's details.
    entry = db.session.scalar(select(AuditLog).filter_by(action="claim.refuse"))
    assert reason not in str(entry.detail) and claim.email not in str(entry.detail)


def test_the_refusal_mail_speaks_the_claimants_language(login_as, mailbox):
    claim = ProfileClaimFactory(locale="my")
    claims.refuse_claim(claim, UserFactory(role="moderator"), "Reason")
    assert mailbox.last_to(claim.email)["Content-Language"] == "my"


def test_a_decided_claim_cannot_be_decided_again(client, login_as, mailbox):
    claim = ProfileClaimFactory()
    login_as(Role.MODERATOR)
    client.post(f"/moderation/claims/{claim.id}/refuse", data={"reason": "No."})
    for url, data in (("approve", {}), ("refuse", {"reason": "Again"})):
        response = client.post(f"/moderation/claims/{claim.id}/{url}", data=data)
        assert response.status_code == 400 and "decided already" in text(response)
    db.session.expire_all()
    assert claim.status == "refused" and claim.reason == "No."
    assert len(mailbox.to(claim.email)) == 1
    page = text(client.get(f"/moderation/claims/{claim.id}"))
    assert f"moderation/claims/{claim.id}/approve" not in page


def test_two_moderators_at_once_decide_only_once(login_as):
    """The decision is a conditional update: a stale copy of a pending claim cannot be
    decided after another moderator decided it."""
    claim = ProfileClaimFactory()
    claims.refuse_claim(claim, UserFactory(role="moderator"), "First")
    set_committed_value(claim, "status", "pending")  # what a slower request still believes
    with pytest.raises(claims.ClaimError):
        claims.refuse_claim(claim, UserFactory(role="moderator"), "Second")
    db.session.expire_all()
    assert claim.reason == "First"


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.AGENCY_STAFF, Role.BRAND])
def test_only_moderators_and_admins_decide(client, login_as, role):
    claim = ProfileClaimFactory()
    login_as(role)
    assert client.get(f"/moderation/claims/{claim.id}").status_code == 403
    assert client.post(f"/moderation/claims/{claim.id}/approve").status_code == 403
    db.session.expire_all()
    assert claim.status == "pending"


# --- the purge -------------------------------------------------------------------------------


def test_refused_claims_personal_fields_are_erased_after_90_days(app):
    old = ProfileClaimFactory(status="refused", reason="No", licence_number="L",
                              decided_at=utcnow() - timedelta(days=91))  # fmt: skip
    recent = ProfileClaimFactory(status="refused", reason="No",
                                 decided_at=utcnow() - timedelta(days=89))  # fmt: skip
    approved = ProfileClaimFactory(status="approved", decided_at=utcnow() - timedelta(days=400))
    pending = ProfileClaimFactory(created_at=utcnow() - timedelta(days=400))

    assert purge_refused_claims.call_local() == 1  # the daily task's work
    db.session.expire_all()
    assert (old.claimant_name, old.email, old.job_title, old.licence_number, old.reason) == (
        "", "", "", None, None,
    )  # fmt: skip
    assert old.status == "refused" and old.organisation_id is not None  # the record stays
    for kept in (recent, approved, pending):
        assert kept.email and kept.claimant_name
    assert claims.purge_refused() == 0  # nothing left to erase
    entry = db.session.scalar(select(AuditLog).filter_by(action="claim.purge"))
    assert entry.detail == {"count": 1, "days": 90}


def test_the_purge_runs_daily_at_its_hour(app):
    """20:40 UTC, 03:40 in Bangkok: once a day, at no other minute."""
    day = datetime(2026, 12, 7, tzinfo=UTC)
    runs = [
        minute
        for minute in range(24 * 60)
        if purge_refused_claims.name
        in {task.name for task in huey.read_periodic(day + timedelta(minutes=minute))}
    ]
    assert runs == [20 * 60 + 40]
