"""Writing escalations: a caseworker escalates, a brand acknowledges and commits.

One transaction per call, one audit entry per call; mails leave after the commit. Nothing
about a worker reaches a brand before the worker agreed (cases/consent.py, recipient BRAND,
item ISSUE): every case escalated needs that consent, checked here.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l

from goldendreams.agencies.models import CASE_KINDS, Organisation
from goldendreams.brands import notices, permissions, queries
from goldendreams.brands.models import (
    BrandEscalation,
    Commitment,
    CommitmentKind,
    CommitmentStatus,
    Escalation,
    EscalationReason,
)
from goldendreams.cases import consent
from goldendreams.cases import permissions as case_permissions
from goldendreams.cases.models import Case, ConsentItem, ConsentMethod, ConsentRecipient
from goldendreams.cases.services import is_overdue
from goldendreams.core import audit
from goldendreams.core.base import today
from goldendreams.core.text import normalise
from goldendreams.extensions import db

NOTE_MAX = 2000
COMMITMENT_MAX = 1000
#: A commitment is due within this many days at most (a year: plans are for the rest).
COMMITMENT_HORIZON_DAYS = 366
#: A pattern escalated "because it happens again" needs this many cases.
REPEATED_MIN_CASES = 2


class EscalationError(ValueError):
    """An escalation rule was broken; ``str(error)`` is a message in the reader's language."""


def ack_overdue(part: BrandEscalation) -> bool:
    """The brand has not acknowledged by its deadline."""
    return part.acknowledged_on is None and today() > part.ack_due_on


def commitment_overdue(commitment: Commitment) -> bool:
    return not commitment.is_done and today() > commitment.due_on


def escalation_overdue(escalation: Escalation) -> bool:
    """Some brand is late: to acknowledge, or with a commitment."""
    return any(
        ack_overdue(part) or any(commitment_overdue(c) for c in part.commitments)
        for part in escalation.brands
    )


def _text(value: str | None, limit: int) -> str:
    text = normalise(value or "").text
    if not text:
        raise EscalationError(_l("Please write something."))
    if len(text) > limit:
        raise EscalationError(_l("This is too long."))
    return text


def _check_cases(actor, organisation: Organisation, cases: list[Case]) -> None:
    if not cases:
        raise EscalationError(_l("Choose at least one case."))
    for case in cases:
        if not case_permissions.may_run_case(actor, case):
            raise EscalationError(_l("Your role cannot make this step."))
        if case.organisation_id != organisation.id:
            raise EscalationError(_l("Choose cases of this organisation only."))
        if not (case.is_open and case.shared_with_organisation):
            raise EscalationError(
                _l("Only open cases already sent to the organisation can be escalated.")
            )
    # A pattern: cases neither late nor severe may go with one that is.
    if not any(permissions.may_escalate_case(actor, case) for case in cases):
        raise EscalationError(
            _l("Escalate when the organisation is late or the problem is severe.")
        )


def _check_reason(reason: str, cases: list[Case]) -> EscalationReason:
    if reason not in set(EscalationReason):
        raise EscalationError(_l("Choose a reason from the list."))
    if reason == EscalationReason.NO_RESPONSE and not any(is_overdue(c) for c in cases):
        raise EscalationError(_l("None of these cases is late."))
    if reason == EscalationReason.SEVERE and not any(permissions.is_severe(c) for c in cases):
        raise EscalationError(_l("None of these cases is marked high or urgent."))
    if reason == EscalationReason.REPEATED and len(cases) < REPEATED_MIN_CASES:
        raise EscalationError(_l("Choose two cases or more to show the problem happens again."))
    return EscalationReason(reason)


def escalate(
    actor,
    organisation: Organisation,
    cases: list[Case],
    reason: str,
    note: str,
    category_codes: list[str] | None = None,
    consent_method: str | None = None,
    consent_note: str | None = None,
) -> Escalation:
    """Escalate one case, or a pattern of cases at one organisation, to every brand that
    buys from it. Each brand gets its own deadline to acknowledge (ESCALATION_ACK_DAYS).
    Every case needs the worker's consent to tell brands what happened; for a single case
    the caseworker may record it here (``consent_method``), in the same transaction."""
    if not permissions.may_follow_escalations(actor):
        raise EscalationError(_l("Your role cannot make this step."))
    if organisation.kind not in CASE_KINDS:
        raise EscalationError(_l("Cases are about employers and agencies."))
    cases = sorted(set(cases), key=lambda c: c.id)
    _check_cases(actor, organisation, cases)
    chosen_reason = _check_reason(reason, cases)
    text = _text(note, NOTE_MAX)
    brands = queries.brands_for(organisation)
    if not brands:
        raise EscalationError(_l("No brand on record buys from this organisation."))
    try:
        if consent_method:
            if len(cases) != 1:
                raise EscalationError(_l("Record each worker's consent on their case page first."))
            if consent_method not in consent.RECORDED_BY_CASEWORKER:
                raise EscalationError(_l("Say how the worker agreed."))
            consent.record(
                actor, ConsentRecipient.BRAND, [ConsentItem.ISSUE], ConsentMethod(consent_method),
                consent_note, case_id=cases[0].id, commit=False,
            )  # fmt: skip
        missing = [
            c.reference
            for c in cases
            if not consent.has_consent(ConsentRecipient.BRAND, ConsentItem.ISSUE, case_id=c.id)
        ]
        if missing:
            raise EscalationError(
                _l(
                    "The worker has not agreed that brands may be told (%(cases)s). "
                    "Record their consent first.",
                    cases=", ".join(missing),
                )
            )
    except (EscalationError, consent.ConsentError) as error:
        db.session.rollback()  # a consent recorded above goes with the refusal
        raise EscalationError(str(error)) from error
    due = today() + timedelta(days=current_app.config["ESCALATION_ACK_DAYS"])
    escalation = Escalation(
        organisation=organisation, cso_id=_cso_of(actor, cases), escalated_by_id=actor.id,
        reason=chosen_reason, note=text, category_codes=sorted(set(category_codes or ())),
        escalated_on=today(), cases=cases,
        brands=[BrandEscalation(brand=brand, ack_due_on=due) for brand in brands],
    )  # fmt: skip
    db.session.add(escalation)
    db.session.flush()
    audit.record(
        actor, "escalation.create", "escalation", escalation.id, reason=chosen_reason.value,
        case_ids=[c.id for c in cases], brand_ids=[b.id for b in brands],
    )  # fmt: skip
    notices.escalated(escalation)
    db.session.commit()
    return escalation


def _cso_of(actor, cases: list[Case]) -> int:
    """The CSO that escalates: the caseworker's; for an admin, the CSO that runs the cases."""
    return actor.organisation_id if actor.organisation_id else cases[0].owner_id


def acknowledge(actor, part: BrandEscalation) -> None:
    """The brand says it has seen the escalation (shown as the brand, never a person)."""
    if not permissions.may_see_brand_escalation(actor, part):
        raise EscalationError(_l("Your role cannot make this step."))
    if part.acknowledged_on is not None:
        raise EscalationError(_l("You acknowledged this already."))
    _acknowledge(actor, part)
    audit.record(actor, "escalation.acknowledge", "brand_escalation", part.id)
    notices.answered(part, acknowledged=True)
    db.session.commit()


def _acknowledge(actor, part: BrandEscalation) -> None:
    part.acknowledged_on, part.acknowledged_by_id = today(), actor.id


def add_commitment(actor, part: BrandEscalation, kind: str, text: str, due_on: date | None):
    """The brand commits to do something by a date; the CSO and the organisation see it. A
    first commitment acknowledges the escalation too."""
    if not permissions.may_commit(actor, part):
        raise EscalationError(_l("Your role cannot make this step."))
    if kind not in set(CommitmentKind):
        raise EscalationError(_l("Choose what you will do from the list."))
    words = _text(text, COMMITMENT_MAX)
    if due_on is None or not today() <= due_on <= today() + timedelta(days=COMMITMENT_HORIZON_DAYS):
        raise EscalationError(_l("Choose a date from today to one year from now."))
    first = part.acknowledged_on is None
    if first:
        _acknowledge(actor, part)
    commitment = Commitment(
        kind=CommitmentKind(kind), text=words, due_on=due_on, status=CommitmentStatus.PROMISED,
        recorded_on=today(), recorded_by_id=actor.id,
    )  # fmt: skip
    part.commitments.append(commitment)
    db.session.flush()
    audit.record(
        actor, "escalation.commit", "brand_escalation", part.id, kind=kind,
        commitment_id=commitment.id, acknowledged=first,
    )  # fmt: skip
    notices.answered(part, acknowledged=False)
    db.session.commit()
    return commitment


def mark_done(actor, commitment: Commitment) -> None:
    """The brand did what it promised."""
    if not permissions.may_see_brand_escalation(actor, commitment.brand_escalation):
        raise EscalationError(_l("Your role cannot make this step."))
    if commitment.is_done:
        raise EscalationError(_l("This is done already."))
    commitment.status, commitment.done_on = CommitmentStatus.DONE, today()
    audit.record(
        actor, "escalation.commitment_done", "brand_escalation", commitment.brand_escalation_id,
        commitment_id=commitment.id,
    )  # fmt: skip
    notices.answered(commitment.brand_escalation, acknowledged=False)
    db.session.commit()
