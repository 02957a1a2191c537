"""network members: cases owned by CSOs, referrals, routing rules, government offices,
industry associations

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 04:00:00.000000

Every existing case goes to the default CSO (the DEFAULT_CSO setting, created when no CSO
has that name and there are cases or caseworkers to give it), every caseworker without an
organisation joins it, and it becomes the catch-all routing rule.
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from flask import current_app, has_app_context

# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

OLD_KINDS = "kind IN ('employer', 'agency', 'buyer', 'ngo', 'union')"
NEW_KINDS = "kind IN ('employer', 'agency', 'buyer', 'ngo', 'union', 'government', 'association')"
OPEN_REFERRAL = "status IN ('asking_worker', 'proposed')"
OLD_LINKS = "kind IN ('recruits_for', 'buys_from')"
NEW_LINKS = "kind IN ('recruits_for', 'buys_from', 'member_of')"


def _setting(name: str, default: str) -> str:
    return current_app.config.get(name, default) if has_app_context() else default


def _default_cso(connection) -> int | None:
    """The id of the CSO that takes the existing cases; None when nothing needs one."""
    name = _setting("DEFAULT_CSO", "ILM Action Network")
    found = connection.execute(
        sa.text("SELECT id FROM organisations WHERE kind IN ('ngo', 'union') AND name = :n"),
        {"n": name},
    ).scalar()
    if found is not None:
        return found
    needed = connection.execute(
        sa.text(
            "SELECT (SELECT count(*) FROM cases) + "
            "(SELECT count(*) FROM users WHERE role = 'caseworker')"
        )
    ).scalar()
    if not needed:
        return None
    now = datetime.now(UTC).replace(tzinfo=None)
    connection.execute(
        sa.text(
            "INSERT INTO organisations (kind, name, sort_name, country, verified, "
            "countries_covered, provinces_covered, languages, services, is_demo, "
            "created_at, updated_at) VALUES ('ngo', :name, :sort, :country, true, "
            "'[]', '[]', '[]', '[\"case_support\"]', false, :now, :now)"
        ),
        {
            "name": name, "sort": name.lower(), "now": now,
            "country": _setting("DEFAULT_CSO_COUNTRY", "TH"),
        },
    )  # fmt: skip
    return connection.execute(
        sa.text("SELECT id FROM organisations WHERE kind = 'ngo' AND name = :n"), {"n": name}
    ).scalar()


def upgrade():
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.alter_column(
            "kind", existing_type=sa.String(length=10), type_=sa.String(length=12)
        )
        batch_op.add_column(sa.Column("office_kind", sa.String(length=20), nullable=True))
        batch_op.drop_constraint(batch_op.f("ck_organisations_kind"), type_="check")
        batch_op.create_check_constraint("kind", NEW_KINDS)
    with op.batch_alter_table("organisation_links", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_organisation_links_kind"), type_="check")
        batch_op.create_check_constraint("kind", NEW_LINKS)

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("logged_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("worker_country", sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column("worker_language", sa.String(length=5), nullable=True))

    op.create_table(
        "routing_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worker_country", sa.String(length=2), nullable=True),
        sa.Column("worker_language", sa.String(length=5), nullable=True),
        sa.Column("organisation_country", sa.String(length=2), nullable=True),
        sa.Column("cso_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cso_id"], ["organisations.id"], name=op.f("fk_routing_rules_cso_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routing_rules")),
    )  # fmt: skip

    connection = op.get_bind()
    default = _default_cso(connection)
    if default is not None:
        connection.execute(sa.text("UPDATE cases SET owner_id = :d"), {"d": default})
        connection.execute(
            sa.text(
                "UPDATE users SET organisation_id = :d "
                "WHERE role = 'caseworker' AND organisation_id IS NULL"
            ),
            {"d": default},
        )
        connection.execute(
            sa.text("INSERT INTO routing_rules (cso_id) VALUES (:d)"), {"d": default}
        )

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.alter_column("owner_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f("ix_cases_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_logged_by_id"), ["logged_by_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_cases_owner_id_organisations"), "organisations", ["owner_id"], ["id"],
            ondelete="RESTRICT",
        )  # fmt: skip
        batch_op.create_foreign_key(
            batch_op.f("fk_cases_logged_by_id_users"), "users", ["logged_by_id"], ["id"],
            ondelete="SET NULL",
        )  # fmt: skip

    op.create_table(
        "case_referrals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("from_id", sa.Integer(), nullable=False),
        sa.Column("to_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=15), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("consent_method", sa.String(length=15), nullable=True),
        sa.Column("consent_note", sa.Text(), nullable=True),
        sa.Column("decline_reason", sa.Text(), nullable=True),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("proposed_on", sa.Date(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_referrals_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["from_id"], ["organisations.id"],
            name=op.f("fk_case_referrals_from_id_organisations"), ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["to_id"], ["organisations.id"], name=op.f("fk_case_referrals_to_id_organisations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"], ["users.id"], name=op.f("fk_case_referrals_proposed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_case_referrals_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_referrals")),
    )  # fmt: skip
    with op.batch_alter_table("case_referrals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_referrals_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_referrals_to_id"), ["to_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_referrals_status"), ["status"], unique=False)
    # One open referral per case (a partial unique index: SQLite and PostgreSQL both have them).
    op.create_index(
        "uq_case_referrals_open", "case_referrals", ["case_id"], unique=True,
        sqlite_where=sa.text(OPEN_REFERRAL), postgresql_where=sa.text(OPEN_REFERRAL),
    )  # fmt: skip


def downgrade():
    # Cases stay (their owner is forgotten: there is one case log again); what only the
    # network has goes: referrals, rules, government offices, associations and their links.
    op.drop_table("case_referrals")
    op.drop_table("routing_rules")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_cases_logged_by_id_users"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_cases_owner_id_organisations"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_cases_logged_by_id"))
        batch_op.drop_index(batch_op.f("ix_cases_owner_id"))
        for name in ("worker_language", "worker_country", "logged_by_id", "owner_id"):
            batch_op.drop_column(name)
    op.execute("DELETE FROM organisation_links WHERE kind = 'member_of'")
    op.execute(
        "UPDATE users SET organisation_id = NULL WHERE organisation_id IN "
        "(SELECT id FROM organisations WHERE kind IN ('government', 'association'))"
    )
    op.execute("DELETE FROM users WHERE role IN ('government', 'association', 'mobilizer')")
    op.execute("DELETE FROM organisations WHERE kind IN ('government', 'association')")
    op.execute("UPDATE users SET organisation_id = NULL WHERE role = 'caseworker'")
    with op.batch_alter_table("organisation_links", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_organisation_links_kind"), type_="check")
        batch_op.create_check_constraint("kind", OLD_LINKS)
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_organisations_kind"), type_="check")
        batch_op.create_check_constraint("kind", OLD_KINDS)
        batch_op.drop_column("office_kind")
        batch_op.alter_column(
            "kind", existing_type=sa.String(length=12), type_=sa.String(length=10)
        )
