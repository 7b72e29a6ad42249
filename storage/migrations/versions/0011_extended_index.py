"""task: a partial index on the tasks whose deadline was extended

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03

/status says how many tasks in its scope had their deadline extended (original_deadline set
by an approved extension). Few tasks ever are, so a partial index on (lead agency, program)
of those rows keeps that count a short index read whatever the register's size, where a
count over the task table would read every row.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_EXTENDED = sa.text("original_deadline IS NOT NULL")


def upgrade() -> None:
    op.create_index(
        "ix_task_extended",
        "task",
        ["lead_agency_id", "program_id"],
        sqlite_where=_EXTENDED,
        postgresql_where=_EXTENDED,
    )


def downgrade() -> None:
    op.drop_index("ix_task_extended", table_name="task")
