"""Writing cases: opening, moving through the workflow, remediation, the worker's answer.

One transaction per call; every staff action is audited. Organisations act only on their
own cases and only ever add shared events.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from decimal import Decimal

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from goldendreams.agencies.models import CASE_KINDS, COUNTRIES, Organisation
from goldendreams.cases import choices, consent, notices, permissions, routing, taxonomy
from goldendreams.cases.models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    REMEDIATING_ACTIONS,
    Case,
    CaseEvent,
    CaseSource,
    ConsentItem,
    ConsentRecipient,
    IssueCategory,
    ReferralStatus,
)
from goldendreams.core import audit, tracking
from goldendreams.core.base import today
from goldendreams.core.i18n import LANGUAGE_NAMES
from goldendreams.core.text import normalise
from goldendreams.extensions import db
from goldendreams.reviews.choices import MIGRATION_STAGES

TEXT_MAX = 5000
CURRENCIES = ("THB", "MYR", "MMK", "KHR", "LAK", "NPR", "USD")


class CaseError(ValueError):
    """A case rule was broken; ``str(error)`` is a message in the reader's language."""


#: Why "Sent to the organisation" is refused without the worker's consent.
NO_ORGANISATION_CONSENT = _l(
    "The worker must agree first. Record their consent to tell the employer or agency "
    "what happened, then send the case."
)


def due_on(case: Case) -> date | None:
    """The deadline of the case's current stage (CASE_STAGE_DAYS), None when closed."""
    days = current_app.config["CASE_STAGE_DAYS"].get(case.status)
    return case.stage_since + timedelta(days=days) if days is not None else None


def is_overdue(case: Case) -> bool:
    deadline = due_on(case)
    return deadline is not None and today() > deadline


def _text(value: str | None, required: bool = False) -> str | None:
    text = normalise(value or "").text or None
    if required and not text:
        raise CaseError(_l("Please write something."))
    if text and len(text) > TEXT_MAX:
        raise CaseError(_l("This is too long."))
    return text


def _categories(codes: list[str]) -> list[IssueCategory]:
    if not codes:
        raise CaseError(_l("Choose at least one issue."))
    found = [c for c in taxonomy.current() if c.code in set(codes)]
    if len(found) != len(set(codes)):
        raise CaseError(_l("Choose issues from the list."))
    return found


def _severity(severity: str, codes: list[str]) -> str:
    if severity not in choices.SEVERITIES:
        raise CaseError(_l("Choose a severity from the list."))
    return "urgent" if set(codes) & choices.URGENT_CATEGORIES else severity


def _owner(
    actor, organisation: Organisation, source: str, worker_country, worker_language
) -> Organisation:
    """A caseworker who logs a case (a call they took) keeps it for their CSO; a review's
    case, or one an admin logs, goes where the network's routing rules send it."""
    if permissions.is_caseworker(actor) and source != CaseSource.REVIEW:
        return actor.organisation
    try:
        return routing.route(organisation, worker_country, worker_language)
    except routing.RoutingError as error:
        raise CaseError(str(error)) from error


def _open(
    actor, organisation: Organisation, source: str, codes, severity, workers,
    worker_country: str | None = None, worker_language: str | None = None, commit=True,
    **fields,
):  # fmt: skip
    if organisation.kind not in CASE_KINDS:
        raise CaseError(_l("Cases are about employers and agencies."))
    if not isinstance(workers, int) or not 1 <= workers <= 100_000:
        raise CaseError(_l("Enter how many workers are affected."))
    if worker_country is not None and worker_country not in COUNTRIES:
        raise CaseError(_l("Choose a country from the list."))
    if worker_language is not None and worker_language not in LANGUAGE_NAMES:
        raise CaseError(_l("Choose a language from the list."))
    if fields.get("migration_stage") not in (None, *MIGRATION_STAGES):
        raise CaseError(_l("Choose an answer from the list."))
    if "owner" not in fields:  # not routed when the caller names the owner (a mobilizer's CSO)
        fields["owner"] = _owner(actor, organisation, source, worker_country, worker_language)
    case = Case(
        worker_country=worker_country, worker_language=worker_language,
        source=source, organisation=organisation, categories=_categories(codes),
        severity=_severity(severity, codes), workers_affected=workers, status="new",
        opened_on=today(), stage_since=today(), **fields,
    )  # fmt: skip
    db.session.add(case)
    db.session.flush()
    # Random, not the case's number: organisations and brands see references, and a
    # sequence would tell them how many cases were opened in between, and when.
    case.reference = f"ILM-{case.opened_on.year}-" + "".join(
        secrets.choice(tracking.ALPHABET) for _ in range(8)
    )
    audit.record(actor, "case.open", "case", case.id, source=source, owner_id=case.owner_id)
    if case.severity == "urgent":
        notices.urgent_case(case, actor)
    if commit:
        db.session.commit()
    return case


def open_from_review(review, actor, codes: list[str], severity: str, workers: int) -> Case:
    """A moderator or caseworker opens a case from a review (published or not). The
    review's language is the worker's, and so are the country and the stage of migration
    the worker gave: the routing rules may read them, the figures by route count them."""
    if not permissions.may_open_from_review(actor, review):
        raise CaseError(_l("Your role cannot make this step."))
    if review.status == "withdrawn":
        raise CaseError(_l("The worker withdrew this review."))
    if db.session.scalar(select(Case.id).filter_by(review_id=review.id)):
        raise CaseError(_l("A case is open for this review already."))
    return _open(
        actor, review.organisation, "review", codes, severity, workers,
        worker_language=review.language, review_id=review.id,
        worker_country=review.origin_country, migration_stage=review.migration_stage,
    )  # fmt: skip


def open_hotline_case(
    actor,
    organisation: Organisation,
    source: str,
    codes,
    severity,
    workers: int,
    summary: str,
    contact: str | None,
    worker_country: str | None = None,
    worker_language: str | None = None,
    migration_stage: str | None = None,
) -> Case:
    """A caseworker logs a case from the hotline or outreach (their CSO keeps it); an admin
    logs one for the network (the routing rules choose its CSO). ``migration_stage``: when
    the problem happened on the worker's way (reviews.choices.MigrationStage), if known."""
    if not permissions.may_work_on_cases(actor):
        raise CaseError(_l("Only caseworkers log cases."))
    if source not in ("hotline", "outreach"):
        raise CaseError(_l("Choose where the case came from."))
    return _open(
        actor, organisation, source, codes, severity, workers,
        worker_country=worker_country or None, worker_language=worker_language or None,
        summary=_text(summary, required=True), contact=_text(contact),
        migration_stage=migration_stage or None,
    )  # fmt: skip


def open_from_conversation(
    actor, owner: Organisation, organisation: Organisation, codes, severity, workers: int,
    summary: str, worker_country: str | None = None, worker_language: str | None = None,
    review_id: int | None = None, commit: bool = True,
) -> Case:  # fmt: skip
    """A caseworker opens a case from a conversation with a worker (inbox/services.py): the
    CSO that talks with the worker runs it. ``commit=False`` leaves the transaction to the
    caller, which links the conversation in the same one. A review's thread passes the
    review: its case is then the review's case (a review has one case, however opened)."""
    if not (permissions.is_admin(actor) or (
        permissions.is_caseworker(actor) and actor.organisation_id == owner.id
    )):  # fmt: skip
        raise CaseError(_l("Your role cannot make this step."))
    return _open(
        actor, organisation, CaseSource.MESSAGE.value, codes, severity, workers,
        worker_country=worker_country, worker_language=worker_language, commit=commit,
        owner=owner, summary=_text(summary, required=True), contact=None, review_id=review_id,
    )  # fmt: skip


#: A group complaint is for two workers or more (one worker: the hotline or the site).
GROUP_MIN_WORKERS = 2


def open_group_case(actor, organisation: Organisation, codes, workers: int, summary: str) -> Case:
    """A mobilizer logs a group complaint for the workers who asked them: how many, the
    issues, the workplace, what happened (internal). Their CSO owns it and its caseworkers
    run it like any case; no contact is stored (mobilizers keep none of the workers')."""
    if not permissions.may_log_group_case(actor):
        raise CaseError(_l("Only mobilizers log group complaints."))
    if not isinstance(workers, int) or not GROUP_MIN_WORKERS <= workers <= 100_000:
        raise CaseError(_l("A group complaint is for 2 workers or more."))
    return _open(
        actor, organisation, CaseSource.GROUP.value, codes, "medium", workers,
        owner=actor.organisation, logged_by_id=actor.id,
        summary=_text(summary, required=True), contact=None,
    )  # fmt: skip


def _event(case: Case, kind: str, actor=None, shared: bool = False, **fields) -> CaseEvent:
    event = CaseEvent(
        kind=kind, shared=shared, actor_id=getattr(actor, "id", None),
        by_organisation=bool(actor is not None and actor.is_org_staff),
        happened_on=today(), **fields,
    )  # fmt: skip
    case.events.append(event)
    return event


def fixing_events(case: Case) -> list[CaseEvent]:
    """What was done to fix it: the remediation steps, and the government actions that fix
    something for the workers (an order, help to go home: REMEDIATING_ACTIONS)."""
    return [
        e
        for e in case.events
        if e.kind == "remediation"
        or (e.is_government_action and e.remediation_kind in REMEDIATING_ACTIONS)
    ]


def has_remediation(case: Case) -> bool:
    return bool(fixing_events(case))


def _withdraw_open_referrals(case: Case) -> int:
    """A case that closes is offered to nobody any more (nor asked of the worker)."""
    open_ones = [r for r in case.referrals if r.status in permissions.OPEN_REFERRAL_STATUSES]
    for referral in open_ones:
        referral.status = ReferralStatus.WITHDRAWN
    return len(open_ones)


def move(case: Case, actor, to_status: str) -> None:
    """Move a case on; only the roles allowed for that step may."""
    if not permissions.may_run_case(actor, case):
        raise CaseError(_l("Your role cannot make this step."))
    if (case.status, to_status) not in choices.TRANSITIONS:
        raise CaseError(_l("This step is not possible now."))
    if to_status == "resolved" and not has_remediation(case):
        raise CaseError(_l("Record what was done to fix it first."))
    if to_status == "referred" and not consent.has_consent(
        ConsentRecipient.ORGANISATION, ConsentItem.ISSUE, case_id=case.id
    ):
        # Nothing about a worker goes to the organisation before the worker agreed.
        raise CaseError(NO_ORGANISATION_CONSENT)
    # Steps before the referral stay internal: their dates sit close to the worker's report.
    shared = to_status == "referred" or case.shared_with_organisation
    _event(case, "status", actor, shared=shared, status_from=case.status, status_to=to_status)
    withdrawn = _withdraw_open_referrals(case) if to_status in CLOSED_STATUSES else 0
    audit.record(
        actor, "case.move", "case", case.id, status_from=case.status, status_to=to_status,
        **({"referrals_withdrawn": withdrawn} if withdrawn else {}),
    )  # fmt: skip
    case.status, case.stage_since = to_status, today()
    if to_status == "resolved":
        case.resolved_on = today()
    if to_status in ("no_basis", "referred_out"):
        case.closed_on, case.outcome = today(), to_status
    if to_status == "referred":
        notices.case_referred(case)
    elif shared:
        notices.case_event(case, choices.STATUS_LABELS[to_status])
    notices.group_case_update(case)
    db.session.commit()


#: Where a higher feature puts the rule that decides how a resolved case closes (validation/
#: registers the CSO's rule over the workers' answers and its verification): a callable
#: ``(case) -> outcome``, asked inside ``close_resolved``'s transaction.
OUTCOME_RULE = "cases.outcome_rule"


def register_outcome_rule(app, rule) -> None:
    """Let ``rule(case)`` decide the outcome of the resolved cases this app closes."""
    app.extensions[OUTCOME_RULE] = rule


def _worker_said_yes(case: Case) -> str:
    """The rule without validation/: "confirmed" only when the worker said yes."""
    return "resolved_confirmed" if case.worker_answer == "yes" else "resolved_unconfirmed"


def close_resolved(case: Case, actor) -> None:
    """Close a resolved case, with the outcome the registered rule gives (by default
    "confirmed by the worker" only when the worker said yes)."""
    if not permissions.may_run_case(actor, case):
        raise CaseError(_l("Your role cannot make this step."))
    if not permissions.may_close(actor, case):
        raise CaseError(_l("This step is not possible now."))
    outcome = str(current_app.extensions.get(OUTCOME_RULE, _worker_said_yes)(case))
    _withdraw_open_referrals(case)
    _event(case, "status", actor, shared=True, status_from="resolved", status_to="closed")
    case.status, case.stage_since, case.closed_on, case.outcome = (
        "closed",
        today(),
        today(),
        outcome,
    )
    audit.record(actor, "case.close", "case", case.id, outcome=outcome)
    notices.case_event(case, choices.STATUS_LABELS["closed"])
    notices.group_case_update(case)
    db.session.commit()


def make_urgent(case: Case, actor, reason: str, commit: bool = True) -> bool:
    """Raise a case to "urgent" (a high-risk assessment, a retaliation report: ``reason``
    says which, for the audit). Urgent cases come first in every list. Returns whether it
    changed; ``commit=False`` leaves the transaction to the caller. ``actor`` None: the
    worker reported it with their code (not audited: no trace of when the worker acted)."""
    if actor is not None and not permissions.may_run_case(actor, case):
        raise CaseError(_l("Your role cannot make this step."))
    changed = case.severity != "urgent"
    if changed and actor is not None:
        audit.record(
            actor, "case.urgent", "case", case.id, severity_from=case.severity, reason=reason
        )
    case.severity = "urgent"
    if commit:
        db.session.commit()
    return changed


def assign(case: Case, actor, assignee) -> None:
    if not permissions.may_run_case(actor, case):
        raise CaseError(_l("Your role cannot make this step."))
    if not permissions.may_assign_to(actor, case, assignee):
        raise CaseError(_l("Choose a caseworker from the list."))
    case.assignee_id = assignee.id
    _event(case, "assigned", actor, text=assignee.email)
    audit.record(actor, "case.assign", "case", case.id, assignee_id=assignee.id)
    db.session.commit()


def add_note(case: Case, actor, text: str, shared: bool) -> None:
    """A caseworker's note, internal unless shared with the organisation."""
    if not permissions.may_run_case(actor, case):
        raise CaseError(_l("Your role cannot make this step."))
    _event(case, "note", actor, shared=shared, text=_text(text, required=True))
    audit.record(actor, "case.note", "case", case.id, shared=shared)
    if shared:
        notices.case_event(case, choices.EVENT_LABELS["note"])
    db.session.commit()


def _own_open_case(case: Case, actor) -> None:
    if not permissions.may_act_for_organisation(actor, case):
        raise CaseError(_l("Only staff of this organisation can do this."))
    if not permissions.may_answer_as_organisation(actor, case):
        raise CaseError(_l("This step is not possible now."))


def acknowledge(case: Case, actor) -> None:
    """The organisation says it has seen the case."""
    _own_open_case(case, actor)
    _event(case, "acknowledged", actor, shared=True)
    audit.record(actor, "case.acknowledge", "case", case.id)
    db.session.commit()


def propose(case: Case, actor, text: str) -> None:
    """The organisation proposes how it will fix the problem."""
    _own_open_case(case, actor)
    _event(case, "proposal", actor, shared=True, text=_text(text, required=True))
    audit.record(actor, "case.propose", "case", case.id)
    db.session.commit()


def record_remediation(
    case: Case,
    actor,
    kind: str,
    amount: Decimal | None,
    currency: str | None,
    workers: int | None,
    text: str | None,
) -> None:
    """What was done to fix it. Organisation staff or caseworkers record it; a referred
    case moves to "in remediation"."""
    if permissions.may_run_case(actor, case):
        if not permissions.may_record_remediation(actor, case):
            raise CaseError(_l("This step is not possible now."))
    else:
        _own_open_case(case, actor)
    if kind not in choices.REMEDIATION_KINDS:
        raise CaseError(_l("Choose what was done from the list."))
    if amount is not None and (not amount.is_finite() or not 0 < amount < Decimal(10**9)):
        raise CaseError(_l("Enter the amount as a number."))
    if (amount is None) != (currency is None) or (currency and currency not in CURRENCIES):
        raise CaseError(_l("Give the amount with its currency."))
    if workers is not None and not 1 <= workers <= 100_000:
        raise CaseError(_l("Enter how many workers are covered."))
    _event(
        case, "remediation", actor, shared=True, remediation_kind=kind, amount=amount,
        currency=currency, workers_covered=workers, text=_text(text),
    )  # fmt: skip
    if case.status == "referred":
        _event(
            case, "status", actor, shared=True, status_from="referred", status_to="in_remediation"
        )
        case.status, case.stage_since = "in_remediation", today()
        notices.group_case_update(case)
    audit.record(actor, "case.remediation", "case", case.id, kind=kind)
    if not actor.is_org_staff:  # the organisation knows what it recorded itself
        notices.case_event(case, choices.EVENT_LABELS["remediation"])
    db.session.commit()


def find_by_code(code: str) -> Case | None:
    """The case a private code given for it opens (a hotline or outreach case: the code
    the caseworker read out), or None (also for malformed codes)."""
    digest = tracking.code_hash(code)
    if digest is None:
        return None
    return db.session.scalar(select(Case).filter_by(code_hash=digest))


def case_for_review(review_id: int) -> Case | None:
    return db.session.scalar(select(Case).filter_by(review_id=review_id))


def can_answer(case: Case) -> bool:
    """The worker may say whether it was fixed once remediation is recorded, and change
    the answer (after a further fix, say) until the case is closed."""
    return case.status in OPEN_STATUSES and has_remediation(case)


def worker_answer(case: Case, answer: str, comment: str | None) -> None:
    """The worker, with their code, says whether the problem was fixed. Stored on the case,
    undated and unaudited (no trace of when the worker acted); the comment is internal."""
    if not can_answer(case):
        raise CaseError(_l("You cannot answer this now."))
    if answer not in choices.WORKER_ANSWERS:
        raise CaseError(_l("Choose an answer from the list."))
    case.worker_answer, case.worker_comment = answer, _text(comment)
    db.session.commit()
