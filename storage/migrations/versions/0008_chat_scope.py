"""chat.agency_id and chat.program_id: a working group of one agency or programme

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

`/register MOF` in a group makes it that agency's group: its reports default to that scope,
and the jobs to come send that agency's nudges there.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Batch: SQLite rebuilds the (small) chat table to add the foreign keys.
    with op.batch_alter_table("chat") as batch:
        batch.add_column(sa.Column("agency_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("program_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_chat_agency_id_agency", "agency", ["agency_id"], ["id"])
        batch.create_foreign_key("fk_chat_program_id_program", "program", ["program_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("chat") as batch:
        batch.drop_constraint("fk_chat_program_id_program", type_="foreignkey")
        batch.drop_constraint("fk_chat_agency_id_agency", type_="foreignkey")
        batch.drop_column("program_id")
        batch.drop_column("agency_id")
