"""writers: task.code_key, task_event (audit trail), per-agency report versions

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

- task.code_key: the code case-folded (storage.models.code_key), unique, so "CASE-1" and
  "case-1" are one task; backfilled here in batches.
- task_event: one row per changed field of a task (services/audit.py).
- report_version replaces register_state: one counter per lead agency, bumped only when a
  report-relevant column changes (agency, program, deadline, status, completion date) or a
  task is inserted or deleted, so a progress or notes update touches no shared row and
  writers of different agencies never wait on each other. Row 0 continues the old counter.
- Triggers: PostgreSQL keeps tallies and versions per statement (transition tables; an
  UPDATE that moves nothing touches no tally row); SQLite per row.

SQLite cannot add a NOT NULL column without recreating `task`, which drops its triggers and,
with foreign keys on, would cascade-delete task_coordinator: storage/migrate.py runs
migrations with foreign keys off, and this migration refuses to run otherwise.
"""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op
from sqlalchemy.engine import Connection

import storage.models
from storage.models import CODE_KEY_LEN, code_key

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

BATCH = 1000  # rows per backfill statement (2 binds each: far below either driver's limit)
TWIN_MARK = "\x1f"  # a control character: no valid code has one, so no code's key ends so

log = logging.getLogger("dondoc.migrations")

# A change to any of these can move a task between report figures.
_RELEVANT = ("lead_agency_id", "program_id", "deadline", "status", "completed_on")


def _changed(old: str, new: str, distinct: str) -> str:
    return " OR ".join(f"{old}.{c} {distinct} {new}.{c}" for c in _RELEVANT)


# --- SQLite: row triggers -------------------------------------------------------------------


def _sqlite_tally(row: str, delta: int) -> str:
    return (
        "INSERT INTO task_tally (agency_id, program_id, state, n) VALUES"
        f" ({row}.lead_agency_id, COALESCE({row}.program_id, 0), {row}.state, {delta})"
        " ON CONFLICT (agency_id, program_id, state) DO UPDATE SET n = n + excluded.n;"
    )


def _sqlite_bump(agency: str, condition: str = "true") -> str:
    # The WHERE also keeps SQLite from reading ON CONFLICT as a join constraint.
    return (
        f"INSERT INTO report_version (agency_id, version) SELECT {agency}, 1 WHERE {condition}"
        " ON CONFLICT (agency_id) DO UPDATE SET version = version + 1;"
    )


_MOVED = (
    "OLD.lead_agency_id IS NOT NEW.lead_agency_id OR OLD.program_id IS NOT NEW.program_id"
    " OR OLD.state IS NOT NEW.state"
)
SQLITE_TRIGGERS = {
    "task_insert": f"AFTER INSERT ON task BEGIN {_sqlite_tally('NEW', 1)}"
    f" {_sqlite_bump('NEW.lead_agency_id')} END",
    "task_delete": f"AFTER DELETE ON task BEGIN {_sqlite_tally('OLD', -1)}"
    f" {_sqlite_bump('OLD.lead_agency_id')} END",
    "task_tally_update": f"AFTER UPDATE ON task WHEN {_MOVED} BEGIN"
    f" {_sqlite_tally('OLD', -1)} {_sqlite_tally('NEW', 1)} END",
    "task_version_update": f"AFTER UPDATE ON task WHEN {_changed('OLD', 'NEW', 'IS NOT')} BEGIN"
    f" {_sqlite_bump('OLD.lead_agency_id')}"
    f" {_sqlite_bump('NEW.lead_agency_id', 'NEW.lead_agency_id IS NOT OLD.lead_agency_id')} END",
}

# --- PostgreSQL: statement triggers over transition tables ----------------------------------
# One grouped upsert per statement, in key order (concurrent statements lock shared rows in
# the same order). Removals are negative upserts, so an UPDATE nets out rows that stayed in
# their (agency, program, state) and locks no tally row for them.

_PG_TALLY = (
    "INSERT INTO task_tally (agency_id, program_id, state, n)"
    " SELECT a, p, s, SUM(d) FROM ({rows}) AS moved (a, p, s, d)"
    " GROUP BY a, p, s HAVING SUM(d) <> 0 ORDER BY a, p, s"
    " ON CONFLICT (agency_id, program_id, state) DO UPDATE SET n = task_tally.n + EXCLUDED.n;"
)
_PG_NEW = "SELECT lead_agency_id, COALESCE(program_id, 0), state, 1 FROM new_rows"
_PG_OLD = "SELECT lead_agency_id, COALESCE(program_id, 0), state, -1 FROM old_rows"
_PG_BUMP = (
    "INSERT INTO report_version (agency_id, version)"
    " SELECT a, 1 FROM ({agencies}) AS touched (a) GROUP BY a ORDER BY a"
    " ON CONFLICT (agency_id) DO UPDATE SET version = report_version.version + 1;"
)
# Both the old and the new agency of each row whose report-relevant columns changed.
_PG_TOUCHED = (
    "SELECT v.a FROM old_rows o JOIN new_rows n ON n.id = o.id"
    " CROSS JOIN LATERAL (VALUES (o.lead_agency_id), (n.lead_agency_id)) AS v (a)"
    f" WHERE {_changed('o', 'n', 'IS DISTINCT FROM')}"
)
_PG_BODIES = {  # event: (transition tables, body)
    "insert": (
        "NEW TABLE AS new_rows",
        _PG_TALLY.format(rows=_PG_NEW)
        + _PG_BUMP.format(agencies="SELECT lead_agency_id FROM new_rows"),
    ),
    "delete": (
        "OLD TABLE AS old_rows",
        _PG_TALLY.format(rows=_PG_OLD)
        + _PG_BUMP.format(agencies="SELECT lead_agency_id FROM old_rows"),
    ),
    "update": (
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        _PG_TALLY.format(rows=f"{_PG_NEW} UNION ALL {_PG_OLD}")
        + _PG_BUMP.format(agencies=_PG_TOUCHED),
    ),
    # TRUNCATE fires no row or transition triggers: empty the tallies, expire every report.
    "truncate": (
        "",
        "DELETE FROM task_tally;"
        " INSERT INTO report_version (agency_id, version) VALUES (0, 1)"
        " ON CONFLICT (agency_id) DO UPDATE SET version = report_version.version + 1;",
    ),
}
POSTGRES_TRIGGERS = [
    statement
    for event, (tables, body) in _PG_BODIES.items()
    for statement in (
        # No JIT: compiling the queries costs more than running them, even for 100,000 rows
        # (transition tables have no statistics, so the planner's estimates are huge).
        f"CREATE FUNCTION task_after_{event}() RETURNS trigger LANGUAGE plpgsql SET jit = off"
        f" AS $$ BEGIN {body} RETURN NULL; END $$",
        f"CREATE TRIGGER task_{event} AFTER {event.upper()} ON task"
        + (f" REFERENCING {tables}" if tables else "")
        + f" FOR EACH STATEMENT EXECUTE FUNCTION task_after_{event}()",
    )
]


def _create_triggers(bind: Connection) -> None:
    if bind.dialect.name == "sqlite":
        for name, body in SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")
    else:
        for statement in POSTGRES_TRIGGERS:
            op.execute(statement)


def _drop_triggers(bind: Connection) -> None:
    if bind.dialect.name == "sqlite":
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
    else:
        for event in _PG_BODIES:
            op.execute(f"DROP TRIGGER task_{event} ON task")
            op.execute(f"DROP FUNCTION task_after_{event}()")


def _revision_0002() -> ModuleType:
    """Migration 0002, for its trigger definitions (the downgrade restores them)."""
    path = Path(__file__).with_name("0002_task_tally.py")
    spec = importlib.util.spec_from_file_location("dondoc_migration_0002", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _drop_0002_triggers(bind: Connection) -> None:
    if bind.dialect.name == "sqlite":
        for name in ("task_tally_insert", "task_tally_delete", "task_tally_update"):
            op.execute(f"DROP TRIGGER {name}")
        op.execute("DROP TRIGGER task_version_update")
    else:
        for event in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER task_tally_{event} ON task")
            op.execute(f"DROP FUNCTION task_tally_{event}()")


# --- task.code_key ------------------------------------------------------------------------


def _backfill_code_keys(bind: Connection) -> None:
    """Set code_key on every task, BATCH rows per statement, by id."""
    task = sa.table("task", sa.column("id", sa.Integer), sa.column("code", sa.String),
                    sa.column("code_key", sa.String))  # fmt: skip
    last = 0
    while True:
        batch = bind.execute(
            sa.select(task.c.id, task.c.code).where(task.c.id > last).order_by(task.c.id)
            .limit(BATCH)
        ).all()  # fmt: skip
        if not batch:
            return
        last = batch[-1][0]
        keys = [(ident, code_key(code)) for ident, code in batch]
        if bind.dialect.name == "sqlite":  # in-process: executemany is as fast as it gets
            update = task.update().where(task.c.id == sa.bindparam("b_id"))
            bind.execute(update.values(code_key=sa.bindparam("b_key")),
                         [{"b_id": i, "b_key": k} for i, k in keys])  # fmt: skip
        else:  # one statement per batch instead of a round trip per row
            rows = sa.values(sa.column("id", sa.Integer), sa.column("k", sa.String),
                             name="keys").data(keys)  # fmt: skip
            bind.execute(task.update().where(task.c.id == rows.c.id).values(code_key=rows.c.k))


def _separate_twins(bind: Connection) -> None:
    """Codes that differed only in letter case or composition were separate tasks before
    this revision: the oldest keeps the key, the others get one no code maps to (they stay
    as they were, reachable by no lookup), and each is named in the log to be resolved."""
    task = sa.table("task", sa.column("id", sa.Integer), sa.column("code", sa.String),
                    sa.column("code_key", sa.String))  # fmt: skip
    twins = sa.select(task.c.code_key).group_by(task.c.code_key).having(sa.func.count() > 1)
    rows = bind.execute(
        sa.select(task.c.id, task.c.code, task.c.code_key)
        .where(task.c.code_key.in_(twins))
        .order_by(task.c.code_key, task.c.id)
    ).all()
    first: dict[str, str] = {}
    for ident, code, key in rows:
        if key not in first:
            first[key] = code
            continue
        separate = f"{key[: CODE_KEY_LEN - 12]}{TWIN_MARK}{ident}"
        bind.execute(task.update().where(task.c.id == ident).values(code_key=separate))
        log.warning("task %s (id %s) repeats task %s in another letter case", code, ident,
                    first[key])  # fmt: skip


def task_table(name: str, *, with_key: bool) -> sa.Table:
    """`task` as of this revision (with_key) or the one before, for SQLite's table rebuild."""
    state = (
        "CASE WHEN deadline IS NULL THEN 0"
        " WHEN status = 'done' AND completed_on > deadline THEN 2"
        " WHEN status = 'done' THEN 1 ELSE 3 END"
    )
    key = [sa.Column("code_key", sa.String(CODE_KEY_LEN), nullable=False)] if with_key else []
    unique_key = [sa.UniqueConstraint("code_key", name="uq_task_code_key")] if with_key else []
    metadata = sa.MetaData()
    for referred in ("agency", "program"):  # enough of them for the foreign keys to resolve
        sa.Table(referred, metadata, sa.Column("id", sa.Integer(), primary_key=True))
    return sa.Table(
        name,
        metadata,
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
        sa.Column("state", sa.SmallInteger(), sa.Computed(state, persisted=True), nullable=False),
        *key,
        sa.ForeignKeyConstraint(
            ["lead_agency_id"], ["agency.id"], name="fk_task_lead_agency_id_agency"
        ),
        sa.ForeignKeyConstraint(["program_id"], ["program.id"], name="fk_task_program_id_program"),
        sa.PrimaryKeyConstraint("id", name="pk_task"),
        sa.UniqueConstraint("code", name="uq_task_code"),
        *unique_key,
    )


_OPEN_INDEXES = {  # as migration 0001 made them
    "ix_task_open": "deadline, code",
    "ix_task_open_agency": "lead_agency_id, deadline, code",
    "ix_task_open_program": "program_id, deadline, code",
}


def _rebuild_sqlite_task(bind: Connection, *, with_key: bool) -> None:
    """Recreate `task` with or without code_key, keeping its rows, ids and indexes."""
    if bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
        # DROP TABLE would delete every task first, and the coordinators with them.
        raise RuntimeError("migration 0003 needs PRAGMA foreign_keys=OFF: run `dondoc db upgrade`")
    new = task_table("task_rebuilt", with_key=with_key)
    new.create(bind)
    columns = [c.name for c in new.columns if c.computed is None]
    listed = ", ".join(columns)
    op.execute(f"INSERT INTO task_rebuilt ({listed}) SELECT {listed} FROM task")
    op.execute("DROP TABLE task")
    op.execute("ALTER TABLE task_rebuilt RENAME TO task")
    for name, columns_sql in _OPEN_INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON task ({columns_sql}) WHERE status != 'done'")


# --- upgrade / downgrade ------------------------------------------------------------------


def upgrade() -> None:
    bind = op.get_bind()
    _drop_0002_triggers(bind)
    op.add_column("task", sa.Column("code_key", sa.String(CODE_KEY_LEN), nullable=True))
    _backfill_code_keys(bind)
    _separate_twins(bind)
    if bind.dialect.name == "sqlite":
        _rebuild_sqlite_task(bind, with_key=True)
    else:
        op.alter_column("task", "code_key", existing_type=sa.String(CODE_KEY_LEN),
                        nullable=False)  # fmt: skip
        op.create_unique_constraint("uq_task_code_key", "task", ["code_key"])

    op.create_table(
        "report_version",
        sa.Column("agency_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("agency_id", name=op.f("pk_report_version")),
    )
    # Row 0 carries the old counter on, so no cached figure can match a new version.
    op.execute(
        "INSERT INTO report_version (agency_id, version) SELECT 0, version + 1"
        " FROM register_state WHERE id = 1"
    )
    op.drop_table("register_state")

    op.create_table(
        "task_event",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.BigInteger(), nullable=True),
        sa.Column("actor", sa.String(length=255), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["task_id"], ["task.id"], name=op.f("fk_task_event_task_id_task"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_event")),
    )
    op.create_index("ix_task_event_task_id_at", "task_event", ["task_id", "at"])
    _create_triggers(bind)


def downgrade() -> None:
    bind = op.get_bind()
    _drop_triggers(bind)
    op.drop_index("ix_task_event_task_id_at", table_name="task_event")
    op.drop_table("task_event")
    op.create_table(
        "register_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_state")),
    )
    op.execute(
        "INSERT INTO register_state (id, version)"
        " SELECT 1, COALESCE(SUM(version), 0) + 1 FROM report_version"
    )
    op.drop_table("report_version")
    if bind.dialect.name == "sqlite":
        _rebuild_sqlite_task(bind, with_key=False)
    else:
        op.drop_constraint("uq_task_code_key", "task", type_="unique")
        op.drop_column("task", "code_key")
    old = _revision_0002()
    for statement in (
        old.SQLITE_TRIGGERS if bind.dialect.name == "sqlite" else old.POSTGRES_TRIGGERS
    ):
        op.execute(statement)
