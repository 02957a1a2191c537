"""The ``flask`` commands: demo data, user accounts, search, backups."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from goldendreams.config import LOCALES
from goldendreams.core.auth import Role
from goldendreams.extensions import db

users = AppGroup("users", help="Manage staff accounts.")


@click.command("demo")
def demo_command() -> None:
    """Load fictional demo data (organisations, links, one user per role)."""
    from goldendreams import demo

    try:
        logins = demo.load()
    except demo.RealDataPresent as error:
        raise click.ClickException(str(error)) from error
    click.echo("Demo data is loaded. All of it is fictional.")
    click.echo(f"Demo logins (password for each: {demo.DEMO_PASSWORD}):")
    for login in logins:
        # Which organisation an account speaks for decides what it sees: say so.
        belongs = login.organisation or "no organisation: staff of the whole site"
        click.echo(f"  {login.label:<17} {login.email:<38} {belongs}")
    roles = ", ".join(current_app.config["TWO_FACTOR_ROLES"])
    click.echo(
        f"Two-step login: {roles} set it up at their first login "
        "(an authenticator app on a phone scans the QR code shown)."
    )
    click.echo(
        "caseworker+admin: a caseworker who is also the admin of their CSO "
        "(invites caseworkers and mobilizers)."
    )
    click.echo("Never load demo data on a site that real people use.")


def _find_organisation(value: str):
    from goldendreams.agencies.models import Organisation

    if value.isdigit():
        org = db.session.get(Organisation, int(value))
    else:
        matches = list(db.session.scalars(select(Organisation).filter_by(name=value)))
        if len(matches) > 1:
            raise click.BadParameter(f"{len(matches)} organisations have that name; use the id")
        org = matches[0] if matches else None
    if org is None:
        raise click.BadParameter(f"no organisation {value!r} (give its id or exact name)")
    return org


@users.command("create")
@click.option("--email", required=True, help="The login email.")
@click.option("--role", required=True, type=click.Choice([role.value for role in Role]))
@click.option("--org", "org", help="Organisation id or exact name (for org staff and brands).")
@click.option("--locale", type=click.Choice(LOCALES), help="The user's language.")
@click.password_option(help="Asked for when not given; never echoed.")
def create_user_command(
    email: str, role: str, org: str | None, locale: str | None, password: str
) -> None:
    """Create a staff account."""
    from goldendreams.accounts import services

    organisation = _find_organisation(org) if org else None
    try:
        user = services.create_user(
            email, password, role, organisation=organisation, preferred_locale=locale
        )
    except services.AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created {user.role} {user.email} (id {user.id}).")


@users.command("list")
def list_users_command() -> None:
    """List staff accounts."""
    from goldendreams.accounts.models import User

    for user in db.session.scalars(select(User).order_by(User.id)):
        org = f" {user.organisation.name}" if user.organisation else ""
        state = "" if user.active else " (inactive)"
        click.echo(f"{user.id:>5} {user.role:<15} {user.email}{org}{state}")


@users.command("set-password")
@click.option("--email", required=True)
@click.password_option(help="Asked for when not given; never echoed.")
def set_password_command(email: str, password: str) -> None:
    """Give an account a new password (it was forgotten); its sessions end."""
    from goldendreams.accounts import services

    user = _find_user(email)
    try:
        services.reset_password(user, password)
    except services.AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"New password set for {user.email}; it is logged out everywhere.")


def _find_user(email: str):
    from goldendreams.accounts.models import User

    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"no account with the email {email}")
    return user


@users.command("invite")
@click.option("--email", required=True, help="Where the invitation goes.")
@click.option("--role", required=True, type=click.Choice([role.value for role in Role]))
@click.option("--org", "org", help="Organisation id or exact name (for org staff and brands).")
@click.option("--locale", type=click.Choice(LOCALES), help="The language of the e-mail.")
def invite_user_command(email: str, role: str, org: str | None, locale: str | None) -> None:
    """Mail someone a one-time link to set a password (the first admin of a new site)."""
    from goldendreams.accounts import invitations, services

    organisation = _find_organisation(org) if org else None
    try:
        invitation = invitations.invite(None, email, role, organisation, locale=locale)
    except services.AccountError as error:
        raise click.ClickException(str(error)) from error
    hours = invitation.expires_at - invitation.created_at
    click.echo(
        f"Invitation sent to {invitation.email} ({role}); "
        f"the link works for {hours.total_seconds() / 3600:g} hours."
    )


@users.command("deactivate")
@click.option("--email", required=True)
def deactivate_user_command(email: str) -> None:
    """Stop an account from logging in (its history stays)."""
    from goldendreams.accounts import services

    user = _find_user(email)
    services.set_active(user, False)
    click.echo(f"Deactivated {user.email}.")


@click.command("purge")
@click.option("--days", type=click.IntRange(0, 36_500), help="Default: APPLICATION_RETENTION_DAYS.")
def purge_command(days: int | None) -> None:
    """Remove applicants' personal data some days after their job closed."""
    from flask import current_app

    from goldendreams.jobs import services

    days = current_app.config["APPLICATION_RETENTION_DAYS"] if days is None else days
    count = services.purge(days)
    click.echo(
        f"Removed the personal data of {count} applications (jobs closed over {days} days ago)."
    )


@click.command("rescore")
def rescore_command() -> None:
    """Recompute every organisation's review scores: run it daily (fee figures take in the
    reviews published the day before), and after changing REVIEW_MIN_FOR_SCORES or
    FEE_MIN_FOR_SCORES."""
    from flask import current_app

    from goldendreams.reviews import scores

    config = current_app.config
    count = scores.recompute_all(config["REVIEW_MIN_FOR_SCORES"], config["FEE_MIN_FOR_SCORES"])
    click.echo(f"Recomputed the scores of {count} organisations.")


@click.command("taxonomy")
def taxonomy_command() -> None:
    """Store the issue taxonomy of cases/data/taxonomy.json (a new version is added)."""
    from goldendreams.cases import taxonomy

    click.echo(f"Added {taxonomy.load()} issue categories.")


rights = AppGroup("rights", help="Rights articles and hotlines.")


@rights.command("seed")
def seed_rights_command() -> None:
    """Load the sample articles and public hotline numbers that are not there yet."""
    from goldendreams.rights import seed

    articles, hotlines = seed.load_articles(), seed.load_hotlines()
    click.echo(f"Added {articles} articles and {hotlines} hotlines, marked as not checked.")
    click.echo("Check them, then clear the flag in the staff pages.")


search = AppGroup("search", help="The search index.")


@search.command("reindex")
def reindex_command() -> None:
    """Rebuild this server's search index from the database."""
    from goldendreams.search import indexer
    from goldendreams.search.backends import backend_for

    click.echo(f"The index holds {indexer.reindex(backend_for())} documents.")


@search.command("catch-up")
def catch_up_command() -> None:
    """Apply the changes the index has not seen yet (the site does this by itself)."""
    from goldendreams.search import indexer
    from goldendreams.search.backends import backend_for

    indexer.catch_up(backend_for(), max_batches=100_000, wait=True)
    click.echo("The index is up to date.")


backup = AppGroup("backup", help="Back up and restore the database.")


@backup.command("create")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_create_command(file: Path) -> None:
    """Back the database up into FILE (a new file; pg_dump for PostgreSQL, SQLite's online
    backup for SQLite: safe while the site runs)."""
    from flask import current_app

    from goldendreams import backup as backups

    try:
        size = backups.create(current_app.config["SQLALCHEMY_DATABASE_URI"], file)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backed up the database to {file} ({size:,} bytes).")
    click.echo(
        "Keep instance/config.py (SECRET_KEY, TRACKING_KEY) safe as well, apart from the "
        "backups: tracking codes only work with the same TRACKING_KEY."
    )


@backup.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_restore_command(file: Path) -> None:
    """Restore FILE into the configured database, which must be empty, then rebuild this
    server's search index from it."""
    from flask import current_app

    from goldendreams import backup as backups
    from goldendreams.search import indexer
    from goldendreams.search.backends import backend_for

    try:
        backups.restore(current_app.config["SQLALCHEMY_DATABASE_URI"], file)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    try:
        found = backups.counts()
        documents = indexer.reindex(backend_for())
    except SQLAlchemyError as error:
        raise click.ClickException(
            f"The database is restored, but reading it failed ({error.__class__.__name__}: "
            f"{error}). If the backup comes from an older version of the site, run "
            "`flask --app goldendreams db upgrade`, then `flask --app goldendreams search "
            "reindex`."
        ) from error
    click.echo(f"Restored {file}: " + ", ".join(f"{n:,} {name}" for name, n in found.items()) + ".")
    click.echo(f"The search index is rebuilt: it holds {documents:,} documents.")


@click.command("worker")
@click.option("--workers", default=2, show_default=True, help="Tasks run at the same time.")
@click.option(
    "--no-scheduler", is_flag=True, help="Leave periodic work to another consumer (run one)."
)
def worker_command(workers: int, no_scheduler: bool) -> None:
    """Run a consumer of the task queue (e-mail, notifications, periodic work)."""
    from flask import current_app

    from goldendreams.core.queue import huey

    if huey.immediate:
        raise click.ClickException(
            "QUEUE_URL is 'immediate': tasks run where they are queued, no worker is needed"
        )
    from goldendreams.core import mail

    click.echo(f"Queue: {current_app.config['QUEUE_URL'] or 'instance/queue.db'}")
    if not current_app.config["MAIL_SERVER"]:
        click.echo(f"No mail server set: e-mails are written to {mail.mail_folder()}")
    huey.create_consumer(workers=workers, worker_type="thread", periodic=not no_scheduler).run()


@click.group("keys")
def keys() -> None:
    """Encryption keys (ENCRYPTION_KEYS)."""


@keys.command("rotate")
def rotate_keys_command() -> None:
    """Re-encrypt every encrypted value with the first key of ENCRYPTION_KEYS: put a new key
    first, run this, then drop the old key."""
    from goldendreams.core import crypto

    counts = crypto.reencrypt_all()
    for column, count in counts.items():
        click.echo(f"{column}: {count} values re-encrypted.")
    click.echo("Every encrypted value now uses the first key; the others can go.")


def init_app(app: Flask) -> None:
    from goldendreams.agencies.cli import licences
    from goldendreams.channels.cli import channels

    app.cli.add_command(licences)
    app.cli.add_command(worker_command)
    app.cli.add_command(channels)
    app.cli.add_command(keys)
    app.cli.add_command(backup)
    app.cli.add_command(search)
    app.cli.add_command(rights)
    app.cli.add_command(taxonomy_command)
    app.cli.add_command(rescore_command)
    app.cli.add_command(purge_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(users)
