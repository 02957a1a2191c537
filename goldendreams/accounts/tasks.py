"""Queued work of accounts: spent invitation and reset links go after a week."""

from __future__ import annotations

import logging

from goldendreams.accounts import expiry, resets
from goldendreams.core import queue

log = logging.getLogger("goldendreams.accounts")


# 20:00 UTC = 03:00 in Bangkok, when the site is quiet.
@queue.periodic_task(queue.crontab(minute="0", hour="20"))
def delete_spent_links() -> int:
    """Delete used or expired invitations and password-reset links older than a week."""
    count = expiry.delete_spent_links()
    log.info("deleted %d spent invitation and reset links", count)
    return count


@queue.task()
def send_password_reset(email: str) -> None:
    """Mail a "forgot your password" link to the active account with this address, if any
    (queued by /login/forgot, so the page answers alike for every address)."""
    resets.request_reset(email)
