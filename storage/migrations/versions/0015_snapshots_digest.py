"""daily snapshots, the weekly digest's schedule per group, photos in the outbox

Revision ID: 0015
Revises: 0014 (main's head when branch dig merged main; written against 0010)
Create Date: 2026-12-03

`snapshot` keeps the bucket counts per (agency, programme) as each day ended, so a past
day's figures and a week's change are read, not recomputed; `snapshot_day` says which days
have one. `chat.digest_day`/`digest_minute` move a group's digest off Monday 08:00 (or turn
it off). `outbox.photo`/`caption` let a job queue the digest's chart as a photo.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_COUNTS = (
    "done_on_time", "done_late", "on_schedule", "overdue", "routine", "due_by_year_end",
    "cancelled",
)  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "snapshot",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("agency_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("program_id", sa.Integer(), primary_key=True, autoincrement=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in _COUNTS),
    )
    op.create_table(
        "snapshot_day",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
    )
    # Plain ADD COLUMN (nullable, no constraint): no table rebuild on SQLite.
    op.add_column("chat", sa.Column("digest_day", sa.SmallInteger(), nullable=True))
    op.add_column("chat", sa.Column("digest_minute", sa.SmallInteger(), nullable=True))
    op.add_column("outbox", sa.Column("photo", sa.LargeBinary(), nullable=True))
    op.add_column("outbox", sa.Column("caption", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("caption")
        batch.drop_column("photo")
    with op.batch_alter_table("chat") as batch:
        batch.drop_column("digest_minute")
        batch.drop_column("digest_day")
    op.drop_table("snapshot_day")
    op.drop_table("snapshot")
