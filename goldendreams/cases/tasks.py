"""Queued work of cases: the daily reminder of stage deadlines two days away."""

from __future__ import annotations

import logging

from goldendreams.cases import notices
from goldendreams.core import queue
from goldendreams.core.base import today

log = logging.getLogger("goldendreams.cases")


# 00:00 UTC = 07:00 in Bangkok: organisations read it at the start of their working day.
@queue.periodic_task(queue.crontab(minute="0", hour="0"))
def remind_deadlines() -> int:
    """Mail organisation staff about their cases whose stage ends within two days (each
    case and stage once; a missed day is caught up)."""
    sent = notices.remind_deadlines(today())
    log.info("sent %d stage deadline reminders", sent)
    return sent
