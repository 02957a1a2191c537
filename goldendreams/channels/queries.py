"""Reading the channels' state for admins (/staff/channels) and operators (`flask
channels status`): each platform on or off (and which settings it lacks, by name: never
their values), the address its webhook must be registered at, who owns its account, and
how many conversations came in on it lately.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from goldendreams.agencies.models import Organisation
from goldendreams.channels.adapters import ADAPTERS
from goldendreams.channels.adapters.base import Adapter
from goldendreams.channels.models import ChannelAccount, Platform
from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.inbox import choices as inbox_choices
from goldendreams.inbox import queries as inbox_queries

#: Every setting name operators see carries this prefix (config.py reads it).
PREFIX = "GOLDENDREAMS_"
#: The admin page counts the conversations opened in this many days.
RECENT_DAYS = 30


@dataclass(frozen=True)
class PlatformState:
    """One platform as admins and operators see it: no credential, no worker."""

    platform: Platform
    label: str
    enabled: bool
    #: The settings still to set for the platform to be on, with their prefix.
    missing: list[str]
    webhook_url: str
    #: Can ``flask channels webhook <name>`` register the address (Telegram, Viber), or is
    #: it set in the platform's console (README)?
    registers_by_command: bool


def webhook_url(config, platform: Platform) -> str:
    """The address a platform must send its deliveries to, built on SITE_URL (the address
    the platform reaches the site at; SMS signatures cover it, so it must be exact)."""
    return f"{str(config['SITE_URL']).rstrip('/')}/channels/{platform}/webhook"


def platform_states(config) -> list[PlatformState]:
    """Every platform, in the order of ``Platform``."""
    states = []
    for platform in Platform:
        adapter_class = ADAPTERS[platform]
        missing = [PREFIX + name for name in adapter_class.required if not config.get(name)]
        states.append(
            PlatformState(
                platform=platform,
                label=str(inbox_choices.CHANNELS[platform]),
                enabled=not missing,
                missing=missing,
                webhook_url=webhook_url(config, platform),
                registers_by_command=(
                    adapter_class.register_webhook is not Adapter.register_webhook
                ),
            )
        )
    return states


def owners() -> dict[str, Organisation | None]:
    """Who owns each platform's account: a CSO, or None for the network (routing rules)."""
    accounts = db.session.scalars(select(ChannelAccount).options(joinedload(ChannelAccount.owner)))
    found = {account.platform: account.owner for account in accounts}
    return {platform: found.get(platform) for platform in Platform}


def recent_conversations() -> dict[str, int]:
    """Conversations opened in the last RECENT_DAYS days, per platform (0 when none)."""
    counts = inbox_queries.opened_by_channel(today() - timedelta(days=RECENT_DAYS - 1))
    return {platform: counts.get(platform, 0) for platform in Platform}


def csos() -> list[Organisation]:
    """The organisations that may own an account: the network's CSOs, by name."""
    return inbox_queries.csos()
