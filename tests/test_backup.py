"""Backup and restore, as an operator runs them: ``flask backup create`` on a database with
every kind of record, ``flask backup restore`` into an empty database, and the restored site
holds the same rows and finds them by search.

On SQLite the empty database is a new file; on PostgreSQL (GOLDENDREAMS_TEST_DATABASE_URL)
a new database made for the test and dropped after it (pg_dump and pg_restore must be
installed: .ci/run and scripts/test.sh install postgresql-client).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from goldendreams import backup, create_app
from goldendreams.cases import services as case_services
from goldendreams.cases import taxonomy
from goldendreams.core.base import today
from goldendreams.extensions import db
from goldendreams.jobs import services as job_services
from goldendreams.reviews import services as review_services
from goldendreams.reviews.models import Review
from goldendreams.search.analyzer import tokens
from goldendreams.search.backends import backend_for
from tests import factories
from tests.conftest import make_config

#: Rebuilt by a restore from the other tables, so they are not compared row by row.
INDEX_TABLES = {"search_state", "search_documents"}


@pytest.fixture
def empty_database_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A database with no tables, on the same kind of server as the test database."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    name = f"gd_restore_{uuid.uuid4().hex[:12]}"
    server = create_engine(database_url, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


@contextmanager
def other_app(url: str) -> Iterator[Flask]:
    """An app on another database, in its own app context (the test's stays underneath)."""
    app = create_app(make_config(url))
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


def all_rows() -> dict[str, list[tuple]]:
    """Every row of every table (but the search index's), in primary-key order."""
    rows = {}
    for table in db.metadata.sorted_tables:
        if table.name not in INDEX_TABLES:
            query = select(table).order_by(*table.primary_key.columns)
            rows[table.name] = [tuple(row) for row in db.session.execute(query)]
    db.session.rollback()
    return rows


def found(app: Flask, words: str, kind: str) -> set[int]:
    hits = backend_for(app).search(tokens(words), kind, None, 100)
    return {hit.record_id for hit in hits}


def run(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=["backup", *args])


def assert_refused(result, *words: str) -> None:
    """A clear message and a non-zero exit, not a traceback."""
    assert result.exit_code != 0, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # click's own exit
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output


def fill() -> dict[str, int | str]:
    """A site with every kind of record, written through the services where they exist."""
    taxonomy.load()
    moderator = factories.UserFactory(role="moderator")
    caseworker = factories.UserFactory(role="caseworker")
    agency = factories.AgencyFactory()
    employer = factories.OrganisationFactory()
    factories.OrganisationLinkFactory(source=agency, target=employer)
    factories.OrganisationLinkFactory(kind="buys_from", source=factories.BuyerFactory(),
                                      target=employer)  # fmt: skip
    factories.UserFactory(role="agency_staff", organisation=agency)

    def review(body: str) -> tuple[Review, str]:
        data = review_services.ReviewInput(
            rating=4, title="Honest agency", body=body, relationship_kind="former",
            year=today().year - 1, sub_ratings={"honest_costs": 5}, fees_paid="yes",
            fee_amount=Decimal("15000"), fee_currency="THB", fee_paid_to="agency",
        )  # fmt: skip
        return review_services.submit_review(agency, data)

    published, code = review(
        "They explained every cardamom fee before I paid. Call me on 081 234 5678."
    )
    review_services.publish_review(published, moderator, {0}, [])
    pending, _ = review(
        "ငါ မှတ်ပုံတင် ကို သူဌေး ယူသွားတယ်။ The boss keeps the passports in a locked tamarind box."
    )
    factories.ReplyFactory(review=published)
    factories.FlagFactory(review=published)

    fields = factories.job_fields(employer_id=employer.id)
    fees = [
        {"kind": "passport", "amount": Decimal(45000), "currency": "MMK", "paid_by": "worker"},
        {"kind": "visa", "amount": Decimal(2000), "currency": "THB", "paid_by": "employer"},
    ]
    texts = {"en": ("Rambutan picker", "Picking rambutan in a clean orchard."),
             "th": ("คนเก็บเงาะ", "เก็บเงาะในสวน")}  # fmt: skip
    job = job_services.save_job(agency, None, fields, texts, fees)
    job_services.submit_job(job, None)
    job_services.publish_job(job, moderator)
    application, _ = job_services.apply(job, "Ma Hla", "09 450 123 456", "MM", "Bago", "my", True)
    admin = factories.UserFactory(role="admin")
    job_services.move_application(application, admin, "shortlisted", "Come on Monday.")
    draft = factories.JobFactory(status="draft", agency=agency, employer=employer)
    factories.FeeLineFactory(job=draft)
    factories.JobFlagFactory(job=job)

    case = case_services.open_from_review(pending, moderator, ["FEE-01"], "high", 3)
    case_services.move(case, caseworker, "triaged")
    case_services.add_note(case, caseworker, "Internal: spoke to the worker.", shared=False)
    factories.consent_to_refer(case)
    case_services.move(case, caseworker, "referred")
    factories.CaseEventFactory(case=factories.CaseFactory(organisation=employer))

    factories.ArticleTextFactory(locale="en")
    factories.HotlineFactory()
    # Plain values: an ORM object of this app's session must not be read inside another
    # app's context (Flask-SQLAlchemy would load it through that app's engine).
    return {"review": published.id, "public_body": published.public_body, "code": code,
            "job": job.id}  # fmt: skip


def test_a_backup_restored_into_an_empty_database_holds_everything(
    app, empty_database_url, tmp_path
):
    made = fill()
    before = all_rows()
    for table in ("organisations", "reviews", "review_replies", "jobs", "job_fees",
                  "applications", "cases", "case_events", "articles", "audit_log"):  # fmt: skip
        assert before[table], f"the test data has no {table}"
    file = tmp_path / "site.backup"

    result = run(app, "create", str(file))
    assert result.exit_code == 0, result.output
    assert "TRACKING_KEY" in result.output  # the operator is told to keep the keys too
    assert file.stat().st_mode & 0o077 == 0  # personal data: readable by its owner only
    assert_refused(run(app, "create", str(file)), "exists already")

    with other_app(empty_database_url) as restored:
        result = run(restored, "restore", str(file))
        assert result.exit_code == 0, result.output
        orgs = len(before["organisations"])
        assert f"{orgs} organisations, 2 reviews, 2 jobs, 2 cases" in result.output

        assert all_rows() == before  # every row of every table, as it was
        review = db.session.get(Review, made["review"])
        assert review.public_body == made["public_body"]
        assert "081" not in review.public_body  # still the redacted text
        assert review_services.find_by_code(made["code"]).id == review.id  # same TRACKING_KEY

        # The index is rebuilt from the restored database: published records only.
        assert found(restored, "cardamom", "review") == {made["review"]}
        assert found(restored, "tamarind", "review") == set()  # pending: never indexed
        assert found(restored, "rambutan", "job") == {made["job"]}
        assert made["job"] in found(restored, "เงาะ", "job")

        # New rows go on after the restored ids (PostgreSQL's sequences came back too).
        newest = max(row[0] for row in before["organisations"])
        assert factories.OrganisationFactory().id > newest

        # A second restore into the now full database is refused and changes nothing.
        now = all_rows()
        assert_refused(run(restored, "restore", str(file)), "not empty")
        assert all_rows() == now

    assert_refused(run(app, "restore", str(file)), "not empty")
    assert all_rows() == before


def test_a_damaged_missing_or_foreign_file_is_refused_and_changes_nothing(
    app, empty_database_url, database_url, tmp_path
):
    factories.ReviewFactory()
    file = tmp_path / "site.backup"
    assert run(app, "create", str(file)).exit_code == 0
    data = file.read_bytes()
    half = tmp_path / "half.backup"
    half.write_bytes(data[: len(data) // 2])
    garbage = tmp_path / "garbage.backup"
    garbage.write_bytes(b"not a backup at all\n" * 100)
    postgres = database_url.startswith("postgresql")
    foreign = tmp_path / "foreign.backup"  # a backup of the other kind of database
    foreign.write_bytes(backup.SQLITE_MAGIC if postgres else backup.PG_MAGIC + b"\x01" * 100)

    with other_app(empty_database_url) as target:
        cases = [
            (tmp_path / "missing.backup", "no backup file"),
            (garbage, "not a backup"),
            (foreign, "SQLite backup" if postgres else "PostgreSQL backup"),
            (half, str(half)),
        ]
        for path, message in cases:
            assert_refused(run(target, "restore", str(path)), message)
            assert backup.existing_tables(empty_database_url) == []
        # The good file still restores after all that.
        assert run(target, "restore", str(file)).exit_code == 0


def test_a_missing_database_or_folder_is_a_clear_error(app, tmp_path):
    assert_refused(run(app, "create", str(tmp_path / "nowhere" / "x.backup")), "does not exist")
    with other_app(f"sqlite:///{tmp_path / 'absent.db'}") as absent:
        assert_refused(run(absent, "create", str(tmp_path / "x.backup")), "no database file")
    assert not list(tmp_path.glob("*.backup")) and not list(tmp_path.glob(".*partial"))


def test_missing_postgresql_tools_are_named(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(backup.BackupError, match="Install postgresql-client-15"):
        backup.find_tool("pg_dump", 15)


def test_the_libpq_url_has_no_driver_and_no_password():
    url, env = backup.libpq_url(
        "postgresql+psycopg://gd:s%40cret@db.example:5433/gd?sslmode=require"
    )
    assert url == "postgresql://gd@db.example:5433/gd?sslmode=require"
    assert env == {"PGPASSWORD": "s@cret"}
    assert backup.libpq_url("postgresql+psycopg://postgres@127.0.0.1/test")[1] == {}
