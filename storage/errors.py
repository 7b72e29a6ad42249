"""Database failures by kind, from the driver's own error: locked, deadlock, constraint,
unreachable (catalog ids)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from sqlalchemy.exc import DBAPIError, IntegrityError

# PostgreSQL SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html);
# asyncpg's exceptions carry them as `sqlstate`.
_PG_CONFLICT = {"40001", "40P01"}  # serialization_failure, deadlock_detected: retry cures both
_PG_LOCKED = {"55P03"}  # lock_not_available: lock_timeout or NOWAIT
_PG_UNREACHABLE_CLASSES = ("08", "28", "3D", "57P")  # connection, auth, no database, shutdown
_SQLITE_LOCKED = ("SQLITE_BUSY", "SQLITE_LOCKED")  # and their extended codes
_SQLITE_UNREACHABLE = ("SQLITE_CANTOPEN", "SQLITE_NOTADB", "SQLITE_READONLY", "SQLITE_PERM")
_SQLITE_LOCKED_WORDS = ("database is locked", "database table is locked")


def describe_db_error(exc: BaseException) -> str | None:
    """The catalog id for a database failure, or None when it is not one (a bug).

    `db-locked`: another writer held the database too long; `db-deadlock`: PostgreSQL
    cancelled this transaction to break a deadlock (or a serialization conflict);
    `db-constraint`: the data broke a constraint; `startup-db-unreachable`: no database
    to talk to. The last three take `reason` (db_error_reason).
    """
    for error in _chain(exc):
        found = _describe_one(error)
        if found is not None:
            return found
    return None


def _describe_one(error: BaseException) -> str | None:
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return "startup-db-unreachable"
    if isinstance(error, IntegrityError | sqlite3.IntegrityError):
        return "db-constraint"
    state = getattr(error, "sqlstate", None)
    if isinstance(state, str):
        return _by_sqlstate(state)
    if isinstance(error, sqlite3.Error):
        return _by_sqlite(error)
    if isinstance(error, OSError):  # refused, unknown host, timeout, a missing directory
        return "startup-db-unreachable"
    return None


def _by_sqlstate(state: str) -> str | None:
    if state in _PG_CONFLICT:
        return "db-deadlock"
    if state in _PG_LOCKED:
        return "db-locked"
    if state.startswith("23"):  # integrity_constraint_violation and its subclasses
        return "db-constraint"
    if state.startswith(_PG_UNREACHABLE_CLASSES):
        return "startup-db-unreachable"
    return None


def _by_sqlite(error: sqlite3.Error) -> str | None:
    name = getattr(error, "sqlite_errorname", None) or ""
    words = str(error).lower()
    if name.startswith(_SQLITE_LOCKED) or any(w in words for w in _SQLITE_LOCKED_WORDS):
        return "db-locked"
    if name.startswith("SQLITE_CONSTRAINT"):
        return "db-constraint"
    if name.startswith(_SQLITE_UNREACHABLE) or "unable to open" in words:
        return "startup-db-unreachable"
    return None


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The error, what SQLAlchemy wrapped (`orig`), and what that was raised from (not what
    it was raised while handling: a bug in an except block is still a bug)."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [exc]
    while pending:
        error = pending.pop(0)
        if error is None or id(error) in seen:
            continue
        seen.add(id(error))
        yield error
        orig = getattr(error, "orig", None)
        pending += [orig if isinstance(orig, BaseException) else None]
        pending.append(error.__cause__)


def is_retryable(exc: BaseException) -> bool:
    """A failure that a fresh attempt of the same transaction may not meet again."""
    return describe_db_error(exc) in ("db-locked", "db-deadlock")


def db_error_reason(exc: BaseException) -> str:
    """The driver's own words, on one line, for the messages that quote them."""
    orig = getattr(exc, "orig", None) or exc
    lines = str(orig).strip().splitlines()
    return lines[0][:300] if lines else type(orig).__name__
