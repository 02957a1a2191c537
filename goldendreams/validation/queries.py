"""Reading validation: the latest sign-off, verifications, a CSO's rule, and the workers'
answers over every case a remediation covers."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from goldendreams.cases import consent
from goldendreams.cases.models import Case, ConsentItem, ConsentRecipient
from goldendreams.cases.queries import suppressed_share
from goldendreams.collective.queries import covered_cases
from goldendreams.extensions import db
from goldendreams.validation.models import SignOff, ValidationRule, Verification

#: Organisations and brands read the share of workers who confirmed rounded to this many
#: percent (and only when ``suppressed_share`` allows it): never one worker's answer.
SHARE_STEP = 10


def signoffs(case: Case) -> list[SignOff]:
    """Every sign-off of a case, the latest first."""
    query = select(SignOff).filter_by(case_id=case.id).order_by(SignOff.id.desc())
    return list(db.session.scalars(query))


def latest_signoff(case: Case) -> SignOff | None:
    query = select(SignOff).filter_by(case_id=case.id).order_by(SignOff.id.desc()).limit(1)
    return db.session.scalar(query)


def verifications(case: Case) -> list[Verification]:
    """The CSO's verifications of a case, the latest first."""
    query = select(Verification).filter_by(case_id=case.id).order_by(Verification.id.desc())
    return list(db.session.scalars(query))


def is_verified(case: Case) -> bool:
    query = select(Verification.id).filter_by(case_id=case.id).limit(1)
    return db.session.scalar(query) is not None


@dataclass(frozen=True)
class Rule:
    """A CSO's rule for "confirmed by workers"."""

    min_yes_percent: int
    min_answers: int
    #: False: the site's defaults (the CSO has not set its own).
    own: bool = False


def rule_for(cso_id: int) -> Rule:
    row = db.session.scalar(select(ValidationRule).filter_by(cso_id=cso_id))
    if row is None:
        config = current_app.config
        return Rule(config["VALIDATION_MIN_YES_PERCENT"], config["VALIDATION_MIN_ANSWERS"])
    return Rule(row.min_yes_percent, row.min_answers, own=True)


def reachable(case: Case) -> bool:
    """The worker of a case can answer "Was it fixed?": with their code, or a caseworker
    recorded their answer (given on the phone, in person, in a message)."""
    return case.worker_has_code or case.worker_answer is not None


@dataclass(frozen=True)
class Tally:
    """The workers' answers over the cases one remediation covers (internal)."""

    covered: int
    reachable: int
    yes: int
    partly: int
    no: int
    #: The covered cases whose worker said "partly" or "no" (to call them back).
    not_fixed: tuple[Case, ...] = ()

    @property
    def answered(self) -> int:
        return self.yes + self.partly + self.no

    @property
    def share(self) -> float | None:
        """Who said yes, of the workers who can answer."""
        return self.yes / self.reachable if self.reachable else None

    def meets(self, rule: Rule) -> bool:
        """The CSO's rule is met: enough answers, and enough of the reachable said yes."""
        return (
            self.reachable > 0
            and self.answered >= rule.min_answers
            and self.yes * 100 >= rule.min_yes_percent * self.reachable
        )

    @property
    def shown_share(self) -> int | None:
        """The share for organisations and brands: a rounded percentage, or None when it
        could tell a small count (the trends rule, ``cases.queries.suppressed_share``: 3
        reachable workers or more, and neither 1 or 2 who said yes nor 1 or 2 who did not)."""
        share = suppressed_share(self.yes, self.reachable)
        if share is None:
            return None
        return round(share * 100 / SHARE_STEP) * SHARE_STEP


def tally(case: Case) -> Tally:
    covered = covered_cases(case)
    answers = [c.worker_answer for c in covered if reachable(c)]
    return Tally(
        covered=len(covered),
        reachable=len(answers),
        yes=answers.count("yes"),
        partly=answers.count("partly"),
        no=answers.count("no"),
        not_fixed=tuple(c for c in covered if c.worker_answer in ("partly", "no")),
    )


def confirmed_by_workers(case: Case) -> bool:
    return tally(case).meets(rule_for(case.owner_id))


def brands_may_see_documents(case: Case) -> bool:
    """The worker agreed that documents may be shared with the brands (cases/consent.py)."""
    return consent.has_consent(ConsentRecipient.BRAND, ConsentItem.DOCUMENTS, case_id=case.id)
