"""task_tally: per (agency, program, state) counts kept by triggers; version bumps too

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29

The triggers make the database itself keep the counts, and bump register_state.version
(which expires cached reports), whoever writes to `task`: importer, future chat updates, a
hand-run SQL fix. Caveats for later migrations: TRUNCATE fires no
row triggers (truncate task_tally too), and an Alembic batch migration that recreates `task`
on SQLite drops these triggers, so it must create them again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_OLD = (
    "UPDATE task_tally SET n = n - 1 WHERE agency_id = OLD.lead_agency_id"
    " AND program_id = COALESCE(OLD.program_id, 0) AND state = OLD.state;"
)
_NEW = (
    "INSERT INTO task_tally (agency_id, program_id, state, n)"
    " VALUES (NEW.lead_agency_id, COALESCE(NEW.program_id, 0), NEW.state, 1)"
    " ON CONFLICT (agency_id, program_id, state) DO UPDATE SET n = task_tally.n + 1;"
)
_BUMP = "UPDATE register_state SET version = version + 1 WHERE id = 1;"
_MOVED = (
    "OLD.lead_agency_id IS NOT NEW.lead_agency_id OR OLD.program_id IS NOT NEW.program_id"
    " OR OLD.state IS NOT NEW.state"
)

# SQLite has row triggers only, so the version moves once per changed row.
SQLITE_TRIGGERS = (
    f"CREATE TRIGGER task_tally_insert AFTER INSERT ON task BEGIN {_NEW} {_BUMP} END",
    f"CREATE TRIGGER task_tally_delete AFTER DELETE ON task BEGIN {_OLD} {_BUMP} END",
    f"CREATE TRIGGER task_tally_update AFTER UPDATE ON task WHEN {_MOVED}"
    f" BEGIN {_OLD} {_NEW} {_BUMP} END",
)
POSTGRES_FUNCTION = f"""
CREATE FUNCTION task_tally_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NOT ({_MOVED.replace("IS NOT", "IS DISTINCT FROM")}) THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN {_OLD} END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN {_NEW} END IF;
    RETURN NULL;
END $$
"""
POSTGRES_TRIGGER = (
    "CREATE TRIGGER task_tally AFTER INSERT OR DELETE OR UPDATE ON task"
    " FOR EACH ROW EXECUTE FUNCTION task_tally_row()"
)
# One bump per statement: a 100,000-row COPY moves the version once.
POSTGRES_VERSION = (
    "CREATE FUNCTION register_bump() RETURNS trigger LANGUAGE plpgsql AS $$"
    f" BEGIN {_BUMP} RETURN NULL; END $$",
    "CREATE TRIGGER register_bump AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON task"
    " FOR EACH STATEMENT EXECUTE FUNCTION register_bump()",
)
BACKFILL = (
    "INSERT INTO task_tally (agency_id, program_id, state, n)"
    " SELECT lead_agency_id, COALESCE(program_id, 0), state, COUNT(*) FROM task"
    " GROUP BY lead_agency_id, COALESCE(program_id, 0), state"
)


def upgrade() -> None:
    op.create_table(
        "task_tally",
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.SmallInteger(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("agency_id", "program_id", "state", name=op.f("pk_task_tally")),
    )
    op.execute(BACKFILL)
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)
    else:
        op.execute(POSTGRES_FUNCTION)
        op.execute(POSTGRES_TRIGGER)
        for statement in POSTGRES_VERSION:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("task_tally_insert", "task_tally_delete", "task_tally_update"):
            op.execute(f"DROP TRIGGER {name}")
    else:
        op.execute("DROP TRIGGER register_bump ON task")
        op.execute("DROP FUNCTION register_bump()")
        op.execute("DROP TRIGGER task_tally ON task")
        op.execute("DROP FUNCTION task_tally_row()")
    op.drop_table("task_tally")
