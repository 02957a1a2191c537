"""Reading collective cases: lists, schedules, and the totals returned to workers.

Only payments the CSO confirmed count in any total. What brands and the public read is
counted from collective cases covering 3 workers or more (an amount over one or two
workers could tell what each got), once one of their cases was sent to the organisation,
and rounded to a coarse step so that it does not move with each payment.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import ROUND_DOWN, Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from goldendreams.agencies.models import LinkKind, Organisation, OrganisationLink
from goldendreams.cases import permissions as case_permissions
from goldendreams.cases import queries as case_queries
from goldendreams.cases.models import Case, CaseEvent
from goldendreams.collective.models import (
    CollectiveCase,
    CollectiveMember,
    CollectiveStatus,
    Instalment,
    InstalmentState,
)
from goldendreams.core.base import today
from goldendreams.extensions import db

#: Public and brand totals keep this many significant digits (452,316 → 450,000).
SIGNIFICANT_DIGITS = 2

Totals = dict[str, Decimal]


def _load(query) -> list[CollectiveCase]:
    options = (
        selectinload(CollectiveCase.organisation),
        selectinload(CollectiveCase.instalments),
        selectinload(CollectiveCase.members)
        .selectinload(CollectiveMember.case)
        .selectinload(Case.events),
    )
    return list(db.session.scalars(query.options(*options)))


def collectives_run_by(user) -> list[CollectiveCase]:
    """The collective cases of the user's CSO (admins: every one), open ones first."""
    query = select(CollectiveCase).order_by(CollectiveCase.status.desc(), CollectiveCase.id.desc())
    if not case_permissions.is_admin(user):
        query = query.filter_by(owner_id=user.organisation_id)
    return _load(query)


def collective_of(case: Case) -> CollectiveCase | None:
    """The collective case a case is grouped under, if any."""
    member = db.session.get(CollectiveMember, case.id)
    return member.collective if member else None


def covered_cases(case: Case) -> list[Case]:
    """The cases grouped with ``case`` under its collective case (itself included), or
    ``[case]`` when it stands alone."""
    collective = collective_of(case)
    return collective.cases if collective else [case]


def open_collectives_for(case: Case) -> list[CollectiveCase]:
    """The open collective cases ``case`` could join: its CSO's, about its organisation."""
    query = select(CollectiveCase).filter_by(
        owner_id=case.owner_id,
        organisation_id=case.organisation_id,
        status=CollectiveStatus.OPEN,
    )
    return list(db.session.scalars(query.order_by(CollectiveCase.id.desc())))


def groupable_cases(collective: CollectiveCase) -> list[Case]:
    """The CSO's open cases about the same organisation that belong to no collective."""
    grouped = select(CollectiveMember.case_id)
    query = (
        select(Case)
        .where(
            Case.owner_id == collective.owner_id,
            Case.organisation_id == collective.organisation_id,
            Case.id.not_in(grouped),
        )
        .order_by(Case.id.desc())
    )
    return [case for case in db.session.scalars(query) if case.is_open]


def shared_collectives_of(organisation_id: int) -> list[CollectiveCase]:
    """The collective cases an organisation sees: about it, one of their cases sent to it."""
    query = select(CollectiveCase).filter_by(organisation_id=organisation_id)
    found = _load(query.order_by(CollectiveCase.id.desc()))
    return [c for c in found if c.shared_with_organisation]


def is_overdue(instalment: Instalment) -> bool:
    """Due, its day passed, and the organisation has not said it paid."""
    return instalment.state == InstalmentState.DUE and instalment.due_on < today()


def overdue_count(collective: CollectiveCase) -> int:
    return sum(is_overdue(i) for i in collective.instalments)


def _add(totals: dict, currency: str, amount: Decimal | None) -> None:
    totals[currency] = totals.get(currency, Decimal(0)) + (amount or Decimal(0))


def schedule_totals(collective: CollectiveCase) -> dict[str, Totals]:
    """Per currency: what the schedule asks, what was confirmed paid, what is left."""
    planned: Totals = {}
    paid: Totals = {}
    for instalment in collective.instalments:
        _add(planned, instalment.currency, instalment.amount)
        if instalment.state == InstalmentState.CONFIRMED:
            _add(paid, instalment.currency, instalment.amount_paid)
    left = {c: max(planned[c] - paid.get(c, Decimal(0)), Decimal(0)) for c in planned}
    return {"planned": dict(sorted(planned.items())), "paid": dict(sorted(paid.items())),
            "left": dict(sorted(left.items()))}  # fmt: skip


def _shared_collectives():
    """SQL: the ids of collective cases one of whose cases was sent to the organisation."""
    referred = select(CaseEvent.case_id).where(
        CaseEvent.kind == "status", CaseEvent.status_to == "referred"
    )
    return select(CollectiveMember.collective_id).where(CollectiveMember.case_id.in_(referred))


def _confirmed(*where):
    return (
        select(Instalment.currency, func.sum(Instalment.amount_paid))
        .join(CollectiveCase, CollectiveCase.id == Instalment.collective_id)
        .where(Instalment.state == InstalmentState.CONFIRMED, *where)
        .group_by(Instalment.currency)
        .order_by(Instalment.currency)
    )


def _totals(query) -> Totals:
    return {currency: Decimal(total) for currency, total in db.session.execute(query) if total}


def _paid_where(organisation_ids, first: date, last: date, published: bool) -> list:
    """Paid from ``first`` to ``last`` at ``organisation_ids`` (None: every organisation),
    in collective cases the organisation was told of; ``published``: and only what brands
    and the public may count (``_published``: 3 workers or more, confirmed before today)."""
    where = [Instalment.paid_on.between(first, last)]
    if published:
        where.extend(_published())
    else:
        where.append(CollectiveCase.id.in_(_shared_collectives()))
    if organisation_ids is not None:
        where.append(CollectiveCase.organisation_id.in_(organisation_ids))
    return where


def paid_between(
    organisation_ids: list[int] | None, first: date, last: date, *, published: bool
) -> Totals:
    """Confirmed payments by currency, paid from ``first`` to ``last`` (both included), at
    ``organisation_ids`` (None: every organisation); only collective cases the organisation
    was told of, and with ``published`` only those brands and the public may count. For the
    trends charts (which suppress and round as they show them)."""
    return _totals(_confirmed(*_paid_where(organisation_ids, first, last, published)))


def paid_by_day(
    organisation_ids: list[int] | None, first: date, last: date, *, published: bool
) -> list[tuple[date, str, Decimal]]:
    """(day paid, currency, total) of the confirmed payments of ``paid_between``, one row per
    day and currency: the trends charts bucket them into quarters with one query."""
    where = [
        Instalment.state == InstalmentState.CONFIRMED,
        *_paid_where(organisation_ids, first, last, published),
    ]
    query = (
        select(Instalment.paid_on, Instalment.currency, func.sum(Instalment.amount_paid))
        .join(CollectiveCase, CollectiveCase.id == Instalment.collective_id)
        .where(*where)
        .group_by(Instalment.paid_on, Instalment.currency)
    )
    return [(on, currency, Decimal(total)) for on, currency, total in db.session.execute(query)]


def organisation_totals(organisation_id: int) -> Totals:
    """What an organisation paid back to workers (confirmed), exact: its own portal."""
    return _totals(
        _confirmed(
            CollectiveCase.organisation_id == organisation_id,
            CollectiveCase.id.in_(_shared_collectives()),
        )
    )


def coarse(amount: Decimal) -> int:
    """An amount rounded down to SIGNIFICANT_DIGITS digits: 452,316 → 450,000."""
    whole = int(amount.to_integral_value(ROUND_DOWN))
    if whole <= 0:
        return 0
    step = 10 ** max(len(str(whole)) - SIGNIFICANT_DIGITS, 0)
    return whole // step * step


def _published(*where):
    """Conditions for brand and public figures: 3 workers or more, told to the
    organisation, confirmed before today (they change once a day at most)."""
    day = today()
    return (
        CollectiveCase.workers_covered >= case_queries.SUPPRESS_BELOW,
        CollectiveCase.id.in_(_shared_collectives()),
        Instalment.confirmed_on < day,
        Instalment.paid_on < day,
        *where,
    )


def _coarse_totals(*where) -> list[tuple[str, int | None]]:
    """(currency, rounded total) with totals from fewer than 3 collective cases hidden."""
    query = (
        select(
            Instalment.currency,
            func.sum(Instalment.amount_paid),
            func.count(func.distinct(Instalment.collective_id)),
        )
        .join(CollectiveCase, CollectiveCase.id == Instalment.collective_id)
        .where(Instalment.state == InstalmentState.CONFIRMED, *_published(*where))
        .group_by(Instalment.currency)
        .order_by(Instalment.currency)
    )
    return [
        (currency, coarse(Decimal(total)) if case_queries.suppressed(count) else None)
        for currency, total, count in db.session.execute(query)
    ]


def supply_chain_ids(buyer_id: int) -> list[int]:
    """A brand's suppliers, and the agencies that recruit for them."""
    suppliers = case_queries.supplier_ids(buyer_id)
    agencies = select(OrganisationLink.source_id).where(
        OrganisationLink.kind == LinkKind.RECRUITS_FOR,
        OrganisationLink.target_id.in_(suppliers),
    )
    return sorted(set(suppliers) | set(db.session.scalars(agencies)))


def supply_chain_totals(buyer_id: int) -> dict:
    """What a brand's supply chain paid back to workers: in all, and by organisation,
    each rounded, each from 3 collective cases or more (else hidden)."""
    ids = supply_chain_ids(buyer_id)
    by_organisation = defaultdict(list)
    query = select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
    names = dict(db.session.execute(query).all())
    for organisation_id in ids:
        rows = _coarse_totals(CollectiveCase.organisation_id == organisation_id)
        if rows:
            by_organisation[names[organisation_id]] = rows
    return {
        "total": _coarse_totals(CollectiveCase.organisation_id.in_(ids)),
        "by_organisation": sorted(by_organisation.items()),
    }


def public_totals() -> dict:
    """The public figures: money returned to workers through collective remedies, by
    currency (rounded, hidden when from fewer than 3), and the workers those remedies
    cover (hidden under 3)."""
    covered = (
        select(CollectiveCase.id, CollectiveCase.workers_covered)
        .join(Instalment, Instalment.collective_id == CollectiveCase.id)
        .where(Instalment.state == InstalmentState.CONFIRMED, *_published())
        .distinct()
    )
    workers = sum(count for _id, count in db.session.execute(covered))
    return {
        "totals": _coarse_totals(),
        "workers": case_queries.suppressed(workers),
    }
