"""The e-mails collective cases send: to the owning CSO's caseworkers when the organisation
says it paid an instalment, to the organisation's staff when an instalment is late (once
per instalment). References, amounts of the schedule, dates and links only: never a
beneficiary line, a case's summary or anything a worker said.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from goldendreams.accounts import notifications
from goldendreams.accounts.notifications import NotificationKind
from goldendreams.collective.models import Instalment, InstalmentState
from goldendreams.core import mail
from goldendreams.core.auth import Role
from goldendreams.extensions import db


def payment_reported(instalment: Instalment) -> int:
    """The organisation says it paid: the caseworkers of the CSO that owns the collective
    case hear (the mail leaves once the report is committed)."""
    collective = instalment.collective
    caseworkers = [
        user for user in notifications.staff_of(collective.owner_id) if user.role == Role.CASEWORKER
    ]
    return notifications.notify(
        caseworkers,
        NotificationKind.COLLECTIVE_PAYMENT_REPORTED,
        "notify_collective_payment_reported",
        reference=collective.reference,
        organisation_name=collective.organisation.name,
        due_on=instalment.due_on,
        amount=instalment.amount_paid,
        currency=instalment.currency,
        link=mail.site_url("collective.collective", collective_id=collective.public_id),
    )


def remind_overdue(day: date) -> int:
    """Every instalment still due whose day passed before ``day``, not reminded yet, of a
    collective case the organisation was told of: its staff hear once (a day the scheduler
    missed is caught up the next). Returns how many mails were sent."""
    query = (
        select(Instalment)
        .where(
            Instalment.state == InstalmentState.DUE,
            Instalment.due_on < day,
            Instalment.reminded.is_(False),
        )
        .order_by(Instalment.id)
    )
    sent = 0
    for instalment in db.session.scalars(query):
        collective = instalment.collective
        if not collective.is_open or not collective.shared_with_organisation:
            continue
        instalment.reminded = True
        sent += notifications.notify(
            notifications.staff_of(collective.organisation_id),
            NotificationKind.INSTALMENT_OVERDUE,
            "notify_instalment_overdue",
            reference=collective.reference,
            due_on=instalment.due_on,
            amount=instalment.amount,
            currency=instalment.currency,
            link=mail.site_url(
                "collective_portal.collective",
                org_id=collective.organisation_id,
                collective_id=collective.public_id,
            ),
        )
    db.session.commit()  # the mails leave once the transaction ends
    return sent
