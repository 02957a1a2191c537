"""Writing jobs, vetting decisions, applications and the pipeline. One transaction per call."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from decimal import Decimal
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from goldendreams.agencies.models import SECTORS, LicenceStatus, Organisation
from goldendreams.core import audit, tracking
from goldendreams.core.base import today
from goldendreams.core.pii import to_ascii_digits
from goldendreams.core.text import normalise
from goldendreams.extensions import db
from goldendreams.jobs import choices, notices, permissions, queries, vetting
from goldendreams.jobs.models import (
    Application,
    FeeLine,
    Job,
    JobFlag,
    JobOrderDecision,
    JobText,
)

JOB_FIELDS = (
    "employer_id", "sector", "destination_country", "province", "positions",
    "salary_amount", "salary_currency", "salary_period", "hours_per_day",
    "rest_days_per_week", "overtime_rate", "accommodation", "food", "contract_months",
    "gender", "age_min", "age_max", "languages", "skills", "recruiting_from", "deadline",
    "origin_agency_id",
)  # fmt: skip
#: (low, high) bounds for numbers; anything outside is a typing mistake or a lie.
BOUNDS = {
    "positions": (1, 10_000),
    "hours_per_day": (1, 16),
    "rest_days_per_week": (0, 7),
    "overtime_rate": (1, 5),
    "contract_months": (1, 120),
    "age_min": (15, 70),
    "age_max": (15, 70),
}
#: The highest believable pay for each period, in any currency we accept.
SALARY_MAX = {"day": Decimal(100_000), "month": Decimal(2_000_000), "piece": Decimal(100_000)}
SALARY_CURRENCIES = ("THB", "MYR", "USD")
FEE_MAX = Decimal(100_000_000)
TITLE_MAX, DESCRIPTION_MAX = 200, 10_000
MESSAGE_MAX = 1000
#: The employer's reason for refusing a job order.
ORDER_NOTE_MAX = 1000
#: A job takes applications for at most this long (and its applicants' data is kept
#: until it closes, so an endless deadline would keep it for ever).
DEADLINE_MAX_DAYS = 365


class JobError(ValueError):
    """A job rule was broken; ``str(error)`` is a message in the reader's language."""


def _one_of(value, allowed, message) -> None:
    if value is not None and value not in allowed:
        raise JobError(message)


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(JOB_FIELDS)
    if unknown:
        raise JobError(f"unknown fields: {', '.join(sorted(unknown))}")
    _one_of(fields.get("sector"), SECTORS, _l("Choose a sector from the list."))
    _one_of(
        fields.get("destination_country"),
        choices.DESTINATION_CURRENCIES,
        _l("Choose Thailand or Malaysia."),
    )
    _one_of(
        fields.get("salary_currency"), SALARY_CURRENCIES, _l("Choose a currency from the list.")
    )
    _one_of(
        fields.get("salary_period"), choices.SALARY_PERIODS, _l("Choose an answer from the list.")
    )
    for name in ("accommodation", "food"):
        _one_of(fields.get(name), choices.PROVIDED, _l("Choose an answer from the list."))
    _one_of(fields.get("gender"), choices.GENDERS, _l("Choose an answer from the list."))
    for name, (low, high) in BOUNDS.items():
        value = fields.get(name)
        if value is not None and not low <= value <= high:
            raise JobError(_l("A number is out of range. Check the numbers."))
    if fields.get("age_min") and fields.get("age_max") and fields["age_min"] > fields["age_max"]:
        raise JobError(_l("The lowest age must not be above the highest."))
    salary, period = fields.get("salary_amount"), fields.get("salary_period")
    if salary is not None and (salary <= 0 or salary > SALARY_MAX.get(period, SALARY_MAX["month"])):
        raise JobError(_l("Enter a real salary."))
    if not set(fields.get("languages") or []) <= set(choices.JOB_LANGUAGES):
        raise JobError(_l("Choose languages from the list."))
    if not set(fields.get("recruiting_from") or []) <= set(choices.ORIGIN_COUNTRIES):
        raise JobError(_l("Choose countries from the list."))
    country, province = fields.get("destination_country"), fields.get("province")
    if province is not None and province not in vetting.provinces(country or ""):
        raise JobError(_l("Choose the province or state from the list."))
    deadline = fields.get("deadline")
    if deadline is not None and deadline > today() + timedelta(days=DEADLINE_MAX_DAYS):
        raise JobError(_l("The deadline can be at most one year from today."))


def _check_employer(agency: Organisation, employer_id: int | None, job: Job | None) -> None:
    """Only an employer the agency recruits for (a job keeps the one it has)."""
    if employer_id is None or (job is not None and employer_id == job.employer_id):
        return
    linked = {employer.id for employer in queries.employers_of(agency.id)}
    if employer_id not in linked:
        raise JobError(_l("Choose an employer your agency recruits for."))


def _check_origin_agency(agency: Organisation, origin_id: int | None, job: Job | None) -> None:
    """Only an origin agency that works with the agency (a job keeps the one it has)."""
    if origin_id is None or (job is not None and origin_id == job.origin_agency_id):
        return
    if origin_id not in {org.id for org in queries.origin_agencies_of(agency.id)}:
        raise JobError(_l("Choose an origin agency your agency works with."))


def _reset_order(job: Job) -> None:
    """The job changed: what the employer confirmed or refused no longer holds."""
    if job.employer_decision is not None:
        job.employer_decision = JobOrderDecision.PENDING
    job.employer_decided_on = job.employer_decided_by_id = job.employer_note = None
    job.confirmed_positions = job.terms_confirmed = job.fees_confirmed = None


def _clean_texts(texts: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    cleaned = {}
    for locale, (title, description) in texts.items():
        if locale not in current_app.config["LOCALES"]:
            raise JobError(_l("Choose languages from the list."))
        title, description = normalise(title or "").text, normalise(description or "").text
        if not title and not description:
            continue
        if not title or not description:
            raise JobError(_l("Give each language both a title and a description."))
        if len(title) > TITLE_MAX or len(description) > DESCRIPTION_MAX:
            raise JobError(_l("This is too long."))
        cleaned[locale] = (title, description)
    if not cleaned:
        raise JobError(_l("Write the title and description in at least one language."))
    return cleaned


def _clean_fees(fees: list[dict]) -> list[dict]:
    for line in fees:
        _one_of(line.get("kind"), choices.FEE_KINDS, _l("Choose a kind of fee from the list."))
        _one_of(
            line.get("currency"), choices.FEE_CURRENCIES, _l("Choose a currency from the list.")
        )
        _one_of(line.get("paid_by"), choices.PAID_BY, _l("Say who pays each fee."))
        amount = line.get("amount")
        if (
            amount is None
            or not 0 <= amount < FEE_MAX
            or None in (line.get("kind"), line.get("currency"), line.get("paid_by"))
        ):
            raise JobError(_l("Give every fee a kind, an amount, a currency and who pays."))
    return fees


def _apply(job: Job, fields: dict, texts: dict, fees: list[dict]) -> None:
    for key, value in fields.items():
        setattr(job, key, value)
    # Change rows in place: a delete and insert of the same language would collide.
    existing = {text.locale: text for text in job.texts}
    job.texts = [existing.get(locale) or JobText(locale=locale) for locale in texts]
    for text in job.texts:
        text.title, text.description = texts[text.locale]
    job.fees = [FeeLine(**line) for line in fees]
    # "Employer Pays" needs costs declared: a job with no fee lines has said nothing.
    job.employer_pays = bool(fees) and all(
        line["paid_by"] == "employer" or line["amount"] == 0 for line in fees
    )
    job.monthly_salary = vetting.monthly(
        job.salary_amount, job.salary_period, job.rest_days_per_week
    )


def save_job(
    agency: Organisation,
    actor,
    fields: dict[str, Any],
    texts: dict[str, tuple[str, str]],
    fees: list[dict],
    job: Job | None = None,
) -> Job:
    """Create or change a job of ``agency``. A published job goes back to the moderators."""
    if agency.kind != "agency":
        raise JobError(_l("Only recruitment agencies post jobs."))
    if job is not None and job.agency_id != agency.id:
        raise JobError(_l("This job belongs to another agency."))
    _check_fields(fields)
    _check_employer(agency, fields.get("employer_id"), job)
    _check_origin_agency(agency, fields.get("origin_agency_id"), job)
    texts, fees = _clean_texts(texts), _clean_fees(fees)
    new = job is None
    if new:
        job = Job(agency=agency, status="draft", created_on=today())
        db.session.add(job)
    elif job.status == "closed":
        raise JobError(_l("A closed job cannot be changed. Make a copy instead."))
    else:
        # Changed after the employer decided: it confirms (or refuses) the job again.
        _reset_order(job)
    _apply(job, fields, texts, fees)
    if job.status == "published":
        job.status, job.checks, job.submitted_on = "submitted", vetting.run_checks(job), today()
    elif job.status in ("submitted", "rejected"):
        # Changed after sending: the checks the moderator would see are out of date.
        job.status, job.checks = "draft", []
    db.session.flush()
    audit.record(actor, "job.create" if new else "job.update", "job", job.id, status=job.status)
    db.session.commit()
    return job


def submit_job(job: Job, actor) -> list[dict]:
    """Send a draft to the moderators with the automatic checks. Incomplete jobs and
    deadlines in the past are refused; other failed checks are shown to everyone."""
    if job.status not in ("draft", "rejected"):
        raise JobError(_l("Only a draft can be sent for checking."))
    checks = vetting.run_checks(job)
    failed = {check["code"] for check in checks if check["result"] == "fail"}
    if failed & {"required", "deadline"}:
        raise JobError(_l("Fill in every required part and set a deadline in the future."))
    job.checks, job.status, job.submitted_on = checks, "submitted", today()
    job.decision_reason = job.decision_note = None
    audit.record(actor, "job.submit", "job", job.id, failed=sorted(failed))
    if job.employer_id is not None and job.order_decision != JobOrderDecision.CONFIRMED:
        notices.job_order_submitted(job)
    db.session.commit()
    return checks


def publish_job(job: Job, actor) -> None:
    """Publish a submitted job whose checks all pass (run again now)."""
    if job.status != "submitted":
        raise JobError(_l("Only a job waiting for a decision can be published."))
    job.checks = vetting.run_checks(job)
    if vetting.blocking(job.checks):
        db.session.commit()
        raise JobError(_l("A check failed, so this job cannot be published."))
    blocker = permissions.publish_blocker(job)
    if blocker is not None:
        db.session.commit()
        raise JobError(blocker)
    job.status, job.published_on, job.closed_on = "published", today(), None
    audit.record(actor, "job.publish", "job", job.id)
    db.session.commit()


def reject_job(job: Job, actor, reason: str, note: str | None = None) -> None:
    """Send a job back to its agency with a reason (also takes down a published job)."""
    if reason not in choices.MODERATION_REJECT_REASONS:
        raise JobError(_l("Choose a reason from the list."))
    if reason == "other" and not (note or "").strip():
        raise JobError(_l("Write a note to explain the reason."))
    if job.status not in ("submitted", "published"):
        raise JobError(_l("This job is not open for a decision."))
    if job.status == "published":
        job.closed_on = today()  # it stopped taking applications: retention starts
    job.status, job.decision_reason = "rejected", reason
    job.decision_note = (note or "").strip() or None
    audit.record(actor, "job.reject", "job", job.id, reason=reason)
    notices.job_returned(job)
    db.session.commit()


def decide_job_order(
    job: Job,
    actor,
    confirm: bool,
    positions: int | None = None,
    terms_right: bool = False,
    fees_right: bool = False,
    note: str | None = None,
) -> None:
    """The employer's staff confirm a job posted in its name as posted (the number of
    workers may be lowered), or refuse it with a reason. A job refused leaves the site: a
    published one is closed, one waiting for the moderators goes back to its agency
    (rejected, "the employer refused"). The agency's staff are told."""
    if not permissions.may_see_job_order(actor, job):
        raise JobError(_l("Only staff of this employer can do this."))
    if not permissions.may_decide_job_order(actor, job):
        raise JobError(_l("This job is not open for a decision."))
    note = normalise(note or "").text or None
    if confirm:
        if positions is None or not 1 <= positions <= (job.positions or 0):
            raise JobError(
                _l(
                    "Give the number of workers you will hire: at least 1 and at most %(number)s.",
                    number=job.positions or 0,
                )
            )
        if not (terms_right and fees_right):
            raise JobError(
                _l("If the pay, hours, contract or fees are wrong, refuse the job and say why.")
            )
        job.employer_decision = JobOrderDecision.CONFIRMED
        job.confirmed_positions, job.terms_confirmed, job.fees_confirmed = positions, True, True
        job.employer_note = None
    else:
        if not note:
            raise JobError(_l("Write why you refuse this job."))
        if len(note) > ORDER_NOTE_MAX:
            raise JobError(_l("Write at most 1000 letters."))
        job.employer_decision = JobOrderDecision.REFUSED
        job.confirmed_positions = job.terms_confirmed = job.fees_confirmed = None
        job.employer_note = note
    job.employer_decided_on, job.employer_decided_by_id = today(), actor.id
    if job.employer_decision == JobOrderDecision.REFUSED:
        if job.status == "published":
            # The employer does not stand behind it: it stops taking applications now.
            job.status, job.closed_on = "closed", today()
        else:
            # Waiting for the moderators: it leaves their queue, back to the agency.
            job.status, job.decision_reason = "rejected", "employer_refused"
            job.decision_note = None  # the employer's own words are its note, shown apart
    audit.record(
        actor, f"job_order.{job.employer_decision}", "job", job.id,
        employer_id=job.employer_id, positions=job.confirmed_positions, status=job.status,
    )  # fmt: skip
    notices.job_order_decided(job)
    db.session.commit()


def close_job(job: Job, actor) -> None:
    """Stop a published job: it leaves the list; its applications stay until purged."""
    if job.status != "published":
        raise JobError(_l("Only a published job can be closed."))
    job.status, job.closed_on = "closed", today()
    audit.record(actor, "job.close", "job", job.id)
    db.session.commit()


def copy_job(job: Job, actor) -> Job:
    """A new draft with the same terms, texts and fees (and no deadline)."""
    copy = Job(agency_id=job.agency_id, status="draft", created_on=today())
    fields = {name: getattr(job, name) for name in JOB_FIELDS}
    fields["deadline"] = None
    texts = {text.locale: (text.title, text.description) for text in job.texts}
    fees = [
        {"kind": f.kind, "amount": f.amount, "currency": f.currency, "paid_by": f.paid_by}
        for f in job.fees
    ]
    _apply(copy, fields, texts, fees)
    db.session.add(copy)
    db.session.flush()
    audit.record(actor, "job.copy", "job", copy.id, copied_from=job.id)
    db.session.commit()
    return copy


def is_open(job: Job) -> bool:
    """Published, not past its deadline, and its agency still licensed: it can take
    applications."""
    return (
        job.status == "published"
        and job.deadline is not None
        and job.deadline >= today()
        and job.agency.licence_state() == LicenceStatus.VALID
    )


def phone_key(phone: str) -> str | None:
    """The same phone however it is spaced or in whatever digits (081-…, ๐๘๑ …), hashed.
    International (+66 / 0066) and local forms stay apart: a local number does not say
    its country, and two people must never be taken for one."""
    text = to_ascii_digits(phone).strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    if text.startswith("+") or digits.startswith("00"):
        digits = "+" + digits.removeprefix("00")
    if not 6 <= len(digits.lstrip("+")) <= 15:
        return None
    return hashlib.sha256(digits.encode()).hexdigest()


def apply(
    job: Job,
    name: str,
    phone: str,
    origin_country: str,
    origin_region: str | None,
    language: str,
    consent: bool,
) -> tuple[Application, str]:
    """A jobseeker applies. Returns the application and its code (shown once, not stored)."""
    if not is_open(job):
        raise JobError(_l("This job is closed."))
    if not consent:
        raise JobError(_l("Please agree, so that the agency may see your details."))
    name = normalise(name or "").text
    if not name or len(name) > 120:
        raise JobError(_l("Write your name."))
    key = phone_key(phone or "")
    if key is None:
        raise JobError(_l("Write a phone number we can call."))
    _one_of(origin_country, choices.ORIGIN_COUNTRIES, _l("Choose a country from the list."))
    _one_of(language, current_app.config["LOCALES"], _l("Choose a language from the list."))
    region = normalise(origin_region or "").text or None
    if region and len(region) > 100:
        raise JobError(_l("This is too long."))
    if db.session.scalar(select(Application.id).filter_by(job_id=job.id, phone_key=key)):
        raise JobError(_l("If you applied for this job before, check it with your code."))
    code = tracking.new_code()
    application = Application(
        job=job, name=name, phone=normalise(phone).text, phone_key=key,
        origin_country=origin_country, origin_region=region, language=language,
        consent=True, tracking_hash=tracking.code_hash(code), applied_on=today(),
    )  # fmt: skip
    db.session.add(application)
    try:
        db.session.commit()
    except IntegrityError as error:  # the same phone at the same moment
        db.session.rollback()
        raise JobError(
            _l("If you applied for this job before, check it with your code.")
        ) from error
    return application, code


def find_application_by_code(code: str) -> Application | None:
    digest = tracking.code_hash(code)
    if digest is None:
        return None
    return db.session.scalar(select(Application).filter_by(tracking_hash=digest))


def move_application(application: Application, actor, status: str, message: str | None) -> None:
    """The agency moves an application along its pipeline, optionally with a message."""
    own_staff = actor.is_org_staff and actor.organisation_id == application.job.agency_id
    if not (own_staff or actor.role == "admin"):
        raise JobError(_l("Only staff of this agency can do this."))
    if application.purged_on is not None:
        raise JobError(_l("This application's details were deleted."))
    _one_of(status, choices.APPLICATION_STATUSES, _l("Choose a step from the list."))
    message = normalise(message or "").text or None
    if message and len(message) > MESSAGE_MAX:
        raise JobError(_l("Write at most 1000 letters."))
    application.status = status
    if message:
        application.message = message
    audit.record(actor, "application.move", "application", application.id, status=status)
    db.session.commit()


def flag_job(job: Job, reason: str, note: str | None) -> JobFlag:
    """A reader reports a published job. It stays up until a moderator decides."""
    if job.status != "published":
        raise JobError(_l("This job is not shown, so it cannot be reported."))
    _one_of(reason, choices.FLAG_REASONS, _l("Choose a reason from the list."))
    if reason is None:
        raise JobError(_l("Choose a reason from the list."))
    note = normalise(note or "").text or None
    if note and len(note) > 500:
        raise JobError(_l("Write at most 500 letters."))
    flag = JobFlag(job=job, reason=reason, note=note, written_on=today())
    db.session.add(flag)
    db.session.commit()
    return flag


def decide_job_flag(flag: JobFlag, actor, uphold: bool) -> None:
    """Dismiss a report, or uphold it: the job is taken down and its reports closed."""
    if flag.status != "open":
        raise JobError(_l("This report is closed already."))
    if not uphold:
        flag.status = "dismissed"
        audit.record(actor, "job_flag.dismiss", "job_flag", flag.id, job_id=flag.job_id)
        db.session.commit()
        return
    for other in db.session.scalars(select(JobFlag).filter_by(job_id=flag.job_id, status="open")):
        other.status = "upheld"
    audit.record(actor, "job_flag.uphold", "job_flag", flag.id, job_id=flag.job_id)
    if flag.job.status == "published":
        # The reader's note never reaches the agency: it could tell who reported.
        reject_job(flag.job, actor, choices.FLAG_TO_REJECT_REASON[flag.reason])
    else:
        db.session.commit()


def purge(days: int) -> int:
    """Remove applicants' personal data ``days`` after their job closed (or its deadline
    passed). Status, origin country and language stay, for anonymous counts."""
    cutoff = today() - timedelta(days=days)
    ended = select(Job.id).where(or_(Job.closed_on < cutoff, Job.deadline < cutoff))
    applications = db.session.scalars(
        select(Application).where(Application.job_id.in_(ended), Application.purged_on.is_(None))
    ).all()
    for application in applications:
        application.name = application.phone = application.phone_key = None
        application.origin_region = application.message = None
        application.purged_on = today()
    # Readers' notes on those jobs go too: a note may say who wrote it.
    for flag in db.session.scalars(
        select(JobFlag).where(JobFlag.job_id.in_(ended), JobFlag.note.is_not(None))
    ):
        flag.note = None
    audit.record(None, "application.purge", "application", 0, count=len(applications), days=days)
    db.session.commit()
    return len(applications)
