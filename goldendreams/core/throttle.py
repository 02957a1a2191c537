"""Budgets of failed tries (wrong tracking codes, wrong passwords) in the rate-limit store.

Flask-Limiter's decorators check a limit before the view runs and so refuse a request
without looking at it. Where only failures may count, and a refusal must keep what the
person typed, views ask a ``FailureBudget`` themselves: ``exhausted()`` before the attempt,
``spend()`` after a failed one. Successes never spend anything. The counts live in the
limiter's storage (memory, or Redis shared by every worker and server) under keys that hold
no address (``core.security.client_key``) and no email (a keyed hash).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from limits import RateLimitItem, parse_many

from goldendreams.extensions import limiter


@dataclass(frozen=True)
class FailureBudget:
    """``setting`` names a limit such as "3 per minute;6 per 15 minutes" (several windows
    make the waits grow: progressive); ``scope`` and ``key`` say whose tries these are."""

    setting: str
    scope: str
    key: str

    def _limits(self) -> list[RateLimitItem]:
        return parse_many(current_app.config[self.setting])

    def _enabled(self) -> bool:
        return bool(current_app.config.get("RATELIMIT_ENABLED", True))

    def exhausted(self) -> bool:
        """True when one more failure is not allowed now."""
        if not self._enabled():
            return False
        return any(not limiter.limiter.test(item, self.scope, self.key) for item in self._limits())

    def spend(self) -> None:
        """Count one failed try in every window."""
        if self._enabled():
            for item in self._limits():
                limiter.limiter.hit(item, self.scope, self.key)

    def clear(self) -> None:
        for item in self._limits():
            limiter.limiter.clear(item, self.scope, self.key)


def counter(name: str) -> int:
    """A plain counter in the limiter's store (0 when absent)."""
    return int(limiter.storage.get(name) or 0)


def bump(name: str, keep_seconds: int) -> int:
    """Add one to a plain counter kept ``keep_seconds`` after its last change."""
    return limiter.storage.incr(name, keep_seconds)
