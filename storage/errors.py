"""Database failures by kind: locked, deadlock, constraint, unreachable (catalog ids)."""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import DBAPIError, IntegrityError

# PostgreSQL SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html).
_PG_CONFLICT = {"40001", "40P01"}  # serialization_failure, deadlock_detected
_PG_LOCKED = {"55P03"}  # lock_not_available: lock_timeout or NOWAIT
_PG_UNREACHABLE_CLASSES = ("08", "28", "3D", "57P")  # connection, auth, no database, shutdown
_SQLITE_LOCKED = {"SQLITE_BUSY", "SQLITE_LOCKED"}  # and their extended codes
_SQLITE_UNREACHABLE = {"SQLITE_CANTOPEN", "SQLITE_NOTADB", "SQLITE_READONLY", "SQLITE_PERM"}


def describe_db_error(exc: BaseException) -> str | None:
    """The catalog id for a database failure, or None when it is not one (a bug).

    `db-locked`: another writer held the database too long; `db-deadlock`: PostgreSQL
    cancelled this transaction to break a deadlock (or a serialization conflict);
    `db-constraint`: the data broke a constraint; `startup-db-unreachable`: no database
    to talk to. The last three take `reason` (db_error_reason).
    """
    if isinstance(exc, IntegrityError):
        return "db-constraint"
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return "startup-db-unreachable"
        return _by_driver(exc.orig)
    if isinstance(exc, OSError):  # refused, unknown host, timeout before any session
        return "startup-db-unreachable"
    return None


def _by_driver(orig: BaseException | None) -> str | None:
    state = getattr(orig, "sqlstate", None)
    if isinstance(state, str):
        if state in _PG_CONFLICT:
            return "db-deadlock"
        if state in _PG_LOCKED:
            return "db-locked"
        if state.startswith("23"):  # integrity_constraint_violation
            return "db-constraint"
        if state.startswith(_PG_UNREACHABLE_CLASSES):
            return "startup-db-unreachable"
        return None
    if isinstance(orig, sqlite3.Error):
        name = orig.sqlite_errorname or ""
        if name.startswith(tuple(_SQLITE_LOCKED)):
            return "db-locked"
        if name.startswith("SQLITE_CONSTRAINT"):
            return "db-constraint"
        if name.startswith(tuple(_SQLITE_UNREACHABLE)):
            return "startup-db-unreachable"
        return None
    if isinstance(orig, OSError):  # asyncpg: the server went away mid-session
        return "startup-db-unreachable"
    return None


def is_retryable(exc: BaseException) -> bool:
    """A failure that a fresh attempt of the same transaction may not meet again."""
    return describe_db_error(exc) in ("db-locked", "db-deadlock")


def db_error_reason(exc: BaseException) -> str:
    """The driver's own words, on one line, for the messages that quote them."""
    orig = getattr(exc, "orig", None) or exc
    lines = str(orig).strip().splitlines()
    return lines[0][:300] if lines else type(orig).__name__
