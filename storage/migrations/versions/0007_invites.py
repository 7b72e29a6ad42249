"""member.invited_by and member.invited_at: who made a lead one, and when

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

An invite (services/members.py) is a pending action, purged some time after it expires;
the member row keeps who invited them and when, for /members and for the record.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMNs (nullable, no default): SQLite needs no batch rebuild for them.
    op.add_column("member", sa.Column("invited_by", sa.BigInteger(), nullable=True))
    op.add_column(
        "member",
        sa.Column("invited_at", storage.models.UTCDateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    with op.batch_alter_table("member") as batch:
        batch.drop_column("invited_at")
        batch.drop_column("invited_by")
