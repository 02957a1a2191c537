"""Automatic checks on a submitted job, shown to the moderator and the agency.

Each check is "pass", "warn" (a person must look) or "fail" (the job cannot be published).
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path

from goldendreams.agencies.models import LicenceStatus
from goldendreams.core.base import today
from goldendreams.jobs.models import Job

MINIMUM_WAGES_FILE = Path(__file__).parent / "data" / "minimum_wages.json"
REQUIRED = (
    "employer_id",
    "sector",
    "destination_country",
    "province",
    "positions",
    "salary_amount",
    "salary_currency",
    "salary_period",
    "hours_per_day",
    "rest_days_per_week",
    "contract_months",
    "deadline",
)


@cache
def minimum_wages() -> dict:
    return json.loads(MINIMUM_WAGES_FILE.read_text(encoding="utf-8"))


def provinces(country: str) -> list[str]:
    """Every province (or state) of a destination country, for the job form."""
    return minimum_wages().get(country, {}).get("all_provinces", [])


def working_days_per_month(rest_days_per_week: int | None) -> Decimal:
    """The days a worker works in a month, to turn a day's pay into a month's earnings (the
    fee calculator, sorting by pay): (7 - rest days) x 52 weeks / 12 months; one rest day
    when unknown (26 days). Not for the legal check: the law has its own rule
    (``legal_days_per_month``)."""
    rest = 1 if rest_days_per_week is None else rest_days_per_week
    return (Decimal(7 - rest) * 52 / 12).quantize(Decimal("0.01"))


def convert(amount: Decimal, period: str, to: str, rest_days: int | None) -> Decimal:
    """A day's amount as a month's, or back, by ``working_days_per_month``."""
    if period == to:
        return amount
    days = working_days_per_month(rest_days)
    result = amount * days if to == "month" else amount / days
    return result.quantize(Decimal("0.01"))


def monthly(amount: Decimal | None, period: str | None, rest_days: int | None) -> Decimal | None:
    """A day's or a month's pay as a month's pay; None for piece rates or unknowns."""
    if amount is None or period not in ("day", "month"):
        return None
    return convert(amount, period, "month", rest_days)


def legal_days_per_month(country: str | None, rest_days_per_week: int | None) -> Decimal:
    """How the country's law turns its minimum from days into months: Thailand pays a
    monthly worker for all 30 days, rest days included; Malaysia divides the monthly
    minimum by 26, 22 or 17 working days (one, two or three rest days a week)."""
    rule = minimum_wages().get(country or "", {}).get("days_per_month", {})
    days = rule.get(str(rest_days_per_week), rule.get("default", 26))
    return Decimal(days)


def _legal(minimum: dict, to: str) -> Decimal:
    """The minimum as a day's or a month's amount, by the country's own rule (the days it
    was looked up with, from the job's rest days)."""
    if minimum["period"] == to:
        return minimum["rate"]
    days = minimum["days_per_month"]
    result = minimum["rate"] * days if to == "month" else minimum["rate"] / days
    return result.quantize(Decimal("0.01"))


def legal_minimum(
    country: str | None, province: str | None, rest_days: int | None = None
) -> dict | None:
    """The minimum for a place: {"rate", "period", "monthly", "currency", "known", ...}.
    ``known`` is False when the province is not in the data (the lowest rate is used).
    ``monthly`` is the month's minimum by the country's own rule (``legal_days_per_month``)."""
    data = minimum_wages().get(country or "")
    if not data:
        return None
    known = province in data["provinces"] or (country == "MY" and province in data["all_provinces"])
    rate = Decimal(str(data["provinces"].get(province or "", data["default"])))
    minimum = {
        "rate": rate,
        "period": data["period"],
        "days_per_month": legal_days_per_month(country, rest_days),
        "currency": data["currency"],
        "known": known,
        "effective": data["effective"],
        "source": data["source"],
    }
    minimum["monthly"] = _legal(minimum, "month")
    return minimum


def minimum_for(job: Job) -> dict | None:
    """The legal minimum in the job's own terms, to show beside its pay: a day's minimum
    beside a day's wage, a month's beside a month's. None when they cannot be compared."""
    minimum = legal_minimum(job.destination_country, job.province, job.rest_days_per_week)
    if (
        minimum is None
        or job.salary_period not in ("day", "month")
        or job.salary_currency != minimum["currency"]
    ):
        return None
    amount = _legal(minimum, job.salary_period)
    return {"amount": amount, "period": job.salary_period, "currency": minimum["currency"]}


def meets_minimum(job: Job, minimum: dict) -> bool:
    """Compare in the job's own terms: a day's wage with the daily minimum, a month's with
    the monthly one, converted by the country's own rule."""
    return job.salary_amount >= _legal(minimum, job.salary_period)


def _check(code: str, result: str, **detail) -> dict:
    return {"code": code, "result": result, **{k: str(v) for k, v in detail.items()}}


def run_checks(job: Job) -> list[dict]:
    """The checks for ``job`` as it stands now."""
    missing = [name for name in REQUIRED if getattr(job, name) in (None, "")]
    if not job.texts:
        missing += ["title"]
    checks = [_check("required", "fail" if missing else "pass", missing=", ".join(missing))]

    on = today()
    checks.append(_check("deadline", "pass" if job.deadline and job.deadline > on else "fail"))

    agency = job.agency
    if agency.licence_state(on) != LicenceStatus.VALID:
        licence = "fail"
    elif agency.licence_expiry is None:
        licence = "warn"  # no expiry on record: a person must check
    else:
        licence = "pass" if job.deadline and agency.licence_expiry >= job.deadline else "fail"
    checks.append(_check("licence", licence, expiry=agency.licence_expiry))

    minimum = legal_minimum(job.destination_country, job.province, job.rest_days_per_week)
    if minimum is None or job.salary_period not in ("day", "month") or job.salary_amount is None:
        checks.append(_check("minimum_wage", "warn"))  # piece rates: a person must judge
    elif job.salary_currency != minimum["currency"]:
        checks.append(_check("minimum_wage", "fail"))  # a wage we cannot compare
    else:
        result = "pass" if meets_minimum(job, minimum) else "fail"
        if result == "pass" and not minimum["known"]:
            result = "warn"  # the province's own rate is not in our data
        checks.append(
            _check(
                "minimum_wage",
                result,
                minimum=_legal(minimum, job.salary_period),
                period=job.salary_period,
                currency=minimum["currency"],
                source=minimum["source"],
            )
        )

    worker_fees = job.worker_fees()
    check = _check("worker_fees", "pass" if job.fees and not worker_fees else "warn")
    # Amounts stay numbers: they are formatted for each reader, in their language.
    check["fees"] = [[currency, str(amount)] for currency, amount in worker_fees.items()]
    checks.append(check)
    return checks


def blocking(checks: list[dict]) -> bool:
    """True when a check failed: such a job cannot be published."""
    return any(check["result"] == "fail" for check in checks)


def check_fees(check: dict) -> list[tuple[str, str]]:
    """(currency, amount) pairs of a worker-fees check, for formatting in the reader's
    language; checks stored before amounts were kept apart hold "45000.00 MMK, 100 THB"."""
    if "fees" in check:
        return [(currency, amount) for currency, amount in check["fees"]]
    pairs = [part.split(" ") for part in (check.get("total") or "").split(", ") if part]
    return [(pair[1], pair[0]) for pair in pairs if len(pair) == 2]
