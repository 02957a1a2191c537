"""Fake platform APIs, one module per platform, all on one local server (their paths do not
overlap): each module's ``register(fake, credentials)`` adds its endpoints."""

from __future__ import annotations

from tests.channels.fake_platform import FakePlatform
from tests.channels.fakes import line, meta, telegram, twilio, viber


def all_platforms(credentials: dict) -> FakePlatform:
    fake = FakePlatform()
    for module in (meta, viber, line, telegram, twilio):
        module.register(fake, credentials)
    return fake
