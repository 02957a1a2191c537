"""Queued work of the channels besides handling and sending (handling.py, sending.py): the
sweep that queues again what a stopped consumer left, and the daily purge of old delivery
keys."""

from __future__ import annotations

import logging

from goldendreams.channels import services
from goldendreams.core import queue

log = logging.getLogger("goldendreams.channels")


@queue.periodic_task(queue.crontab(minute="*"))
def sweep_deliveries() -> int:
    """Every minute: deliveries waiting since the last sweep are queued again."""
    queued = services.sweep()
    if queued:
        log.warning("queued %d deliveries again", queued)
    return queued


# 19:20 UTC = 02:20 in Bangkok, beside the contacts' erasure (19:15).
@queue.periodic_task(queue.crontab(minute="20", hour="19"))
def purge_deliveries() -> int:
    return services.purge_deliveries()
