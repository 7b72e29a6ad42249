"""pending_action: confirmations that survive restarts; member.telegram_language

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

A chat import's check used to wait for its Confirm in process memory, so a restart or a
second process answered "expired". The table keeps it (with the uploaded file) until it
is consumed once or expires. member.telegram_language keeps the language_code Telegram
sends, so scheduled jobs, which have no update, can write in the member's language.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pending_action",
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("blob", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("consumed_at", storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_pending_action")),
    )
    op.create_index(
        op.f("ix_pending_action_expires_at"), "pending_action", ["expires_at"], unique=False
    )
    # A plain ADD COLUMN (no batch): SQLite supports it, and a batch rebuild is not needed.
    op.add_column("member", sa.Column("telegram_language", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("member") as batch:
        batch.drop_column("telegram_language")
    op.drop_index(op.f("ix_pending_action_expires_at"), table_name="pending_action")
    op.drop_table("pending_action")
