"""Notifications: who gets which e-mail, in which language, when; the settings page; the
counts of what waits on staff pages.

Every trigger is driven through the real service (or periodic task) that sends it; the
mails are read from the test mail folder (the queue runs "immediately" after commit).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from jinja2 import ChoiceLoader, DictLoader
from sqlalchemy import select

from goldendreams.accounts import notifications
from goldendreams.accounts.notifications import KIND_ROLES, NotificationKind
from goldendreams.cases import notices as case_notices
from goldendreams.cases import services as case_services
from goldendreams.cases import tasks as case_tasks
from goldendreams.cases import taxonomy
from goldendreams.core import mail
from goldendreams.core.audit import AuditLog
from goldendreams.core.auth import Role
from goldendreams.core.base import today
from goldendreams.core.queue import huey
from goldendreams.extensions import db
from goldendreams.jobs import services as job_services
from goldendreams.jobs import tasks as job_tasks
from goldendreams.moderation import tasks as moderation_tasks
from goldendreams.reviews import services as review_services
from tests.conftest import login, translated
from tests.factories import (
    AgencyFactory,
    ApplicationFactory,
    BuyerFactory,
    CaseFactory,
    ConversationFactory,
    FlagFactory,
    JobFactory,
    JobFlagFactory,
    OrganisationFactory,
    OrganisationLinkFactory,
    PublishedReviewFactory,
    ReplyFactory,
    ReviewFactory,
    UserFactory,
    consent_to_refer,
    referred,
)
from tests.mailbox import html_of, links_in, text_of


def staff(organisation, role: str = "employer_staff", **fields):
    return UserFactory(role=role, organisation=organisation, **fields)


def recipients(mailbox) -> list[str]:
    return sorted(message["To"] for message in mailbox.messages)


@pytest.fixture
def caseworker(app):
    taxonomy.load()
    return UserFactory(role="caseworker")


# --- who wants what ------------------------------------------------------------------------


def test_wants_needs_an_active_account_of_a_role_that_gets_it_and_not_muted(app):
    org = OrganisationFactory()
    member = staff(org)
    assert notifications.wants(member, NotificationKind.CASE_REFERRED)
    assert not notifications.wants(member, NotificationKind.APPLICATIONS_DIGEST)  # agencies
    assert not notifications.wants(member, NotificationKind.STAFF_DIGEST)
    member.muted_notifications = ["case_referred"]
    assert not notifications.wants(member, NotificationKind.CASE_REFERRED)
    assert notifications.wants(member, NotificationKind.CASE_EVENT)
    member.active = False
    assert not notifications.wants(member, NotificationKind.CASE_EVENT)


def test_every_role_gets_some_kind_and_every_kind_has_a_label():
    for role in Role:
        assert any(role in roles for roles in KIND_ROLES.values()), role
    assert set(KIND_ROLES) == set(NotificationKind) == set(notifications.KIND_LABELS)


# --- triggers ------------------------------------------------------------------------------


def test_referral_mails_the_organisation_staff_in_their_language(app, mailbox, caseworker):
    org = OrganisationFactory()
    thai = staff(org, preferred_locale="th")
    english = staff(org)
    staff(org, muted_notifications=["case_referred"])
    staff(org, active=False)
    staff(OrganisationFactory())  # another organisation
    case = CaseFactory(organisation=org, status="triaged")
    consent_to_refer(case)
    case_services.move(case, caseworker, "referred")
    assert recipients(mailbox) == sorted([thai.email, english.email])
    assert mailbox.last_to(thai.email)["Content-Language"] == "th"
    assert mailbox.last_to(english.email)["Content-Language"] == "en"
    message = mailbox.last_to(english.email)
    assert case.reference in message["Subject"]
    assert f"http://127.0.0.1:5000/portal/{org.id}/cases/{case.public_id}" in links_in(message)


def test_referral_tells_the_brands_buying_from_the_employer(app, mailbox, caseworker):
    employer = OrganisationFactory()
    buyer = BuyerFactory()
    OrganisationLinkFactory(kind="buys_from", source=buyer, target=employer)
    brand = staff(buyer, role="brand")
    staff(BuyerFactory(), role="brand")  # buys from someone else
    case = CaseFactory(organisation=employer, status="triaged")
    consent_to_refer(case)
    case_services.move(case, caseworker, "referred")
    assert recipients(mailbox) == [brand.email]
    assert "http://127.0.0.1:5000/brand/" in links_in(mailbox.last_to(brand.email))


def test_steps_before_the_referral_mail_nobody(app, mailbox, caseworker):
    org = OrganisationFactory()
    staff(org)
    case = CaseFactory(organisation=org)
    case_services.move(case, caseworker, "triaged")
    case_services.add_note(case, caseworker, "Shared before the referral", shared=True)
    assert mailbox.messages == []


def test_shared_events_mail_the_organisation_internal_ones_do_not(app, mailbox, caseworker):
    org = OrganisationFactory()
    member = staff(org, preferred_locale="my")
    case = referred(CaseFactory(organisation=org, status="referred"))
    case_services.add_note(case, caseworker, "Internal: the worker is afraid", shared=False)
    case_services.assign(case, caseworker, caseworker)
    assert mailbox.messages == []
    case_services.add_note(case, caseworker, "Please send the receipts", shared=True)
    assert recipients(mailbox) == [member.email]
    message = mailbox.last_to(member.email)
    assert message["Content-Language"] == "my"
    assert case.reference in message["Subject"]
    assert "receipts" not in text_of(message) + html_of(message)
    # A remediation the caseworker records is news for the organisation; the one the
    # organisation records itself is not.
    case_services.record_remediation(case, caseworker, "fee_repayment", None, None, 3, None)
    assert len(mailbox.to(member.email)) == 2
    case_services.record_remediation(case, member, "back_pay", None, None, 3, None)
    assert len(mailbox.to(member.email)) == 2


def test_urgent_case_alerts_moderators_and_caseworkers_at_once(app, mailbox, caseworker):
    moderator = UserFactory(role="moderator", preferred_locale="km")
    other_caseworker = UserFactory(role="caseworker")
    UserFactory(role="caseworker", muted_notifications=["urgent_case"])
    UserFactory(role="moderator", active=False)
    org = OrganisationFactory()
    staff(org)
    case = case_services.open_hotline_case(
        caseworker, org, "hotline", ["FEE-01"], "urgent", 2, "Summary: Ko Aung", None
    )
    # Not the caseworker who opened it, nor the organisation (it has not been referred).
    assert recipients(mailbox) == sorted([moderator.email, other_caseworker.email])
    assert mailbox.last_to(moderator.email)["Content-Language"] == "km"
    assert f"http://127.0.0.1:5000/cases/{case.id}" in links_in(
        mailbox.last_to(other_caseworker.email)
    )
    # Moderators cannot open case pages: they get the staff page.
    assert f"/cases/{case.id}" not in text_of(mailbox.last_to(moderator.email))
    mailbox.clear()
    case_services.open_hotline_case(
        caseworker, org, "hotline", ["FEE-01"], "high", 2, "Summary", None
    )
    assert mailbox.messages == []


def test_violence_makes_a_case_urgent_and_so_alerts(app, mailbox, caseworker):
    other = UserFactory(role="caseworker")
    case_services.open_hotline_case(
        caseworker, OrganisationFactory(), "hotline", ["ILO-03"], "low", 1, "Summary", None
    )
    assert recipients(mailbox) == [other.email]


def test_job_sent_back_mails_its_agency_staff(app, mailbox):
    job = JobFactory(status="submitted")
    member = staff(job.agency, role="agency_staff", preferred_locale="ne")
    staff(AgencyFactory(), role="agency_staff")
    job_services.reject_job(job, UserFactory(role="moderator"), "low_wage")
    assert recipients(mailbox) == [member.email]
    message = mailbox.last_to(member.email)
    assert message["Content-Language"] == "ne"
    assert f"http://127.0.0.1:5000/portal/{job.agency_id}/jobs/{job.id}" in links_in(message)


def test_a_job_taken_down_after_a_report_mails_the_agency(app, mailbox):
    job = JobFactory()
    member = staff(job.agency, role="agency_staff")
    flag = JobFlagFactory(job=job, note="Reader: I am Ma Hla, 09 450 111 222")
    job_services.decide_job_flag(flag, UserFactory(role="moderator"), uphold=True)
    message = mailbox.last_to(member.email)
    assert "Ma Hla" not in text_of(message) + html_of(message)


@pytest.mark.parametrize("publish", [True, False])
def test_reply_decision_mails_the_organisation_staff(app, mailbox, publish):
    reply = ReplyFactory(status="pending")
    org = reply.review.organisation
    member = staff(org, role="agency_staff" if org.kind == "agency" else "employer_staff")
    staff(OrganisationFactory())
    review_services.decide_reply(reply, UserFactory(role="moderator"), publish, "abusive")
    assert recipients(mailbox) == [member.email]
    text = text_of(mailbox.last_to(member.email))
    assert ("not published" in mailbox.last_to(member.email)["Subject"]) is not publish
    assert reply.review.body not in text


# --- periodic ------------------------------------------------------------------------------


def test_deadline_reminder_fires_two_days_before_and_only_then(app, mailbox):
    org = OrganisationFactory()
    member = staff(org)
    stage_days = app.config["CASE_STAGE_DAYS"]["referred"]
    # Referred 12 days ago: its 14-day stage ends in two days.
    case = referred(
        CaseFactory(
            organisation=org, status="referred", stage_since=today() - timedelta(stage_days - 2)
        ),
        days_ago=stage_days - 2,
    )
    CaseFactory(organisation=org, status="referred", stage_since=today() - timedelta(days=2))
    # The day before: too early.
    assert case_notices.remind_deadlines(today() - timedelta(days=1)) == 0
    assert case_tasks.remind_deadlines.call_local() == 1
    assert recipients(mailbox) == [member.email]
    message = mailbox.last_to(member.email)
    assert case.reference in message["Subject"]
    # Once per stage: a second run today, or tomorrow's, sends nothing more.
    assert case_tasks.remind_deadlines.call_local() == 0
    assert case_notices.remind_deadlines(today() + timedelta(days=1)) == 0


def test_a_reminder_the_scheduler_missed_comes_the_next_day(app, mailbox):
    org = OrganisationFactory()
    member = staff(org)
    stage_days = app.config["CASE_STAGE_DAYS"]["referred"]
    # Its reminder day was yesterday (the worker was down): due tomorrow, reminded today.
    case = referred(
        CaseFactory(
            organisation=org, status="referred", stage_since=today() - timedelta(stage_days - 1)
        ),
        days_ago=stage_days - 1,
    )
    assert case_tasks.remind_deadlines.call_local() == 1
    assert case.reference in mailbox.last_to(member.email)["Subject"]


def test_no_reminder_for_stages_the_organisation_does_not_act_in(app, mailbox):
    org = OrganisationFactory()
    staff(org)
    # A new case is due in two days, but the organisation does not know of it.
    CaseFactory(organisation=org, status="new", stage_since=today())
    assert case_tasks.remind_deadlines.call_local() == 0


def test_applications_digest_counts_yesterday_for_each_agency(app, mailbox):
    job = JobFactory()
    member = staff(job.agency, role="agency_staff", preferred_locale="lo")
    employer_member = staff(job.employer, role="employer_staff")
    yesterday = today() - timedelta(days=1)
    ApplicationFactory.create_batch(3, job=job, applied_on=yesterday)
    ApplicationFactory(job=job)  # today's: tomorrow's digest
    quiet = JobFactory()
    quiet_member = staff(quiet.agency, role="agency_staff")
    ApplicationFactory(job=quiet, applied_on=yesterday - timedelta(days=1))
    assert job_tasks.applications_digest.call_local() == 1
    assert recipients(mailbox) == [member.email]
    assert employer_member.email not in recipients(mailbox)
    assert quiet_member.email not in recipients(mailbox)
    message = mailbox.last_to(member.email)
    assert message["Content-Language"] == "lo"
    assert "3" in message["Subject"]
    assert f"http://127.0.0.1:5000/portal/{job.agency_id}/jobs/{job.id}/applications" in links_in(
        message
    )


def test_staff_digest_by_role_and_skips_who_has_nothing(app, mailbox, caseworker):
    moderator = UserFactory(role="moderator")
    admin = UserFactory(role="admin")
    # Nothing waits: nobody hears.
    assert moderation_tasks.staff_digest.call_local() == 0
    ReviewFactory.create_batch(2)
    FlagFactory(review=PublishedReviewFactory())
    assert moderation_tasks.send_staff_digest() == 2  # the moderator and the admin
    assert sorted([moderator.email, admin.email]) == recipients(mailbox)
    text = text_of(mailbox.last_to(moderator.email))
    assert "3 items wait for moderation" in text
    assert "Reviews: 2" in text and "Reports on reviews: 1" in text
    mailbox.clear()
    # An overdue case and a worker not satisfied: caseworkers (and admins) hear.
    CaseFactory(status="new", stage_since=today() - timedelta(days=10))
    CaseFactory(status="in_remediation", worker_answer="partly")
    assert moderation_tasks.send_staff_digest() == 3
    text = text_of(mailbox.last_to(caseworker.email))
    assert "moderation" not in text.split("--")[0]
    assert "Overdue: 1" in text
    assert "only partly, or not at all: 1" in text
    assert "conversation" not in text
    mailbox.clear()
    # Conversations waiting for an answer: their CSO's caseworkers (and admins) hear, with
    # a count and the inbox's address only.
    ConversationFactory.create_batch(2)
    ConversationFactory(state="waiting_for_worker")
    assert moderation_tasks.send_staff_digest() == 3
    text = text_of(mailbox.last_to(caseworker.email))
    assert "2 conversations with workers wait for an answer." in text
    assert "http://127.0.0.1:5000/inbox/" in links_in(mailbox.last_to(caseworker.email))


@pytest.mark.parametrize(
    "task",
    [case_tasks.remind_deadlines, job_tasks.applications_digest, moderation_tasks.staff_digest],
)
def test_periodic_tasks_run_once_a_day_at_seven_in_bangkok(app, task):
    day = datetime(2026, 12, 7, tzinfo=UTC)
    runs = [
        minute
        for minute in range(24 * 60)
        if task.name in {t.name for t in huey.read_periodic(day + timedelta(minutes=minute))}
    ]
    assert runs == [0]  # 00:00 UTC


# --- the settings page ---------------------------------------------------------------------


def ticked(page: str) -> dict[str, bool]:
    """The checkboxes of the settings page: kind → ticked."""
    return {
        value: "checked" in attributes
        for attributes, value in re.findall(r'<input ([^>]*)value="(\w+)"', page)
        if 'type="checkbox"' in attributes
    }


def test_settings_page_lists_the_kinds_of_the_role_all_on(client, login_as):
    login_as(Role.AGENCY_STAFF)
    page = client.get("/staff/notifications").get_data(as_text=True)
    assert ticked(page) == {
        "case_referred": True,
        "case_event": True,
        "case_deadline": True,
        "applications_digest": True,
        "job_returned": True,
        "job_order_decided": True,
        "reply_decided": True,
        "plan_item_overdue": True,
        "instalment_overdue": True,
    }


def test_saving_mutes_the_unticked_kinds_and_is_audited(client, login_as):
    user = login_as(Role.CASEWORKER)
    response = client.post("/staff/notifications", data={"kinds": ["urgent_case"], "locale": "km"})
    assert response.status_code == 302
    db.session.refresh(user)
    # Every kind a caseworker can get but the one ticked (features add kinds: computed).
    muted = sorted(kind.value for kind in notifications.kinds_for(user) if kind != "urgent_case")
    assert {"referral_decided", "staff_digest", "urgent_conversation"} <= set(muted)
    assert user.muted_notifications == muted
    assert user.preferred_locale == "km"  # the language of their e-mails from now on
    entry = db.session.scalar(select(AuditLog).filter_by(action="account.notifications_changed"))
    assert (entry.actor_id, entry.target_id, entry.detail) == (
        user.id,
        user.id,
        {"muted": muted, "locale": "km"},
    )
    page = client.get("/staff/notifications").get_data(as_text=True)
    assert ticked(page) == {"urgent_case": True} | dict.fromkeys(muted, False)
    # A kind the role cannot get is refused, and nothing changes.
    response = client.post(
        "/staff/notifications", data={"kinds": ["applications_digest"], "locale": "th"}
    )
    assert response.status_code == 200
    # The pages follow the chosen language too (with no language picked in this browser).
    assert translated("km", "Choose an answer from the list.") in response.get_data(as_text=True)
    # An unknown language is refused too.
    response = client.post("/staff/notifications", data={"kinds": [], "locale": "xx"})
    assert response.status_code == 200
    db.session.refresh(user)
    assert user.muted_notifications == muted and user.preferred_locale == "km"


def test_staff_home_and_staff_pages_link_the_settings(client, login_as):
    login_as(Role.BRAND)
    assert "/staff/notifications" in client.get("/staff/").get_data(as_text=True)


# --- counts of what waits ------------------------------------------------------------------


def test_moderators_see_the_queue_size_on_staff_pages(client, login_as):
    login_as(Role.MODERATOR)
    ReviewFactory.create_batch(2)
    ReplyFactory(status="pending")
    page = client.get("/staff/").get_data(as_text=True)
    assert 'class="waiting"' in page
    assert 'To moderate <span class="count">3</span>' in page


def test_caseworkers_see_overdue_and_new_cases(client, login_as, app):
    login_as(Role.CASEWORKER)
    CaseFactory(status="new", stage_since=today() - timedelta(days=10))
    CaseFactory(status="new")
    CaseFactory(status="closed", stage_since=today() - timedelta(days=100))
    page = client.get("/cases/").get_data(as_text=True)
    assert 'Overdue cases <span class="count">1</span>' in page
    assert 'New cases <span class="count">2</span>' in page
    assert "To moderate" not in page


def test_agency_staff_see_new_applications_and_open_cases_of_their_own(client, login_as):
    job = JobFactory()
    login_as(Role.AGENCY_STAFF, organisation=job.agency)
    ApplicationFactory.create_batch(2, job=job)
    ApplicationFactory(job=job, status="shortlisted")
    ApplicationFactory()  # another agency's
    referred(CaseFactory(organisation=job.agency, status="referred"))
    CaseFactory(organisation=job.agency)  # not referred: the agency does not know of it
    page = client.get(f"/portal/{job.agency_id}").get_data(as_text=True)
    assert 'New applications <span class="count">2</span>' in page
    assert 'Open cases <span class="count">1</span>' in page


def test_no_counts_before_the_second_factor_is_enrolled(client):
    ReviewFactory()
    moderator = UserFactory(role="moderator", second_factor=False)
    login(client, moderator)  # a password only: enrolment is all that is open
    page = client.get("/staff/two-factor", follow_redirects=True).get_data(as_text=True)
    assert 'class="waiting"' not in page


def test_public_pages_show_no_counts(client, login_as):
    ReviewFactory()
    assert 'class="waiting"' not in client.get("/").get_data(as_text=True)
    login_as(Role.MODERATOR)
    assert 'class="waiting"' not in client.get("/").get_data(as_text=True)
    assert 'class="waiting"' not in client.get("/directory/").get_data(as_text=True)


def test_mails_to_several_people_are_each_in_their_own_language(app, monkeypatch):
    """notify() renders one mail after another in one context: each in its own language
    (the templates' gettext must not keep the first catalog it used)."""
    templates = {
        "mail/probe.txt": '{% extends "mail/base.txt" %}{% set subject = _("Jobs") %}'
        "{% block body %}{% endblock %}",
        "mail/probe.html": '{% extends "mail/base.html" %}',
    }
    loader = ChoiceLoader([DictLoader(templates), app.jinja_env.loader])
    monkeypatch.setattr(app.jinja_env, "loader", loader)
    locales = ("en", "th", "my", "en")
    subjects = [mail.render("a@example.org", "probe", locale)["subject"] for locale in locales]
    assert subjects == ["Jobs", translated("th", "Jobs"), translated("my", "Jobs"), "Jobs"]
