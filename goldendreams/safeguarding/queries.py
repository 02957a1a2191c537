"""Reading safeguarding records."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from goldendreams.accounts.models import User
from goldendreams.cases import queries as case_queries
from goldendreams.cases.models import Case, ConsentRecord
from goldendreams.core.auth import Role
from goldendreams.extensions import db
from goldendreams.safeguarding.models import (
    CheckIn,
    OnCall,
    RetaliationReport,
    RiskAssessment,
    SafeguardingPlan,
)


def current_assessment(
    *, case_id: int | None = None, conversation_id: int | None = None
) -> RiskAssessment | None:
    """The newest assessment of a case or a conversation (it replaced the others)."""
    where = (
        RiskAssessment.case_id == case_id
        if case_id is not None
        else RiskAssessment.conversation_id == conversation_id
    )
    query = select(RiskAssessment).where(where).order_by(RiskAssessment.id.desc()).limit(1)
    return db.session.scalar(query)


def assessments(*, case_id: int | None = None, conversation_id: int | None = None) -> list:
    """Every assessment, newest first (the history)."""
    where = (
        RiskAssessment.case_id == case_id
        if case_id is not None
        else RiskAssessment.conversation_id == conversation_id
    )
    return list(db.session.scalars(select(RiskAssessment).where(where).order_by(
        RiskAssessment.id.desc()
    )))  # fmt: skip


def level_of_case(case_id: int) -> str | None:
    assessment = current_assessment(case_id=case_id)
    return assessment.level if assessment is not None else None


def plan_of(case_id: int) -> SafeguardingPlan | None:
    return db.session.scalar(select(SafeguardingPlan).filter_by(case_id=case_id))


def check_ins_of(case_id: int) -> list[CheckIn]:
    """Open ones first (soonest due first), then the recorded ones (newest first)."""
    rows = db.session.scalars(select(CheckIn).filter_by(case_id=case_id).order_by(CheckIn.id))
    rows = list(rows)
    open_ones = sorted((c for c in rows if c.is_open), key=lambda c: (c.due_on, c.id))
    done = sorted((c for c in rows if not c.is_open), key=lambda c: c.id, reverse=True)
    return open_ones + done


def next_check_in(case_id: int) -> CheckIn | None:
    rows = [c for c in check_ins_of(case_id) if c.is_open]
    return rows[0] if rows else None


def open_check_ins(owner_id: int | None) -> list[CheckIn]:
    """The check-ins not recorded yet of a CSO's open cases (None: every CSO's), soonest
    due first."""
    query = select(CheckIn).join(Case, Case.id == CheckIn.case_id).where(CheckIn.done_on.is_(None))
    if owner_id is not None:
        query = query.where(Case.owner_id == owner_id)
    rows = db.session.scalars(query.order_by(CheckIn.due_on, CheckIn.id))
    return [c for c in rows if c.case.is_open]


def due_unreminded(day: date) -> list[CheckIn]:
    """Open check-ins due on ``day`` or before whose assignee was not mailed yet."""
    query = select(CheckIn).where(
        CheckIn.done_on.is_(None), CheckIn.reminded.is_(False), CheckIn.due_on <= day
    )
    return list(db.session.scalars(query.order_by(CheckIn.id)))


def reports_of(case_id: int) -> list[RetaliationReport]:
    query = select(RetaliationReport).filter_by(case_id=case_id)
    return list(db.session.scalars(query.order_by(RetaliationReport.id.desc())))


def worker_reported(case_id: int, kind: str, month: date) -> bool:
    """Whether the worker reported this kind of retaliation on this case in this month
    (their reports are dated by the first of the month)."""
    query = select(RetaliationReport.id).filter_by(
        case_id=case_id, kind=kind, by_worker=True, reported_on=month
    )
    return db.session.scalar(query.limit(1)) is not None


def brand_report_counts(buyer_id: int) -> list[tuple[str, date, dict[str, int]]]:
    """Retaliation reports on the referred cases of a brand's suppliers, as counts: (the
    supplier's name, the month, {kind: how many}), newest month first. Never a case:
    the supplier knows its cases' references, so a reference would tell it who spoke."""
    cases = {c.id: c for c in case_queries.cases_of_suppliers(buyer_id)}
    if not cases:
        return []
    query = select(RetaliationReport).where(RetaliationReport.case_id.in_(list(cases)))
    counts: dict[tuple[str, date], dict[str, int]] = {}
    for report in db.session.scalars(query):
        key = (cases[report.case_id].organisation.name, report.reported_on.replace(day=1))
        kinds = counts.setdefault(key, {})
        kinds[report.kind] = kinds.get(report.kind, 0) + 1
    rows = sorted(counts.items(), key=lambda row: row[0][0])  # by supplier, then
    rows.sort(key=lambda row: row[0][1], reverse=True)  # newest month first (stable)
    return [(name, month, dict(sorted(kinds.items()))) for (name, month), kinds in rows]


def setting_of(user_id: int) -> OnCall | None:
    return db.session.scalar(select(OnCall).filter_by(user_id=user_id))


def caseworkers_of(cso_id: int) -> list[User]:
    """The active caseworkers of a CSO."""
    query = select(User).where(
        User.role == Role.CASEWORKER, User.organisation_id == cso_id, User.active.is_(True)
    )
    return list(db.session.scalars(query.order_by(User.email)))


def roster(cso_id: int) -> list[tuple[User, OnCall | None]]:
    """Each active caseworker of a CSO with their settings (None: never set)."""
    people = caseworkers_of(cso_id)
    settings = {
        s.user_id: s
        for s in db.session.scalars(
            select(OnCall).where(OnCall.user_id.in_([u.id for u in people] or [0]))
        )
    }
    return [(person, settings.get(person.id)) for person in people]


def on_call(cso_id: int) -> list[User]:
    """Who is on call for a CSO now."""
    return [person for person, setting in roster(cso_id) if setting and setting.on_call]


def consents_of(case_id: int) -> list[ConsentRecord]:
    query = select(ConsentRecord).filter_by(case_id=case_id).order_by(ConsentRecord.id.desc())
    return list(db.session.scalars(query))
