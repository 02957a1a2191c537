"""Demo data: where the demo's workers come from and when their problem happened (issue
21), so the tables by route and by stage on /metrics and Blue Harbour's dashboard show
numbers.

The demo's reviews and cases were written before these questions were asked; this gives an
answer to those that have none (a second run changes nothing, and an answer already there
is kept). The year of closed cases the trends demo adds at Siam Ocean Seafood gets origins
and stages by turn, enough for each line to pass the minimum of 3. Fictional, like all
demo data.
"""

from __future__ import annotations

from itertools import cycle

from sqlalchemy import select

from goldendreams.cases.models import Case
from goldendreams.extensions import db
from goldendreams.reviews.choices import MigrationStage
from goldendreams.reviews.models import Review

#: The demo's reviews (by title): (origin country, stage).
REVIEWS = {
    "ပေးရမယ့်ငွေ အမှန်အတိုင်း ပြောတယ်": ("MM", MigrationStage.BEFORE_LEAVING),
    "The fee was higher than they said": ("MM", MigrationStage.BEFORE_LEAVING),
    "အလုပ်ကောင်းတယ်": ("MM", MigrationStage.AT_WORK),
    "လစာ အချိန်မှန် ပေးတယ်": ("MM", MigrationStage.AT_WORK),
    "ប្រាក់ខែទាន់ពេល ប៉ុន្តែម៉ោងធ្វើការច្រើន": ("KH", MigrationStage.AT_WORK),
    "They keep our passports": ("MM", MigrationStage.AT_WORK),
    "ပတ္စပို႔ သိမ္းထားတယ္": ("MM", MigrationStage.AT_WORK),
    "भनेभन्दा धेरै पैसा लियो": ("NP", MigrationStage.BEFORE_LEAVING),
    "ວຽກໜັກ ແຕ່ນາຍຈ້າງດີ": ("LA", MigrationStage.AT_WORK),
}
#: The demo's hotline case (by its internal summary).
HOTLINE = "Eight workers say they still owe 25,000 baht to a broker (fictional)."
#: The trends demo's year of cases (trends/demo.py marks them with this summary), by turn.
TRENDS_MARK = "Demo history for the trends charts (fictional)."
TRENDS_ANSWERS = [
    ("MM", MigrationStage.AT_WORK), ("KH", MigrationStage.AT_WORK),
    ("MM", MigrationStage.BEFORE_LEAVING), ("LA", MigrationStage.AT_WORK),
    ("MM", MigrationStage.IN_TRANSIT),
]  # fmt: skip


def _answer(record, origin_field: str, origin: str, stage: str) -> None:
    if getattr(record, origin_field) is None:
        setattr(record, origin_field, origin)
    if record.migration_stage is None:
        record.migration_stage = stage


def seed() -> None:
    """Give the demo's reviews and cases an origin and a stage where they have none."""
    for review in db.session.scalars(select(Review).where(Review.title.in_(REVIEWS))):
        _answer(review, "origin_country", *REVIEWS[review.title])
        case = db.session.scalar(select(Case).filter_by(review_id=review.id))
        if case is not None:
            _answer(case, "worker_country", *REVIEWS[review.title])
    for case in db.session.scalars(select(Case).filter_by(summary=HOTLINE)):
        _answer(case, "worker_country", "MM", MigrationStage.BEFORE_LEAVING)
    trends_cases = db.session.scalars(select(Case).filter_by(summary=TRENDS_MARK).order_by(Case.id))
    for case, answer in zip(trends_cases, cycle(TRENDS_ANSWERS), strict=False):
        _answer(case, "worker_country", *answer)
    db.session.commit()
