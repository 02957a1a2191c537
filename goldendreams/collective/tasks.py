"""Queued work of collective cases: the daily reminder of late instalments."""

from __future__ import annotations

import logging

from goldendreams.collective import notices
from goldendreams.core import queue
from goldendreams.core.base import today

log = logging.getLogger("goldendreams.collective")


# 00:00 UTC = 07:00 in Bangkok: organisations read it at the start of their working day.
@queue.periodic_task(queue.crontab(minute="0", hour="0"))
def remind_overdue_instalments() -> int:
    """Mail organisation staff about instalments whose day passed unpaid (once each)."""
    sent = notices.remind_overdue(today())
    log.info("sent %d overdue instalment reminders", sent)
    return sent
