"""``flask licences``: import official lists of licensed recruitment agencies."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask.cli import AppGroup

licences = AppGroup("licences", help="Official lists of licensed recruitment agencies.")


def _list_date(value: str | None) -> date:
    from goldendreams.core.base import today

    if value is None:
        return today()
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise click.ClickException(
            f"--date {value!r} is not a date: give the day the authority published the list "
            "as YYYY-MM-DD."
        ) from None


@licences.command("authorities")
def authorities_command() -> None:
    """List the authorities whose lists can be imported (their keys for --authority)."""
    from goldendreams.agencies.licences import AUTHORITIES

    for source in AUTHORITIES.values():
        click.echo(f"{source.key:<10} {source.country}  {source.name}  {source.register_url}")


@licences.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--authority", "authority_key", required=True, help="See `licences authorities`.")
@click.option("--date", "list_date", help="The day the authority published the list "
              "(YYYY-MM-DD; default today).")  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
def import_command(file: Path, authority_key: str, list_date: str | None, dry_run: bool) -> None:
    """Import FILE (.csv or .xlsx), an official list of licensed agencies: licences of the
    agencies found are updated, the others are added as unverified agencies."""
    from goldendreams.agencies import licences, services

    when = _list_date(list_date)
    try:
        licences.authority(authority_key)
        size = file.stat().st_size
        if size > licences.MAX_FILE_BYTES:
            raise licences.LicenceImportError(
                f"The file is too big ({size:,} bytes; at most {licences.MAX_FILE_BYTES:,})."
            )
        data = file.read_bytes()
    except OSError as error:
        raise click.ClickException(f"{file} cannot be read: {error.strerror}.") from None
    except licences.LicenceImportError as error:
        raise click.ClickException(str(error)) from None
    try:
        plan, record = services.import_licence_list(
            authority_key, data, file.name, when, None, dry_run=dry_run
        )
    except licences.LicenceImportError as error:
        raise click.ClickException(f"{file.name}: {error} Nothing was imported.") from None
    _report(plan, record)


def _report(plan, record) -> None:
    source = plan.source
    head = "Dry run, nothing written" if record is None else f"Imported as list {record.id}"
    click.echo(f"{head}: {plan.file_name}, {source.name}, list of {plan.list_date.isoformat()}.")
    if plan.previous is not None:
        click.echo(f"Compared with the list of {plan.previous.list_date.isoformat()}.")
    counts = plan.counts()
    click.echo("  " + ", ".join(f"{what.replace('_', ' ')}: {n}" for what, n in counts.items()))
    sections = (
        ("Revoked or suspended", [c for c in plan.changes if c.barred]),
        ("Expired", [c for c in plan.changes if c.expired]),
        ("New (added unverified)", [c for c in plan.changes if c.how == "new"]),
    )
    for title, changes in sections:
        if changes:
            click.echo(f"{title}:")
            for change in changes:
                name = change.org.name if change.org is not None else change.listed.name
                click.echo(f"  {name} (licence {change.listed.number})")
    if plan.no_longer_listed:
        click.echo("No longer listed (not changed: check them by hand):")
        for org in plan.no_longer_listed:
            click.echo(f"  {org.name} (licence {org.licence_number or '-'})")
    if plan.skipped:
        click.echo("Skipped rows:")
        for row, reason in plan.skipped:
            click.echo(f"  row {row}: {reason}")
