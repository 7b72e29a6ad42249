"""task_tally: per (agency, program, state) counts kept by triggers; version bumps too

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29

The triggers make the database itself keep the counts, and bump register_state.version
(which expires cached reports), whoever writes to `task`: importer, future chat updates, a
hand-run SQL fix. Caveats: TRUNCATE fires none of them (truncate task_tally and bump the
version too), and an Alembic batch migration that recreates `task` on SQLite drops them, so
it must create them again.
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
    f"CREATE TRIGGER task_tally_update AFTER UPDATE ON task WHEN {_MOVED} BEGIN {_OLD} {_NEW} END",
    # Cached figures also depend on deadlines (overdue or not), not only on the tally.
    "CREATE TRIGGER task_version_update AFTER UPDATE OF"
    f" lead_agency_id, program_id, status, deadline, completed_on ON task BEGIN {_BUMP} END",
)
# PostgreSQL: statement triggers over transition tables, one grouped upsert per statement.
# Row triggers would update the same tally rows thousands of times in one transaction, and
# each update of a row already updated in that transaction walks a longer version chain.
_PG_ADD = (
    "INSERT INTO task_tally (agency_id, program_id, state, n)"
    " SELECT lead_agency_id, COALESCE(program_id, 0), state, COUNT(*) FROM new_rows"
    " GROUP BY 1, 2, 3"
    " ON CONFLICT (agency_id, program_id, state) DO UPDATE SET n = task_tally.n + EXCLUDED.n;"
)
_PG_REMOVE = (
    "UPDATE task_tally SET n = task_tally.n - gone.n FROM (SELECT lead_agency_id AS a,"
    " COALESCE(program_id, 0) AS p, state AS s, COUNT(*) AS n FROM old_rows GROUP BY 1, 2, 3)"
    " AS gone WHERE agency_id = gone.a AND program_id = gone.p AND state = gone.s;"
)
_PG_EVENTS = (  # (event, transition tables, body)
    ("INSERT", "NEW TABLE AS new_rows", _PG_ADD),
    ("DELETE", "OLD TABLE AS old_rows", _PG_REMOVE),
    ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows", _PG_REMOVE + " " + _PG_ADD),
)
POSTGRES_TRIGGERS = [
    statement
    for event, tables, body in _PG_EVENTS
    for statement in (
        f"CREATE FUNCTION task_tally_{event.lower()}() RETURNS trigger LANGUAGE plpgsql AS $$"
        f" BEGIN {body} {_BUMP} RETURN NULL; END $$",
        f"CREATE TRIGGER task_tally_{event.lower()} AFTER {event} ON task"
        f" REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION task_tally_{event.lower()}()",
    )
]
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
        for statement in POSTGRES_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        names = ("task_tally_insert", "task_tally_delete", "task_tally_update")
        for name in (*names, "task_version_update"):
            op.execute(f"DROP TRIGGER {name}")
    else:
        for event in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER task_tally_{event} ON task")
            op.execute(f"DROP FUNCTION task_tally_{event}()")
    op.drop_table("task_tally")
