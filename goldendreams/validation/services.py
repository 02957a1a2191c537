"""Writing validation: the organisation signs off with evidence, the CSO verifies and
shares, a CSO admin sets the rule; and the outcome a resolved case closes with.

One transaction per call, one audit entry per call. Evidence files are stored (encrypted)
before the transaction and erased again if it fails: nothing half-kept.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from goldendreams.agencies.models import Organisation
from goldendreams.cases import consent
from goldendreams.cases.models import Case, CaseOutcome, ConsentItem, ConsentRecipient
from goldendreams.core import audit
from goldendreams.core.base import today
from goldendreams.core.text import normalise
from goldendreams.extensions import db
from goldendreams.validation import evidence, permissions, queries
from goldendreams.validation.models import (
    Evidence,
    SignOff,
    ValidationRule,
    Verification,
    VerificationMethod,
)

STATEMENT_MAX = 3000
TITLE_MAX = 120
NOTE_MAX = 3000
MAX_ANSWERS = 10_000


class ValidationError(ValueError):
    """A validation rule was broken; ``str(error)`` is a message in the reader's language."""


def _text(value: str | None, limit: int) -> str:
    text = normalise(value or "").text
    if not text:
        raise ValidationError(_l("Please write something."))
    if len(text) > limit:
        raise ValidationError(_l("This is too long."))
    return text


def sign_off(
    case: Case, actor, statement: str, signer_title: str, uploads: list[evidence.Upload]
) -> SignOff:
    """The organisation signs off the outcome: what was fixed, the signer's job title, and
    one or more evidence files (already checked by ``evidence.read``). It replaces the
    sign-off before it, and is not shared with brands until the CSO shares it."""
    if not permissions.may_sign_off(actor, case):
        raise ValidationError(
            _l("You can sign off once a fix is recorded, while the case is open.")
        )
    text = _text(statement, STATEMENT_MAX)
    title = _text(signer_title, TITLE_MAX)
    if not uploads:
        raise ValidationError(_l("Attach at least one file as evidence."))
    if len(uploads) > evidence.max_files():
        raise ValidationError(_l("Attach %(num)s files at most.", num=evidence.max_files()))
    keys = evidence.store_all(uploads)
    try:
        signoff = SignOff(
            case_id=case.id, organisation_id=case.organisation_id, statement=text,
            signer_title=title, signed_by_id=actor.id, signed_on=today(),
            evidence=[
                Evidence(file_key=key, filename=u.filename, content_type=u.content_type,
                         size=len(u.data))
                for key, u in zip(keys, uploads, strict=True)
            ],
        )  # fmt: skip
        db.session.add(signoff)
        db.session.flush()
        audit.record(actor, "validation.sign_off", "case", case.id, signoff_id=signoff.id,
                     files=len(keys))  # fmt: skip
        db.session.commit()
    except Exception:
        db.session.rollback()
        evidence.erase(keys)
        raise
    return signoff


def share(case: Case, actor, shared: bool) -> None:
    """Share the latest sign-off and its files with the brands buying from the organisation
    (the worker must have agreed that documents go to brands), or stop sharing it."""
    signoff = queries.latest_signoff(case)
    if not permissions.may_share(actor, case, signoff):
        raise ValidationError(_l("There is no sign-off to share."))
    if shared:
        try:
            consent.require(ConsentRecipient.BRAND, ConsentItem.DOCUMENTS, case_id=case.id)
        except consent.ConsentError as error:
            raise ValidationError(
                _l("Record the worker's consent to share documents with brands first.")
            ) from error
    signoff.shared_with_brands = bool(shared)
    audit.record(actor, "validation.share", "case", case.id, signoff_id=signoff.id,
                 shared=bool(shared))  # fmt: skip
    db.session.commit()


def verify(case: Case, actor, methods: list[str], note: str, verified_on: date | None) -> None:
    """The caseworker records how they checked the outcome (internal)."""
    if not permissions.may_verify(actor, case):
        raise ValidationError(_l("You can verify once a fix is recorded, while the case is open."))
    chosen = sorted(set(methods or ()))
    if not chosen or not set(chosen) <= set(VerificationMethod):
        raise ValidationError(_l("Choose how you checked it."))
    if not isinstance(verified_on, date) or not case.opened_on <= verified_on <= today():
        raise ValidationError(_l("Enter a date from the day the case opened until today."))
    text = _text(note, NOTE_MAX)
    db.session.add(Verification(case_id=case.id, methods=chosen, note=text,
                                verified_on=verified_on, actor_id=actor.id))  # fmt: skip
    audit.record(actor, "validation.verify", "case", case.id, methods=chosen)
    db.session.commit()


def set_rule(actor, cso: Organisation, min_yes_percent, min_answers) -> None:
    """A CSO's admin (or a site admin) sets the CSO's rule for "confirmed by workers"."""
    if cso is None or not cso.is_cso or not permissions.may_set_rule(actor, cso.id):
        raise ValidationError(_l("Your role cannot make this step."))
    if not isinstance(min_yes_percent, int) or not 1 <= min_yes_percent <= 100:
        raise ValidationError(_l("Enter a share from 1 to 100 percent."))
    if not isinstance(min_answers, int) or not 1 <= min_answers <= MAX_ANSWERS:
        raise ValidationError(_l("Enter how many answers at least (1 or more)."))
    before = queries.rule_for(cso.id)
    row = db.session.query(ValidationRule).filter_by(cso_id=cso.id).one_or_none()
    if row is None:
        row = ValidationRule(cso_id=cso.id)
        db.session.add(row)
    row.min_yes_percent, row.min_answers = min_yes_percent, min_answers
    db.session.flush()
    audit.record(
        actor, "validation.rule", "organisation", cso.id,
        before=[before.min_yes_percent, before.min_answers],
        after=[min_yes_percent, min_answers],
    )  # fmt: skip
    db.session.commit()


def decide_outcome(case: Case) -> CaseOutcome:
    """How a resolved case closes (asked by cases.services.close_resolved, in its
    transaction): confirmed by workers when the CSO's rule is met, verified by the CSO when
    it is not but the CSO checked, else unconfirmed."""
    if queries.confirmed_by_workers(case):
        return CaseOutcome.RESOLVED_CONFIRMED
    if queries.is_verified(case):
        return CaseOutcome.RESOLVED_VERIFIED
    return CaseOutcome.RESOLVED_UNCONFIRMED
