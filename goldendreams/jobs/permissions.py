"""Who may do what with job orders. Views, services and templates ask here.

A job order is a job posted by an agency in an employer's name. The employer's own staff
(and the site's admins) see the jobs posted in its name and confirm or refuse them; nobody
else does. A job whose employer has staff on the site is published only once confirmed.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from goldendreams.core.auth import ORG_ROLE_KINDS, Role
from goldendreams.jobs import queries
from goldendreams.jobs.models import Job, JobOrderDecision

#: A job order can be decided while it waits for the moderators or is published.
DECIDABLE_STATUSES = ("submitted", "published")


def _role(user) -> str | None:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "active", True):
        return None
    return getattr(user, "role", None)


def may_act_for(user, organisation_id: int) -> bool:
    """Staff of that organisation (of whatever kind), or an admin: the portal's first gate
    (an organisation that is not an employer has no job orders: not found)."""
    role = _role(user)
    if role == Role.ADMIN:
        return True
    return role in ORG_ROLE_KINDS and user.organisation_id == organisation_id


def may_see_job_orders(user, employer_id: int) -> bool:
    """Staff of that employer, or an admin."""
    role = _role(user)
    if role == Role.ADMIN:
        return True
    return role == Role.EMPLOYER_STAFF and user.organisation_id == employer_id


def may_see_job_order(user, job: Job) -> bool:
    """The job is posted in the employer's name, and it is no draft (the agency's own)."""
    return (
        job.employer_id is not None
        and job.status != "draft"
        and may_see_job_orders(user, job.employer_id)
    )


def may_decide_job_order(user, job: Job) -> bool:
    return may_see_job_order(user, job) and job.status in DECIDABLE_STATUSES


def publish_blocker(job: Job):
    """Why the employer's side stops the job from being published (a message in the
    reader's language), or None when it does not."""
    if job.order_decision == JobOrderDecision.REFUSED:
        return _l("The employer refused this job, so it cannot be published.")
    if job.order_decision != JobOrderDecision.CONFIRMED and queries.employer_has_staff(
        job.employer_id
    ):
        return _l(
            "The employer has not confirmed this job yet. It can be published once they confirm it."
        )
    return None


def unconfirmed_public(job: Job) -> bool:
    """The public page says "Not confirmed by the employer": the job names an employer that
    has not confirmed it (it has nobody on the site, or the job was published before job
    orders, or it has not answered yet)."""
    return job.employer_id is not None and job.order_decision != JobOrderDecision.CONFIRMED


def is_confirmed(job: Job) -> bool:
    return job.order_decision == JobOrderDecision.CONFIRMED
