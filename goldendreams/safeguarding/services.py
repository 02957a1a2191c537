"""Writing safeguarding records: risk assessments, plans, check-ins, retaliation reports,
on-call settings, and the worker's consent before sharing.

One transaction per call, audited (the worker's own retaliation report is neither audited
nor dated by the day: no trace of when the worker acted). A high risk or a retaliation
report makes the case (or conversation) urgent and alerts the CSO's on-call people from
the queue, once the change is committed (alerts.py).
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from goldendreams.cases import consent as case_consent
from goldendreams.cases import services as case_services
from goldendreams.cases.models import ConsentRecord
from goldendreams.core import audit, queue
from goldendreams.core.base import today
from goldendreams.core.text import normalise
from goldendreams.extensions import db
from goldendreams.inbox import services as inbox_services
from goldendreams.safeguarding import permissions, queries, rules
from goldendreams.safeguarding.models import (
    QUESTIONS,
    Answer,
    CheckIn,
    CheckInMethod,
    CheckInOutcome,
    OnCall,
    RetaliationKind,
    RetaliationReport,
    RiskAssessment,
    RiskLevel,
    SafeguardingPlan,
)

TEXT_MAX = 2000
SAFE_CONTACT_MAX = 500
#: A check-in is scheduled at most this far ahead.
CHECK_IN_MAX_DAYS = 366
#: Digits, with an optional minus sign (Telegram's group chats have negative ids).
TELEGRAM_CHAT_MAX = 20


class SafeguardingError(ValueError):
    """A safeguarding rule was broken; ``str(error)`` is a message in the reader's
    language."""


def _may(allowed: bool) -> None:
    if not allowed:
        raise SafeguardingError(_l("Your role cannot make this step."))


def _text(value: str | None, limit: int = TEXT_MAX, required: bool = False) -> str | None:
    text = normalise(value or "").text or None
    if required and not text:
        raise SafeguardingError(_l("Please write something."))
    if text and len(text) > limit:
        raise SafeguardingError(_l("This is too long."))
    return text


def _answers(answers: dict) -> dict[str, str]:
    found = {name: answers.get(name) for name in QUESTIONS}
    if any(value not in set(Answer) for value in found.values()):
        raise SafeguardingError(_l("Answer every question."))
    return found


def _alert(target: str, target_id: int, cso_id: int, by_worker: bool = False) -> None:
    """Alert the on-call people once this commits. The worker's own report travels without
    its case (alerts.py): the queue and the alert carry nothing that dates their action."""
    from goldendreams.safeguarding import alerts  # the tasks import this module's readers

    if by_worker:
        queue.after_commit(alerts.alert_on_call, target, None, cso_id, by_worker=True)
    else:
        queue.after_commit(alerts.alert_on_call, target, target_id, cso_id)


# --- risk assessment --------------------------------------------------------------------------


def assess_case(case, actor, answers: dict, safe_contact: str | None) -> RiskAssessment:
    """Assess the risk of an open case. High risk makes it urgent and alerts the on-call
    people of its CSO (each new high assessment does: the risk was looked at again)."""
    _may(permissions.may_assess_case(actor, case))
    found = _answers(answers)
    level = rules.risk_level(found)
    assessment = RiskAssessment(
        case_id=case.id, **found, safe_contact=_text(safe_contact, SAFE_CONTACT_MAX),
        level=level, assessed_by_id=actor.id, assessed_on=today(),
    )  # fmt: skip
    db.session.add(assessment)
    db.session.flush()
    audit.record(actor, "safeguarding.assess", "case", case.id, level=str(level))
    if level == RiskLevel.HIGH:
        case_services.make_urgent(case, actor, "high_risk", commit=False)
        _alert("case", case.id, case.owner_id)
    db.session.commit()
    return assessment


def assess_conversation(
    conversation, actor, answers: dict, safe_contact: str | None
) -> RiskAssessment:
    """Assess the risk of a conversation (before it is a case). High risk tags it urgent
    (through the inbox's own service, which commits this one transaction) and alerts the
    on-call people."""
    _may(permissions.may_assess_conversation(actor, conversation))
    found = _answers(answers)
    level = rules.risk_level(found)
    assessment = RiskAssessment(
        conversation_id=conversation.id, **found,
        safe_contact=_text(safe_contact, SAFE_CONTACT_MAX), level=level,
        assessed_by_id=actor.id, assessed_on=today(),
    )  # fmt: skip
    db.session.add(assessment)
    db.session.flush()
    audit.record(actor, "safeguarding.assess", "conversation", conversation.id, level=str(level))
    if level == RiskLevel.HIGH:
        _alert("conversation", conversation.id, conversation.owner_id)
        if not conversation.urgent:
            codes = [category.code for category in conversation.categories]
            inbox_services.tag(conversation, actor, codes, True)  # commits
            return assessment
    db.session.commit()
    return assessment


def view_safe_contact(actor, *, case=None, conversation=None) -> str:
    """The worker's safe way and time to be contacted, from the current risk check of a
    case or conversation: for the owning CSO's caseworkers, each view audited (committed
    before it is shown)."""
    if case is not None:
        _may(permissions.may_see_safe_contact_of_case(actor, case))
        target, target_id = "case", case.id
        assessment = queries.current_assessment(case_id=case.id)
    else:
        _may(permissions.may_see_safe_contact_of_conversation(actor, conversation))
        target, target_id = "conversation", conversation.id
        assessment = queries.current_assessment(conversation_id=conversation.id)
    if assessment is None or not assessment.safe_contact:
        raise SafeguardingError(_l("The worker left no way to reach them."))
    audit.record(actor, "safeguarding.safe_contact_view", target, target_id)
    db.session.commit()
    return assessment.safe_contact


# --- plan and check-ins -----------------------------------------------------------------------


def _due(value: date | None) -> date:
    if value is None or not today() <= value <= today() + timedelta(days=CHECK_IN_MAX_DAYS):
        raise SafeguardingError(_l("Choose a day from today to a year ahead."))
    return value


def _schedule(case, actor, due: date, method: str) -> CheckIn:
    if method not in set(CheckInMethod):
        raise SafeguardingError(_l("Choose how you will reach the worker."))
    check_in = CheckIn(case_id=case.id, due_on=_due(due), method=method, scheduled_by_id=actor.id)
    db.session.add(check_in)
    db.session.flush()
    return check_in


def save_plan(case, actor, text: str, next_check_in: date | None, method: str | None) -> None:
    """Write (or rewrite) the safeguarding plan of a high-risk case; a next check-in day
    schedules one."""
    _may(permissions.may_plan(actor, case, queries.level_of_case(case.id)))
    body = _text(text, required=True)
    plan = queries.plan_of(case.id)
    if plan is None:
        plan = SafeguardingPlan(case_id=case.id, text=body, updated_on=today())
        db.session.add(plan)
    plan.text, plan.updated_by_id, plan.updated_on = body, actor.id, today()
    check_in = _schedule(case, actor, next_check_in, method or "") if next_check_in else None
    audit.record(
        actor, "safeguarding.plan", "case", case.id,
        **({"check_in_id": check_in.id} if check_in else {}),
    )  # fmt: skip
    db.session.commit()


def schedule_check_in(case, actor, due: date | None, method: str) -> CheckIn:
    """Schedule a check-in with the worker (the retaliation watch, or a high-risk case)."""
    _may(permissions.may_schedule_check_in(actor, case, queries.level_of_case(case.id)))
    check_in = _schedule(case, actor, due, method)
    audit.record(actor, "safeguarding.check_in_schedule", "case", case.id, check_in_id=check_in.id)
    db.session.commit()
    return check_in


def _report(case, kind: str, actor, note: str | None, by_worker: bool) -> RetaliationReport:
    if kind not in set(RetaliationKind):
        raise SafeguardingError(_l("Choose what happened from the list."))
    day = today()
    report = RetaliationReport(
        case_id=case.id, kind=kind, by_worker=by_worker,
        # The worker's own report keeps the month only.
        reported_on=day.replace(day=1) if by_worker else day,
        recorded_by_id=getattr(actor, "id", None), note=_text(note),
    )  # fmt: skip
    db.session.add(report)
    db.session.flush()
    case_services.make_urgent(case, actor, "retaliation", commit=False)
    _alert("case", case.id, case.owner_id, by_worker)
    return report


def record_check_in(
    check_in: CheckIn, actor, outcome: str, note: str | None, kind: str | None = None
) -> None:
    """Record how the check-in went. "Retaliation reported" needs its kind: it is also a
    retaliation report (urgent, on-call people alerted)."""
    _may(permissions.may_record_check_in(actor, check_in))
    if outcome not in set(CheckInOutcome):
        raise SafeguardingError(_l("Choose how the worker is."))
    case = check_in.case
    if outcome == CheckInOutcome.RETALIATION:
        if not permissions.may_report_retaliation(actor, case):
            raise SafeguardingError(_l("This case was not sent to the organisation."))
        _report(case, kind or "", actor, note, by_worker=False)
    check_in.outcome, check_in.note = outcome, _text(note)
    check_in.done_on, check_in.done_by_id = today(), actor.id
    audit.record(
        actor, "safeguarding.check_in", "case", case.id, check_in_id=check_in.id,
        outcome=outcome,
    )  # fmt: skip
    db.session.commit()


def report_retaliation(case, actor, kind: str, note: str | None) -> RetaliationReport:
    """A caseworker records retaliation the worker told them of."""
    _may(permissions.may_report_retaliation(actor, case))
    report = _report(case, kind, actor, note, by_worker=False)
    audit.record(actor, "safeguarding.retaliation", "case", case.id, kind=kind)
    db.session.commit()
    return report


def worker_reports_retaliation(case, kind: str) -> RetaliationReport:
    """The worker reports retaliation on their code page. Not audited, dated by the month
    only (no trace of the day they acted). Once per kind and month: a code in the wrong
    hands cannot flood the on-call people and the brands with reports."""
    if not permissions.worker_may_report_retaliation(case):
        raise SafeguardingError(_l("You cannot report this now."))
    if queries.worker_reported(case.id, kind, today().replace(day=1)):
        raise SafeguardingError(
            _l("You told us this already this month. A caseworker will contact you.")
        )
    report = _report(case, kind, None, None, by_worker=True)
    db.session.commit()
    return report


# --- on call ----------------------------------------------------------------------------------


def _setting(user) -> OnCall:
    setting = queries.setting_of(user.id)
    if setting is None:
        setting = OnCall(user_id=user.id)
        db.session.add(setting)
    return setting


def set_on_call(actor, person, on_call: bool) -> None:
    """Put a caseworker on call for their CSO, or take them off."""
    _may(permissions.may_set_on_call(actor, person))
    _setting(person).on_call = bool(on_call)
    audit.record(actor, "safeguarding.on_call", "user", person.id, on_call=bool(on_call))
    db.session.commit()


def set_telegram_chat(actor, chat_id: str | None) -> None:
    """A caseworker gives the id of their own chat with the network's bot (empty: none)."""
    _may(permissions.may_be_on_call(actor))
    value = (chat_id or "").strip() or None
    if value is not None and (
        len(value) > TELEGRAM_CHAT_MAX or not value.removeprefix("-").isdigit()
    ):
        raise SafeguardingError(_l("A Telegram chat id is a number."))
    _setting(actor).telegram_chat = value
    audit.record(actor, "safeguarding.telegram", "user", actor.id, set=value is not None)
    db.session.commit()


# --- consent ----------------------------------------------------------------------------------


def record_consent(case, actor, recipient: str, items: list[str], method: str, note: str | None):
    """Record what the worker agreed may be shared with whom, and how they agreed."""
    _may(permissions.may_record_consent(actor, case))
    if method not in case_consent.RECORDED_BY_CASEWORKER:
        raise SafeguardingError(_l("Say how the worker agreed."))
    try:
        return case_consent.record(actor, recipient, items, method, note, case_id=case.id)
    except case_consent.ConsentError as error:
        db.session.rollback()
        raise SafeguardingError(str(error)) from error


def withdraw_consent(case, actor, record: ConsentRecord) -> None:
    """The worker took their consent back: nothing more is shared on its strength."""
    _may(permissions.may_withdraw_consent(actor, case, record))
    case_consent.withdraw(actor, record)
