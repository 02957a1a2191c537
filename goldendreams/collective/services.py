"""Writing collective cases: start one, group cases, beneficiary lines, the repayment
schedule (the organisation reports a payment, the CSO confirms it), close.

One transaction per call, one audit entry per call. Totals count confirmed payments only;
these payments are not also written as case remediation events (trends adds both).
"""

from __future__ import annotations

import secrets
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from goldendreams.agencies.models import CASE_KINDS
from goldendreams.cases.models import Case
from goldendreams.cases.services import CURRENCIES
from goldendreams.collective import notices, permissions, queries
from goldendreams.collective.models import (
    Beneficiary,
    CollectiveCase,
    CollectiveMember,
    CollectiveStatus,
    Grouping,
    Instalment,
    InstalmentState,
    PaymentMethod,
)
from goldendreams.core import audit, tracking
from goldendreams.core.base import today
from goldendreams.core.text import normalise
from goldendreams.extensions import db

TEXT_MAX = 2000
LABEL_MAX = 200
AMOUNT_MAX = Decimal(10**9)
WORKERS_MAX = 100_000
#: How far back a payment date may lie, and how far ahead a due date (years).
YEARS_BACK = 10
YEARS_AHEAD = 10


class CollectiveError(ValueError):
    """A rule of collective cases was broken; ``str(error)`` is a translated message."""


def _deny() -> CollectiveError:
    return CollectiveError(_l("Your role cannot make this step."))


def _text(value: str | None, limit: int, required: bool = False) -> str | None:
    text = normalise(value or "").text or None
    if required and not text:
        raise CollectiveError(_l("Please write something."))
    if text and len(text) > limit:
        raise CollectiveError(_l("This is too long."))
    return text


def _amount(value, allow_zero: bool = False) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite():
        raise CollectiveError(_l("Enter the amount as a number."))
    low_ok = value >= 0 if allow_zero else value > 0
    if not low_ok or value >= AMOUNT_MAX:
        raise CollectiveError(_l("Enter an amount above 0 and below 1,000,000,000."))
    return value.quantize(Decimal("0.01"))


def _currency(value: str | None) -> str:
    if value not in CURRENCIES:
        raise CollectiveError(_l("Choose a currency from the list."))
    return value


def _workers(value) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= WORKERS_MAX:
        raise CollectiveError(_l("Enter how many workers: from 1 to 100,000."))
    return value


def _day(value, past_only: bool = False) -> date:
    """A date within YEARS_BACK before and YEARS_AHEAD after today (not after today for
    a payment: nobody pays tomorrow)."""
    if not isinstance(value, date):
        raise CollectiveError(_l("Enter a date like 2026-01-31."))
    now = today()
    earliest = now.replace(year=now.year - YEARS_BACK, day=min(now.day, 28))
    latest = now if past_only else now.replace(year=now.year + YEARS_AHEAD, day=min(now.day, 28))
    if not earliest <= value <= latest:
        if past_only:
            raise CollectiveError(_l("Enter a day that has passed (or today)."))
        raise CollectiveError(_l("Enter a date within ten years."))
    return value


def _reference(on: date) -> str:
    # Random, like a case's: a sequence would tell organisations how many were opened.
    return f"ILM-C-{on.year}-" + "".join(secrets.choice(tracking.ALPHABET) for _ in range(8))


def start(
    actor, case: Case, grouping: str, description: str | None, workers: int
) -> CollectiveCase:
    """Start a collective case from a case one runs: its CSO owns it, it is about the
    case's organisation, and the case is its first grouped case."""
    if not permissions.may_start_from(actor, case):
        raise _deny()
    if queries.collective_of(case) is not None:
        raise CollectiveError(_l("This case belongs to a collective case already."))
    if case.organisation.kind not in CASE_KINDS:
        raise CollectiveError(_l("Collective cases are about employers and agencies."))
    if grouping not in set(Grouping):
        raise CollectiveError(_l("Choose what groups the workers from the list."))
    collective = CollectiveCase(
        owner_id=case.owner_id, organisation_id=case.organisation_id, grouping=grouping,
        description=_text(description, TEXT_MAX), workers_covered=_workers(workers),
        opened_on=today(), reference=_reference(today()),
        created_by_id=getattr(actor, "id", None),
    )  # fmt: skip
    db.session.add(collective)
    collective.members.append(CollectiveMember(case=case, added_on=today()))
    db.session.flush()
    audit.record(actor, "collective.start", "collective", collective.id, case_id=case.id)
    db.session.commit()
    return collective


def edit(
    actor, collective: CollectiveCase, grouping: str, description: str | None, workers: int
) -> None:
    """Change what groups the workers, the internal description, how many are covered."""
    if not permissions.may_change(actor, collective):
        raise _deny()
    if grouping not in set(Grouping):
        raise CollectiveError(_l("Choose what groups the workers from the list."))
    collective.grouping = grouping
    collective.description = _text(description, TEXT_MAX)
    collective.workers_covered = _workers(workers)
    audit.record(actor, "collective.edit", "collective", collective.id, workers=workers)
    db.session.commit()


def add_case(actor, collective: CollectiveCase, case: Case) -> None:
    """Group a case under an open collective case (it leaves none: a case belongs to one
    collective at most; move it by removing it first)."""
    if not permissions.may_group(actor, collective, case):
        raise CollectiveError(_l("This case cannot join this collective case."))
    if queries.collective_of(case) is not None:
        raise CollectiveError(_l("This case belongs to a collective case already."))
    collective.members.append(CollectiveMember(case=case, added_on=today()))
    audit.record(actor, "collective.add_case", "collective", collective.id, case_id=case.id)
    db.session.commit()


def remove_case(actor, collective: CollectiveCase, case: Case) -> None:
    """Take a case out of a collective case (the last one stays: a collective case stands
    on at least one case)."""
    if not permissions.may_change(actor, collective):
        raise _deny()
    member = next((m for m in collective.members if m.case_id == case.id), None)
    if member is None:
        raise CollectiveError(_l("This case is not part of this collective case."))
    if len(collective.members) == 1:
        raise CollectiveError(_l("A collective case keeps at least one case."))
    collective.members.remove(member)
    db.session.delete(member)
    audit.record(actor, "collective.remove_case", "collective", collective.id, case_id=case.id)
    db.session.commit()


def set_status(actor, collective: CollectiveCase, close: bool) -> None:
    """Close a collective case (nothing more changes) or open it again."""
    allowed = permissions.may_close if close else permissions.may_reopen
    if not allowed(actor, collective):
        raise _deny()
    collective.status = CollectiveStatus.CLOSED if close else CollectiveStatus.OPEN
    collective.closed_on = today() if close else None
    audit.record(actor, "collective.close" if close else "collective.reopen", "collective",
                 collective.id)  # fmt: skip
    db.session.commit()


# --- beneficiary lines (inside the CSO) ---------------------------------------------------


def _line_fields(label, owed, paid, currency, paid_on, paid_how) -> dict:
    owed = _amount(owed)
    paid = _amount(paid if paid is not None else Decimal(0), allow_zero=True)
    if paid and (paid_on is None or paid_how not in set(PaymentMethod)):
        raise CollectiveError(_l("Say when and how the worker was paid."))
    if paid_how and paid_how not in set(PaymentMethod):
        raise CollectiveError(_l("Choose how the worker was paid from the list."))
    return {
        "label": _text(label, LABEL_MAX, required=True), "amount_owed": owed,
        "amount_paid": paid, "currency": _currency(currency),
        "paid_on": _day(paid_on, past_only=True) if paid_on is not None else None,
        "paid_how": paid_how or None,
    }  # fmt: skip


def add_beneficiary(
    actor, collective, label, owed, paid, currency, paid_on, paid_how
) -> Beneficiary:
    """Add a worker's line: a label the CSO knows them by (encrypted), owed, paid, how."""
    if not permissions.may_change(actor, collective):
        raise _deny()
    line = Beneficiary(**_line_fields(label, owed, paid, currency, paid_on, paid_how))
    collective.beneficiaries.append(line)
    db.session.flush()
    audit.record(actor, "collective.add_beneficiary", "collective", collective.id,
                 beneficiary_id=line.id)  # fmt: skip
    db.session.commit()
    return line


def edit_beneficiary(
    actor, line: Beneficiary, label, owed, paid, currency, paid_on, paid_how
) -> None:
    if not permissions.may_change(actor, line.collective):
        raise _deny()
    for name, value in _line_fields(label, owed, paid, currency, paid_on, paid_how).items():
        setattr(line, name, value)
    audit.record(actor, "collective.edit_beneficiary", "collective", line.collective_id,
                 beneficiary_id=line.id)  # fmt: skip
    db.session.commit()


def remove_beneficiary(actor, line: Beneficiary) -> None:
    if not permissions.may_change(actor, line.collective):
        raise _deny()
    audit.record(actor, "collective.remove_beneficiary", "collective", line.collective_id,
                 beneficiary_id=line.id)  # fmt: skip
    line.collective.beneficiaries.remove(line)
    db.session.commit()


# --- the repayment schedule -------------------------------------------------------------


def add_instalment(actor, collective, due_on, amount, currency) -> Instalment:
    """Add an instalment to the schedule (the organisation sees it, once told of a case)."""
    if not permissions.may_change(actor, collective):
        raise _deny()
    instalment = Instalment(
        due_on=_day(due_on), amount=_amount(amount), currency=_currency(currency),
        state=InstalmentState.DUE,
    )  # fmt: skip
    collective.instalments.append(instalment)
    db.session.flush()
    audit.record(actor, "collective.add_instalment", "collective", collective.id,
                 instalment_id=instalment.id)  # fmt: skip
    db.session.commit()
    return instalment


def remove_instalment(actor, instalment: Instalment) -> None:
    if not permissions.may_remove_instalment(actor, instalment):
        raise _deny()
    collective = instalment.collective
    audit.record(actor, "collective.remove_instalment", "collective", collective.id,
                 instalment_id=instalment.id)  # fmt: skip
    collective.instalments.remove(instalment)
    db.session.commit()


def report_payment(actor, instalment: Instalment, amount, paid_on) -> None:
    """The organisation says it paid an instalment: the CSO's caseworkers hear, and check."""
    if not permissions.may_report_payment(actor, instalment):
        raise CollectiveError(_l("This step is not possible now."))
    instalment.amount_paid = _amount(amount)
    instalment.paid_on = _day(paid_on, past_only=True)
    instalment.state, instalment.reported_on = InstalmentState.REPORTED, today()
    audit.record(actor, "collective.report_payment", "collective", instalment.collective_id,
                 instalment_id=instalment.id)  # fmt: skip
    notices.payment_reported(instalment)
    db.session.commit()


def confirm_payment(actor, instalment: Instalment, amount, paid_on) -> None:
    """The CSO confirms a payment (as reported, or as the workers say they got it): from
    now on it counts in every total."""
    if not permissions.may_confirm_payment(actor, instalment):
        raise CollectiveError(_l("This step is not possible now."))
    if not instalment.collective.is_open:
        raise CollectiveError(_l("This collective case is closed."))
    instalment.amount_paid = _amount(amount)
    instalment.paid_on = _day(paid_on, past_only=True)
    instalment.state, instalment.confirmed_on = InstalmentState.CONFIRMED, today()
    audit.record(actor, "collective.confirm_payment", "collective", instalment.collective_id,
                 instalment_id=instalment.id, currency=instalment.currency)  # fmt: skip
    db.session.commit()


def reject_report(actor, instalment: Instalment) -> None:
    """The money did not arrive: the instalment is due again (the organisation sees it)."""
    if not permissions.may_reject_report(actor, instalment):
        raise CollectiveError(_l("This step is not possible now."))
    instalment.state, instalment.amount_paid, instalment.paid_on = InstalmentState.DUE, None, None
    instalment.reported_on = None
    audit.record(actor, "collective.reject_report", "collective", instalment.collective_id,
                 instalment_id=instalment.id)  # fmt: skip
    db.session.commit()
