"""Organisation scores from published reviews, recomputed when what is published changes.

A score is shown only when enough reviewers gave it (``minimum``): an average of one or two
answers would point at the people who wrote them.
"""

from __future__ import annotations

from collections import defaultdict
from statistics import fmean, median

from sqlalchemy import select

from goldendreams.agencies.models import Organisation
from goldendreams.extensions import db
from goldendreams.reviews.choices import HELD_BY_OTHERS
from goldendreams.reviews.models import OrganisationScore, Review, ReviewStatus


def _share(answers: list[bool], minimum: int) -> float | None:
    return sum(answers) / len(answers) if len(answers) >= minimum else None


def compute(reviews: list[Review], minimum: int) -> dict:
    """The aggregate fields of OrganisationScore for these (published) reviews."""
    if len(reviews) < minimum:
        return {
            "review_count": len(reviews),
            "rating": None,
            "sub_ratings": {},
            "fees_paid_share": None,
            "documents_held_share": None,
            "as_promised_share": None,
            "median_fees": {},
        }
    by_criterion: dict[str, list[int]] = defaultdict(list)
    fees_by_currency: dict[str, list] = defaultdict(list)
    for review in reviews:
        for criterion, value in (review.sub_ratings or {}).items():
            by_criterion[criterion].append(value)
        if review.fees_paid == "yes" and review.fee_amount is not None and review.fee_currency:
            fees_by_currency[review.fee_currency].append(review.fee_amount)
    return {
        "review_count": len(reviews),
        "rating": round(fmean(r.rating for r in reviews), 2),
        "sub_ratings": {
            key: round(fmean(values), 2)
            for key, values in by_criterion.items()
            if len(values) >= minimum
        },
        "fees_paid_share": _share(
            [r.fees_paid == "yes" for r in reviews if r.fees_paid in ("yes", "no")], minimum
        ),
        "documents_held_share": _share(
            [
                r.documents_holder in HELD_BY_OTHERS
                for r in reviews
                if r.documents_holder and r.documents_holder != "unsure"
            ],
            minimum,
        ),
        "as_promised_share": _share(
            [r.job_as_promised == "yes" for r in reviews if r.job_as_promised in ("yes", "no")],
            minimum,
        ),
        "median_fees": {
            currency: str(median(amounts))
            for currency, amounts in fees_by_currency.items()
            if len(amounts) >= minimum
        },
    }


def recompute_all(minimum: int) -> int:
    """Recompute every organisation's score (after REVIEW_MIN_FOR_SCORES changes)."""
    ids = set(db.session.scalars(select(Review.organisation_id).distinct()))
    ids |= set(db.session.scalars(select(OrganisationScore.organisation_id)))
    for organisation_id in ids:
        recompute(organisation_id, minimum)
    db.session.commit()
    return len(ids)


def recompute(organisation_id: int, minimum: int) -> OrganisationScore:
    """Bring the organisation's score row up to date (in the caller's transaction)."""
    # Two moderators publishing reviews of one organisation at once: the second waits
    # here until the first commits, then counts both (else the later write drops one).
    db.session.execute(
        select(Organisation.id).where(Organisation.id == organisation_id).with_for_update()
    )
    published = list(
        db.session.scalars(
            select(Review).filter_by(organisation_id=organisation_id, status=ReviewStatus.PUBLISHED)
        )
    )
    score = db.session.scalar(select(OrganisationScore).filter_by(organisation_id=organisation_id))
    if score is None:
        score = OrganisationScore(organisation_id=organisation_id)
        db.session.add(score)
    for key, value in compute(published, minimum).items():
        setattr(score, key, value)
    return score
