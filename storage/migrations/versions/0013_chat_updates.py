"""imports meet chat updates: the chat events an import's file agreed with, and an index

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02

A field a lead changed in chat (its latest task_event is a chat one) is not overwritten by
an import unless asked (services/importer/chat.py). Once a file has the same value, the
chat change is the secretariat's too: `chat_update_agreed` keeps that event's id, so a
later file that changes the field again is an ordinary update, not "undoing" the lead.
`ix_task_event_chat` finds a task's chat events among the import's many (partial: chat
rows only).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_CHAT = sa.text("source = 'chat'")


def upgrade() -> None:
    op.create_index(
        "ix_task_event_chat",
        "task_event",
        ["task_id", "field", "id"],
        sqlite_where=_CHAT,
        postgresql_where=_CHAT,
    )
    op.create_table(
        "chat_update_agreed",
        sa.Column(
            "event_id",
            _ID,
            sa.ForeignKey("task_event.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("chat_update_agreed")
    op.drop_index("ix_task_event_chat", table_name="task_event")
