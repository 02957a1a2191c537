"""Queued work of escalations: the daily reminder of acknowledgements that are late."""

from __future__ import annotations

import logging

from goldendreams.brands import notices
from goldendreams.core import queue
from goldendreams.core.base import today

log = logging.getLogger("goldendreams.brands")


# 00:00 UTC = 07:00 in Bangkok: brands' staff read it at the start of their working day.
@queue.periodic_task(queue.crontab(minute="0", hour="0"))
def remind_overdue_acknowledgements() -> int:
    """Mail a brand's staff, once, about each escalation it has not acknowledged in time."""
    sent = notices.remind_overdue(today())
    log.info("sent %d reminders of escalations not acknowledged", sent)
    return sent
