"""Migration 0013 on a copy of benchmark data: every existing case goes to the default CSO
(the DEFAULT_CSO setting) without loss, on SQLite and on PostgreSQL (CI runs the suite on
both).

A database is built at the head and filled by scripts/bench_data.py's generator at small
sizes (its cases run by a few CSOs, with caseworkers of none), taken down to 0012 (one case
log: owners are forgotten), counted and checksummed, and upgraded again with the check of
scripts/bench_migrate.py, which measures the same on full-size benchmark data.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from goldendreams import create_app
from goldendreams.agencies.models import Organisation
from goldendreams.config import PROJECT_ROOT
from goldendreams.extensions import db
from tests.conftest import make_config
from tests.factories import UserFactory

#: Small enough for a few seconds per database, big enough for every kind of row: cases
#: from reviews and from the hotline, at every status, with timelines and categories.
SIZES = argparse.Namespace(organisations=80, jobs=40, reviews=400, cases=150, csos=4)
NEW_CSO = "Migration Test Network"


def _script(name: str):
    """A module of scripts/ (not a package), imported by its path."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, PROJECT_ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


bench_data = _script("bench_data")
bench_migrate = _script("bench_migrate")


def _scalar(query: str, **params):
    with db.engine.connect() as connection:
        return connection.execute(text(query), params).scalar()


def _fill() -> dict:
    """Benchmark data at the head, plus staff: caseworkers of no organisation and of a bench
    CSO, and a moderator. Returns what the checks need."""
    generator = bench_data.Generator(SIZES, seed=8)
    for step in ("organisations", "links", "jobs", "reviews", "cases"):
        getattr(generator, step)()
        db.session.commit()
    bench_data.reset_sequences()
    db.session.commit()
    lone = [UserFactory(role="caseworker", organisation=None).id for _ in range(3)]
    first_cso = generator.csos[0]
    member = UserFactory(role="caseworker", organisation=db.session.get(Organisation, first_cso)).id
    moderator = UserFactory(role="moderator").id
    db.session.remove()
    return {
        "caseworkers": [*lone, member],
        "moderator": moderator,
        "bench_cso": _scalar("SELECT name FROM organisations WHERE id = :i", i=first_cso),
    }


def _assert_round_trip(name: str) -> None:
    """Down to 0012 and up again with DEFAULT_CSO = ``name``: nothing lost, all of it the
    CSO's."""
    result = bench_migrate.round_trip()
    before, after = result["before"], result["after"]
    assert before["cases rows"] == SIZES.cases
    assert before["case_events rows"] > SIZES.cases  # timelines: the check has rows to lose
    assert before["case_categories rows"] >= SIZES.cases
    assert after == before
    with db.engine.connect() as connection:
        assert bench_migrate.network_problems(connection, name) == []


@pytest.fixture
def bench_app(empty_database_url):
    app = create_app(make_config(empty_database_url, DEFAULT_CSO=NEW_CSO, DEFAULT_CSO_COUNTRY="MY"))
    with app.app_context():
        upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()


def test_every_case_goes_to_a_new_default_cso_without_loss(bench_app):
    made = _fill()
    organisations = _scalar("SELECT count(*) FROM organisations")
    assert _scalar("SELECT count(DISTINCT owner_id) FROM cases") > 1  # several CSOs before

    _assert_round_trip(NEW_CSO)

    # The CSO was made (an NGO in DEFAULT_CSO_COUNTRY), and only it.
    assert _scalar("SELECT count(*) FROM organisations") == organisations + 1
    with db.engine.connect() as connection:
        cso = connection.execute(
            text("SELECT kind, country, verified FROM organisations WHERE name = :n"),
            {"n": NEW_CSO},
        ).one()
        staff = dict(connection.execute(text("SELECT id, organisation_id FROM users")).all())
    assert tuple(cso) == ("ngo", "MY", True)
    cso_id = _scalar("SELECT id FROM organisations WHERE name = :n", n=NEW_CSO)
    assert {staff[user] for user in made["caseworkers"]} == {cso_id}
    assert staff[made["moderator"]] is None  # only caseworkers join it


def test_an_existing_cso_named_in_the_settings_takes_the_cases(bench_app):
    made = _fill()
    bench_app.config["DEFAULT_CSO"] = made["bench_cso"]
    organisations = _scalar("SELECT count(*) FROM organisations")

    _assert_round_trip(made["bench_cso"])

    assert _scalar("SELECT count(*) FROM organisations") == organisations  # none made
    assert _scalar("SELECT count(*) FROM organisations WHERE name = :n", n=NEW_CSO) == 0


def test_an_empty_database_gets_no_default_cso(bench_app):
    UserFactory(role="moderator")  # staff, but no case and no caseworker
    db.session.remove()
    downgrade(revision="0012")
    upgrade()
    assert _scalar("SELECT count(*) FROM organisations") == 0
    assert _scalar("SELECT count(*) FROM routing_rules") == 0
    assert _scalar("SELECT organisation_id FROM users") is None
