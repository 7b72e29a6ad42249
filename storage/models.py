"""Tables: agencies, programs, tasks and their audit trail, registered chats, members and
pending actions."""

from __future__ import annotations

import enum
import unicodedata
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Computed,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates
from sqlalchemy.types import JSON

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on both databases (SQLite would hand back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; store UTC-aware datetimes only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    """Current time, UTC-aware (only for row timestamps; rules take `now` as an argument)."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Status(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"  # withdrawn by the secretariat: outside every total (0012)


class Role(enum.StrEnum):
    ADMIN = "admin"
    LEAD = "lead"
    VIEWER = "viewer"


class AgencyKind(enum.StrEnum):
    MINISTRY = "ministry"
    AGENCY = "agency"
    CITY = "city"
    PROVINCE = "province"
    OTHER = "other"  # a unit the secretariat added: neither a ministry nor a province


CENTRAL_KINDS = (AgencyKind.MINISTRY.value, AgencyKind.AGENCY.value)
LOCAL_KINDS = (AgencyKind.CITY.value, AgencyKind.PROVINCE.value)

task_coordinators = Table(
    "task_coordinator",
    Base.metadata,
    Column("task_id", ForeignKey("task.id", ondelete="CASCADE"), primary_key=True),
    Column("agency_id", ForeignKey("agency.id"), primary_key=True),
)


# An open task: neither done nor cancelled. The partial indexes' predicate, the open-task
# triggers' (migration 0012) and services/open_tally.py NOT_DONE's, spelt the same everywhere
# so that both databases' planners see the indexes apply.
OPEN_SQL = "status NOT IN ('done', 'cancelled')"


def _open_only() -> dict[str, Any]:
    """The partial-index predicate, for both dialects (services/open_tally.py NOT_DONE)."""
    where = text(OPEN_SQL)
    return {"sqlite_where": where, "postgresql_where": where}


class TaskState(enum.IntEnum):
    """`task.state`: routine, done on time, done late, open with a deadline, or cancelled."""

    ROUTINE = 0
    DONE_ON_TIME = 1
    DONE_LATE = 2
    OPEN_DATED = 3  # overdue or on schedule: that split needs "today"
    CANCELLED = 4  # counted apart: in no bucket and not in the total


# Must agree with services.buckets.bucket_of (tests/services/test_reports.py checks).
STATE_SQL = (
    "CASE WHEN status = 'cancelled' THEN 4"
    " WHEN deadline IS NULL THEN 0"
    " WHEN status = 'done' AND completed_on > deadline THEN 2"
    " WHEN status = 'done' THEN 1 ELSE 3 END"
)


def code_key(code: str) -> str:
    """A task code as uniqueness and lookups see it: NFC, then case-folded."""
    # Case folding can leave decomposed sequences ("İ" folds to i + U+0307), hence the
    # second NFC; it can also lengthen a code up to 3 times ("ß" -> "ss"), hence CODE_KEY_LEN.
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", code).casefold())


CODE_KEY_LEN = 3 * 64  # a 64-character code, each character folded to at most 3


def _code_key_default(context: DefaultExecutionContext) -> str:
    """code_key for a Core INSERT that names only the code."""
    return code_key(str(context.get_current_parameters()["code"]))  # type: ignore[no-untyped-call]


class Agency(Base):
    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    name_vi: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[str] = mapped_column(Text, default="")  # ';'-separated


class Program(Base):
    __tablename__ = "program"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class Task(Base):
    __tablename__ = "task"
    __table_args__ = (
        # Covering indexes: reports aggregate from the index alone, never from task rows.
        # Partial indexes on open tasks: /overdue and /due read a page and a count from them.
        Index("ix_task_open", "deadline", "code", **_open_only()),
        Index("ix_task_open_agency", "lead_agency_id", "deadline", "code", **_open_only()),
        Index("ix_task_open_program", "program_id", "deadline", "code", **_open_only()),
        # max(updated_at), one probe: the data's date in reports and the caches' freshness check.
        Index("ix_task_updated_at", "updated_at"),
        # /status counts the tasks whose deadline was extended from this (migration 0011).
        Index(
            "ix_task_extended",
            "lead_agency_id",
            "program_id",
            sqlite_where=text("original_deadline IS NOT NULL"),
            postgresql_where=text("original_deadline IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    # Unique regardless of letter case and Unicode composition: "CASE-1" and "case-1" are
    # one task. Set from `code` (validator, Core default); bulk writers set it themselves.
    code_key: Mapped[str] = mapped_column(
        String(CODE_KEY_LEN), unique=True, default=_code_key_default
    )
    title: Mapped[str] = mapped_column(Text)
    lead_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    program_id: Mapped[int | None] = mapped_column(ForeignKey("program.id"))
    source: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[date | None] = mapped_column(Date)  # the one in force (reports use it)
    # The deadline before the first approved extension; None: never extended.
    original_deadline: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=Status.OPEN.value)
    completed_on: Mapped[date | None] = mapped_column(Date)
    progress: Mapped[int] = mapped_column(SmallInteger, default=0)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The part of a task's bucket that does not depend on "today", kept by the database
    # itself so that no writer can forget it (see TaskState).
    state: Mapped[int] = mapped_column(SmallInteger, Computed(STATE_SQL, persisted=True))

    lead_agency: Mapped[Agency] = relationship(lazy="raise")
    program: Mapped[Program | None] = relationship(lazy="raise")
    coordinators: Mapped[list[Agency]] = relationship(secondary=task_coordinators, lazy="raise")

    __mapper_args__: dict[str, Any] = {"version_id_col": version}  # noqa: RUF012

    @validates("code")
    def _keep_key(self, _name: str, code: str) -> str:
        self.code_key = code_key(code)
        return code


class TaskTally(Base):
    """Tasks per (lead agency, program, state), kept by database triggers (migration 0002).

    Reports read these few hundred rows instead of counting the task table; only the
    split of open tasks by "today" still reads task rows (from a partial index).
    """

    __tablename__ = "task_tally"

    agency_id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(primary_key=True)  # 0: no program
    state: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class OpenTally(Base):
    """Open tasks per (lead agency, program) overdue, and due by 31 December, as of a date.

    Kept by database triggers (migration 0005) and rolled forward daily; the as-of date is
    OpenTallyState's. services/open_tally.py explains the design.
    """

    __tablename__ = "open_tally"

    agency_id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(primary_key=True)  # 0: no program
    overdue: Mapped[int] = mapped_column(Integer, default=0)  # deadline before as_of
    due_by_year_end: Mapped[int] = mapped_column(Integer, default=0)  # as_of ... year_end


class OpenTallyState(Base):
    """The one row (id 1) saying which day open_tally is counted as of."""

    __tablename__ = "open_tally_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    as_of: Mapped[date] = mapped_column(Date)
    year_end: Mapped[date] = mapped_column(Date)  # 31 December of as_of's year


class ReportVersion(Base):
    """Per lead agency, a counter that triggers bump when that agency's figures may change.

    Only a change to a report-relevant column (agency, program, deadline, status,
    completion date) or an inserted or deleted task bumps it (migration 0003), so writers
    of different agencies never touch the same row. Row 0 counts register-wide changes
    (services.reports.expire_reports, a TRUNCATE) and is part of every agency's version.
    """

    __tablename__ = "report_version"

    agency_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


class EventSource(enum.StrEnum):
    """Where a change to a task came from."""

    CHAT = "chat"
    IMPORT = "import"
    CLI = "cli"
    JOB = "job"


class TaskEvent(Base):
    """The audit trail: one changed field of one task (services/audit.py writes it)."""

    __tablename__ = "task_event"
    __table_args__ = (Index("ix_task_event_task_id_at", "task_id", "at"),)

    # BIGINT on PostgreSQL (a re-import writes a row per changed field); SQLite's rowid.
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(BigInteger)  # Telegram user id
    actor: Mapped[str] = mapped_column(String(255))  # a display name, an import's file name
    source: Mapped[str] = mapped_column(String(16))  # EventSource
    field: Mapped[str] = mapped_column(String(32))  # a register column, or "created"
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)


class Chat(Base):
    __tablename__ = "chat"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)  # Telegram chat id
    title: Mapped[str] = mapped_column(String(255), default="")
    language: Mapped[str | None] = mapped_column(String(2))
    registered_by: Mapped[int] = mapped_column(BigInteger)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # An agency's or a programme's own group (`/register MOF`): its reports default to it.
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    program_id: Mapped[int | None] = mapped_column(ForeignKey("program.id"))


class Member(Base):
    __tablename__ = "member"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)  # Telegram user id
    role: Mapped[str] = mapped_column(String(16))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    name: Mapped[str] = mapped_column(String(255), default="")
    language: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The language_code Telegram last sent for this user (jobs have no update to read it from).
    telegram_language: Mapped[str | None] = mapped_column(String(8))
    # Who made this member a lead, and when (services/members.py): the admin's Telegram id,
    # 0 for `dondoc invite`; None for members added otherwise.
    invited_by: Mapped[int | None] = mapped_column(BigInteger)
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PendingAction(Base):
    """Something a user started and confirms later (a checked import), consumed once.

    Kept in the database so that a button pressed after a restart, or handled by another
    process, still finds it; `blob` holds an uploaded file (at most 20 MB).
    """

    __tablename__ = "pending_action"

    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int] = mapped_column(BigInteger)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    blob: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    consumed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def _pending_only() -> dict[str, Any]:
    where = text("status = 'pending'")
    return {"sqlite_where": where, "postgresql_where": where}


class ByWhom:
    """The Telegram user behind a row and the name shown for them."""

    user_id: Mapped[int | None] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(255), default="", server_default="")


_ROW_ID = BigInteger().with_variant(Integer, "sqlite")


class TaskNote(ByWhom, Base):
    """A note typed in chat about a task (the imported `task.notes` stays apart)."""

    __tablename__ = "task_note"
    __table_args__ = (Index("ix_task_note_task_id_at", "task_id", "at"),)

    id: Mapped[int] = mapped_column(_ROW_ID, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    text: Mapped[str] = mapped_column(Text)


class EvidenceKind(enum.StrEnum):
    PHOTO = "photo"
    DOCUMENT = "document"


class TaskEvidence(ByWhom, Base):
    """A photo or document sent as evidence: Telegram keeps the file, we keep its ids."""

    __tablename__ = "task_evidence"
    __table_args__ = (UniqueConstraint("task_id", "file_unique_id"),)

    id: Mapped[int] = mapped_column(_ROW_ID, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(16))  # EvidenceKind
    file_id: Mapped[str] = mapped_column(String(255))
    file_unique_id: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str | None] = mapped_column(String(255))
    file_size: Mapped[int | None] = mapped_column(BigInteger)
    caption: Mapped[str | None] = mapped_column(Text)


class ExtensionStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class ExtensionRequest(ByWhom, Base):
    """A lead's request for a later deadline, and the first admin's decision on it."""

    __tablename__ = "extension_request"
    __table_args__ = (
        Index("ix_extension_request_task_id", "task_id"),
        # One pending request per task: a second press cannot open a second one.
        Index("ix_extension_request_pending", "task_id", unique=True, **_pending_only()),
    )

    id: Mapped[int] = mapped_column(_ROW_ID, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    old_deadline: Mapped[date | None] = mapped_column(Date)
    new_deadline: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=ExtensionStatus.PENDING.value)
    decided_by_user_id: Mapped[int | None] = mapped_column(BigInteger)
    decided_by_name: Mapped[str] = mapped_column(String(255), default="", server_default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # [chat_id, message_id] of each admin's copy, so that the others can see who decided.
    notices: Mapped[list[list[int]]] = mapped_column(JSON, default=list)


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # kept failing (its error says why)
    BLOCKED = "blocked"  # 403: the user blocked the bot or never started it


class Outbox(Base):
    """A message a job produced, rendered when queued, sent once (services/outbox.py)."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index(
            "ix_outbox_waiting",
            "not_before",
            "id",
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(_ROW_ID, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)  # the dedupe key
    chat_id: Mapped[int] = mapped_column(BigInteger)
    text: Mapped[str] = mapped_column(Text)  # HTML
    keyboard: Mapped[list[list[list[str]]] | None] = mapped_column(JSON)  # [[label, data]]
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    not_before: Mapped[datetime] = mapped_column(UTCDateTime)  # retry_after, backoff
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)  # a sender's lease
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    message_id: Mapped[int | None] = mapped_column(BigInteger)


# Imports meet chat updates (services/importer/chat.py): a task's chat events, found among
# the many an import writes, and those a later import's file agreed with.
Index(
    "ix_task_event_chat",
    TaskEvent.task_id,
    TaskEvent.field,
    TaskEvent.id,
    sqlite_where=text("source = 'chat'"),
    postgresql_where=text("source = 'chat'"),
)


class ChatUpdateAgreed(Base):
    """A chat change to a task field (its task_event) that an import's file then had too."""

    __tablename__ = "chat_update_agreed"

    event_id: Mapped[int] = mapped_column(
        _ROW_ID, ForeignKey("task_event.id", ondelete="CASCADE"), primary_key=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime)  # the import's time


# --- deadline nudges (services/nudges.py, services/calendar.py; migration 0012) ---


class NudgeSettings(Base):
    """The committee's nudge ladder and hours (`/settings`); one row, id 1, or none for the
    defaults (services/ladder.py DEFAULT)."""

    __tablename__ = "nudge_settings"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    reminders: Mapped[str] = mapped_column(String(64))  # working days before: "7,3,1,0"
    overdue_every: Mapped[int] = mapped_column(SmallInteger)  # working days between
    escalate_after: Mapped[int] = mapped_column(SmallInteger)  # overdue nudges before it
    send_at: Mapped[time] = mapped_column(Time)
    quiet_from: Mapped[time] = mapped_column(Time)
    quiet_until: Mapped[time] = mapped_column(Time)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_by: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class HolidayOverride(Base):
    """A day an admin made a day off (`working` false) or a working day (a make-up
    Saturday), against the package's calendar."""

    __tablename__ = "holiday_override"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    working: Mapped[bool] = mapped_column(Boolean)
    by_user: Mapped[int | None] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class NudgeState(Base):
    """Per task, its overdue nudges since its deadline last changed, and the escalations
    so far (their count numbers them); written by the plan that queues them."""

    __tablename__ = "nudge_state"

    # No foreign key: the morning's upsert writes tens of thousands of rows and PostgreSQL
    # checks a key per row (0.3 s at a million tasks); a deleted task's row is never read
    # (planning starts from the task table) and task ids are not reused.
    task_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    deadline: Mapped[date] = mapped_column(Date)  # the deadline the count is for
    overdue_nudges: Mapped[int] = mapped_column(Integer)
    escalations: Mapped[int] = mapped_column(Integer)
    last_on: Mapped[date] = mapped_column(Date)  # the day of the last counted nudge


class NudgeSnooze(Base):
    """A task left out of its agency's nudges up to and including `until`."""

    __tablename__ = "nudge_snooze"

    task_id: Mapped[int] = mapped_column(
        ForeignKey("task.id", ondelete="CASCADE"), primary_key=True
    )
    until: Mapped[date] = mapped_column(Date)
    by_user: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class NudgeMute(Base):
    """A member who hears no nudge up to and including `until`."""

    __tablename__ = "nudge_mute"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    until: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class NudgeDay(Base):
    """A day whose nudges were planned (catch-up at start plans a day without a row)."""

    __tablename__ = "nudge_day"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    planned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    queued: Mapped[int] = mapped_column(Integer)


# A private chat's last nudge, looked up per lead when planning (blocked leads).
Index("ix_outbox_chat_id_id", Outbox.chat_id, Outbox.id)
