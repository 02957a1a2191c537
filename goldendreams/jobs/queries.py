"""Reading jobs: the public list and its filters, an agency's jobs, applications."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased, selectinload

from goldendreams.agencies.models import LicenceStatus, LinkKind, Organisation, OrganisationLink
from goldendreams.agencies.queries import licence_condition
from goldendreams.core.base import json_list_has, today
from goldendreams.core.cache import memo
from goldendreams.extensions import db
from goldendreams.jobs.models import Application, Job


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
            Organisation.kind == "employer",
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
