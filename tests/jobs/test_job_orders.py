"""Job orders: the employer confirms or refuses the jobs posted in its name; publishing
waits for its confirmation when it has staff on the site; the hiring funnel it sees is
counts only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from goldendreams.core.audit import AuditLog
from goldendreams.core.auth import Role
from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.jobs import services
from goldendreams.jobs.models import JobOrderDecision
from goldendreams.jobs.queries import OTHER, funnel_rows
from tests.factories import (
    AgencyFactory,
    ApplicationFactory,
    FeeLineFactory,
    JobFactory,
    OrganisationFactory,
    OrganisationLinkFactory,
    UserFactory,
    job_fields,
)


def employer_staff(employer, **fields):
    return UserFactory(role="employer_staff", organisation=employer, **fields)


def decide(job, actor, confirm=True, **kwargs):
    values = {"positions": job.positions, "terms_right": True, "fees_right": True}
    values.update(kwargs)
    services.decide_job_order(job, actor, confirm, **values)


@pytest.fixture
def moderator(app):
    return UserFactory(role="moderator")


# --- the rules ---------------------------------------------------------------------------


def test_only_the_employers_staff_decide(app):
    job = JobFactory(status="submitted")
    for outsider in (
        employer_staff(OrganisationFactory()),
        UserFactory(role="agency_staff", organisation=job.agency),
        UserFactory(role="moderator"),
    ):
        with pytest.raises(services.JobError):
            decide(job, outsider)
    assert job.employer_decision is None
    decide(job, employer_staff(job.employer), positions=6)
    assert job.order_decision == JobOrderDecision.CONFIRMED
    assert (job.confirmed_positions, job.terms_confirmed, job.fees_confirmed) == (6, True, True)
    entry = db.session.scalar(select(AuditLog).filter_by(action="job_order.confirmed"))
    assert entry.target_id == job.id


def test_admins_may_decide_for_the_employer(app):
    job = JobFactory(status="submitted")
    decide(job, UserFactory(role="admin"))
    assert job.order_decision == JobOrderDecision.CONFIRMED


def test_drafts_are_not_the_employers_to_decide(app):
    job = JobFactory(status="draft")
    with pytest.raises(services.JobError):
        decide(job, employer_staff(job.employer))


def test_publish_waits_for_the_employer_when_it_has_staff(app, moderator):
    job = JobFactory(status="submitted")
    staff = employer_staff(job.employer)
    with pytest.raises(services.JobError, match="not confirmed"):
        services.publish_job(job, moderator)
    assert job.status == "submitted"
    decide(job, staff)
    services.publish_job(job, moderator)
    assert job.status == "published"


def test_inactive_staff_do_not_count(app, moderator):
    job = JobFactory(status="submitted")
    employer_staff(job.employer, active=False)
    services.publish_job(job, moderator)
    assert job.status == "published"


def test_without_staff_publish_is_allowed_and_labelled_not_confirmed(app, client, moderator):
    job = JobFactory(status="submitted")
    services.publish_job(job, moderator)
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "Not confirmed by the employer." in page
    assert "Confirmed by the employer on" not in page


def test_a_job_published_before_job_orders_says_not_confirmed(app, client):
    # Published before job orders existed (no decision), its employer has staff now.
    job = JobFactory(status="published")
    employer_staff(job.employer)
    assert job.employer_decision is None
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "Not confirmed by the employer." in page
    assert "Confirmed by the employer on" not in page


def test_public_page_says_when_the_employer_confirmed(app, client, moderator):
    job = JobFactory(status="submitted")
    decide(job, employer_staff(job.employer))
    services.publish_job(job, moderator)
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "Confirmed by the employer on" in page
    assert "Not confirmed by the employer." not in page


def test_a_refused_job_cannot_be_published(app, moderator):
    job = JobFactory(status="submitted")
    decide(job, employer_staff(job.employer), confirm=False, note="We do not hire now.")
    # Sent again unchanged by its agency: still refused, so still not published.
    services.submit_job(job, UserFactory(role="agency_staff", organisation=job.agency))
    with pytest.raises(services.JobError, match="refused"):
        services.publish_job(job, moderator)


def test_refusing_a_published_job_closes_it_and_is_audited(app):
    job = JobFactory(status="published")
    decide(job, employer_staff(job.employer), confirm=False, note="The pay is wrong.")
    assert (job.status, job.employer_note) == ("closed", "The pay is wrong.")
    assert job.closed_on is not None
    entries = list(db.session.scalars(select(AuditLog).filter_by(target_id=job.id)))
    assert [entry.action for entry in entries] == ["job_order.refused"]  # one row per call
    assert entries[0].detail["status"] == "closed"


def test_refusing_a_submitted_job_takes_it_out_of_the_moderators_queue(app, client, login_as):
    from goldendreams.moderation.queries import queue

    job = JobFactory(status="submitted")
    decide(job, employer_staff(job.employer), confirm=False, note="We do not hire now.")
    assert (job.status, job.decision_reason) == ("rejected", "employer_refused")
    assert job.decision_note is None and job.closed_on is None
    assert ("job", job.id) not in {(item.kind, item.id) for item in queue()}
    entries = list(db.session.scalars(select(AuditLog).filter_by(target_id=job.id)))
    assert [entry.action for entry in entries] == ["job_order.refused"]
    assert entries[0].detail["status"] == "rejected"
    # The agency sees why, and may change the job and send it again.
    login_as(Role.AGENCY_STAFF, organisation=job.agency)
    page = client.get(f"/portal/{job.agency_id}/jobs/{job.id}").get_data(as_text=True)
    assert "The reason: The employer refused this job" in page


def test_moderators_cannot_give_the_employers_reason(app, moderator):
    job = JobFactory(status="submitted")
    with pytest.raises(services.JobError):
        services.reject_job(job, moderator, "employer_refused")
    assert job.status == "submitted"


def test_an_edit_after_confirmation_goes_back_to_pending(app):
    link = OrganisationLinkFactory()
    agency, employer = link.source, link.target
    actor = UserFactory(role="agency_staff", organisation=agency)
    texts, fees = {"en": ("Packer", "Packing fish.")}, []
    job = services.save_job(agency, actor, job_fields(employer_id=employer.id), texts, fees)
    services.submit_job(job, actor)
    decide(job, employer_staff(employer), positions=4)
    services.save_job(agency, actor, job_fields(employer_id=employer.id), texts, fees, job)
    assert job.order_decision == JobOrderDecision.PENDING
    assert job.employer_decided_on is None and job.confirmed_positions is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"confirm": False, "note": "  "}, "Write why"),
        ({"positions": 0}, "at least 1"),
        ({"positions": 11}, "at most 10"),
        ({"positions": None}, "at least 1"),
        ({"terms_right": False}, "refuse the job"),
        ({"fees_right": False}, "refuse the job"),
        ({"confirm": False, "note": "x" * 1001}, "at most 1000"),
    ],
)
def test_bad_decisions_are_refused_and_change_nothing(app, kwargs, message):
    job = JobFactory(status="submitted", positions=10)
    with pytest.raises(services.JobError, match=message):
        decide(job, employer_staff(job.employer), **kwargs)
    assert job.employer_decision is None and job.employer_decided_on is None


# --- notifications ------------------------------------------------------------------------


def test_employer_staff_hear_of_a_job_in_their_name_and_the_agency_of_the_answer(app, mailbox):
    job = JobFactory(status="draft")
    staff = employer_staff(job.employer)
    agency_member = UserFactory(role="agency_staff", organisation=job.agency)
    services.submit_job(job, agency_member)
    assert [m["To"] for m in mailbox.messages] == [staff.email]
    assert f"/portal/{job.employer_id}/job-orders/{job.id}" in mailbox.messages[0].as_string()
    mailbox.clear()
    decide(job, staff, confirm=False, note="Not our job.")
    assert [m["To"] for m in mailbox.messages] == [agency_member.email]
    assert "refused" in mailbox.messages[0]["Subject"]


# --- pages --------------------------------------------------------------------------------


def test_the_list_shows_every_agencys_jobs_in_the_employers_name_but_drafts(client, login_as):
    user = login_as(Role.EMPLOYER_STAFF)
    employer = user.organisation
    shown = [
        JobFactory(employer=employer, status=status, agency=AgencyFactory(name=f"Agency {status}"))
        for status in ("submitted", "published", "closed")
    ]
    JobFactory(employer=employer, status="draft", agency=AgencyFactory(name="Agency draft"))
    JobFactory(status="published", agency=AgencyFactory(name="Agency elsewhere"))
    page = client.get(f"/portal/{employer.id}/job-orders/").get_data(as_text=True)
    for job in shown:
        assert job.agency.name in page
    assert "Agency draft" not in page and "Agency elsewhere" not in page


def test_the_employers_portal_leads_to_its_job_orders(client, login_as):
    employer = login_as(Role.EMPLOYER_STAFF).organisation
    page = client.get(f"/portal/{employer.id}").get_data(as_text=True)
    assert f'href="/portal/{employer.id}/job-orders/"' in page
    agency = login_as(Role.AGENCY_STAFF).organisation  # agencies post jobs; they have no orders
    assert "job-orders" not in client.get(f"/portal/{agency.id}").get_data(as_text=True)


def test_other_employers_and_agencies_get_403_or_404(client, login_as):
    job = JobFactory(status="submitted")
    login_as(Role.EMPLOYER_STAFF)
    assert client.get(f"/portal/{job.employer_id}/job-orders/").status_code == 403
    assert client.get(f"/portal/{job.employer_id}/job-orders/{job.id}").status_code == 403
    client.post("/logout")
    user = login_as(Role.EMPLOYER_STAFF)
    own = user.organisation_id
    assert client.get(f"/portal/{own}/job-orders/{job.id}").status_code == 404
    response = client.post(
        f"/portal/{own}/job-orders/{job.id}/decide", data={"decision": "confirm"}
    )
    assert response.status_code == 404
    client.post("/logout")
    login_as(Role.AGENCY_STAFF, organisation=job.agency)
    assert client.get(f"/portal/{job.agency_id}/job-orders/").status_code == 404
    assert client.get(f"/portal/{job.employer_id}/job-orders/{job.id}").status_code == 403
    assert job.employer_decision is None


def test_deciding_on_the_page(client, login_as):
    job = JobFactory(status="submitted", positions=10)
    login_as(Role.EMPLOYER_STAFF, organisation=job.employer)
    url = f"/portal/{job.employer_id}/job-orders/{job.id}/decide"
    page = client.get(url.removesuffix("/decide")).get_data(as_text=True)
    assert 'name="decision"' in page
    # Refusing without a reason: the page again, with the error; nothing changed.
    response = client.post(url, data={"decision": "refuse", "note": ""})
    assert response.status_code == 200
    assert "Write why you refuse this job." in response.get_data(as_text=True)
    assert job.employer_decision is None
    response = client.post(url, data={"decision": "confirm", "positions": "12"})
    assert "at most 10" in response.get_data(as_text=True)
    response = client.post(
        url, data={"decision": "confirm", "positions": "8", "terms_right": "y", "fees_right": "y"}
    )
    assert response.status_code == 302
    db.session.refresh(job)
    assert (job.order_decision, job.confirmed_positions) == (JobOrderDecision.CONFIRMED, 8)


def last_week():
    """A day of last week: counted (the funnel counts up to this week's Monday)."""
    return today() - timedelta(days=today().weekday() + 3)


def funnel_page(client, job) -> str:
    return client.get(f"/portal/{job.employer_id}/job-orders/{job.id}").get_data(as_text=True)


def funnel_tables(page: str) -> str:
    return page[page.index("<h2>Applications</h2>") :]


def test_the_funnel_is_counts_only_and_hides_small_groups(client, login_as):
    job = JobFactory(status="published")
    FeeLineFactory(job=job)
    old = last_week()
    ApplicationFactory.create_batch(
        4, job=job, name="Ma Hla Zqname", origin_country="MM", applied_on=old
    )
    ApplicationFactory(
        job=job, origin_country="KH", language="km", phone="09 450 zq999", applied_on=old
    )
    login_as(Role.EMPLOYER_STAFF, organisation=job.employer)
    page = funnel_tables(funnel_page(client, job))
    assert "Zqname" not in page and "zq999" not in page
    # One Cambodian among five: no row could single them out, and no total (5) beside a
    # row of 4 says "one other".
    assert "<td>1</td>" not in page and "<td>4</td>" not in page
    assert "Cambodia" not in page and "Khmer" not in page
    assert "All applications: 5" in page
    assert '<th scope="row">Other</th><td>5</td>' in page
    assert "counted up to the start of this week" in page


def test_small_groups_are_put_together_as_other(client, login_as):
    job = JobFactory(status="published")
    old = last_week()
    ApplicationFactory.create_batch(4, job=job, origin_country="MM", applied_on=old)
    ApplicationFactory.create_batch(2, job=job, origin_country="NP", language="ne", applied_on=old)
    ApplicationFactory(job=job, origin_country="KH", language="km", applied_on=old)
    login_as(Role.EMPLOYER_STAFF, organisation=job.employer)
    page = funnel_tables(funnel_page(client, job))
    assert '<th scope="row">Myanmar (Burma)</th><td>4</td>' in page
    assert '<th scope="row">Other</th><td>3</td>' in page
    assert "Nepal" not in page and "Cambodia" not in page
    assert "All applications: 7" in page


def test_only_applications_before_this_week_are_counted(client, login_as):
    job = JobFactory(status="published")
    ApplicationFactory.create_batch(3, job=job, origin_country="MM", applied_on=last_week())
    login_as(Role.EMPLOYER_STAFF, organisation=job.employer)
    before = funnel_page(client, job)
    assert "All applications: 3" in before
    # A new application this week (a Nepali): the page does not move until next week.
    ApplicationFactory(job=job, origin_country="NP", language="ne")
    after = funnel_page(client, job)
    assert funnel_tables(after) == funnel_tables(before)


def test_a_few_applications_are_not_counted_at_all(client, login_as):
    job = JobFactory(status="published")
    ApplicationFactory.create_batch(2, job=job, applied_on=last_week())
    ApplicationFactory.create_batch(5, job=job)  # this week: not counted yet
    login_as(Role.EMPLOYER_STAFF, organisation=job.employer)
    page = funnel_tables(funnel_page(client, job))
    assert "There are too few applications to show." in page
    assert "All applications" not in page and "<table" not in page


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([], []),
        ([("MM", 5)], [("MM", 5)]),
        ([("MM", 3), ("NP", 3)], [("MM", 3), ("NP", 3)]),
        ([("KH", 2), ("MM", 4), ("NP", 1)], [("MM", 4), (OTHER, 3)]),
        ([("KH", 1), ("MM", 4)], [(OTHER, 5)]),  # "Other 1" would be one person: merged
        ([("KH", 1), ("LA", 3), ("MM", 9)], [("MM", 9), (OTHER, 4)]),
        ([("KH", 2), ("LA", 2)], [(OTHER, 4)]),
        ([("KH", 1), ("LA", 1), ("MM", 1)], [(OTHER, 3)]),
    ],
)
def test_funnel_rows_never_leave_a_small_group_to_work_out(app, rows, expected):
    assert funnel_rows(rows) == expected


def test_moderation_page_says_why_publish_waits(client, login_as):
    job = JobFactory(status="submitted")
    employer_staff(job.employer)
    login_as(Role.ADMIN)
    page = client.get(f"/moderation/jobs/{job.id}").get_data(as_text=True)
    assert "The employer has not confirmed this job yet." in page
    assert f"/moderation/jobs/{job.id}/publish" not in page
    assert client.post(f"/moderation/jobs/{job.id}/publish").status_code == 400
