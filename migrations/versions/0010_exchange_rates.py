"""exchange rates: the fee calculator's default rates, set by admins with their date

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 03:05:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('exchange_rates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('base', sa.String(length=3), nullable=False),
    sa.Column('quote', sa.String(length=3), nullable=False),
    sa.Column('rate', sa.Numeric(precision=18, scale=6), nullable=False),
    sa.Column('set_on', sa.Date(), nullable=False),
    sa.CheckConstraint('base <> quote', name=op.f('ck_exchange_rates_pair')),
    sa.CheckConstraint('rate > 0', name=op.f('ck_exchange_rates_rate')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_rates')),
    sa.UniqueConstraint('base', 'quote', name=op.f('uq_exchange_rates_base_quote'))
    )


def downgrade():
    op.drop_table('exchange_rates')
