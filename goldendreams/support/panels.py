"""What referrals to services add to the caseworker's case page (cases/case.html): at the
top, the overdue follow-ups; lower down, the case's referrals and the way to make one.

Conversations get nothing yet: support sits below inbox in the import order, so it cannot
ask inbox.permissions who may act on a conversation. A worker in a conversation is referred
once a case is opened from it.
"""

from __future__ import annotations

from goldendreams.core.base import today
from goldendreams.support import permissions, queries


def case_top(case, **_page) -> dict | None:
    """The overdue referrals of the case, for those who run it; nothing when none is."""
    if not permissions.may_see_service_referrals_now(case):
        return None
    day = today()
    overdue = [r for r in queries.of_case(case.id) if r.overdue_on(day)]
    return {"overdue_service_referrals": overdue} if overdue else None


def case(case, **_page) -> dict | None:
    """The case's referrals to services, and the link to make one."""
    if not permissions.may_see_service_referrals_now(case):
        return None
    return {"service_referrals": queries.of_case(case.id), "support_today": today()}
