"""A lead's updates from a phone: notes, evidence, extension requests, the original deadline

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

- task.original_deadline: the deadline before the first approved extension (None: never
  extended); task.deadline is always the one in force, so reports and tallies use it.
- task_note: notes typed in chat, newest last (the imported `task.notes` stays as it is).
- task_evidence: Telegram's file_id and file_unique_id of a photo or document, its name,
  size and caption; the file itself stays on Telegram's servers until someone asks for it.
- extension_request: a lead's request for a new deadline and the admins' decision; at most
  one pending request per task (a partial unique index, so two presses cannot make two).

`task` gets a nullable column only (ALTER TABLE ADD COLUMN on both databases), so SQLite
does not rebuild it and its triggers stay.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_PENDING = sa.text("status = 'pending'")


def _by_whom(prefix: str = "") -> list[sa.Column[object]]:
    """The Telegram user and the name shown for them."""
    return [
        sa.Column(f"{prefix}user_id", sa.BigInteger(), nullable=True),
        sa.Column(f"{prefix}name", sa.String(255), nullable=False, server_default=""),
    ]


def _task_id() -> sa.Column[int]:
    return sa.Column(
        "task_id", sa.Integer(), sa.ForeignKey("task.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    op.add_column("task", sa.Column("original_deadline", sa.Date(), nullable=True))
    op.create_table(
        "task_note",
        sa.Column("id", _ID, primary_key=True),
        _task_id(),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        *_by_whom(),
        sa.Column("text", sa.Text(), nullable=False),
    )
    op.create_index("ix_task_note_task_id_at", "task_note", ["task_id", "at"])
    op.create_table(
        "task_evidence",
        sa.Column("id", _ID, primary_key=True),
        _task_id(),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        *_by_whom(),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("file_id", sa.String(255), nullable=False),
        sa.Column("file_unique_id", sa.String(64), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=True),
        sa.Column("file_size", sa.BigInteger(), nullable=True),
        sa.Column("caption", sa.Text(), nullable=True),
        sa.UniqueConstraint("task_id", "file_unique_id", name="uq_task_evidence_task_id"),
    )
    op.create_table(
        "extension_request",
        sa.Column("id", _ID, primary_key=True),
        _task_id(),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        *_by_whom(),
        sa.Column("old_deadline", sa.Date(), nullable=True),
        sa.Column("new_deadline", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        *_by_whom("decided_by_"),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notices", sa.JSON(), nullable=False),
    )
    op.create_index("ix_extension_request_task_id", "extension_request", ["task_id"])
    op.create_index(
        "ix_extension_request_pending",
        "extension_request",
        ["task_id"],
        unique=True,
        sqlite_where=_PENDING,
        postgresql_where=_PENDING,
    )


def downgrade() -> None:
    op.drop_table("extension_request")
    op.drop_table("task_evidence")
    op.drop_table("task_note")
    with op.batch_alter_table("task", recreate="never") as batch:
        batch.drop_column("original_deadline")
