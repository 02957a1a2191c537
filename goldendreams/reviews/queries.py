"""Reading reviews: what the public sees, scores, and text split around personal data."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from goldendreams.core import pii
from goldendreams.extensions import db
from goldendreams.reviews.models import OrganisationScore, Reply, Review, ReviewStatus


def published_reviews(organisation_id: int) -> Select:
    """An organisation's published reviews, newest first, with their replies."""
    return (
        select(Review)
        .filter_by(organisation_id=organisation_id, status=ReviewStatus.PUBLISHED)
        .options(selectinload(Review.reply))
        .order_by(Review.id.desc())
    )


def score_of(organisation_id: int) -> OrganisationScore | None:
    """The organisation's score, if enough reviews are published to show it."""
    return scores_for([organisation_id]).get(organisation_id)


def scores_for(organisation_ids: list[int]) -> dict[int, OrganisationScore]:
    """Scores that can be shown (enough reviews), by organisation id."""
    if not organisation_ids:
        return {}
    query = select(OrganisationScore).where(
        OrganisationScore.organisation_id.in_(organisation_ids),
        OrganisationScore.rating.is_not(None),
        OrganisationScore.review_count >= current_app.config["REVIEW_MIN_FOR_SCORES"],
    )
    return {score.organisation_id: score for score in db.session.scalars(query)}


def segments(text: str, spans: list[pii.Span]) -> list[tuple[str, str | None]]:
    """The text cut into (piece, kind) pairs; kind is None outside the spans, and "check" for
    a run of seven or more digits no span covers (a moderator should look at it)."""
    pieces, position = [], 0
    for span in sorted([*spans, *pii.numbers_to_check(text, spans)], key=lambda s: s.start):
        if span.start > position:
            pieces.append((text[position : span.start], None))
        pieces.append((text[span.start : span.end], span.kind))
        position = max(position, span.end)
    if position < len(text):
        pieces.append((text[position:], None))
    return pieces


def review_segments(review: Review, name: str) -> list[tuple[str, str | None]]:
    """The original title or body, cut around its stored redactions (for moderators)."""
    spans = [
        pii.Span(item["start"], item["end"], item["kind"])
        for item in review.redactions
        if item["field"] == name
    ]
    return segments(getattr(review, name), spans)


def reply_segments(reply: Reply) -> list[tuple[str, str | None]]:
    """A reply cut around the personal data found in it (for moderators)."""
    return segments(reply.body, pii.find_personal_data(reply.body))
