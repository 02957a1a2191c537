"""The moderation queue: every item waiting for a decision, oldest first."""
# Reads the models of the features it moderates; every decision goes through their services.

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from goldendreams.accounts import queries as account_queries
from goldendreams.agencies.models import ClaimStatus, Organisation, ProfileClaim
from goldendreams.core.text import normalise
from goldendreams.extensions import db
from goldendreams.jobs.models import Job, JobFlag
from goldendreams.reviews.models import (
    Flag,
    FlagStatus,
    Reply,
    ReplyStatus,
    Review,
    ReviewStatus,
)


@dataclass(frozen=True)
class QueueItem:
    kind: str  # "review" | "reply" | "flag" | "job" | "job_flag" | "claim"
    id: int
    written_on: date
    organisation: str
    title: str


def queue(limit: int = 100) -> list[QueueItem]:
    """The oldest ``limit`` items of each kind, merged and sorted oldest first (by date,
    then by id: reviews keep no time of day)."""
    reviews = db.session.scalars(
        select(Review)
        .filter_by(status=ReviewStatus.PENDING)
        .options(selectinload(Review.organisation))
        .order_by(Review.id)
        .limit(limit)
    )
    replies = db.session.scalars(
        select(Reply)
        .filter_by(status=ReplyStatus.PENDING)
        .options(selectinload(Reply.review).selectinload(Review.organisation))
        .order_by(Reply.id)
        .limit(limit)
    )
    flags = db.session.scalars(
        select(Flag)
        .filter_by(status=FlagStatus.OPEN)
        .options(selectinload(Flag.review).selectinload(Review.organisation))
        .order_by(Flag.id)
        .limit(limit)
    )
    items = [
        QueueItem("review", r.id, r.written_on, r.organisation.name, r.public_title)
        for r in reviews
    ]
    items += [
        QueueItem("reply", r.id, r.written_on, r.review.organisation.name, r.review.public_title)
        for r in replies
    ]
    items += [
        QueueItem("flag", f.id, f.written_on, f.review.organisation.name, f.review.public_title)
        for f in flags
    ]
    jobs = db.session.scalars(
        select(Job)
        .filter_by(status="submitted")
        .options(selectinload(Job.agency), selectinload(Job.texts))
        .order_by(Job.id)
        .limit(limit)
    )
    items += [
        QueueItem("job", j.id, j.submitted_on or j.created_on, j.agency.name, _job_title(j))
        for j in jobs
    ]
    job_flags = db.session.scalars(
        select(JobFlag)
        .filter_by(status="open")
        .options(selectinload(JobFlag.job).selectinload(Job.agency))
        .order_by(JobFlag.id)
        .limit(limit)
    )
    items += [
        QueueItem("job_flag", f.id, f.written_on, f.job.agency.name, _job_title(f.job))
        for f in job_flags
    ]
    claims = db.session.scalars(
        select(ProfileClaim)
        .filter_by(status=ClaimStatus.PENDING)
        .options(selectinload(ProfileClaim.organisation))
        .order_by(ProfileClaim.id)
        .limit(limit)
    )
    items += [
        QueueItem("claim", c.id, _site_day(c.created_at), _claimed_name(c), c.claimant_name)
        for c in claims
    ]
    order = {"review": 0, "reply": 1, "flag": 2, "job": 3, "job_flag": 4, "claim": 5}
    return sorted(items, key=lambda item: (item.written_on, order[item.kind], item.id))[:limit]


def _site_day(moment: datetime) -> date:
    """The day it was where the site's users are (claims keep the time they came)."""
    return moment.astimezone(ZoneInfo(current_app.config["SITE_TIMEZONE"])).date()


def _claimed_name(claim: ProfileClaim) -> str:
    return claim.organisation.name if claim.organisation else claim.new_org_name or ""


@dataclass(frozen=True)
class ClaimFacts:
    """What a moderator compares before deciding on a claim."""

    #: Whether the e-mail has an account already (approving is then refused).
    has_account: bool
    #: Whether the organisation has active staff (if not, the first one may invite others).
    has_staff: bool
    #: Organisations of the directory whose name holds the name asked for (new ones only).
    similar: list[Organisation]


def claim_facts(claim: ProfileClaim) -> ClaimFacts:
    similar: list[Organisation] = []
    if claim.organisation is None and claim.new_org_name:
        pattern = _containing(claim.new_org_name.casefold())
        similar = list(
            db.session.scalars(
                select(Organisation)
                .where(Organisation.sort_name.like(pattern, escape="\\"))
                .order_by(Organisation.sort_name)
                .limit(10)
            )
        )
    return ClaimFacts(
        has_account=bool(claim.email) and account_queries.has_account(claim.email),
        has_staff=claim.organisation_id is not None
        and account_queries.has_active_staff(claim.organisation_id),
        similar=similar,
    )


def _job_title(job: Job) -> str:
    return job.texts[0].title if job.texts else f"#{job.id}"


def open_flags_of(review_id: int) -> list[Flag]:
    query = select(Flag).filter_by(review_id=review_id, status=FlagStatus.OPEN)
    return list(db.session.scalars(query.order_by(Flag.id)))


def _containing(text: str) -> str:
    """A LIKE pattern for text anywhere, its own % and _ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def staff_reviews(words: str = "", organisation: str = "", status: str = "") -> Select:
    """Every review staff may look for, newest first (by id: reviews keep no time of day).

    ``words`` is found in the worker's original title or text, ``organisation`` in the
    organisation's name (Latin or local script); ``status`` is a ReviewStatus or empty.
    """
    query = (
        select(Review)
        .join(Review.organisation)
        .options(selectinload(Review.organisation))
        .order_by(Review.id.desc())
    )
    # Stored text is normalised (Zawgyi to Unicode, NFC): the words must be too.
    if words := normalise(words).text:
        pattern = _containing(words)
        query = query.where(
            or_(Review.title.ilike(pattern, escape="\\"), Review.body.ilike(pattern, escape="\\"))
        )
    if organisation := normalise(organisation).text:
        pattern = _containing(organisation)
        query = query.where(
            or_(
                Organisation.name.ilike(pattern, escape="\\"),
                Organisation.name_local.ilike(pattern, escape="\\"),
            )
        )
    if status in set(ReviewStatus):
        query = query.where(Review.status == status)
    return query
