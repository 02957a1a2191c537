"""worker voice: conversations with workers, messages, the worker's chosen contact
(encrypted), saved answers, logged calls; a private code for every case

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 07:00:00.000000

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "saved_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["organisations.id"],
            name=op.f("fk_saved_answers_owner_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_answers")),
    )
    with op.batch_alter_table("saved_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_saved_answers_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "call_logs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("topic", sa.String(length=12), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("outcome", sa.String(length=25), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.Column("logged_by_id", sa.Integer(), nullable=True),
        sa.Column("logged_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["issue_categories.id"],
            name=op.f("fk_call_logs_category_id_issue_categories"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["logged_by_id"],
            ["users.id"],
            name=op.f("fk_call_logs_logged_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["organisations.id"],
            name=op.f("fk_call_logs_owner_id_organisations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_logs")),
    )
    with op.batch_alter_table("call_logs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_call_logs_logged_on"), ["logged_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_call_logs_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "conversations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("topic", sa.String(length=12), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("organisation_name", sa.String(length=200), nullable=True),
        sa.Column("outcome", sa.String(length=25), nullable=True),
        sa.Column("code_hash", sa.String(length=64), nullable=True),
        sa.Column("sender_hash", sa.String(length=64), nullable=True),
        sa.Column("review_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("last_activity_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assignee_id"],
            ["users.id"],
            name=op.f("fk_conversations_assignee_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_conversations_case_id_cases"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_conversations_organisation_id_organisations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["organisations.id"],
            name=op.f("fk_conversations_owner_id_organisations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_conversations_review_id_reviews"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversations")),
        sa.UniqueConstraint("case_id", name=op.f("uq_conversations_case_id")),
        sa.UniqueConstraint(
            "channel", "sender_hash", name=op.f("uq_conversations_channel_sender_hash")
        ),
        sa.UniqueConstraint("code_hash", name=op.f("uq_conversations_code_hash")),
        sa.UniqueConstraint("review_id", name=op.f("uq_conversations_review_id")),
    )
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_conversations_inbox", ["owner_id", "state", "last_activity_on", "id"], unique=False
        )
        batch_op.create_index(
            "ix_conversations_owner_activity", ["owner_id", "last_activity_on", "id"], unique=False
        )
        batch_op.create_index("ix_conversations_activity", ["last_activity_on", "id"], unique=False)

    op.create_table(
        "conversation_categories",
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["issue_categories.id"],
            name=op.f("fk_conversation_categories_category_id_issue_categories"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_conversation_categories_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "conversation_id", "category_id", name=op.f("pk_conversation_categories")
        ),
    )
    with op.batch_alter_table("conversation_categories", schema=None) as batch_op:
        batch_op.create_index(
            "ix_conversation_categories_category",
            ["category_id", "conversation_id"],
            unique=False,
        )
    op.create_table(
        "conversation_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_conversation_contacts_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_contacts")),
        sa.UniqueConstraint(
            "conversation_id", name=op.f("uq_conversation_contacts_conversation_id")
        ),
    )
    with op.batch_alter_table("conversation_contacts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_conversation_contacts_given_on"), ["given_on"], unique=False
        )

    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("personal_data", sa.JSON(), nullable=False),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("delivery", sa.String(length=10), nullable=False),
        sa.Column("platform_id", sa.String(length=100), nullable=True),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_messages_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_messages_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
    )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.create_index("ix_messages_conversation", ["conversation_id", "id"], unique=False)

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code_hash", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_cases_code_hash"), ["code_hash"])


def downgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_cases_code_hash"), type_="unique")
        batch_op.drop_column("code_hash")

    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_index("ix_messages_conversation")

    op.drop_table("messages")
    with op.batch_alter_table("conversation_contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversation_contacts_given_on"))

    op.drop_table("conversation_contacts")
    with op.batch_alter_table("conversation_categories", schema=None) as batch_op:
        batch_op.drop_index("ix_conversation_categories_category")

    op.drop_table("conversation_categories")
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_index("ix_conversations_activity")
        batch_op.drop_index("ix_conversations_owner_activity")
        batch_op.drop_index("ix_conversations_inbox")

    op.drop_table("conversations")
    with op.batch_alter_table("call_logs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_call_logs_owner_id"))
        batch_op.drop_index(batch_op.f("ix_call_logs_logged_on"))

    op.drop_table("call_logs")
    with op.batch_alter_table("saved_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_saved_answers_owner_id"))

    op.drop_table("saved_answers")
