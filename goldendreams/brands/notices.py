"""The e-mails of escalations: to a brand's staff when a case is escalated to it and, once,
when its acknowledgement is late; to the escalating CSO's caseworkers when a brand
acknowledges or commits. Called inside the transaction of the change; the mails leave after
commit. Only the organisation's and brand's names, labels, counts, dates and links: never
the CSO's note, a case's summary or anything a worker said.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from goldendreams.accounts import notifications
from goldendreams.accounts.notifications import NotificationKind
from goldendreams.brands import choices
from goldendreams.brands.models import BrandEscalation, Escalation
from goldendreams.core import mail
from goldendreams.core.auth import Role
from goldendreams.extensions import db


def _brand_staff(brand_id: int) -> list:
    return [u for u in notifications.staff_of(brand_id) if u.role == Role.BRAND]


def escalated(escalation: Escalation) -> None:
    """Each brand's staff hear that a case (or a pattern) at their supplier was escalated
    to them, with the deadline to acknowledge."""
    for part in escalation.brands:
        notifications.notify(
            _brand_staff(part.brand_id),
            NotificationKind.ESCALATION_RECEIVED,
            "notify_escalation_received",
            organisation_name=escalation.organisation.name,
            cso_name=escalation.cso.name,
            reason=choices.REASON_LABELS[escalation.reason],
            cases=len(escalation.cases),
            due=part.ack_due_on,
            link=mail.site_url("brands.escalation", escalation_id=part.public_id),
        )


def answered(part: BrandEscalation, acknowledged: bool) -> None:
    """The escalating CSO's caseworkers hear that a brand acknowledged or committed."""
    caseworkers = [
        u for u in notifications.staff_of(part.escalation.cso_id) if u.role == Role.CASEWORKER
    ]
    notifications.notify(
        caseworkers,
        NotificationKind.ESCALATION_ANSWERED,
        "notify_escalation_answered",
        brand_name=part.brand.name,
        organisation_name=part.escalation.organisation.name,
        acknowledged=acknowledged,
        link=mail.site_url("brands_cso.escalation", escalation_id=part.escalation.public_id),
    )


def remind_overdue(day: date) -> int:
    """Remind each brand once of an escalation it has not acknowledged by its deadline
    (``BrandEscalation.reminded_on``: a second run sends nothing; a missed day is caught
    up). Returns how many mails were sent."""
    late = db.session.scalars(
        select(BrandEscalation)
        .where(
            BrandEscalation.acknowledged_on.is_(None),
            BrandEscalation.reminded_on.is_(None),
            BrandEscalation.ack_due_on < day,
        )
        .order_by(BrandEscalation.id)
    )
    sent = 0
    for part in late:
        part.reminded_on = day
        sent += notifications.notify(
            _brand_staff(part.brand_id),
            NotificationKind.ESCALATION_OVERDUE,
            "notify_escalation_overdue",
            organisation_name=part.escalation.organisation.name,
            due=part.ack_due_on,
            link=mail.site_url("brands.escalation", escalation_id=part.public_id),
        )
    db.session.commit()  # the mails leave once the transaction ends
    return sent
