"""Reading jobs: the public list and its filters, an agency's jobs, applications."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased, selectinload

from goldendreams.accounts.models import User
from goldendreams.agencies.models import (
    ORIGINS,
    LicenceStatus,
    LinkKind,
    Organisation,
    OrganisationLink,
    OrgKind,
)
from goldendreams.agencies.queries import licence_condition
from goldendreams.core.auth import Role
from goldendreams.core.base import json_list_has, today
from goldendreams.core.cache import memo
from goldendreams.extensions import db
from goldendreams.jobs.models import APPLICATION_STATUSES, Application, Job


@dataclass(frozen=True)
class JobFilters:
    country: str | None = None
    province: str | None = None
    sector: str | None = None
    employer_pays: bool = False
    min_salary: Decimal | None = None
    recruiting_from: str | None = None
    language: str | None = None
    sort: str = "newest"


def open_jobs(filters: JobFilters | None = None) -> Select:
    """Published jobs still taking applications, filtered and sorted."""
    filters = filters or JobFilters()
    agency = aliased(Organisation)
    query = (
        select(Job)
        .join(agency, Job.agency_id == agency.id)
        .where(
            Job.status == "published",
            Job.deadline >= today(),
            licence_condition(LicenceStatus.VALID, agency),
        )
        .options(selectinload(Job.texts), selectinload(Job.fees), selectinload(Job.employer))
    )
    if filters.country:
        query = query.where(Job.destination_country == filters.country)
    if filters.province:
        query = query.where(Job.province == filters.province)
    if filters.sector:
        query = query.where(Job.sector == filters.sector)
    if filters.employer_pays:
        query = query.where(Job.employer_pays.is_(True))
    if filters.min_salary is not None:
        query = query.where(Job.monthly_salary >= filters.min_salary)
    if filters.recruiting_from:
        query = query.where(json_list_has(Job.recruiting_from, filters.recruiting_from))
    if filters.language:
        query = query.where(json_list_has(Job.languages, filters.language))
    if filters.sort == "salary":
        return query.order_by(Job.monthly_salary.desc().nulls_last(), Job.id.desc())
    return query.order_by(Job.published_on.desc(), Job.id.desc())


@memo
def provinces() -> dict[str, list[str]]:
    """Provinces with open jobs, by destination country."""
    query = select(Job.destination_country, Job.province).where(
        Job.status == "published", Job.deadline >= today(), Job.province.is_not(None)
    )
    found: dict[str, list[str]] = {}
    for country, province in db.session.execute(query.distinct()):
        found.setdefault(country or "", []).append(province)
    return {country: sorted(names, key=str.casefold) for country, names in sorted(found.items())}


def employers_of(agency_id: int) -> list[Organisation]:
    """The employers an agency recruits for (its "recruits for" links), by name."""
    query = (
        select(Organisation)
        .join(OrganisationLink, OrganisationLink.target_id == Organisation.id)
        .where(
            OrganisationLink.kind == LinkKind.RECRUITS_FOR,
            OrganisationLink.source_id == agency_id,
            Organisation.kind == OrgKind.EMPLOYER,
        )
        .order_by(Organisation.sort_name)
    )
    return list(db.session.scalars(query))


def open_jobs_of(organisation_id: int, kind: str) -> list[Job]:
    """Open jobs posted by an agency, or hiring for an employer."""
    column = Job.agency_id if kind == "agency" else Job.employer_id
    return list(db.session.scalars(open_jobs().where(column == organisation_id).limit(20)))


def jobs_of_agency(agency_id: int) -> list[Job]:
    """Every job of an agency, newest first (for its portal)."""
    query = (
        select(Job)
        .filter_by(agency_id=agency_id)
        .options(selectinload(Job.texts))
        .order_by(Job.id.desc())
    )
    return list(db.session.scalars(query))


def applications_of(job_id: int) -> list[Application]:
    query = select(Application).filter_by(job_id=job_id).order_by(Application.id)
    return list(db.session.scalars(query))


def mismatches(job: Job, origin_country: str | None, language: str | None) -> set[str]:
    """How an applicant differs from whom the job recruits: "country" (not a country it
    recruits from) and "language" (prefers a language it does not ask for). They may still
    apply: this only warns them, and tells the agency."""
    found = set()
    if job.recruiting_from and origin_country and origin_country not in job.recruiting_from:
        found.add("country")
    if job.languages and language and language not in job.languages:
        found.add("language")
    return found


def applications_on(day) -> list[tuple[Job, int]]:
    """The jobs that got applications on ``day``, each with how many, by agency then job."""
    query = (
        select(Job, func.count(Application.id))
        .join(Application, Application.job_id == Job.id)
        .where(Application.applied_on == day)
        .group_by(Job.id)
        .options(selectinload(Job.texts))
        .order_by(Job.agency_id, Job.id)
    )
    return [(job, count) for job, count in db.session.execute(query)]


def origin_agencies_of(agency_id: int) -> list[Organisation]:
    """The origin agencies (Myanmar, Cambodia, Laos, Nepal) that work with an agency (their
    "works with" links), by name."""
    query = (
        select(Organisation)
        .join(OrganisationLink, OrganisationLink.source_id == Organisation.id)
        .where(
            OrganisationLink.kind == LinkKind.WORKS_WITH,
            OrganisationLink.target_id == agency_id,
            Organisation.kind == OrgKind.AGENCY,
            Organisation.country.in_(ORIGINS),
        )
        .order_by(Organisation.sort_name)
    )
    return list(db.session.scalars(query))


def employer_has_staff(employer_id: int | None) -> bool:
    """True when the employer has at least one active staff account on the site: then it
    confirms the jobs posted in its name before they are published."""
    if employer_id is None:
        return False
    query = select(User.id).where(
        User.organisation_id == employer_id, User.role == Role.EMPLOYER_STAFF, User.active
    )
    return db.session.scalar(query.limit(1)) is not None


def job_orders_of(employer_id: int) -> list[Job]:
    """Every job posted in an employer's name, by any agency, drafts left out: newest first."""
    query = (
        select(Job)
        .where(Job.employer_id == employer_id, Job.status != "draft")
        .options(selectinload(Job.texts), selectinload(Job.agency))
        .order_by(Job.id.desc())
    )
    return list(db.session.scalars(query))


#: Groups with fewer applicants than this are not counted out (they could point at someone).
FUNNEL_MIN = 3
#: The value of the row that puts the small groups of a breakdown together ("Other").
OTHER = ""
FUNNEL_KEYS = ("status", "origin_country", "language")
_STEP_ORDER = {status: number for number, status in enumerate(APPLICATION_STATUSES)}


def week_start() -> date:
    """Monday of this week, in the site's time zone: the funnel counts up to it."""
    day = today()
    return day - timedelta(days=day.weekday())


def funnel_rows(rows: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """One breakdown with no group under FUNNEL_MIN: the smaller groups are put together
    in one OTHER row. No group is left out, as the total (or another breakdown of the same
    applications) would tell how many were: when OTHER would hold 1 or 2, the smallest
    groups shown join it until it holds FUNNEL_MIN or more. Biggest first, OTHER last."""
    shown = sorted(
        ((value, count) for value, count in rows if count >= FUNNEL_MIN),
        key=lambda row: (-row[1], row[0]),
    )
    other = sum(count for _, count in rows if count < FUNNEL_MIN)
    while shown and 0 < other < FUNNEL_MIN:
        other += shown.pop()[1]
    return shown + ([(OTHER, other)] if other >= FUNNEL_MIN else [])


def funnel(job_id: int) -> dict:
    """A job's applications counted by step, origin country and language: counts only,
    never a name or phone. Only applications received before this week's Monday count, so
    the figures move once a week and a reload never shows who just applied. Under
    FUNNEL_MIN in all, nothing is counted out (``total`` None). Keys: ``total`` (a count,
    or None) and ``status``, ``origin_country``, ``language`` (lists of (value, count),
    see funnel_rows)."""
    counted = (Application.job_id == job_id, Application.applied_on < week_start())
    total = db.session.scalar(select(func.count(Application.id)).where(*counted))
    if total < FUNNEL_MIN:
        return {"total": None} | {key: [] for key in FUNNEL_KEYS}
    out: dict = {"total": total}
    for key in FUNNEL_KEYS:
        column = getattr(Application, key)
        query = select(column, func.count(Application.id)).where(*counted).group_by(column)
        out[key] = funnel_rows([(value, count) for value, count in db.session.execute(query)])
    # The steps in their order along the pipeline, not biggest first.
    out["status"].sort(key=lambda row: _STEP_ORDER.get(row[0], len(_STEP_ORDER)))
    # Each breakdown keeps every application (funnel_rows leaves none out): the total
    # tells nothing the rows do not.
    return out
