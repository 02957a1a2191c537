"""Queued work of plans: the daily reminder of steps that became overdue."""

from __future__ import annotations

import logging

from goldendreams.core import queue
from goldendreams.core.base import today
from goldendreams.plans import notices

log = logging.getLogger("goldendreams.plans")


# 00:00 UTC = 07:00 in Bangkok: organisations read it at the start of their working day.
@queue.periodic_task(queue.crontab(minute="0", hour="0"))
def remind_overdue_items() -> int:
    """Mail organisation staff about plan steps that became overdue (each step once)."""
    sent = notices.remind_overdue(today())
    log.info("sent %d overdue plan step reminders", sent)
    return sent
