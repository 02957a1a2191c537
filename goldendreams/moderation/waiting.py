"""What waits for a staff member: counts shown in the staff navigation of every staff page,
and the figures of the daily digest (moderation/tasks.py).

Composes features (reads their models, like moderation/queries.py). Every count is one
cheap aggregate query; they run only for a logged-in staff member on a staff page, never
on a public page (public pages are cached for anonymous readers).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask, current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import and_, func, or_, select, true
from sqlalchemy.exc import SQLAlchemyError

from goldendreams.accounts import two_factor
from goldendreams.agencies.models import ClaimStatus, ProfileClaim
from goldendreams.cases import permissions as case_permissions
from goldendreams.cases.models import OPEN_STATUSES, Case
from goldendreams.cases.queries import referred_to_organisation
from goldendreams.core.auth import Role
from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.inbox import permissions as inbox_permissions
from goldendreams.inbox import queries as inbox_queries
from goldendreams.jobs.models import Application, Job, JobFlag
from goldendreams.moderation import permissions
from goldendreams.reviews.models import Flag, FlagStatus, Reply, ReplyStatus, Review, ReviewStatus

log = logging.getLogger("goldendreams.moderation")

#: The staff pages (as tests/test_authorization.py knows them): only these show counts.
STAFF_PREFIXES = ("/staff", "/portal", "/moderation", "/cases", "/brand", "/inbox")

QUEUE_LABELS = {
    "review": _l("Reviews"),
    "reply": _l("Replies to reviews"),
    "flag": _l("Reports on reviews"),
    "job": _l("Jobs"),
    "job_flag": _l("Reports on jobs"),
    "claim": _l("Account requests"),
}


@dataclass(frozen=True)
class Waiting:
    """One count in the staff navigation, with the page where the items are."""

    label: str
    count: int
    link: str


def _count(query) -> int:
    return db.session.scalar(query) or 0


def _counts(conditions: dict) -> dict[str, int]:
    """Several counts in one statement: ``{name: (model, condition)}`` → ``{name: count}``."""
    columns = [
        select(func.count()).select_from(model).where(condition).scalar_subquery()
        for model, condition in conditions.values()
    ]
    row = db.session.execute(select(*columns)).one()
    return {name: count or 0 for name, count in zip(conditions, row, strict=True)}


def queue_counts() -> dict[str, int]:
    """How many items of each kind wait in the moderation queue."""
    return _counts(
        {
            "review": (Review, Review.status == ReviewStatus.PENDING),
            "reply": (Reply, Reply.status == ReplyStatus.PENDING),
            "flag": (Flag, Flag.status == FlagStatus.OPEN),
            "job": (Job, Job.status == "submitted"),
            "job_flag": (JobFlag, JobFlag.status == "open"),
            "claim": (ProfileClaim, ProfileClaim.status == ClaimStatus.PENDING),
        }
    )


def _overdue():
    """SQL for an open case past its stage's deadline (cases.services.is_overdue)."""
    day = today()
    return or_(
        *(
            and_(Case.status == status, Case.stage_since < day - timedelta(days=days))
            for status, days in current_app.config["CASE_STAGE_DAYS"].items()
        )
    )


def case_counts(owner_id: int | None = None) -> dict[str, int]:
    """For caseworkers: overdue cases, new cases, and open cases whose worker said the
    problem is fixed only partly or not at all — of one CSO (``owner_id``), or of the
    whole network (admins)."""
    mine = true() if owner_id is None else Case.owner_id == owner_id
    unsatisfied = and_(Case.status.in_(OPEN_STATUSES), Case.worker_answer.in_(("partly", "no")))
    return _counts(
        {
            "overdue": (Case, and_(mine, _overdue())),
            "new": (Case, and_(mine, Case.status == "new")),
            "unsatisfied": (Case, and_(mine, unsatisfied)),
        }
    )


def case_owner(user) -> int | None:
    """Whose cases a caseworker counts: their CSO's; admins the network's (None)."""
    return None if case_permissions.is_admin(user) else user.organisation_id


def new_applications(agency_id: int) -> int:
    """Applications to an agency's jobs nobody has moved along yet."""
    query = (
        select(func.count())
        .select_from(Application)
        .join(Job, Job.id == Application.job_id)
        .where(
            Job.agency_id == agency_id,
            Application.status == "received",
            Application.purged_on.is_(None),
        )
    )
    return _count(query)


def open_cases_of(organisation_id: int) -> int:
    """Open cases referred to an organisation (it sees no others)."""
    query = select(func.count()).where(
        Case.organisation_id == organisation_id,
        Case.status.in_(OPEN_STATUSES),
        referred_to_organisation(),
    )
    return _count(query)


def for_user(user) -> list[Waiting]:
    """The counts for this staff member's navigation (zero counts included: "nothing
    waits" is news too)."""
    items: list[Waiting] = []
    if permissions.may_moderate(user):
        total = sum(queue_counts().values())
        items.append(Waiting(_l("To moderate"), total, url_for("moderation.queue")))
    if case_permissions.may_work_on_cases(user):
        cases = case_counts(case_owner(user))
        items.append(
            Waiting(
                _l("Overdue cases"), cases["overdue"], url_for("cases.case_list", show="overdue")
            )
        )
        items.append(Waiting(_l("New cases"), cases["new"], url_for("cases.case_list")))
    if inbox_permissions.may_use_inbox(user):
        # New conversations and those where the worker wrote last.
        waiting = inbox_queries.waiting_count(case_owner(user))
        items.append(
            Waiting(_l("Conversations waiting"), waiting, url_for("inbox.conversation_list"))
        )
    if user.role == Role.AGENCY_STAFF:
        items.append(
            Waiting(
                _l("New applications"),
                new_applications(user.organisation_id),
                url_for("jobs_portal.portal_jobs", org_id=user.organisation_id),
            )
        )
    if user.role in (Role.AGENCY_STAFF, Role.EMPLOYER_STAFF):
        items.append(
            Waiting(
                _l("Open cases"),
                open_cases_of(user.organisation_id),
                url_for("cases_portal.portal_cases", org_id=user.organisation_id),
            )
        )
    return items


def _on_staff_page() -> bool:
    # Someone who must still enrol a second factor has only given a password: nothing yet.
    return (
        request.path.startswith(STAFF_PREFIXES)
        and current_user.is_authenticated
        and not two_factor.must_enrol(current_user)
    )


def staff_waiting() -> dict:
    """Context processor: ``waiting`` (the counts) on staff pages, nothing elsewhere."""
    if not _on_staff_page():
        return {}
    try:
        return {"waiting": for_user(current_user)}
    except SQLAlchemyError:
        # An error page rendered after a failed transaction: the page matters, not the counts.
        log.warning("counts of what waits not shown", exc_info=True)
        return {}


def init_app(app: Flask) -> None:
    app.context_processor(staff_waiting)
