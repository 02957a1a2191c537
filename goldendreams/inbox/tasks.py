"""Queued work of the inbox: the daily erasure of workers' contacts kept longer than
CONTACT_RETENTION_DAYS (a closed conversation erases its contact at once)."""

from __future__ import annotations

import logging

from goldendreams.core import queue
from goldendreams.inbox import services

log = logging.getLogger("goldendreams.inbox")


# 19:15 UTC = 02:15 in Bangkok: the quiet hour, beside the applicants' purge (19:30).
@queue.periodic_task(queue.crontab(minute="15", hour="19"))
def erase_expired_contacts() -> int:
    """Erase every worker's contact given more than CONTACT_RETENTION_DAYS ago."""
    erased = services.erase_expired_contacts()
    log.info("erased %d contacts past their retention", erased)
    return erased
