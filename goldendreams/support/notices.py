"""The e-mail a referral to a service sends: an overdue follow-up, to the case's assignee
(or, when nobody has the case, to its CSO's caseworkers). Once per follow-up date: a
referral whose date moves is reminded again when the new one passes.

Only the case's reference, the service's name (public) and the date: never the note, the
outcome or anything about the worker.
"""

from __future__ import annotations

from datetime import date

from goldendreams.accounts import notifications
from goldendreams.accounts.notifications import NotificationKind
from goldendreams.core import mail
from goldendreams.core.auth import Role
from goldendreams.extensions import db
from goldendreams.support import queries


def _recipients(referral) -> list:
    case = referral.case
    assignee = case.assignee
    if assignee is not None and assignee.active and assignee.organisation_id == case.owner_id:
        return [assignee]
    return [u for u in notifications.staff_of(case.owner_id) if u.role == Role.CASEWORKER]


def remind_overdue(day: date) -> int:
    """Mail about each overdue referral not reminded of for its follow-up date; returns
    how many mails went. One transaction."""
    sent = 0
    for referral in queries.overdue_to_remind(day):
        sent += notifications.notify(
            _recipients(referral),
            NotificationKind.SERVICE_REFERRAL_OVERDUE,
            "notify_service_referral_overdue",
            reference=referral.case.reference,
            service_name=referral.service.name,
            follow_up_on=referral.follow_up_on,
            link=mail.site_url("cases.case", case_id=referral.case_id),
        )
        referral.reminded_for = referral.follow_up_on
    db.session.commit()
    return sent
