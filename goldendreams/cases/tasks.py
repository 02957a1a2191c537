"""Queued work of cases: daily reminders (stage deadlines two days away, offers waiting
for an answer) and the associations' monthly figures."""

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


# 00:00 UTC = 07:00 in Bangkok.
@queue.periodic_task(queue.crontab(minute="0", hour="0"))
def remind_waiting_referrals() -> int:
    """Mail the receivers of every offer still waiting for their answer (see
    notices.remind_waiting_referrals)."""
    sent = notices.remind_waiting_referrals()
    log.info("sent %d reminders of waiting referrals", sent)
    return sent


# 01:00 UTC on the first of the month = 08:00 in Bangkok.
@queue.periodic_task(queue.crontab(minute="0", hour="1", day="1"))
def member_figures() -> int:
    """Mail industry associations' staff last month's case counts at their members (each
    figure under 3 hidden)."""
    sent = notices.member_figures(today())
    log.info("sent %d monthly member figures", sent)
    return sent
