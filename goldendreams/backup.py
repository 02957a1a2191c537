"""Backing up and restoring the database with the database's own tools.

The database holds everything the site knows; the search index is rebuilt from it after a
restore. PostgreSQL goes through ``pg_dump --format=custom`` and ``pg_restore`` (run as
programs, against the configured database); SQLite through its online backup API, which
copies a consistent snapshot even while the site is writing. A restore only fills an empty
database, so it can never overwrite data by mistake.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import URL, make_url

from goldendreams.extensions import db

SQLITE_MAGIC = b"SQLite format 3\x00"
#: The first bytes of a ``pg_dump --format=custom`` archive.
PG_MAGIC = b"PGDMP"
#: Tables a backup must hold to be one of this site's (their rows are counted after a restore).
REQUIRED_TABLES = ("organisations", "reviews", "jobs", "cases")


class BackupError(Exception):
    """A backup or restore cannot go on; ``str(error)`` tells the operator why."""


def _kind(url: str) -> str:
    backend = make_url(url).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {backend}.")
    return backend


def libpq_url(url: str) -> tuple[str, dict[str, str]]:
    """The SQLAlchemy URL as a libpq URL for pg_dump/pg_restore, and the environment that
    carries its password (PGPASSWORD), so the password never shows in the process list."""
    parsed = make_url(url)
    plain = URL.create(
        "postgresql",  # without "+psycopg": libpq knows no drivers
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query=parsed.query,
    )
    env = {"PGPASSWORD": parsed.password} if parsed.password else {}
    return plain.render_as_string(hide_password=False), env


def find_tool(name: str, server_major: int | None = None) -> str:
    """The path of a PostgreSQL client program, or a BackupError saying what to install."""
    path = shutil.which(name)
    if path is None:
        package = f"postgresql-client-{server_major}" if server_major else "postgresql-client"
        raise BackupError(
            f"{name} was not found. Install {package} (the same major version as the "
            "database server), e.g. with apt-get install."
        )
    return path


def _server_major() -> int | None:
    """The PostgreSQL server's major version, to name the client package to install."""
    try:
        with db.engine.connect() as connection:
            version = connection.dialect.server_version_info
    except Exception:  # only used to improve a message
        return None
    return version[0] if version else None


def _run(args: list[str], env: dict[str, str], **kwargs) -> None:
    """Run a PostgreSQL client program; its own error message becomes a BackupError."""
    result = subprocess.run(  # noqa: S603 - fixed program, arguments are not shell-parsed
        args,
        env={**os.environ, **env},
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        **kwargs,
    )
    if result.returncode != 0:
        message = result.stderr.strip() or f"exit status {result.returncode}"
        raise BackupError(f"{Path(args[0]).name} failed: {message}")


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError(f"The SQLite database {database or ':memory:'!r} is not a file.")
    return Path(database)


def _sqlite_tables(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return sorted(row[0] for row in rows)


# --- backup ---------------------------------------------------------------------------


def create(url: str, destination: Path) -> int:
    """Back the database up into ``destination`` (a new file, readable by its owner only:
    it holds personal data). Returns its size in bytes."""
    if destination.exists():
        raise BackupError(f"{destination} exists already; give a new file name.")
    if not destination.parent.is_dir():
        raise BackupError(f"The folder {destination.parent} does not exist.")
    kind = _kind(url)
    if kind == "sqlite":
        source = _sqlite_path(url)
        if not source.is_file():  # sqlite3.connect would quietly make an empty one
            raise BackupError(f"There is no database file at {source}.")
    else:
        pg_dump = find_tool("pg_dump", _server_major())
    # Written beside the destination under another name, then renamed: a backup that fails
    # half-way never leaves a file that looks like a good one. mkstemp makes it mode 0600.
    handle, partial = tempfile.mkstemp(
        dir=destination.parent, prefix=f".{destination.name}.", suffix=".partial"
    )
    try:
        if kind == "sqlite":
            os.close(handle)
            _sqlite_backup(source, Path(partial))
        else:
            conninfo, env = libpq_url(url)
            with os.fdopen(handle, "wb") as out:
                _run(
                    [pg_dump, "--format=custom", "--no-owner", "--no-privileges",
                     f"--dbname={conninfo}"],
                    env, stdout=out,
                )  # fmt: skip
        os.replace(partial, destination)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return destination.stat().st_size


def _sqlite_backup(source: Path, partial: Path) -> None:
    try:
        with (
            closing(sqlite3.connect(source)) as live,
            closing(sqlite3.connect(partial)) as copy,
        ):
            # One step (pages=-1) under one read lock: a consistent snapshot, while writers
            # go on in WAL mode.
            live.backup(copy)
            # A single self-contained file (the site runs in WAL mode, which adds side files).
            copy.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as error:
        raise BackupError(f"Reading the database {source} failed: {error}") from error


# --- restore --------------------------------------------------------------------------


def _file_kind(path: Path) -> str:
    """'sqlite' or 'postgresql', read from the file's first bytes."""
    if not path.is_file():
        raise BackupError(f"There is no backup file at {path}.")
    with path.open("rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "postgresql"
    raise BackupError(
        f"{path} is not a backup made by `backup create` (neither a SQLite database nor a "
        "pg_dump custom-format archive)."
    )


def existing_tables(url: str) -> list[str]:
    """The tables the database holds already (a restore needs none)."""
    if _kind(url) == "sqlite":
        path = _sqlite_path(url)
        if not path.exists():
            return []
        with closing(sqlite3.connect(path)) as connection:
            return _sqlite_tables(connection)
    with db.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT schemaname || '.' || tablename FROM pg_tables "
                "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
            )
        )
        return sorted(row[0] for row in rows)


def restore(url: str, source: Path) -> None:
    """Restore a backup made by ``create`` into the (empty) configured database."""
    kind = _kind(url)
    found = _file_kind(source)
    if found != kind:
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        raise BackupError(
            f"{source} is a {names[found]} backup, but the site's database is {names[kind]}."
        )
    tables = existing_tables(url)
    if tables:
        raise BackupError(
            f"The database is not empty (it holds {len(tables)} tables, e.g. {tables[0]}); "
            "a restore only fills an empty database. Create a new database (PostgreSQL: "
            "dropdb/createdb; SQLite: move the file aside) and run the restore again."
        )
    # Nothing of this app may hold a connection (or a cached schema) across the restore.
    db.session.remove()
    db.engine.dispose()
    if kind == "sqlite":
        _sqlite_restore(source, _sqlite_path(url))
    else:
        _postgres_restore(url, source)
    db.engine.dispose()


def _sqlite_restore(source: Path, target: Path) -> None:
    try:
        with closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as backup:
            check = backup.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise BackupError(f"{source} is damaged ({check}).")
            missing = set(REQUIRED_TABLES) - set(_sqlite_tables(backup))
            if missing:
                raise BackupError(f"{source} lacks the tables {', '.join(sorted(missing))}.")
            with closing(sqlite3.connect(target)) as live:
                # The copy takes the backup's pages as they are; the app turns WAL on again.
                live.execute("PRAGMA journal_mode=DELETE")
                backup.backup(live)
    except sqlite3.Error as error:
        raise BackupError(f"Restoring {source} failed: {error}") from error


def _postgres_restore(url: str, source: Path) -> None:
    pg_restore = find_tool("pg_restore", _server_major())
    # Reading the archive's table of contents first refuses a damaged or foreign archive
    # before anything touches the database.
    listing = subprocess.run(  # noqa: S603
        [pg_restore, "--list", str(source)], capture_output=True, text=True, check=False
    )
    if listing.returncode != 0:
        raise BackupError(f"{source} cannot be read: {listing.stderr.strip()}")
    missing = [
        name
        for name in REQUIRED_TABLES
        if not re.search(rf"\bTABLE DATA \S+ {name}\b", listing.stdout)
    ]
    if missing:
        raise BackupError(f"{source} lacks the tables {', '.join(missing)}.")
    conninfo, env = libpq_url(url)
    # One transaction, stopping at the first error: a failed restore leaves the database
    # as empty as it was.
    _run(
        [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
         f"--dbname={conninfo}", str(source)],
        env,
    )  # fmt: skip


def counts() -> dict[str, int]:
    """How many organisations, reviews, jobs and cases the database holds."""
    from sqlalchemy import func, select

    from goldendreams.agencies.models import Organisation
    from goldendreams.cases.models import Case
    from goldendreams.jobs.models import Job
    from goldendreams.reviews.models import Review

    models = {"organisations": Organisation, "reviews": Review, "jobs": Job, "cases": Case}
    return {
        name: db.session.scalar(select(func.count()).select_from(model)) or 0
        for name, model in models.items()
    }
