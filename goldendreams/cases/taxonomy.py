"""The issue taxonomy, loaded from data/taxonomy.json, and suggestions from a review."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from goldendreams.cases.models import IssueCategory
from goldendreams.extensions import db
from goldendreams.reviews.choices import HELD_BY_OTHERS

TAXONOMY_FILE = Path(__file__).parent / "data" / "taxonomy.json"
LOCALES = ("en", "my", "km", "th", "lo", "ne")


def load() -> int:
    """Store the file's version of the taxonomy if it is not stored yet (idempotent)."""
    data = json.loads(TAXONOMY_FILE.read_text(encoding="utf-8"))
    query = select(IssueCategory.id).filter_by(version=data["version"]).limit(1)
    if db.session.scalar(query):
        return 0  # a stored version never changes: edit the file as a new version
    for item in data["categories"]:
        names = {locale: item[locale] for locale in LOCALES}
        db.session.add(
            IssueCategory(
                code=item["code"], version=data["version"], group=item["group"], names=names
            )
        )
    db.session.commit()
    return len(data["categories"])


def current() -> list[IssueCategory]:
    """The categories of the newest version, by code."""
    version = db.session.scalar(select(func.max(IssueCategory.version)))
    query = select(IssueCategory).filter_by(version=version).order_by(IssueCategory.code)
    return list(db.session.scalars(query))


def suggested_codes(review) -> set[str]:
    """Categories a review's answers point to."""
    codes = set()
    if review.fees_paid == "yes":
        codes.add("FEE-01")
    if review.documents_holder in HELD_BY_OTHERS:
        codes.add("ILO-07")
    if review.job_as_promised == "no":
        codes.add("ILO-02")
    if review.contract_in_language == "no":
        codes.add("DHK-01")
    if review.wages_on_time == "no":
        codes.add("DHK-02")
    if review.forced_overtime == "yes":
        codes.add("ILO-11")
    if review.free_to_leave == "no":
        codes.add("ILO-03")
    return codes
