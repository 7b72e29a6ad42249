"""cancelled tasks: a status the secretariat sets, outside every total

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03

- task.status may be 'cancelled'. The generated column task.state is then 4
  (storage.models.TaskState.CANCELLED), so task_tally's triggers (0003, unchanged) count
  cancelled tasks apart, per (agency, program), and reports read that count from the tally
  like the others, and leave it out of their totals.
- An open task is `status NOT IN ('done', 'cancelled')` (storage.models.OPEN_SQL) instead of
  `status != 'done'`: open_tally's triggers (0005) and the three partial indexes on open
  tasks (/overdue, /due, the year's count) take the new predicate.
- Both tallies are recounted from the task table (cached reports expire if that moved any).

PostgreSQL 15 cannot change a generated column's expression (no SET EXPRESSION before 17):
the column is dropped and added again, which rewrites the table once. SQLite cannot add a
stored generated column at all: `task` is rebuilt from its own CREATE TABLE with the new
expression, keeping its rows, ids, other indexes and triggers (foreign keys off, as 0003
needs; storage/migrate.py runs migrations so).

Downgrade: cancelled tasks become open (the older schema has no such status; the audit
trail keeps their history), then everything above is undone.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

from alembic import op
from sqlalchemy.engine import Connection

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

STATE = (  # storage.models.STATE_SQL as of this revision
    "CASE WHEN status = 'cancelled' THEN 4"
    " WHEN deadline IS NULL THEN 0"
    " WHEN status = 'done' AND completed_on > deadline THEN 2"
    " WHEN status = 'done' THEN 1 ELSE 3 END"
)
OLD_STATE = (  # as 0001 and 0003 made it
    "CASE WHEN deadline IS NULL THEN 0"
    " WHEN status = 'done' AND completed_on > deadline THEN 2"
    " WHEN status = 'done' THEN 1 ELSE 3 END"
)
OPEN = "status NOT IN ('done', 'cancelled')"  # storage.models.OPEN_SQL
OLD_OPEN = "status != 'done'"
OPEN_INDEXES = {  # as 0001 and 0003 made them
    "ix_task_open": "deadline, code",
    "ix_task_open_agency": "lead_agency_id, deadline, code",
    "ix_task_open_program": "program_id, deadline, code",
}


def _open(row: str) -> str:
    """The open-task predicate on a trigger's row (NEW, OLD) or a bare table."""
    return f"{row}.{OPEN}" if row else OPEN


# --- open_tally's triggers, as 0005 made them but for the new predicate ----------------------

_AS_OF = "(SELECT as_of FROM open_tally_state WHERE id = 1)"
_YEAR_END = "(SELECT year_end FROM open_tally_state WHERE id = 1)"
_SQLITE_ADD = (
    "INSERT INTO open_tally (agency_id, program_id, overdue, due_by_year_end)"
    " SELECT NEW.lead_agency_id, COALESCE(NEW.program_id, 0),"
    " NEW.deadline < s.as_of, NEW.deadline >= s.as_of FROM open_tally_state AS s"
    f" WHERE s.id = 1 AND {_open('NEW')} AND NEW.deadline <= s.year_end"
    " ON CONFLICT (agency_id, program_id) DO UPDATE SET overdue = overdue + excluded.overdue,"
    " due_by_year_end = due_by_year_end + excluded.due_by_year_end;"
)
_SQLITE_REMOVE = (
    f"UPDATE open_tally SET overdue = overdue - (OLD.deadline < {_AS_OF}),"
    f" due_by_year_end = due_by_year_end - (OLD.deadline >= {_AS_OF})"
    " WHERE agency_id = OLD.lead_agency_id AND program_id = COALESCE(OLD.program_id, 0)"
    f" AND {_open('OLD')} AND OLD.deadline <= {_YEAR_END};"
)
_SQLITE_MOVED = (
    "OLD.lead_agency_id IS NOT NEW.lead_agency_id OR OLD.program_id IS NOT NEW.program_id"
    f" OR OLD.deadline IS NOT NEW.deadline OR ({_open('OLD')}) IS NOT ({_open('NEW')})"
)
SQLITE_OPEN_TALLY = {
    "open_tally_insert": f"CREATE TRIGGER open_tally_insert AFTER INSERT ON task"
    f" BEGIN {_SQLITE_ADD} END",
    "open_tally_delete": f"CREATE TRIGGER open_tally_delete AFTER DELETE ON task"
    f" BEGIN {_SQLITE_REMOVE} END",
    "open_tally_update": "CREATE TRIGGER open_tally_update AFTER UPDATE OF lead_agency_id,"
    f" program_id, status, deadline ON task WHEN {_SQLITE_MOVED}"
    f" BEGIN {_SQLITE_REMOVE} {_SQLITE_ADD} END",
}

_PG_SIDES = {
    "new": "SELECT lead_agency_id, program_id, deadline, 1 AS n FROM new_rows"
    f" WHERE {OPEN} AND deadline IS NOT NULL",
    "old": "SELECT lead_agency_id, program_id, deadline, -1 AS n FROM old_rows"
    f" WHERE {OPEN} AND deadline IS NOT NULL",
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
    " ORDER BY a, p"
    " ON CONFLICT (agency_id, program_id) DO UPDATE SET overdue = t.overdue + EXCLUDED.overdue,"
    " due_by_year_end = t.due_by_year_end + EXCLUDED.due_by_year_end;"
    " RETURN NULL; END"
)
_PG_SIDES_OF = {"insert": ("new",), "delete": ("old",), "update": ("old", "new")}
# The triggers stay (0005's); only their functions' bodies change.
POSTGRES_OPEN_TALLY = [
    f"CREATE OR REPLACE FUNCTION open_tally_{event}() RETURNS trigger LANGUAGE plpgsql AS $$ "
    + _PG_BODY.format(net=_PG_NET.format(" UNION ALL ".join(_PG_SIDES[s] for s in sides)))
    + " $$"
    for event, sides in _PG_SIDES_OF.items()
]


def _revision_0005() -> ModuleType:
    """Migration 0005, for its trigger definitions (the downgrade restores them)."""
    path = Path(__file__).with_name("0005_open_tally.py")
    spec = importlib.util.spec_from_file_location("dondoc_migration_0005", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _old_triggers(sqlite: bool) -> dict[str, str] | list[str]:
    """0005's open_tally triggers (SQLite, by name) or functions (PostgreSQL, replaced)."""
    old = _revision_0005()
    if sqlite:
        return {statement.split()[2]: statement for statement in old.SQLITE_TRIGGERS}
    return [
        s.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)
        for s in old.POSTGRES_TRIGGERS
        if s.startswith("CREATE FUNCTION")
    ]


# --- the generated column and the partial indexes -------------------------------------------

_GENERATED = re.compile(r"GENERATED ALWAYS AS \(([^()]*)\) STORED")
_TABLE_NAME = re.compile(r'^CREATE TABLE\s+("task"|task)\s*\(')


def _rebuild_sqlite(
    bind: Connection, state: str, predicate: str, triggers: dict[str, str]
) -> None:
    """Recreate `task` with `state` as its generated expression: same columns, rows and ids;
    its other indexes and triggers as they were, open_tally's and the open indexes anew."""
    if bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
        # DROP TABLE would delete every task first, and their notes, events and evidence.
        raise RuntimeError("migration 0012 needs PRAGMA foreign_keys=OFF: run `dondoc db upgrade`")
    schema = bind.exec_driver_sql(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'task' AND sql IS NOT NULL"
    ).all()
    [create] = [sql for kind, _name, sql in schema if kind == "table"]
    if len(_GENERATED.findall(create)) != 1 or not _TABLE_NAME.match(create):
        raise RuntimeError("migration 0012: task's CREATE TABLE is not as 0011 left it")
    create = _GENERATED.sub(f"GENERATED ALWAYS AS ({state}) STORED", create)
    bind.exec_driver_sql(_TABLE_NAME.sub("CREATE TABLE task_rebuilt (", create, count=1))
    columns = ", ".join(
        name for _cid, name, *_rest, hidden in bind.exec_driver_sql("PRAGMA table_xinfo('task')")
        if hidden == 0  # 2 and 3: generated columns, computed again
    )  # fmt: skip
    bind.exec_driver_sql(f"INSERT INTO task_rebuilt ({columns}) SELECT {columns} FROM task")
    bind.exec_driver_sql("DROP TABLE task")  # its indexes and triggers go with it
    bind.exec_driver_sql("ALTER TABLE task_rebuilt RENAME TO task")
    for kind, name, sql in schema:
        made_anew = OPEN_INDEXES if kind == "index" else triggers  # below
        if kind != "table" and name not in made_anew:
            bind.exec_driver_sql(sql)
    for trigger in triggers.values():
        bind.exec_driver_sql(trigger)
    for name, columns_sql in OPEN_INDEXES.items():
        bind.exec_driver_sql(f"CREATE INDEX {name} ON task ({columns_sql}) WHERE {predicate}")


def _rebuild_postgres(state: str, predicate: str, functions: list[str]) -> None:
    """Replace the generated column (a table rewrite), the open indexes and open_tally's
    trigger functions."""
    for name in OPEN_INDEXES:
        op.execute(f"DROP INDEX {name}")
    op.execute("ALTER TABLE task DROP COLUMN state")
    op.execute(
        f"ALTER TABLE task ADD COLUMN state SMALLINT NOT NULL GENERATED ALWAYS AS ({state}) STORED"
    )
    for name, columns_sql in OPEN_INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON task ({columns_sql}) WHERE {predicate}")
    for statement in functions:
        op.execute(statement)


def _recount(predicate: str) -> None:
    """Both tallies from the task table, exact whatever was stored."""
    op.execute("DELETE FROM task_tally")
    op.execute(
        "INSERT INTO task_tally (agency_id, program_id, state, n)"
        " SELECT lead_agency_id, COALESCE(program_id, 0), state, COUNT(*) FROM task"
        " GROUP BY lead_agency_id, COALESCE(program_id, 0), state"
    )
    op.execute("DELETE FROM open_tally")
    op.execute(
        "INSERT INTO open_tally (agency_id, program_id, overdue, due_by_year_end)"
        " SELECT lead_agency_id, COALESCE(program_id, 0),"
        " COUNT(*) FILTER (WHERE deadline < s.as_of), COUNT(*) FILTER (WHERE deadline >= s.as_of)"
        " FROM task, open_tally_state AS s"
        f" WHERE s.id = 1 AND {predicate} AND deadline <= s.year_end"
        " GROUP BY lead_agency_id, COALESCE(program_id, 0)"
    )
    # Figures change only where a task was cancelled before this revision knew the word (a
    # hand fix): only then do cached reports expire.
    op.execute(
        "INSERT INTO report_version (agency_id, version) SELECT 0, 1"
        " WHERE EXISTS (SELECT 1 FROM task WHERE status = 'cancelled')"
        " ON CONFLICT (agency_id) DO UPDATE SET version = report_version.version + 1"
    )


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _rebuild_sqlite(bind, STATE, OPEN, SQLITE_OPEN_TALLY)
    else:
        _rebuild_postgres(STATE, OPEN, POSTGRES_OPEN_TALLY)
    _recount(OPEN)


def downgrade() -> None:
    bind = op.get_bind()
    op.execute("UPDATE task SET status = 'open' WHERE status = 'cancelled'")
    sqlite = bind.dialect.name == "sqlite"
    old = _old_triggers(sqlite)
    if isinstance(old, dict):
        _rebuild_sqlite(bind, OLD_STATE, OLD_OPEN, old)
    else:
        _rebuild_postgres(OLD_STATE, OLD_OPEN, old)
    _recount(OLD_OPEN)
