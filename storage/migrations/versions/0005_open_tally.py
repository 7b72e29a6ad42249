"""open_tally: open tasks overdue and due by 31 December per (agency, program), as of a date

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

Triggers on `task` keep the counts as of open_tally_state.as_of; services/open_tally.py rolls
that date forward and explains the design. These triggers stand beside 0002's and touch
neither task_tally nor the register version. Same caveats as 0002: TRUNCATE fires none of
them (call services.open_tally.roll_open_tally(..., rebuild=True) after one), and an Alembic
batch migration that recreates `task` on SQLite drops them, so it must create them again.
Also an index on task.updated_at: the cache's freshness check reads max(updated_at).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# SQLite: row triggers; dates are ISO text there, so comparing them as strings is exact.
_STATE = "(SELECT {} FROM open_tally_state WHERE id = 1)"
_AS_OF, _YEAR_END = _STATE.format("as_of"), _STATE.format("year_end")
_SQLITE_ADD = (
    "INSERT INTO open_tally (agency_id, program_id, overdue, due_by_year_end)"
    " SELECT NEW.lead_agency_id, COALESCE(NEW.program_id, 0),"
    " NEW.deadline < s.as_of, NEW.deadline >= s.as_of FROM open_tally_state AS s"
    " WHERE s.id = 1 AND NEW.status != 'done' AND NEW.deadline <= s.year_end"
    " ON CONFLICT (agency_id, program_id) DO UPDATE SET overdue = overdue + excluded.overdue,"
    " due_by_year_end = due_by_year_end + excluded.due_by_year_end;"
)
_SQLITE_REMOVE = (
    f"UPDATE open_tally SET overdue = overdue - (OLD.deadline < {_AS_OF}),"
    f" due_by_year_end = due_by_year_end - (OLD.deadline >= {_AS_OF})"
    " WHERE agency_id = OLD.lead_agency_id AND program_id = COALESCE(OLD.program_id, 0)"
    f" AND OLD.status != 'done' AND OLD.deadline <= {_YEAR_END};"
)
_SQLITE_MOVED = (
    "OLD.lead_agency_id IS NOT NEW.lead_agency_id OR OLD.program_id IS NOT NEW.program_id"
    " OR OLD.deadline IS NOT NEW.deadline OR (OLD.status = 'done') IS NOT (NEW.status = 'done')"
)
SQLITE_TRIGGERS = (
    f"CREATE TRIGGER open_tally_insert AFTER INSERT ON task BEGIN {_SQLITE_ADD} END",
    f"CREATE TRIGGER open_tally_delete AFTER DELETE ON task BEGIN {_SQLITE_REMOVE} END",
    "CREATE TRIGGER open_tally_update AFTER UPDATE OF lead_agency_id, program_id, status,"
    f" deadline ON task WHEN {_SQLITE_MOVED} BEGIN {_SQLITE_REMOVE} {_SQLITE_ADD} END",
)

# PostgreSQL: statement triggers over transition tables. Open dated tasks leaving (-1) and
# arriving (+1), netted per (agency, program, deadline): an update that moves nothing counted
# (progress, notes, title) nets to zero and takes no lock at all. Otherwise the state row is
# read FOR SHARE, so a roll (which updates that row) waits for this transaction and this
# trigger waits for a roll: counts are always as of the date they are stored with.
_PG_SIDES = {
    "new": "SELECT lead_agency_id, program_id, deadline, 1 AS n FROM new_rows"
    " WHERE status <> 'done' AND deadline IS NOT NULL",
    "old": "SELECT lead_agency_id, program_id, deadline, -1 AS n FROM old_rows"
    " WHERE status <> 'done' AND deadline IS NOT NULL",
}
_PG_NET = (
    "SELECT lead_agency_id AS a, COALESCE(program_id, 0) AS p, deadline AS d, SUM(n) AS n"
    " FROM ({}) AS moved GROUP BY 1, 2, 3 HAVING SUM(n) <> 0"
)
_PG_BODY = (
    "DECLARE a_s date; y_s date; BEGIN"
    " IF NOT EXISTS ({net}) THEN RETURN NULL; END IF;"
    " SELECT as_of, year_end INTO a_s, y_s FROM open_tally_state WHERE id = 1 FOR SHARE;"
    " INSERT INTO open_tally AS t (agency_id, program_id, overdue, due_by_year_end)"
    " SELECT a, p, COALESCE(SUM(n) FILTER (WHERE d < a_s), 0),"
    " COALESCE(SUM(n) FILTER (WHERE d >= a_s), 0) FROM ({net}) AS net WHERE d <= y_s"
    " GROUP BY a, p HAVING SUM(n) FILTER (WHERE d < a_s) <> 0"
    " OR SUM(n) FILTER (WHERE d >= a_s) <> 0"
    " ORDER BY a, p"  # one lock order for every writer: no deadlocks among them
    " ON CONFLICT (agency_id, program_id) DO UPDATE SET overdue = t.overdue + EXCLUDED.overdue,"
    " due_by_year_end = t.due_by_year_end + EXCLUDED.due_by_year_end;"
    " RETURN NULL; END"
)
_PG_EVENTS = (  # (event, transition tables, sides)
    ("insert", "NEW TABLE AS new_rows", ("new",)),
    ("delete", "OLD TABLE AS old_rows", ("old",)),
    ("update", "OLD TABLE AS old_rows NEW TABLE AS new_rows", ("old", "new")),
)
POSTGRES_TRIGGERS = [
    statement
    for event, tables, sides in _PG_EVENTS
    for statement in (
        f"CREATE FUNCTION open_tally_{event}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        + _PG_BODY.format(net=_PG_NET.format(" UNION ALL ".join(_PG_SIDES[s] for s in sides)))
        + " $$",
        f"CREATE TRIGGER open_tally_{event} AFTER {event.upper()} ON task"
        f" REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION open_tally_{event}()",
    )
]

# Counted as of the database's own date; the bot's start-up roll moves it to the
# committee's date at once (the figures are right for any as-of date, see open_tally.py).
_TODAY = {"sqlite": "date('now')", "postgresql": "CURRENT_DATE"}
_YEAR_END_OF = {
    "sqlite": "strftime('%Y', {}) || '-12-31'",
    "postgresql": "CAST(date_trunc('year', {}) + interval '1 year - 1 day' AS date)",
}
BACKFILL = (
    "INSERT INTO open_tally (agency_id, program_id, overdue, due_by_year_end)"
    " SELECT lead_agency_id, COALESCE(program_id, 0),"
    " COUNT(*) FILTER (WHERE deadline < s.as_of), COUNT(*) FILTER (WHERE deadline >= s.as_of)"
    " FROM task, open_tally_state AS s"
    " WHERE s.id = 1 AND status != 'done' AND deadline <= s.year_end"
    " GROUP BY lead_agency_id, COALESCE(program_id, 0)"
)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        "open_tally",
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("overdue", sa.Integer(), nullable=False),
        sa.Column("due_by_year_end", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("agency_id", "program_id", name=op.f("pk_open_tally")),
    )
    op.create_table(
        "open_tally_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("year_end", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_open_tally_state")),
    )
    today = _TODAY[dialect]
    op.execute(
        "INSERT INTO open_tally_state (id, as_of, year_end)"
        f" VALUES (1, {today}, {_YEAR_END_OF[dialect].format(today)})"
    )
    op.execute(BACKFILL)
    for statement in SQLITE_TRIGGERS if dialect == "sqlite" else POSTGRES_TRIGGERS:
        op.execute(statement)
    op.create_index(op.f("ix_task_updated_at"), "task", ["updated_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_task_updated_at"), table_name="task")
    for event in ("insert", "delete", "update"):
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f"DROP TRIGGER open_tally_{event}")
        else:
            op.execute(f"DROP TRIGGER open_tally_{event} ON task")
            op.execute(f"DROP FUNCTION open_tally_{event}()")
    op.drop_table("open_tally_state")
    op.drop_table("open_tally")
