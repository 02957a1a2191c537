"""The e-mails about jobs: to the agency's staff when the moderators send a job back or the
employer confirms or refuses it, to the employer's staff when a job in its name is sent
for checking, and each morning the number of new applications. Counts, job numbers and
titles (the agency's own words) and links: never an applicant's name, phone, code or a
reader's report.
"""

from __future__ import annotations

from datetime import date
from itertools import groupby

from goldendreams.accounts import notifications
from goldendreams.accounts.notifications import NotificationKind
from goldendreams.core import mail
from goldendreams.extensions import db
from goldendreams.jobs import choices, queries
from goldendreams.jobs.models import Job, JobOrderDecision


def _title(job: Job) -> str:
    return job.texts[0].title if job.texts else ""


def job_returned(job: Job) -> None:
    """The moderators sent ``job`` back (rejected, or taken down after a report)."""
    notifications.notify(
        notifications.staff_of(job.agency_id),
        NotificationKind.JOB_RETURNED,
        "notify_job_returned",
        job_number=job.id,
        job_title=_title(job),
        reason=choices.REJECT_REASONS.get(job.decision_reason or "", ""),
        link=mail.site_url("jobs_portal.detail", org_id=job.agency_id, job_id=job.id),
    )


def job_order_submitted(job: Job) -> None:
    """An agency sent ``job``, posted in the employer's name, for checking: the employer's
    staff confirm or refuse it."""
    notifications.notify(
        notifications.staff_of(job.employer_id),
        NotificationKind.JOB_ORDER_SUBMITTED,
        "notify_job_order_submitted",
        job_number=job.id,
        job_title=_title(job),
        agency=job.agency.name,
        link=mail.site_url("job_orders.order", org_id=job.employer_id, job_id=job.id),
    )


def job_order_decided(job: Job) -> None:
    """The employer confirmed or refused ``job``: its agency's staff are told."""
    notifications.notify(
        notifications.staff_of(job.agency_id),
        NotificationKind.JOB_ORDER_DECIDED,
        "notify_job_order_decided",
        job_number=job.id,
        job_title=_title(job),
        employer=job.employer.name if job.employer else "",
        confirmed=job.order_decision == JobOrderDecision.CONFIRMED,
        link=mail.site_url("jobs_portal.detail", org_id=job.agency_id, job_id=job.id),
    )


def applications_digest(day: date) -> int:
    """Tell each agency's staff how many applications its jobs got on ``day`` (agencies
    with none get nothing). Returns how many mails were sent."""
    sent = 0
    for agency_id, rows in groupby(queries.applications_on(day), key=lambda row: row[0].agency_id):
        rows = list(rows)
        jobs = [
            (
                job.id,
                _title(job),
                count,
                mail.site_url("jobs_portal.applications", org_id=agency_id, job_id=job.id),
            )
            for job, count in rows
        ]
        sent += notifications.notify(
            notifications.staff_of(agency_id),
            NotificationKind.APPLICATIONS_DIGEST,
            "notify_applications_digest",
            total=sum(count for _, count in rows),
            day=day,
            jobs=jobs,
        )
    db.session.commit()  # the mails leave once the transaction ends
    return sent
