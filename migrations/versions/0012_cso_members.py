"""cso members: NGOs and trade unions in the directory, with what they cover

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 01:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

OLD_KINDS = "kind IN ('employer', 'agency', 'buyer')"
NEW_KINDS = "kind IN ('employer', 'agency', 'buyer', 'ngo', 'union')"
COVERAGE = ("countries_covered", "provinces_covered", "languages", "services")


def upgrade():
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        # Existing organisations are no CSOs: they cover nothing.
        for name in COVERAGE:
            batch_op.add_column(sa.Column(name, sa.JSON(), nullable=False, server_default="[]"))
        batch_op.drop_constraint(batch_op.f("ck_organisations_kind"), type_="check")
        batch_op.create_check_constraint("kind", NEW_KINDS)
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        for name in COVERAGE:
            batch_op.alter_column(name, server_default=None)


def downgrade():
    # CSOs cannot be kept under the old kinds: they go (with what refers to them).
    op.execute("DELETE FROM organisations WHERE kind IN ('ngo', 'union')")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_organisations_kind"), type_="check")
        batch_op.create_check_constraint("kind", OLD_KINDS)
        for name in reversed(COVERAGE):
            batch_op.drop_column(name)
