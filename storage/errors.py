"""What a database failure is, from the driver's own error: locked, deadlock, constraint, down."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from sqlalchemy.exc import IntegrityError

# PostgreSQL SQLSTATE codes (asyncpg's exceptions carry them as `sqlstate`); see
# https://www.postgresql.org/docs/current/errcodes-appendix.html
_PG_DEADLOCK = {"40P01", "40001"}  # deadlock_detected; serialization_failure: same cure, retry
_PG_LOCKED = {"55P03"}  # lock_not_available (NOWAIT, lock_timeout)
_PG_UNREACHABLE_CLASSES = ("08", "28", "3D", "57P0")  # connection, auth, no database, shutdown
_SQLITE_LOCKED = ("database is locked", "database table is locked")


def describe_db_error(exc: BaseException) -> str | None:
    """The catalog id for a database failure, or None when it is not one we can name."""
    for error in _chain(exc):
        found = _describe_one(error)
        if found is not None:
            return found
    return None


def _describe_one(error: BaseException) -> str | None:
    state = getattr(error, "sqlstate", None)
    if isinstance(state, str):
        if state in _PG_DEADLOCK:
            return "db-deadlock"
        if state in _PG_LOCKED:
            return "db-locked"
        if state.startswith("23"):  # integrity_constraint_violation and its subclasses
            return "db-constraint"
        if state.startswith(_PG_UNREACHABLE_CLASSES):
            return "startup-db-unreachable"
    if isinstance(error, sqlite3.IntegrityError | IntegrityError):
        return "db-constraint"
    if isinstance(error, sqlite3.OperationalError):
        text = str(error).lower()
        if any(words in text for words in _SQLITE_LOCKED):
            return "db-locked"
        if "unable to open" in text:
            return "startup-db-unreachable"
    if isinstance(error, OSError):  # refused, unknown host, timeout, a missing directory
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
