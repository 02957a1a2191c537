"""Queued work across features: the daily digest of what waits for moderators and
caseworkers (queue size by kind, overdue cases, workers not satisfied with a fix,
conversations waiting for an answer)."""

from __future__ import annotations

import logging

from flask_babel import lazy_gettext as _l

from goldendreams.accounts import notifications
from goldendreams.accounts.notifications import NotificationKind
from goldendreams.cases import permissions as case_permissions
from goldendreams.core import mail, queue
from goldendreams.extensions import db
from goldendreams.inbox import permissions as inbox_permissions
from goldendreams.inbox import queries as inbox_queries
from goldendreams.moderation import permissions, waiting

log = logging.getLogger("goldendreams.moderation")

CASE_LABELS = {
    "overdue": _l("Overdue"),
    "new": _l("New, not yet checked"),
    "unsatisfied": _l("The worker said it is fixed only partly, or not at all"),
}


def send_staff_digest() -> int:
    """Mail each moderator and caseworker the counts of what waits for them (a caseworker:
    their CSO's cases); someone with nothing waiting gets nothing. Returns how many mails
    were sent."""
    queue_counts = {kind: count for kind, count in waiting.queue_counts().items() if count}
    case_counts: dict[int | None, dict[str, int]] = {}  # by CSO (None: the whole network)

    def cases_of(owner_id: int | None) -> dict[str, int]:
        if owner_id not in case_counts:
            counts = waiting.case_counts(owner_id).items()
            case_counts[owner_id] = {name: count for name, count in counts if count}
        return case_counts[owner_id]

    conversation_counts: dict[int | None, int] = {}

    def conversations_of(owner_id: int | None) -> int:
        if owner_id not in conversation_counts:
            conversation_counts[owner_id] = inbox_queries.waiting_count(owner_id)
        return conversation_counts[owner_id]

    sent = 0
    roles = notifications.KIND_ROLES[NotificationKind.STAFF_DIGEST]
    for user in notifications.staff_with_roles(roles):
        mine_queue = queue_counts if permissions.may_moderate(user) else {}
        mine_cases = (
            cases_of(waiting.case_owner(user)) if case_permissions.may_work_on_cases(user) else {}
        )
        mine_conversations = (
            conversations_of(waiting.case_owner(user))
            if inbox_permissions.may_use_inbox(user)
            else 0
        )
        if not (mine_queue or mine_cases or mine_conversations):
            continue
        sent += notifications.notify(
            [user],
            NotificationKind.STAFF_DIGEST,
            "notify_staff_digest",
            queue=[(waiting.QUEUE_LABELS[kind], count) for kind, count in mine_queue.items()],
            queue_total=sum(mine_queue.values()),
            queue_link=mail.site_url("moderation.queue"),
            cases=[(CASE_LABELS[name], count) for name, count in mine_cases.items()],
            cases_link=mail.site_url("cases.case_list"),
            conversations=mine_conversations,
            inbox_link=mail.site_url("inbox.conversation_list"),
        )
    db.session.commit()  # the mails leave once the transaction ends
    return sent


# 00:00 UTC = 07:00 in Bangkok: the network's staff read it at the start of their day.
@queue.periodic_task(queue.crontab(minute="0", hour="0"))
def staff_digest() -> int:
    """The daily digest of what waits (see :func:`send_staff_digest`)."""
    sent = send_staff_digest()
    log.info("sent %d staff digests", sent)
    return sent
