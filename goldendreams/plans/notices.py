"""The e-mails plans send: a step past its due date, to the organisation's staff (once per
step). The plan's title, the step's due date and a link: never a case's summary or a
worker's words (a plan holds none)."""

from __future__ import annotations

from datetime import date

from goldendreams.accounts import notifications
from goldendreams.accounts.notifications import NotificationKind
from goldendreams.core import mail
from goldendreams.extensions import db
from goldendreams.plans import queries


def remind_overdue(day: date) -> int:
    """Tell each organisation of its steps that became overdue (due before ``day``, not
    verified, in a plan under way), each step once (``overdue_notified_on``): a day the
    scheduler missed is caught up, a second run sends nothing. Returns how many mails."""
    sent = 0
    for item in queries.items_newly_overdue(day):
        item.overdue_notified_on = day
        plan = item.plan
        sent += notifications.notify(
            notifications.staff_of(plan.organisation_id),
            NotificationKind.PLAN_ITEM_OVERDUE,
            "notify_plan_item_overdue",
            plan_title=plan.title,
            due=item.due_on,
            link=mail.site_url(
                "plans_portal.plan", org_id=plan.organisation_id, plan_id=plan.public_id
            ),
        )
    db.session.commit()  # the mails leave once the transaction ends
    return sent
