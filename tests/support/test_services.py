"""The rules of the service directory and of referrals to services: what an entry must hold,
who keeps which entry, switching one off reaches readers at once, consent before a
referral (recorded with it in one transaction), the states a referral moves through, and
overdue follow-ups reminded once per date to the right people."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from goldendreams.cases.models import ConsentRecord
from goldendreams.core import freshness
from goldendreams.core.audit import AuditLog
from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.support import notices, queries, services
from goldendreams.support.models import ReferralState, Service, ServiceReferral, ServiceStatus
from tests.factories import CaseFactory, CsoFactory, UserFactory, network_cso
from tests.support.factories import ServiceFactory, ServiceReferralFactory

FIELDS = {
    "kind": "shelter", "name": "Example Shelter (Mae Sot)", "country": "TH",
    "languages": ["my", "th"], "phone": "+66 55 555 0203", "website": "https://example.org/",
    "free": True,
}  # fmt: skip
CONSENT = {"consent_method": "phone", "consent_items": ["issue"], "consent_note": "On the phone"}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def service_consents() -> int:
    """Consent records for services (cases come with the organisation's, tests/factories)."""
    query = select(func.count()).where(ConsentRecord.recipient == "service")
    return db.session.scalar(query)


def audits(action: str) -> int:
    return db.session.scalar(select(func.count()).where(AuditLog.action == action))


@pytest.fixture
def admin():
    return UserFactory(role="admin")


@pytest.fixture
def caseworker():
    return UserFactory(role="caseworker")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"website": "javascript:alert(1)"}, "web address"),
        ({"website": "ftp://example.org/"}, "web address"),
        ({"chat": "https://"}, "web address"),
        ({"chat": "example.org"}, "web address"),
        ({"phone": "call me"}, "phone number"),
        ({"phone": None, "website": None}, "one way to reach"),
        ({"country": "US"}, "country"),
        ({"kind": "bakery"}, "kind of service"),
        ({"languages": ["fr"]}, "languages"),
        ({"name": "  "}, "name"),
        ({"offers": "x" * 501}, "too long"),
    ],
)
def test_a_bad_entry_is_refused_and_nothing_is_stored(app, admin, change, message):
    with pytest.raises(services.SupportError, match=message):
        services.save_service(admin, None, **(FIELDS | change))
    db.session.rollback()
    assert count(Service) == 0 and audits("service.create") == 0


def test_an_entry_is_stored_normalised_and_audited(app, admin):
    service = services.save_service(admin, None, **(FIELDS | {"name": "  Example  Shelter "}))
    assert service.name == "Example  Shelter" and service.active and service.checked_on is None
    assert service.public_id and service.cso_id is None
    assert audits("service.create") == 1


def test_a_cso_admin_keeps_their_own_entries_only(app):
    cso_admin = UserFactory(role="caseworker", org_admin=True)
    other = CsoFactory()
    # They cannot give the entry to another CSO: it is their own CSO's.
    mine = services.save_service(cso_admin, None, **(FIELDS | {"cso_id": other.id}))
    assert mine.cso_id == network_cso().id
    theirs = ServiceFactory(cso=other)
    with pytest.raises(services.SupportError):
        services.save_service(cso_admin, theirs, **FIELDS)
    with pytest.raises(services.SupportError):
        services.mark_checked(cso_admin, theirs)
    with pytest.raises(services.SupportError):  # a caseworker who is not the admin
        services.save_service(UserFactory(role="caseworker"), None, **FIELDS)


def test_an_admin_names_the_cso_that_keeps_an_entry(app, admin):
    cso = CsoFactory()
    assert services.save_service(admin, None, **(FIELDS | {"cso_id": cso.id})).cso_id == cso.id
    employer = UserFactory(role="employer_staff").id  # not a CSO (any other id)
    with pytest.raises(services.SupportError, match="organisation"):
        services.save_service(admin, None, **(FIELDS | {"cso_id": employer + 10_000}))


def test_checked_today_and_switched_off_at_once_for_every_reader(app, admin):
    service = ServiceFactory()
    services.mark_checked(admin, service)
    assert service.checked_on == today()
    before = freshness.current()
    services.switch(admin, service, on=False)
    assert service.status == ServiceStatus.OFF
    # Kept public pages are dropped now, like a takedown (core/freshness.py).
    assert freshness.current() == before + 1
    assert queries.for_help("TH") == {}
    with pytest.raises(services.SupportError):
        services.switch(admin, service, on=False)
    services.switch(admin, service, on=True)
    assert queries.for_help("TH") == {"legal_aid": [service]}
    assert audits("service.off") == audits("service.on") == audits("service.checked") == 1


def test_the_help_page_groups_a_countrys_services_urgent_needs_first(app):
    legal, shelter = ServiceFactory(), ServiceFactory(kind="shelter")
    ServiceFactory(country="MY")
    assert list(queries.for_help("TH").items()) == [("shelter", [shelter]), ("legal_aid", [legal])]
    assert queries.for_help(None) == {}


def test_filters_by_language(app):
    burmese = ServiceFactory(languages=["my"])
    ServiceFactory(languages=["ms"])
    found = db.session.scalars(queries.services_query(queries.ServiceFilters(language="my")))
    assert list(found) == [burmese]


# --- referrals ----------------------------------------------------------------------------


def test_no_referral_without_the_workers_consent(app, caseworker):
    case, service = CaseFactory(), ServiceFactory()
    with pytest.raises(services.SupportError, match="consent"):
        services.refer(caseworker, case, service, "Needs a lawyer.")
    bad = CONSENT | {"consent_items": ["identity"]}  # not what happened: no referral
    with pytest.raises(services.SupportError, match="what happened"):
        services.refer(caseworker, case, service, "Needs a lawyer.", **bad)
    with pytest.raises(services.SupportError, match="agreed"):
        services.refer(
            caseworker,
            case,
            service,
            "Needs a lawyer.",
            **(CONSENT | {"consent_method": "worker_code"}),
        )
    db.session.rollback()
    assert count(ServiceReferral) == service_consents() == 0


def test_consent_and_referral_are_recorded_together_then_reused(app, caseworker):
    case, service = CaseFactory(), ServiceFactory()
    referral = services.refer(caseworker, case, service, " Needs a lawyer. ", **CONSENT)
    consent = db.session.scalar(select(ConsentRecord).filter_by(recipient="service"))
    assert consent.recipient == "service" and consent.items == ["issue"]
    assert referral.consent_id == consent.id and referral.note == "Needs a lawyer."
    assert referral.state == ReferralState.SENT
    assert referral.follow_up_on == today() + timedelta(days=7)  # the setting's default
    assert audits("consent.record") == audits("service_referral.create") == 1
    # A second referral needs no new consent.
    services.refer(caseworker, case, ServiceFactory(kind="shelter"), "Needs a bed.")
    assert service_consents() == 1 and count(ServiceReferral) == 2


def test_a_bad_referral_stores_nothing_not_even_the_consent(app, caseworker):
    case = CaseFactory()
    with pytest.raises(services.SupportError, match="what the worker needs"):
        services.refer(caseworker, case, ServiceFactory(), "  ", **CONSENT)
    with pytest.raises(services.SupportError, match="follow-up"):
        services.refer(
            caseworker, case, ServiceFactory(), "Needs", today() - timedelta(1), **CONSENT
        )
    db.session.rollback()
    assert count(ServiceReferral) == service_consents() == 0


def test_only_those_who_run_an_open_case_refer_to_a_listed_service(app, caseworker):
    other_cso = CsoFactory()
    with pytest.raises(services.SupportError, match="role"):
        services.refer(caseworker, CaseFactory(owner=other_cso), ServiceFactory(), "N", **CONSENT)
    with pytest.raises(services.SupportError, match="role"):
        services.refer(caseworker, CaseFactory(status="closed"), ServiceFactory(), "N", **CONSENT)
    with pytest.raises(services.SupportError, match="service"):
        services.refer(caseworker, CaseFactory(), ServiceFactory(status="off"), "N", **CONSENT)
    db.session.rollback()
    assert count(ServiceReferral) == 0


def test_a_referral_moves_along_its_states(app, caseworker):
    referral = ServiceReferralFactory()
    with pytest.raises(services.SupportError, match="not possible"):
        services.update_referral(caseworker, referral, "support_given", None, None)
    services.update_referral(caseworker, referral, "accepted", None, today() + timedelta(3))
    assert referral.state == "accepted" and referral.follow_up_on == today() + timedelta(3)
    with pytest.raises(services.SupportError, match="before you close"):
        services.update_referral(caseworker, referral, "closed", None, None)
    services.update_referral(caseworker, referral, "support_given", "Lawyer took the case.", None)
    assert referral.follow_up_on >= today() + timedelta(days=7)  # a new wait
    services.update_referral(caseworker, referral, "closed", None, None)  # outcome kept
    assert referral.finished and referral.closed_on == today()
    with pytest.raises(services.SupportError):
        services.update_referral(caseworker, referral, "accepted", None, None)
    assert audits("service_referral.update") == 3


def test_a_caseworker_of_another_cso_cannot_move_it(app):
    referral = ServiceReferralFactory()
    stranger = UserFactory(role="caseworker", organisation=CsoFactory())
    with pytest.raises(services.SupportError):
        services.update_referral(stranger, referral, "accepted", None, None)


def test_overdue_referrals_are_listed_per_cso(app):
    late = ServiceReferralFactory(follow_up_on=today() - timedelta(days=1))
    due_today = ServiceReferralFactory(follow_up_on=today())
    closed = ServiceReferralFactory(follow_up_on=today() - timedelta(days=9), state="closed")
    elsewhere = ServiceReferralFactory(
        case=CaseFactory(owner=CsoFactory()), follow_up_on=today() - timedelta(days=1)
    )
    cso = network_cso().id
    assert late.overdue_on(today()) and not due_today.overdue_on(today())
    assert queries.for_cso(cso, "overdue", today()) == [late]
    assert queries.for_cso(cso, "open", today()) == [late, due_today]
    assert set(queries.for_cso(cso, "all", today())) == {late, due_today, closed}
    assert elsewhere in queries.for_cso(None, "overdue", today())  # admins: every CSO's


def test_the_reminder_goes_once_per_date_to_the_assignee(app, mailbox):
    assignee = UserFactory(role="caseworker")
    colleague = UserFactory(role="caseworker")
    referral = ServiceReferralFactory(
        case=CaseFactory(assignee=assignee), follow_up_on=today() - timedelta(days=1)
    )
    assert notices.remind_overdue(today()) == 1
    assert [m["To"] for m in mailbox.messages] == [assignee.email]
    assert notices.remind_overdue(today()) == 0  # once
    referral.follow_up_on = today() - timedelta(days=0) - timedelta(days=0)
    services.update_referral(assignee, referral, None, "Called them.", today())
    assert notices.remind_overdue(today() + timedelta(days=1)) == 1  # the new date passed
    assert colleague.email not in [m["To"] for m in mailbox.messages]


def test_without_an_assignee_the_csos_caseworkers_hear_of_it(app, mailbox):
    one, two = UserFactory(role="caseworker"), UserFactory(role="caseworker")
    UserFactory(role="caseworker", organisation=CsoFactory())  # another CSO: not them
    UserFactory(role="mobilizer")  # not a caseworker
    ServiceReferralFactory(follow_up_on=today() - timedelta(days=2))
    assert notices.remind_overdue(today()) == 2
    assert sorted(m["To"] for m in mailbox.messages) == sorted([one.email, two.email])
    message = mailbox.messages[0]
    assert "zqreferralnote" not in message.as_string()
