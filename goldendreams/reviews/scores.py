"""Organisation scores from published reviews, recomputed when what is published changes.

A score is shown only when enough reviewers gave it (``minimum``): an average of one or two
answers would point at the people who wrote them.

Fee figures are held to stricter rules, because an agency keeps its receipts: a median of an
odd number of amounts *is* one worker's receipt, and a figure that moves with each new review
reveals that review's answer. So they need ``fee_minimum`` answers (``FEE_MIN_FOR_SCORES``,
5), are never more precise than one review shows (amounts to two significant figures, shares
to the nearest tenth), and count only reviews published before today: they change at most
once a day (``flask rescore``, run daily, brings yesterday's in), never with one publication.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from statistics import fmean, median

from sqlalchemy import select

from goldendreams.agencies.models import Organisation
from goldendreams.core.base import today
from goldendreams.core.templating import rounded
from goldendreams.extensions import db
from goldendreams.reviews.choices import HELD_BY_OTHERS
from goldendreams.reviews.models import OrganisationScore, Review, ReviewStatus


def _share(answers: list[bool], minimum: int) -> float | None:
    return sum(answers) / len(answers) if len(answers) >= minimum else None


def _coarse_share(answers: list[bool], minimum: int) -> float | None:
    """A share to the nearest tenth: one more answer seldom moves it."""
    share = _share(answers, minimum)
    return None if share is None else round(share, 1)


def fee_figures(reviews: list[Review], fee_minimum: int, before: date) -> dict:
    """The fee fields of OrganisationScore: from reviews published before ``before``, with at
    least ``fee_minimum`` answers, rounded like a single review shows them."""
    settled = [r for r in reviews if r.published_on is not None and r.published_on < before]
    fees_by_currency: dict[str, list[Decimal]] = defaultdict(list)
    for review in settled:
        if review.fees_paid == "yes" and review.fee_amount is not None and review.fee_currency:
            fees_by_currency[review.fee_currency].append(review.fee_amount)
    return {
        "fees_paid_share": _coarse_share(
            [r.fees_paid == "yes" for r in settled if r.fees_paid in ("yes", "no")], fee_minimum
        ),
        "median_fees": {
            currency: str(rounded(median(amounts)))
            for currency, amounts in fees_by_currency.items()
            if len(amounts) >= fee_minimum
        },
    }


def compute(
    reviews: list[Review], minimum: int, fee_minimum: int, before: date | None = None
) -> dict:
    """The aggregate fields of OrganisationScore for these (published) reviews; fee figures
    count those published before ``before`` (today by default)."""
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
    for review in reviews:
        for criterion, value in (review.sub_ratings or {}).items():
            by_criterion[criterion].append(value)
    return {
        "review_count": len(reviews),
        "rating": round(fmean(r.rating for r in reviews), 2),
        "sub_ratings": {
            key: round(fmean(values), 2)
            for key, values in by_criterion.items()
            if len(values) >= minimum
        },
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
        **fee_figures(reviews, fee_minimum, before or today()),
    }


def recompute_all(minimum: int, fee_minimum: int) -> int:
    """Recompute every organisation's score: daily (fee figures take in the reviews
    published the day before), and after REVIEW_MIN_FOR_SCORES or FEE_MIN_FOR_SCORES
    changes."""
    ids = set(db.session.scalars(select(Review.organisation_id).distinct()))
    ids |= set(db.session.scalars(select(OrganisationScore.organisation_id)))
    for organisation_id in ids:
        recompute(organisation_id, minimum, fee_minimum)
    db.session.commit()
    return len(ids)


def recompute(organisation_id: int, minimum: int, fee_minimum: int) -> OrganisationScore:
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
    for key, value in compute(published, minimum, fee_minimum).items():
        setattr(score, key, value)
    return score
