"""Writing reviews, replies and reports: the rules, one transaction per call.

A review is normalised (Zawgyi → Unicode, NFC), its personal data found and hidden in the
public text, and stored pending with only the hash of its tracking code. Moderators publish
or reject; the writer may withdraw. Scores follow every change of what is published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from goldendreams.agencies.models import Organisation
from goldendreams.core import audit, pii, tracking
from goldendreams.core.base import flush_erased_pages, today
from goldendreams.core.text import detect_language, normalise
from goldendreams.extensions import db
from goldendreams.reviews import choices, notices, scores
from goldendreams.reviews.models import (
    Flag,
    FlagStatus,
    Reply,
    ReplyStatus,
    Review,
    ReviewStatus,
)

TITLE_MAX = 120
BODY_MIN, BODY_MAX = 20, 5000
REPLY_MAX = 2000
FLAG_NOTE_MAX = 500
FEE_MAX = Decimal("100000000")
#: How many years back a worker may date their experience.
YEARS_BACK = 15


class ReviewError(ValueError):
    """A review rule was broken; ``str(error)`` is a message in the reader's language."""


@dataclass
class ReviewInput:
    """What a worker submits. Answers are the keys of ``choices``; None means not answered."""

    rating: int
    title: str
    body: str
    relationship_kind: str
    year: int
    sub_ratings: dict[str, int] = field(default_factory=dict)
    fees_paid: str | None = None
    fee_amount: Decimal | None = None
    fee_currency: str | None = None
    fee_paid_to: str | None = None
    documents_holder: str | None = None
    job_as_promised: str | None = None
    contract_in_language: str | None = None
    wages_on_time: str | None = None
    forced_overtime: str | None = None
    free_to_leave: str | None = None
    #: Where the worker comes from (choices.ORIGIN_COUNTRIES) and when the problem happened
    #: (choices.MigrationStage): optional, counted only in figures.
    origin_country: str | None = None
    migration_stage: str | None = None


def reviewable(org: Organisation) -> bool:
    """Workers review employers and agencies, not buyers."""
    return org.kind in choices.CRITERIA_BY_KIND


def _one_of(value, allowed, message) -> None:
    if value is not None and value not in allowed:
        raise ReviewError(message)


def _check(org: Organisation, data: ReviewInput) -> None:
    if not reviewable(org):
        raise ReviewError(_l("This organisation cannot be reviewed."))
    if not isinstance(data.rating, int) or not 1 <= data.rating <= 5:
        raise ReviewError(_l("Choose from 1 to 5 stars."))
    criteria = choices.CRITERIA_BY_KIND[org.kind]
    for key, value in data.sub_ratings.items():
        if key not in criteria or not isinstance(value, int) or not 1 <= value <= 5:
            raise ReviewError(_l("Choose from 1 to 5 stars."))
    _one_of(data.relationship_kind, choices.RELATIONSHIPS, _l("Choose how you know this place."))
    if data.relationship_kind is None:
        raise ReviewError(_l("Choose how you know this place."))
    this_year = today().year
    if not isinstance(data.year, int) or not this_year - YEARS_BACK <= data.year <= this_year:
        raise ReviewError(_l("Choose a year from the list."))
    for name in ("fees_paid", *choices.YES_NO_QUESTIONS):
        _one_of(getattr(data, name), choices.ANSWERS, _l("Choose an answer from the list."))
    _one_of(data.fee_paid_to, choices.FEE_PAID_TO, _l("Choose an answer from the list."))
    _one_of(data.documents_holder, choices.DOCUMENT_HOLDERS, _l("Choose an answer from the list."))
    _one_of(data.fee_currency, choices.CURRENCIES, _l("Choose a currency from the list."))
    _one_of(data.origin_country, choices.ORIGIN_COUNTRIES, _l("Choose a country from the list."))
    _one_of(data.migration_stage, choices.MIGRATION_STAGES, _l("Choose an answer from the list."))
    if data.fee_amount is not None:
        if not isinstance(data.fee_amount, Decimal) or not 0 <= data.fee_amount < FEE_MAX:
            raise ReviewError(_l("Enter the amount as a number."))
        if data.fee_currency is None:
            raise ReviewError(_l("Choose the currency of the amount."))
    if data.fees_paid != "yes" and (
        data.fee_amount is not None or data.fee_paid_to or data.fee_currency
    ):
        raise ReviewError(_l("You said you did not pay fees. Remove the amount, or answer Yes."))


def _redaction_spans(review: Review, name: str) -> list[pii.Span]:
    return [
        pii.Span(item["start"], item["end"], item["kind"])
        for item in review.redactions
        if item["field"] == name
    ]


def _apply_redactions(review: Review, redactions: list[dict]) -> None:
    """Store the redactions (merged, sorted) and rebuild the public text from them."""
    merged: list[dict] = []
    for name, text in (("title", review.title), ("body", review.body)):
        spans = sorted(
            (pii.Span(r["start"], r["end"], r["kind"]) for r in redactions if r["field"] == name),
            key=lambda span: (span.start, -span.end),
        )
        kept: list[pii.Span] = []
        for span in spans:
            if not 0 <= span.start < span.end <= len(text):
                continue
            if kept and span.start < kept[-1].end:
                last = kept[-1]
                kept[-1] = pii.Span(last.start, max(last.end, span.end), last.kind)
            else:
                kept.append(span)
        merged += [{"field": name, "start": s.start, "end": s.end, "kind": s.kind} for s in kept]
    review.redactions = merged
    review.public_title = pii.redact(review.title, _redaction_spans(review, "title"))
    review.public_body = pii.redact(review.body, _redaction_spans(review, "body"))


def submit_review(org: Organisation, data: ReviewInput) -> tuple[Review, str]:
    """Store a worker's review, pending moderation. Returns it with its tracking code,
    which is not stored and cannot be shown again."""
    _check(org, data)
    title, body = normalise(data.title), normalise(data.body)
    if not title.text or len(title.text) > TITLE_MAX:
        raise ReviewError(_l("Write a short title."))
    if not BODY_MIN <= len(body.text) <= BODY_MAX:
        raise ReviewError(_l("Write between 20 and 5000 letters."))
    code = tracking.new_code()
    review = Review(
        organisation=org,
        status=ReviewStatus.PENDING,
        language=detect_language(f"{title.text}\n{body.text}"),
        title=title.text,
        body=body.text,
        zawgyi_converted=title.zawgyi_converted or body.zawgyi_converted,
        written_on=today(),
        tracking_hash=tracking.code_hash(code),
        rating=data.rating,
        sub_ratings=dict(data.sub_ratings),
        relationship_kind=data.relationship_kind,
        year=data.year,
        **{
            name: getattr(data, name)
            for name in (
                "fees_paid", "fee_amount", "fee_currency", "fee_paid_to", "documents_holder",
                "origin_country", "migration_stage", *choices.YES_NO_QUESTIONS,
            )
        },
    )  # fmt: skip
    found = [
        {"field": name, "start": s.start, "end": s.end, "kind": s.kind}
        for name, text in (("title", review.title), ("body", review.body))
        for s in pii.find_personal_data(text)
    ]
    _apply_redactions(review, found)
    db.session.add(review)
    db.session.commit()
    return review, code


def find_by_code(code: str) -> Review | None:
    """The review a tracking code belongs to, or None (also for malformed codes)."""
    digest = tracking.code_hash(code)
    if digest is None:
        return None
    return db.session.scalar(select(Review).filter_by(tracking_hash=digest))


def _published_changed(org_id: int) -> None:
    config = current_app.config
    scores.recompute(org_id, config["REVIEW_MIN_FOR_SCORES"], config["FEE_MIN_FOR_SCORES"])


def set_redactions(review: Review, keep: set[int], hide_also: list[str]) -> None:
    """Keep the listed redactions (by position) and hide every occurrence of the extra
    phrases. This is all a moderator may change in a review."""
    redactions = [item for index, item in enumerate(review.redactions) if index in keep]
    for phrase in (normalise(p).text for p in hide_also):
        if not phrase:
            continue
        pattern = re.compile(re.escape(phrase), re.IGNORECASE)
        found = [
            {"field": name, "start": m.start(), "end": m.end(), "kind": "manual"}
            for name, text in (("title", review.title), ("body", review.body))
            for m in pattern.finditer(text)
        ]
        if not found:
            raise ReviewError(_l("We did not find “%(text)s” in the review.", text=phrase))
        redactions += found
    _apply_redactions(review, redactions)


def publish_review(review: Review, actor, keep: set[int], hide_also: list[str]) -> None:
    """Publish a pending review with the redactions the moderator settled on."""
    if review.status != ReviewStatus.PENDING:
        raise ReviewError(_l("Only a review waiting for a decision can be published."))
    found = len(review.redactions)
    try:
        set_redactions(review, keep, hide_also)
    except ReviewError:
        db.session.rollback()
        raise
    review.status = ReviewStatus.PUBLISHED
    review.published_on = today()
    kept = len(keep & set(range(found)))
    audit.record(
        actor, "review.publish", "review", review.id,
        found=found, dropped=found - kept, redactions=len(review.redactions),
    )  # fmt: skip
    _published_changed(review.organisation_id)
    db.session.commit()


def reject_review(review: Review, actor, reason: str, note: str | None = None) -> None:
    """Refuse a pending review (or take down a published one) with a reason code."""
    if reason not in choices.REJECT_REASONS:
        raise ReviewError(_l("Choose a reason from the list."))
    if reason == "other" and not (note or "").strip():
        raise ReviewError(_l("Write a note to explain the reason."))
    if review.status not in (ReviewStatus.PENDING, ReviewStatus.PUBLISHED):
        raise ReviewError(_l("This review is not open for a decision."))
    was_published = review.status == ReviewStatus.PUBLISHED
    review.status = ReviewStatus.REJECTED
    review.decision_reason = reason
    review.decision_note = (note or "").strip() or None
    audit.record(actor, "review.reject", "review", review.id, reason=reason)
    _close_pending_items(review, FlagStatus.UPHELD)
    if was_published:
        _published_changed(review.organisation_id)
    db.session.commit()
    flush_erased_pages(db.session)


def withdraw_review(review: Review) -> None:
    """The writer takes their review back (with their code)."""
    if not review.may_be_withdrawn:
        raise ReviewError(_l("This review cannot be withdrawn."))
    was_published = review.status == ReviewStatus.PUBLISHED
    review.status = ReviewStatus.WITHDRAWN
    # The writer's words go: nobody, moderators included, sees them again. No audit entry:
    # its timestamp would record when the writer acted.
    review.title = review.public_title = review.body = review.public_body = ""
    review.redactions = []
    _close_pending_items(review, FlagStatus.UPHELD)
    if was_published:
        _published_changed(review.organisation_id)
    db.session.commit()
    flush_erased_pages(db.session)


def _close_pending_items(review: Review, flag_status: FlagStatus) -> None:
    """A review taken down or withdrawn: its open reports and its pending reply are done."""
    for flag in db.session.scalars(
        select(Flag).filter_by(review_id=review.id, status=FlagStatus.OPEN)
    ):
        flag.status = flag_status
    if review.reply is not None and review.reply.status == ReplyStatus.PENDING:
        review.reply.status, review.reply.decision_reason = ReplyStatus.REJECTED, "other"


def submit_reply(review: Review, author, body: str) -> Reply:
    """An organisation's staff answer a published review of it, once."""
    if not author.is_org_staff or author.organisation_id != review.organisation_id:
        raise ReviewError(_l("Only staff of this organisation can reply."))
    if review.status != ReviewStatus.PUBLISHED:
        raise ReviewError(_l("You can reply only to a published review."))
    if review.reply is not None and review.reply.status != ReplyStatus.REJECTED:
        raise ReviewError(_l("This review has a reply already."))
    text = normalise(body).text
    if not text or len(text) > REPLY_MAX:
        raise ReviewError(_l("Write a reply of at most 2000 letters."))
    # A reply the moderators refused may be written again (it is still the only one).
    reply = review.reply or Reply(review=review)
    reply.author_id, reply.body, reply.written_on = author.id, text, today()
    reply.status, reply.decision_reason = ReplyStatus.PENDING, None
    db.session.add(reply)
    db.session.flush()
    audit.record(author, "reply.submit", "reply", reply.id, review_id=review.id)
    db.session.commit()
    return reply


def decide_reply(reply: Reply, actor, publish: bool, reason: str | None = None) -> None:
    """Publish a pending reply, or reject it with a reason code."""
    if reply.status != ReplyStatus.PENDING or reply.review.status != ReviewStatus.PUBLISHED:
        raise ReviewError(_l("This reply is not open for a decision."))
    if not publish and reason not in choices.REJECT_REASONS:
        raise ReviewError(_l("Choose a reason from the list."))
    reply.status = ReplyStatus.PUBLISHED if publish else ReplyStatus.REJECTED
    reply.decision_reason = None if publish else reason
    action = "reply.publish" if publish else "reply.reject"
    audit.record(actor, action, "reply", reply.id, reason=reply.decision_reason)
    notices.reply_decided(reply)
    db.session.commit()


def flag_review(review: Review, reason: str, note: str | None = None) -> Flag:
    """A reader reports a published review. It stays up until a moderator decides."""
    if review.status != ReviewStatus.PUBLISHED:
        raise ReviewError(_l("This review is not shown, so it cannot be reported."))
    if reason not in choices.FLAG_REASONS:
        raise ReviewError(_l("Choose a reason from the list."))
    note = normalise(note or "").text or None
    if note and len(note) > FLAG_NOTE_MAX:
        raise ReviewError(_l("Write at most 500 letters."))
    flag = Flag(review=review, reason=reason, note=note, written_on=today())
    db.session.add(flag)
    db.session.commit()
    return flag


def decide_flag(flag: Flag, actor, uphold: bool) -> None:
    """Dismiss a report (the review stays) or uphold it (the review is taken down and
    every open report on it is closed)."""
    if flag.status != FlagStatus.OPEN:
        raise ReviewError(_l("This report is closed already."))
    if not uphold:
        flag.status = FlagStatus.DISMISSED
        audit.record(actor, "flag.dismiss", "flag", flag.id, review_id=flag.review_id)
        db.session.commit()
        return
    review = flag.review
    open_flags = db.session.scalars(
        select(Flag).filter_by(review_id=review.id, status=FlagStatus.OPEN)
    )
    for other in open_flags:
        other.status = FlagStatus.UPHELD
    audit.record(actor, "flag.uphold", "flag", flag.id, review_id=review.id)
    if review.status == ReviewStatus.PUBLISHED:
        note = flag.note or f"reader report {flag.id}"
        reject_review(review, actor, choices.FLAG_TO_REJECT_REASON[flag.reason], note)
    else:
        db.session.commit()


def years_to_choose(on: date | None = None) -> list[int]:
    """The years a worker can pick, newest first."""
    this_year = (on or today()).year
    return list(range(this_year, this_year - YEARS_BACK - 1, -1))
