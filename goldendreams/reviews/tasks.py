"""Queued work of reviews: the daily recomputation of organisation scores."""

from __future__ import annotations

import logging

from flask import current_app

from goldendreams.core import queue
from goldendreams.reviews import scores

log = logging.getLogger("goldendreams.reviews")


# 17:05 UTC = 00:05 in Bangkok: just after the site's day turns (SITE_TIMEZONE), fee figures
# take in the reviews published the day before (the same work as `flask rescore`).
@queue.periodic_task(queue.crontab(minute="5", hour="17"))
def rescore() -> int:
    """Recompute every organisation's review scores."""
    config = current_app.config
    count = scores.recompute_all(config["REVIEW_MIN_FOR_SCORES"], config["FEE_MIN_FOR_SCORES"])
    log.info("recomputed the scores of %d organisations", count)
    return count
