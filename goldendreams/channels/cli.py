"""``flask channels``: the messaging apps for operators.

``status`` says which platforms are on (and the settings an off one lacks, by name) and
the webhook address to register with each; ``webhook <name>`` registers that address with
platforms that take it through their API (Telegram, Viber). Nothing printed holds a
credential or anything of a worker.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from goldendreams.channels import queries
from goldendreams.channels.adapters import adapter_for
from goldendreams.channels.adapters.base import PlatformError
from goldendreams.channels.models import Platform

channels = AppGroup("channels", help="The messaging apps: their state and their webhooks.")


@channels.command("status")
def status_command() -> None:
    """Each platform on or off, and the webhook address to register with it."""
    for state in queries.platform_states(current_app.config):
        click.echo(f"{state.platform:<10} {'on' if state.enabled else 'off':<4} "
                   f"{state.webhook_url}")  # fmt: skip
        if state.missing:
            click.echo(f"{'':<15} not set: {', '.join(state.missing)}")


@channels.command("webhook")
@click.argument("name", type=click.Choice([str(p) for p in Platform]))
def webhook_command(name: str) -> None:
    """Tell the platform NAME where to send workers' messages: SITE_URL +
    /channels/NAME/webhook (the site must be reachable there over https)."""
    platform = Platform(name)
    adapter = adapter_for(name)
    if adapter is None:
        state = next(s for s in queries.platform_states(current_app.config)
                     if s.platform == platform)  # fmt: skip
        raise click.ClickException(f"{name} is off: set {', '.join(state.missing)}")
    url = queries.webhook_url(current_app.config, platform)
    try:
        answer = adapter.register_webhook(url)
    except PlatformError as error:
        raise click.ClickException(f"{name}: {error.reason}") from None
    click.echo(f"{url}: {answer}")
