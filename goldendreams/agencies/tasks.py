"""Queued work of the directory: erasing refused profile claims' personal data."""

from __future__ import annotations

import logging

from goldendreams.agencies import claims
from goldendreams.core import queue

log = logging.getLogger("goldendreams.agencies")


# 20:40 UTC = 03:40 in Bangkok, a quiet hour.
@queue.periodic_task(queue.crontab(minute="40", hour="20"))
def purge_refused_claims() -> int:
    """Erase who asked, in claims refused ``CLAIM_RETENTION_DAYS`` ago or more (daily)."""
    count = claims.purge_refused()
    if count:
        log.info("erased the personal data of %d refused profile claims", count)
    return count
