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


def monthly(amount: Decimal | None, period: str | None, country: str | None) -> Decimal | None:
    """A day's or a month's pay as a month's pay; None for piece rates or unknowns."""
    if amount is None or period not in ("day", "month"):
        return None
    if period == "month":
        return amount
    days = minimum_wages()["conversion"].get(country or "", {}).get("days_per_month", 26)
    return amount * days


def legal_minimum(country: str | None, province: str | None) -> dict | None:
    """The minimum for a place: {"amount" (a month), "currency", "daily", "source", ...}."""
    data = minimum_wages().get(country or "")
    if not data:
        return None
    rate = Decimal(str(data["provinces"].get(province or "", data["default"])))
    return {
        "amount": monthly(rate, data["period"], country),
        "rate": rate,
        "period": data["period"],
        "currency": data["currency"],
        "effective": data["effective"],
        "source": data["source"],
    }


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
    valid = agency.licence_state(on) == LicenceStatus.VALID and (
        agency.licence_expiry is None or (job.deadline and agency.licence_expiry >= job.deadline)
    )
    checks.append(_check("licence", "pass" if valid else "fail", expiry=agency.licence_expiry))

    minimum = legal_minimum(job.destination_country, job.province)
    if minimum is None or job.monthly_salary is None:
        checks.append(_check("minimum_wage", "warn"))  # piece rates: a person must judge
    elif job.salary_currency != minimum["currency"]:
        checks.append(_check("minimum_wage", "fail", minimum=minimum["amount"]))
    else:
        result = "pass" if job.monthly_salary >= minimum["amount"] else "fail"
        checks.append(
            _check(
                "minimum_wage",
                result,
                minimum=minimum["amount"],
                currency=minimum["currency"],
                source=minimum["source"],
            )
        )

    worker_fees = job.worker_fees()
    checks.append(
        _check(
            "worker_fees",
            "pass" if not worker_fees else "warn",
            total=", ".join(f"{amount} {currency}" for currency, amount in worker_fees.items()),
        )
    )
    return checks


def blocking(checks: list[dict]) -> bool:
    """True when a check failed: such a job cannot be published."""
    return any(check["result"] == "fail" for check in checks)
