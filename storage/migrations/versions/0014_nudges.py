"""nudges: the ladder's settings, the admins' calendar days, per-task state, snoozes, mutes

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03

services/nudges.py plans each working morning's nudges from these tables and writes its
state (overdue nudges counted, escalations) in the transaction that queues the messages.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_AT = sa.DateTime(timezone=True)


def _task_id() -> sa.Column[int]:
    return sa.Column(
        "task_id", sa.Integer(), sa.ForeignKey("task.id", ondelete="CASCADE"), primary_key=True
    )


def upgrade() -> None:
    op.create_table(
        "nudge_settings",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("reminders", sa.String(64), nullable=False),
        sa.Column("overdue_every", sa.SmallInteger(), nullable=False),
        sa.Column("escalate_after", sa.SmallInteger(), nullable=False),
        sa.Column("send_at", sa.Time(), nullable=False),
        sa.Column("quiet_from", sa.Time(), nullable=False),
        sa.Column("quiet_until", sa.Time(), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("updated_by", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", _AT, nullable=True),
    )
    op.create_table(
        "holiday_override",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("working", sa.Boolean(), nullable=False),
        sa.Column("by_user", sa.BigInteger(), nullable=True),
        sa.Column("at", _AT, nullable=False),
    )
    op.create_table(
        "nudge_state",  # no foreign key to task: see storage/models.py NudgeState
        sa.Column("task_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("overdue_nudges", sa.Integer(), nullable=False),
        sa.Column("escalations", sa.Integer(), nullable=False),
        sa.Column("last_on", sa.Date(), nullable=False),
    )
    op.create_table(
        "nudge_snooze",
        _task_id(),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("by_user", sa.BigInteger(), nullable=False),
        sa.Column("at", _AT, nullable=False),
    )
    op.create_table(
        "nudge_mute",
        sa.Column("user_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("at", _AT, nullable=False),
    )
    op.create_table(
        "nudge_day",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("planned_at", _AT, nullable=False),
        sa.Column("queued", sa.Integer(), nullable=False),
    )
    op.create_index("ix_outbox_chat_id_id", "outbox", ["chat_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_outbox_chat_id_id", "outbox")
    for table in (
        "nudge_day",
        "nudge_mute",
        "nudge_snooze",
        "nudge_state",
        "holiday_override",
        "nudge_settings",
    ):
        op.drop_table(table)
