"""Measure migration 0013 (one case log becomes cases run by CSOs) on benchmark data: go down
to 0012, count and checksum the cases, their timelines and issue categories, go up again,
then check that nothing was lost and that every case and caseworker went to the default CSO,
the catch-all routing rule pointing at it.

    .venv/bin/python scripts/bench_data.py --drop --database sqlite:////tmp/bench.db
    .venv/bin/python scripts/bench_migrate.py --database sqlite:////tmp/bench.db

It changes the database it is given (it copies nothing): afterwards every case belongs to
the default CSO (``--default-cso``, else the DEFAULT_CSO setting) and the catch-all rule is
the only routing rule. tests/test_migration_network.py runs the same check on small
benchmark data, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text
from sqlalchemy.engine import make_url

from goldendreams.extensions import db

#: What a case must keep through the round trip (the columns both revisions have).
CHECKSUMS = {
    "cases": "SELECT id, reference, status, organisation_id, summary FROM cases ORDER BY id",
    "case_events": "SELECT id, case_id, kind, status_from, status_to, text, happened_on "
    "FROM case_events ORDER BY id",
    "case_categories": "SELECT case_id, category_id FROM case_categories "
    "ORDER BY case_id, category_id",
}


def snapshot(connection) -> dict[str, object]:
    """Row counts and checksums of the case tables (raw SQL: any revision)."""
    found: dict[str, object] = {}
    for table, query in CHECKSUMS.items():
        count = "SELECT count(*) FROM "  # the names are this script's own: no user input
        found[f"{table} rows"] = connection.execute(text(count + table)).scalar()
        digest = hashlib.sha256()
        for row in connection.execute(text(query)):
            digest.update(json.dumps(list(row), default=str).encode())
        found[f"{table} checksum"] = digest.hexdigest()
    return found


def default_cso_id(connection, name: str) -> int | None:
    """The id of the CSO with this name (None if there is none)."""
    ids = connection.execute(
        text("SELECT id FROM organisations WHERE kind IN ('ngo', 'union') AND name = :n"),
        {"n": name},
    ).all()
    if len(ids) > 1:
        raise AssertionError(f"{len(ids)} CSOs are named {name!r}")
    return ids[0][0] if ids else None


def network_problems(connection, name: str) -> list[str]:
    """What is wrong after the upgrade ([] when all is well): every case and every caseworker
    belongs to the CSO called ``name``, whose catch-all rule is the only routing rule."""
    cso = default_cso_id(connection, name)
    if cso is None:
        return [f"no CSO is named {name!r}"]
    problems = []
    elsewhere = connection.execute(
        text("SELECT count(*) FROM cases WHERE owner_id IS NULL OR owner_id != :c"), {"c": cso}
    ).scalar()
    if elsewhere:
        problems.append(f"{elsewhere} cases do not belong to {name!r}")
    outside = connection.execute(
        text(
            "SELECT count(*) FROM users WHERE role = 'caseworker' "
            "AND (organisation_id IS NULL OR organisation_id != :c)"
        ),
        {"c": cso},
    ).scalar()
    if outside:
        problems.append(f"{outside} caseworkers do not work for {name!r}")
    rules = [
        tuple(row)
        for row in connection.execute(
            text(
                "SELECT cso_id, worker_country, worker_language, organisation_country "
                "FROM routing_rules"
            )
        )
    ]
    if rules != [(cso, None, None, None)]:
        problems.append(f"routing rules {rules}: not the one catch-all rule to {name!r}")
    return problems


def round_trip() -> dict:
    """Down to 0012 and up to the head again (in the current app's context): the snapshot
    before and after the upgrade, and how long each step took."""
    from flask_migrate import downgrade, upgrade

    db.session.remove()
    started = time.perf_counter()
    downgrade(revision="0012")
    down = time.perf_counter() - started
    with db.engine.connect() as connection:
        before = snapshot(connection)
    started = time.perf_counter()
    upgrade()
    up = time.perf_counter() - started
    with db.engine.connect() as connection:
        after = snapshot(connection)
    return {"before": before, "after": after, "downgrade s": down, "upgrade s": up}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="SQLAlchemy URL of a bench database")
    parser.add_argument("--default-cso", help="the CSO that takes the cases (DEFAULT_CSO)")
    args = parser.parse_args()

    os.environ.update({
        "GOLDENDREAMS_DATABASE_URL": args.database,
        "GOLDENDREAMS_SECRET_KEY": os.environ.get("GOLDENDREAMS_SECRET_KEY", "bench-" * 8),
    })  # fmt: skip
    from goldendreams import create_app

    app = create_app({"DEFAULT_CSO": args.default_cso} if args.default_cso else None)
    name = app.config["DEFAULT_CSO"]
    with app.app_context():
        with db.engine.connect() as connection:
            version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
            cases = connection.execute(text("SELECT count(*) FROM cases")).scalar()
            existed = default_cso_id(connection, name) is not None
        if version != "0013":
            sys.exit(f"The database is at revision {version}: fill it with bench_data.py.")
        if not cases:
            sys.exit("The database has no cases: fill it with bench_data.py.")
        result = round_trip()
        with db.engine.connect() as connection:
            problems = network_problems(connection, name)
        db.engine.dispose()
    for key, value in result["before"].items():
        if value != result["after"][key]:
            problems.append(f"{key}: {value} before the upgrade, {result['after'][key]} after")
    print(f"database       {make_url(args.database).get_backend_name()}")
    print(f"cases          {result['before']['cases rows']}")
    print(f"case events    {result['before']['case_events rows']}")
    print(f"categories     {result['before']['case_categories rows']} case-category links")
    print(f"default CSO    {name!r} ({'existed' if existed else 'created'})")
    print(f"downgrade      {result['downgrade s']:6.2f} s (to 0012)")
    print(f"upgrade        {result['upgrade s']:6.2f} s (to 0013)")
    if problems:
        sys.exit("FAILED:\n  " + "\n  ".join(problems))
    print("nothing lost: same rows and checksums; every case and caseworker is the CSO's")


if __name__ == "__main__":
    main()
