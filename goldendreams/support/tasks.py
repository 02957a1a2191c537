"""Queued work of referrals to services: the daily reminder of overdue follow-ups."""

from __future__ import annotations

import logging

from goldendreams.core import queue
from goldendreams.core.base import today
from goldendreams.support import notices

log = logging.getLogger("goldendreams.support")


# 00:00 UTC = 07:00 in Bangkok: caseworkers read it at the start of their working day.
@queue.periodic_task(queue.crontab(minute="0", hour="0"))
def remind_overdue_referrals() -> int:
    """Mail caseworkers about referrals to services whose follow-up date has passed (each
    date once; a missed day is caught up)."""
    sent = notices.remind_overdue(today())
    log.info("sent %d reminders of overdue referrals to services", sent)
    return sent
