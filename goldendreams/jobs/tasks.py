"""Queued work of jobs: the daily purge of applicants' personal data, the daily digest of
new applications."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app

from goldendreams.core import queue
from goldendreams.core.base import today
from goldendreams.jobs import notices, services

log = logging.getLogger("goldendreams.jobs")


# 19:30 UTC = 02:30 in Bangkok (the same service as `flask purge`).
@queue.periodic_task(queue.crontab(minute="30", hour="19"))
def purge_applications() -> int:
    """Remove applicants' personal data APPLICATION_RETENTION_DAYS after their job closed."""
    count = services.purge(current_app.config["APPLICATION_RETENTION_DAYS"])
    log.info("purged the personal data of %d applications", count)
    return count


# 00:00 UTC = 07:00 in Bangkok: yesterday's applications, whole, at the start of the day.
@queue.periodic_task(queue.crontab(minute="0", hour="0"))
def applications_digest() -> int:
    """Mail each agency's staff the number of applications its jobs got yesterday."""
    sent = notices.applications_digest(today() - timedelta(days=1))
    log.info("sent %d new-application digests", sent)
    return sent
