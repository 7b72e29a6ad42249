"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-29 02:45:53.071788
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agency",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name_vi", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("aliases", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency")),
        sa.UniqueConstraint("code", name=op.f("uq_agency_code")),
    )
    op.create_table(
        "chat",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=True),
        sa.Column("registered_by", sa.BigInteger(), nullable=False),
        sa.Column("registered_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat")),
    )
    op.create_table(
        "program",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_program")),
        sa.UniqueConstraint("code", name=op.f("uq_program_code")),
    )
    op.create_table(
        "register_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_state")),
    )
    op.bulk_insert(
        sa.table("register_state", sa.column("id", sa.Integer), sa.column("version")),
        [{"id": 1, "version": 0}],
    )
    op.create_table(
        "member",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=True),
        sa.Column("created_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_member_agency_id_agency")
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_member")),
    )
    op.create_table(
        "task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("lead_agency_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("progress", sa.SmallInteger(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.SmallInteger(),
            sa.Computed(
                "CASE WHEN deadline IS NULL THEN 0"
                " WHEN status = 'done' AND completed_on > deadline THEN 2"
                " WHEN status = 'done' THEN 1 ELSE 3 END",
                persisted=True,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["lead_agency_id"], ["agency.id"], name=op.f("fk_task_lead_agency_id_agency")
        ),
        sa.ForeignKeyConstraint(
            ["program_id"], ["program.id"], name=op.f("fk_task_program_id_program")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task")),
        sa.UniqueConstraint("code", name=op.f("uq_task_code")),
    )
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.create_index(
            "ix_task_open",
            ["deadline", "code"],
            unique=False,
            sqlite_where=sa.text("status != 'done'"),
            postgresql_where=sa.text("status != 'done'"),
        )
        batch_op.create_index(
            "ix_task_open_agency",
            ["lead_agency_id", "deadline", "code"],
            unique=False,
            sqlite_where=sa.text("status != 'done'"),
            postgresql_where=sa.text("status != 'done'"),
        )
        batch_op.create_index(
            "ix_task_open_program",
            ["program_id", "deadline", "code"],
            unique=False,
            sqlite_where=sa.text("status != 'done'"),
            postgresql_where=sa.text("status != 'done'"),
        )

    op.create_table(
        "task_coordinator",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_task_coordinator_agency_id_agency")
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["task.id"],
            name=op.f("fk_task_coordinator_task_id_task"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("task_id", "agency_id", name=op.f("pk_task_coordinator")),
    )


def downgrade() -> None:
    op.drop_table("task_coordinator")
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_task_open_program",
            sqlite_where=sa.text("status != 'done'"),
            postgresql_where=sa.text("status != 'done'"),
        )
        batch_op.drop_index(
            "ix_task_open_agency",
            sqlite_where=sa.text("status != 'done'"),
            postgresql_where=sa.text("status != 'done'"),
        )
        batch_op.drop_index(
            "ix_task_open",
            sqlite_where=sa.text("status != 'done'"),
            postgresql_where=sa.text("status != 'done'"),
        )

    op.drop_table("task")
    op.drop_table("member")
    op.drop_table("register_state")
    op.drop_table("program")
    op.drop_table("chat")
    op.drop_table("agency")
