"""Referrals of a case to another CSO or a government office: the worker agrees first,
the receiver reads only the referral before it decides, an accepted referral hands the case
on and leaves the sender a read-only view; every staff step audited, the worker's not."""

from __future__ import annotations

import pytest
from markupsafe import escape
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from goldendreams.cases import notices, permissions, referrals, services, taxonomy
from goldendreams.cases.models import Case, CaseReferral, ReferralStatus
from goldendreams.core.audit import AuditLog
from goldendreams.core.auth import Role
from goldendreams.core.base import today
from goldendreams.extensions import db
from tests.cases.test_views import referred_case_from_review
from tests.conftest import login
from tests.factories import (
    AgencyFactory,
    CaseEventFactory,
    CaseFactory,
    CaseReferralFactory,
    CsoFactory,
    GovernmentOfficeFactory,
    UserFactory,
    network_cso,
)

NOTE = "Worker now back in Myawaddy; needs help to claim unpaid wages."
SUMMARY = "Internal summary: Ko Aung paid 20,000 baht"
CONTACT = "LINE ko.aung.private"
INTERNAL = "Internal: the worker fears the supervisor"
SHARED = "Shared with the employer: please pay back the fees"


@pytest.fixture
def world(app):
    """A case run by the network's CSO, with a caseworker there; another CSO and a
    government office, each with a member; a third CSO's caseworker."""
    taxonomy.load()
    owner = network_cso()
    case = CaseFactory(owner=owner, summary=SUMMARY, contact=CONTACT)
    CaseEventFactory(case=case, text=INTERNAL)
    CaseEventFactory(case=case, text=SHARED, shared=True)
    receiver, office, third = CsoFactory(), GovernmentOfficeFactory(), CsoFactory()
    return {
        "case": case,
        "sender": UserFactory(role="caseworker", organisation=owner),
        "receiver": receiver,
        "receiver_worker": UserFactory(role="caseworker", organisation=receiver),
        "office": office,
        "officer": UserFactory(role="government", organisation=office),
        "third_worker": UserFactory(role="caseworker", organisation=third),
    }


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)))


def propose(world, to=None, method="phone", consent="Agreed on the phone, in Burmese."):
    return referrals.propose(
        world["case"], world["sender"], to or world["receiver"], NOTE, method, consent
    )


# --- the service ------------------------------------------------------------------------------


def test_consent_recorded_by_the_caseworker_offers_the_case(world, mailbox):
    referral = propose(world)
    assert referral.status == ReferralStatus.PROPOSED
    assert referral.consent_method == "phone" and referral.proposed_by_id == world["sender"].id
    assert referral.sender == network_cso() and referral.decided_on is None
    assert audit_actions() == ["case.referral_propose"]
    mail = mailbox.last_to(world["receiver_worker"].email)
    assert world["case"].reference in mail["Subject"]
    assert NOTE not in str(mail) and SUMMARY not in str(mail)


def test_consent_is_required_one_way_or_the_other(world):
    with pytest.raises(referrals.ReferralError):
        propose(world, method="phone", consent="")  # how the worker agreed: required
    with pytest.raises(referrals.ReferralError):
        propose(world, method="")  # no consent at all
    with pytest.raises(referrals.ReferralError):  # no code: the worker cannot be asked here
        propose(world, method="worker_code", consent=None)
    with pytest.raises(referrals.ReferralError):
        referrals.propose(world["case"], world["sender"], world["receiver"], " ", "phone", "ok")
    with pytest.raises(referrals.ReferralError):
        referrals.propose(world["case"], world["sender"], world["receiver"], "x" * 5001, "phone",
                          "ok")  # fmt: skip
    assert db.session.scalar(select(func.count(CaseReferral.id))) == 0
    assert audit_actions() == []


def test_cannot_propose_twice_or_to_the_wrong_receiver(world):
    propose(world)
    with pytest.raises(referrals.ReferralError):
        propose(world, to=world["office"])  # one open referral at a time
    case = CaseFactory()
    for wrong in (network_cso(), AgencyFactory(), None):
        with pytest.raises(referrals.ReferralError):
            referrals.propose(case, world["sender"], wrong, NOTE, "phone", "yes")
    closed = CaseFactory(status="closed")
    with pytest.raises(referrals.ReferralError):
        referrals.propose(closed, world["sender"], world["receiver"], NOTE, "phone", "yes")


@pytest.mark.parametrize("who", ["third_worker", "receiver_worker", "officer", "moderator",
                                 "mobilizer"])  # fmt: skip
def test_only_those_who_run_the_case_propose(world, who):
    user = world.get(who) or UserFactory(role=who)
    with pytest.raises(referrals.ReferralError):
        referrals.propose(world["case"], user, world["receiver"], NOTE, "phone", "yes")
    assert not permissions.may_refer(user, world["case"])


def test_accept_hands_the_case_to_the_receiving_cso(world, mailbox):
    world["case"].assignee_id = world["sender"].id
    db.session.commit()
    referral = propose(world)
    assert permissions.may_see_referral(world["receiver_worker"], referral)
    assert not permissions.may_run_case(world["receiver_worker"], world["case"])
    referrals.accept(referral, world["receiver_worker"])
    db.session.expire_all()
    case = db.session.get(Case, world["case"].id)
    assert case.owner_id == world["receiver"].id and case.assignee_id is None
    event = case.events[-1]
    assert (event.kind, event.shared, event.text) == ("referral", False, world["receiver"].name)
    assert referral.decided_on is not None and referral.decided_by_id == world["receiver_worker"].id
    assert audit_actions() == ["case.referral_propose", "case.referral_accept"]
    # The receiver runs it now; the sender follows it, read only.
    assert permissions.may_run_case(world["receiver_worker"], case)
    assert not permissions.may_run_case(world["sender"], case)
    assert permissions.may_follow_case(world["sender"], case)
    assert not permissions.may_follow_case(world["third_worker"], case)
    assert not permissions.may_follow_case(world["receiver_worker"], case)
    assert "accepted" in mailbox.last_to(world["sender"].email)["Subject"]


def test_accept_by_a_government_office_keeps_the_case_with_its_cso(world):
    referral = propose(world, to=world["office"])
    with pytest.raises(referrals.ReferralError):
        referrals.accept(referral, world["receiver_worker"])  # not the receiver
    referrals.accept(referral, world["officer"])
    assert referral.status == ReferralStatus.ACCEPTED
    assert world["case"].owner_id == network_cso().id
    assert permissions.may_run_case(world["sender"], world["case"])
    assert not permissions.may_follow_case(world["sender"], world["case"])
    assert not any(e.kind == "referral" for e in world["case"].events)


@pytest.mark.parametrize("who", ["sender", "third_worker", "officer", "moderator"])
def test_only_the_receiver_decides(world, who):
    referral = propose(world)
    user = world.get(who) or UserFactory(role=who)
    for step in (lambda: referrals.accept(referral, user),
                 lambda: referrals.decline(referral, user, "No room")):  # fmt: skip
        with pytest.raises(referrals.ReferralError):
            step()
    assert referral.status == ReferralStatus.PROPOSED
    assert world["case"].owner_id == network_cso().id


def test_admins_may_decide(world):
    referral = propose(world)
    referrals.accept(referral, UserFactory(role="admin"))
    assert world["case"].owner_id == world["receiver"].id


def test_decline_needs_a_reason(world, mailbox):
    referral = propose(world)
    with pytest.raises(referrals.ReferralError):
        referrals.decline(referral, world["receiver_worker"], "  ")
    assert referral.status == ReferralStatus.PROPOSED
    referrals.decline(referral, world["receiver_worker"], "We do not cover Malaysia.")
    assert referral.status == ReferralStatus.DECLINED
    assert referral.decline_reason == "We do not cover Malaysia."
    assert world["case"].owner_id == network_cso().id
    assert audit_actions()[-1] == "case.referral_decline"
    mail = mailbox.last_to(world["sender"].email)
    assert "declined" in mail["Subject"] and "Malaysia" not in str(mail)
    with pytest.raises(referrals.ReferralError):
        referrals.accept(referral, world["receiver_worker"])  # decided already
    propose(world, to=world["office"])  # and the case may be offered elsewhere


def test_withdraw(world):
    referral = propose(world)
    with pytest.raises(referrals.ReferralError):
        referrals.withdraw(referral, world["receiver_worker"])
    referrals.withdraw(referral, world["sender"])
    assert referral.status == ReferralStatus.WITHDRAWN
    assert audit_actions()[-1] == "case.referral_withdraw"
    assert not permissions.may_see_referral(world["receiver_worker"], referral)
    with pytest.raises(referrals.ReferralError):
        referrals.accept(referral, world["receiver_worker"])
    accepted = propose(world)
    referrals.accept(accepted, world["receiver_worker"])
    with pytest.raises(referrals.ReferralError):
        referrals.withdraw(accepted, world["sender"])


def test_worker_asked_through_the_code_agrees_without_a_trace(app, mailbox):
    case, _review = referred_case_from_review()
    sender = UserFactory(role="caseworker")
    receiver = CsoFactory()
    receiver_worker = UserFactory(role="caseworker", organisation=receiver)
    referral = referrals.propose(case, sender, receiver, NOTE, "worker_code", "ignored")
    assert referral.status == ReferralStatus.ASKING_WORKER and referral.consent_note is None
    assert not mailbox.to(receiver_worker.email)
    assert not permissions.may_see_referral(receiver_worker, referral)  # not offered yet
    audited = audit_actions()
    referrals.worker_consents(referral, yes=True)
    db.session.expire_all()
    referral = db.session.get(CaseReferral, referral.id)
    assert referral.status == ReferralStatus.PROPOSED and referral.consent_method == "worker_code"
    assert referral.decided_on is None and referral.decided_by_id is None
    assert audit_actions() == audited  # nothing says when the worker acted
    # Nor does a mail: the receiver hears the next morning, with every offer still waiting.
    assert not mailbox.to(receiver_worker.email)
    with pytest.raises(referrals.ReferralError):
        referrals.worker_consents(referral, yes=False)  # answered already
    assert notices.remind_waiting_referrals() == 1
    assert mailbox.to(receiver_worker.email)
    referrals.accept(referral, receiver_worker)
    assert notices.remind_waiting_referrals() == 0


def test_worker_refuses(app, mailbox):
    case, _review = referred_case_from_review()
    receiver = CsoFactory()
    receiver_worker = UserFactory(role="caseworker", organisation=receiver)
    referral = referrals.propose(case, UserFactory(role="caseworker"), receiver, NOTE,
                                 "worker_code")  # fmt: skip
    audited = audit_actions()
    referrals.worker_consents(referral, yes=False)
    assert referral.status == ReferralStatus.WORKER_REFUSED
    assert audit_actions() == audited
    assert not mailbox.to(receiver_worker.email)
    assert not permissions.may_see_referral(receiver_worker, referral)
    assert permissions.may_refer(UserFactory(role="caseworker"), case)  # may ask again later


# --- the pages --------------------------------------------------------------------------------


def test_caseworker_proposes_from_the_case_page(world, client):
    login(client, world["sender"])
    page = client.get(f"/cases/{world['case'].id}").get_data(as_text=True)
    form = page.split('id="refer"')[1]
    assert world["office"].name in form and escape(world["receiver"].name) in form
    assert network_cso().name not in form  # not to itself
    assert "worker_code" not in page  # no code: the worker cannot be asked on the site
    response = client.post(f"/cases/{world['case'].id}/refer", data={"to_id": "0"})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(CaseReferral.id))) == 0
    response = client.post(
        f"/cases/{world['case'].id}/refer",
        data={"to_id": world["receiver"].id, "note": NOTE, "consent_method": "in_person",
              "consent_note": "Met at the shelter"},
    )  # fmt: skip
    referral = db.session.scalar(select(CaseReferral))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cases/referrals/{referral.id}")
    assert referral.status == ReferralStatus.PROPOSED
    page = client.get(f"/cases/{world['case'].id}").get_data(as_text=True)
    assert 'id="refer"' not in page  # one at a time
    assert "Waiting for their answer" in page
    sent = client.get("/cases/referrals/").get_data(as_text=True)
    assert world["case"].reference in sent


def test_other_roles_cannot_refer(world, client, login_as):
    url = f"/cases/{world['case'].id}/refer"
    data = {"to_id": world["receiver"].id, "note": NOTE, "consent_method": "phone",
            "consent_note": "yes"}  # fmt: skip
    login(client, world["third_worker"])
    assert client.post(url, data=data).status_code == 404
    client.post("/logout")
    login_as(Role.MODERATOR)
    assert client.post(url, data=data).status_code == 403
    assert db.session.scalar(select(func.count(CaseReferral.id))) == 0


def test_receiver_reads_only_the_referral_before_deciding(world, client):
    CaseEventFactory(case=world["case"], kind="status", shared=True, status_from="triaged",
                     status_to="referred")  # fmt: skip
    world["case"].worker_comment = "Comment from Ko Aung"
    db.session.commit()
    referral = propose(world, consent="Consent note: agreed at Mae Sot shelter")
    login(client, world["receiver_worker"])
    listing = client.get("/cases/referrals/").get_data(as_text=True)
    assert world["case"].reference in listing and "Waiting for your answer" in listing
    page = client.get(f"/cases/referrals/{referral.id}").get_data(as_text=True)
    for shown in (world["case"].reference, world["case"].organisation.name, NOTE,
                  world["case"].categories[0].name("en")):  # fmt: skip
        assert shown in page
    for hidden in (SUMMARY, CONTACT, INTERNAL, SHARED, "Mae Sot", "Comment from Ko Aung"):
        assert hidden not in page
    assert client.get(f"/cases/{world['case'].id}").status_code == 404
    assert client.get(f"/cases/{world['case'].id}/followed").status_code == 404
    # It accepts: the case is theirs now.
    response = client.post(f"/cases/referrals/{referral.id}/accept")
    assert response.headers["Location"].endswith(f"/cases/{world['case'].id}")
    page = client.get(f"/cases/{world['case'].id}").get_data(as_text=True)
    assert SUMMARY in page and CONTACT in page


def test_sender_keeps_a_read_only_view_once_accepted(world, client):
    world["case"].worker_comment = "Comment from Ko Aung"
    db.session.commit()
    referral = propose(world)
    referrals.accept(referral, world["receiver_worker"])
    CaseEventFactory(case=world["case"], text="Receiver's internal note")
    login(client, world["sender"])
    assert client.get(f"/cases/{world['case'].id}").status_code == 404
    assert client.post(f"/cases/{world['case'].id}/note", data={"text": "x"}).status_code == 404
    page = client.get(f"/cases/{world['case'].id}/followed").get_data(as_text=True)
    assert world["case"].reference in page and SHARED in page
    assert escape(world["receiver"].name) in page
    for hidden in (SUMMARY, CONTACT, INTERNAL, "Receiver's internal note", "Comment from Ko Aung"):
        assert hidden not in page
    referral_page = client.get(f"/cases/referrals/{referral.id}").get_data(as_text=True)
    assert f"/cases/{world['case'].id}/followed" in referral_page
    client.post("/logout")
    login(client, world["third_worker"])
    assert client.get(f"/cases/{world['case'].id}/followed").status_code == 404
    assert client.get(f"/cases/referrals/{referral.id}").status_code == 404


def test_decline_and_withdraw_pages(world, client):
    referral = propose(world)
    login(client, world["receiver_worker"])
    url = f"/cases/referrals/{referral.id}"
    assert client.post(f"{url}/decline", data={"reason": ""}).status_code == 302
    assert referral.status == ReferralStatus.PROPOSED  # no reason: nothing changed
    assert client.post(f"{url}/withdraw").status_code == 302
    db.session.expire_all()
    assert db.session.get(CaseReferral, referral.id).status == ReferralStatus.PROPOSED
    client.post(f"{url}/decline", data={"reason": "We have no lawyer free."})
    db.session.expire_all()
    referral = db.session.get(CaseReferral, referral.id)
    assert referral.status == ReferralStatus.DECLINED
    client.post("/logout")
    login(client, world["sender"])
    page = client.get(url).get_data(as_text=True)
    assert "We have no lawyer free." in page and "Declined" in page


def test_government_officer_pages(world, client):
    referral = propose(world, to=world["office"])
    login(client, world["officer"])
    listing = client.get("/cases/referrals/")
    assert listing.status_code == 200 and world["case"].reference in listing.get_data(as_text=True)
    page = client.get(f"/cases/referrals/{referral.id}").get_data(as_text=True)
    assert NOTE in page and SUMMARY not in page and CONTACT not in page
    assert client.get(f"/cases/{world['case'].id}/followed").status_code == 404
    client.post(f"/cases/referrals/{referral.id}/accept")
    db.session.expire_all()
    assert db.session.get(CaseReferral, referral.id).status == ReferralStatus.ACCEPTED
    assert world["case"].owner_id == network_cso().id
    other = CaseReferralFactory(receiver=GovernmentOfficeFactory())
    assert client.get(f"/cases/referrals/{other.id}").status_code == 404


@pytest.mark.parametrize(
    "role", [Role.MODERATOR, Role.MOBILIZER, Role.ASSOCIATION, Role.AGENCY_STAFF,
             Role.EMPLOYER_STAFF, Role.BRAND],
)  # fmt: skip
def test_roles_that_never_take_part_get_403(world, client, login_as, role):
    referral = CaseReferralFactory(case=world["case"], receiver=world["receiver"])
    login_as(role)
    for url in ("/cases/referrals/", f"/cases/referrals/{referral.id}",
                f"/cases/{world['case'].id}/followed"):  # fmt: skip
        assert client.get(url).status_code == 403, url
    for url in (f"/cases/referrals/{referral.id}/accept", f"/cases/{world['case'].id}/refer"):
        assert client.post(url).status_code == 403, url
    assert referral.status == ReferralStatus.PROPOSED


def test_anonymous_is_sent_to_login(world, client):
    referral = CaseReferralFactory(case=world["case"], receiver=world["receiver"])
    for url in ("/cases/referrals/", f"/cases/referrals/{referral.id}"):
        assert client.get(url).status_code == 302
    assert client.post(f"/cases/referrals/{referral.id}/accept").status_code == 302


def test_admin_sees_every_referral(world, client, login_as):
    referral = CaseReferralFactory(case=world["case"], receiver=world["receiver"])
    login_as(Role.ADMIN)
    assert world["case"].reference in client.get("/cases/referrals/").get_data(as_text=True)
    assert client.get(f"/cases/referrals/{referral.id}").status_code == 200
    assert client.get(f"/cases/{world['case'].id}/followed").status_code == 200
    assert client.get("/cases/referrals/999999").status_code == 404


# --- the worker's code page -------------------------------------------------------------------


def test_worker_agrees_on_the_code_page(app, client):
    case, _review = referred_case_from_review()
    receiver = CsoFactory(name="Mae Sot Migrant Aid", country="MY")
    referral = referrals.propose(case, UserFactory(role="caseworker"), receiver, NOTE,
                                 "worker_code")  # fmt: skip
    audited = audit_actions()
    page = client.post("/check", data={"code": case.tracking_code}).get_data(as_text=True)
    assert "Mae Sot Migrant Aid" in page and "Malaysia" in page and network_cso().name in page
    assert "Do you agree?" in page and NOTE not in page
    response = client.post("/check/referral", data={"code": case.tracking_code, "yes": "y"})
    assert response.status_code == 200
    assert "Thank you" in response.get_data(as_text=True)
    assert "Do you agree?" not in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(CaseReferral, referral.id).status == ReferralStatus.PROPOSED
    assert audit_actions() == audited


def test_worker_says_no_on_the_code_page(app, client):
    case, _review = referred_case_from_review()
    referral = referrals.propose(case, UserFactory(role="caseworker"), CsoFactory(), NOTE,
                                 "worker_code")  # fmt: skip
    client.post("/check/referral", data={"code": case.tracking_code, "no": "n"})
    db.session.expire_all()
    assert db.session.get(CaseReferral, referral.id).status == ReferralStatus.WORKER_REFUSED
    # Asked nothing now: a second answer changes nothing.
    client.post("/check/referral", data={"code": case.tracking_code, "yes": "y"})
    db.session.expire_all()
    assert db.session.get(CaseReferral, referral.id).status == ReferralStatus.WORKER_REFUSED


def test_code_page_asks_nothing_without_a_referral_waiting(app, client):
    case, _review = referred_case_from_review()
    page = client.post("/check", data={"code": case.tracking_code}).get_data(as_text=True)
    assert "Do you agree?" not in page
    assert client.post("/check/referral", data={"code": "0000-0000-0000"}).status_code == 400
    assert client.post("/check/referral", data={}).status_code == 400


def test_closing_a_case_withdraws_its_open_offer(world):
    referral = propose(world)
    services.move(world["case"], world["sender"], "no_basis")
    assert referral.status == ReferralStatus.WITHDRAWN
    assert not permissions.may_decide_referral(world["receiver_worker"], referral)
    entry = db.session.scalars(select(AuditLog).filter_by(action="case.move")).one()
    assert entry.detail["referrals_withdrawn"] == 1


def test_one_open_offer_per_case_even_when_two_are_sent_at_once(world):
    """The check in the service reads the case; two requests at the same moment would both
    pass it. The partial unique index refuses the second row."""
    propose(world)
    second = CaseReferral(
        case=world["case"], sender=world["case"].owner, receiver=world["office"],
        status=ReferralStatus.PROPOSED, note=NOTE, consent_method="phone", proposed_on=today(),
    )  # fmt: skip
    db.session.add(second)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_new_owner_sees_every_referral_of_its_case(world):
    to_office = propose(world, to=world["office"])
    referrals.accept(to_office, world["officer"])
    to_cso = propose(world)
    referrals.accept(to_cso, world["receiver_worker"])
    assert permissions.may_see_referral(world["receiver_worker"], to_office)
    assert not permissions.may_see_referral(world["third_worker"], to_office)


def test_proposing_again_after_the_worker_said_no_is_marked_in_the_audit(world):
    case, _review = referred_case_from_review()
    sender = UserFactory(role="caseworker")
    refused = referrals.propose(case, sender, world["receiver"], NOTE, "worker_code")
    referrals.worker_consents(refused, yes=False)
    referrals.propose(case, sender, world["receiver"], NOTE, "phone", "Said yes on the phone.")
    entry = db.session.scalars(
        select(AuditLog).filter_by(action="case.referral_propose").order_by(AuditLog.id.desc())
    ).first()
    assert entry.detail["after_worker_refused"] is True
