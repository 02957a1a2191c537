"""``db upgrade`` from an empty database gives exactly the models' schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from goldendreams import create_app
from goldendreams.extensions import db
from tests.conftest import make_config


def test_upgrade_from_empty_matches_the_models(empty_database_url):
    app = create_app(make_config(empty_database_url))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_schemas": False}
            )
            differences = compare_metadata(context, db.metadata)
            tables = set(inspect(connection).get_table_names())
        assert differences == []
        assert {"organisations", "organisation_links", "users", "audit_log"} <= tables
        downgrade(revision="base")
        with db.engine.connect() as connection:
            assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()
