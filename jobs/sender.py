"""The one outbox sender: leases due rows, sends them within the budget, records the outcome.

Each row goes through three short steps, none holding a transaction across the network:
lease it (claimed_until, committed), send it with a Bot of the sender's own (no rate limiter,
so PTB never retries by itself; bot/ratelimit.py's Budget paces it), then record what
Telegram said in one transaction:

- accepted: `sent`, with sent_at and the message id;
- 429: tried again after retry_after, all outbox sends paused meanwhile; not a failure;
- 5xx, a timeout, a dropped connection: tried again with a growing delay, `failed` with the
  error after MAX_ATTEMPTS such tries;
- 403 (blocked, never started, kicked): `blocked`; 400 (chat not found, bad HTML): `failed`;
- the group became a supergroup: the registration and the waiting rows follow the new chat
  id and the message is sent there.

A process that dies after Telegram accepted a message but before the commit sends it again
once its lease ends (120 s): the one moment a message can arrive twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError
from telegram.request import BaseRequest, HTTPXRequest

from bot.clock import Ticker
from bot.logs import redact
from bot.ratelimit import Budget
from bot.settings import Settings
from services import access, outbox
from services.outbox import Claimed, Doorbell
from storage.db import IMMEDIATE, Sessions
from storage.models import OutboxStatus

log = logging.getLogger(__name__)

BATCH = 56  # rows leased at a time: two seconds' worth at 28 a second
LEASE = timedelta(seconds=120)  # > the longest send (TIMEOUT) and its commit, with room
LEASE_LEFT = timedelta(seconds=60)  # a lease with less left is handed back, not used
CONCURRENCY = 16  # sends in flight at once (each waits for Telegram's answer)
TIMEOUT = 15.0  # seconds for one HTTP request
MAX_ATTEMPTS = 5  # tries ending in a 5xx or a network error before `failed`
BACKOFF = 2.0  # seconds before the 1st retry, doubled each time
BACKOFF_MAX = 300.0
SAFETY_POLL = 60.0  # seconds between looks at the outbox when nobody rang
MIN_WAIT = 0.05  # never look again sooner (no tight polling)
RECORD_TRIES, RECORD_WAIT = 5, 1.0  # a locked or restarting database, while a lease lasts
LEASED_POLL = 1.0  # seconds between looks while another sender holds the waiting rows

_in_transaction: contextvars.ContextVar[bool] = contextvars.ContextVar("outbox_tx", default=False)


def in_transaction() -> bool:
    """Whether the current task holds an outbox transaction (tests refuse network then)."""
    return _in_transaction.get()


@dataclass(frozen=True, slots=True)
class Sent:
    message_id: int


@dataclass(frozen=True, slots=True)
class Retry:
    after: float  # seconds
    error: str
    counted: bool  # towards MAX_ATTEMPTS


@dataclass(frozen=True, slots=True)
class GiveUp:
    status: OutboxStatus
    error: str


@dataclass(frozen=True, slots=True)
class Migrated:
    new_chat_id: int


Outcome = Sent | Retry | GiveUp | Migrated


@dataclass(slots=True)
class Tally:
    """What one sender did since it started."""

    sent: int = 0
    failed: int = 0
    blocked: int = 0
    retried: int = 0
    rate_limited: int = 0  # 429 answers
    migrated: int = 0


def make_bot(settings: Settings, request: BaseRequest | None = None) -> Bot:
    """The sender's own Bot: its own connections, no rate limiter (so no retries of PTB's)."""
    request = request or HTTPXRequest(
        connection_pool_size=CONCURRENCY + 2,
        connect_timeout=TIMEOUT,
        read_timeout=TIMEOUT,
        write_timeout=TIMEOUT,
        pool_timeout=TIMEOUT,
    )
    return Bot(
        settings.token(),
        base_url=settings.telegram_api_base_url,
        base_file_url=settings.telegram_api_base_file_url,
        request=request,
        get_updates_request=request,  # never polls; one pool, not two
    )


@dataclass
class Sender:
    """Drains the outbox (see the module); `run()` until `stop()`, or `drain()` once."""

    bot: Bot
    sessions: Sessions
    budget: Budget
    doorbell: Doorbell = field(default_factory=Doorbell)  # rung by jobs and stop()
    tally: Tally = field(default_factory=Tally)
    concurrency: int = CONCURRENCY
    _stopping: bool = False
    _inflight: set[asyncio.Task[None]] = field(default_factory=set)
    _slots: asyncio.Semaphore | None = None

    @property
    def ticker(self) -> Ticker:
        return self.budget.ticker

    async def run(self) -> None:
        """Send what is due, then sleep until rung, a row comes due, or SAFETY_POLL."""
        log.info("outbox sender started")
        while not self._stopping:
            try:
                await self.send_due()
                wait = await self._next_wait()
            except Exception:  # the database is away, say: never end the sender
                log.exception("outbox sender: will look again in %s s", SAFETY_POLL)
                wait = SAFETY_POLL
            if not self._stopping:
                await self.doorbell.wait(SAFETY_POLL if wait is None else wait)
        log.info("outbox sender stopped")

    def stop(self) -> None:
        """Finish the sends in flight, hand back the rest, and end `run()`."""
        self._stopping = True
        self.doorbell.ring()

    async def drain(self) -> Tally:
        """Send until no row is pending (each sent, failed or blocked); waits out retries."""
        while not self._stopping:
            await self.send_due()
            wait = await self._next_wait()
            if wait is None:
                break
            await self.ticker.sleep(wait)
        return self.tally

    async def send_due(self) -> None:
        """Send every row that can go now, within the budget; return when none can."""
        self._slots = self._slots or asyncio.Semaphore(self.concurrency)
        while not self._stopping and self.budget.paused_for() <= 0:
            async with self._transaction() as session:
                rows = await outbox.claim(
                    session,
                    now=self.ticker.now(),
                    lease=LEASE,
                    limit=BATCH,
                    skip_chats=self.budget.cooling(),
                )
            if rows:
                await self._dispatch(rows)
            elif self._inflight:  # their chats' next rows wait for them
                await asyncio.wait(self._inflight, return_when=asyncio.FIRST_COMPLETED)
            else:
                break
        if self._inflight:
            await asyncio.wait(self._inflight)

    async def _dispatch(self, rows: list[Claimed]) -> None:
        assert self._slots is not None
        for index, row in enumerate(rows):
            await self._slots.acquire()
            if not await self._ready(row):
                self._slots.release()
                async with self._transaction() as session:
                    await outbox.release(session, row_ids=[r.id for r in rows[index:]])
                return
            self.budget.take(row.chat_id, background=True)
            task = asyncio.create_task(self._deliver(row))
            self._inflight.add(task)
            task.add_done_callback(self._inflight.discard)

    async def _ready(self, row: Claimed) -> bool:
        """Wait for the budget; False if this row should be handed back instead."""
        while True:
            if self._stopping or row.lease - self.ticker.now() < LEASE_LEFT:
                return False
            if self.budget.paused_for() > 0:  # a 429: everything waits, leases go back
                return False
            wait = self.budget.delay(row.chat_id, background=True)
            if wait <= 0:
                return True
            await self.ticker.sleep(wait)

    async def _deliver(self, row: Claimed) -> None:
        assert self._slots is not None
        try:
            outcome = await self._send(row)
            await self._record(row, outcome)
        except Exception:  # a database error: the lease runs out and the row goes again
            log.exception("outbox row %s: the outcome could not be recorded", row.id)
        finally:
            self._slots.release()

    async def _send(self, row: Claimed) -> Outcome:
        """One try; what Telegram answered, as an Outcome (never raises a TelegramError)."""
        try:
            message = await self.bot.send_message(
                chat_id=row.chat_id,
                text=row.text,
                parse_mode=ParseMode.HTML,
                reply_markup=_markup(row.keyboard),
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        except RetryAfter as exc:
            seconds = exc.retry_after
            after = seconds if isinstance(seconds, int) else seconds.total_seconds()
            self.budget.pause(after)  # at once: nothing more goes out meanwhile
            return Retry(after, _describe(exc), counted=False)
        except ChatMigrated as exc:
            return Migrated(exc.new_chat_id)
        except Forbidden as exc:
            return GiveUp(OutboxStatus.BLOCKED, _describe(exc))
        except BadRequest as exc:
            return GiveUp(OutboxStatus.FAILED, _describe(exc))
        except TelegramError as exc:  # NetworkError, TimedOut (5xx, no answer), and the rest
            return self._backoff(row, _describe(exc))
        except Exception as exc:  # a bug of ours or of a library: tried again, then failed
            log.exception("outbox row %s: sending raised", row.id)
            return self._backoff(row, redact(repr(exc)))
        return Sent(message.message_id)

    def _backoff(self, row: Claimed, error: str) -> Outcome:
        if row.attempts + 1 >= MAX_ATTEMPTS:
            return GiveUp(OutboxStatus.FAILED, error)
        return Retry(min(BACKOFF * 2**row.attempts, BACKOFF_MAX), error, counted=True)

    async def _record(self, row: Claimed, outcome: Outcome) -> None:
        """Record the outcome; a database hiccup is tried again: a message Telegram took
        but not recorded would go again when its lease runs out."""
        for attempt in range(RECORD_TRIES):
            try:
                async with self._transaction() as session:
                    await self._apply(session, row, outcome, self.ticker.now())
                break
            except DBAPIError:
                if attempt + 1 == RECORD_TRIES:
                    raise
                log.warning("outbox row %s: recording failed, trying again", row.id)
                await self.ticker.sleep(RECORD_WAIT)
        self._count(row, outcome)

    async def _apply(
        self, session: AsyncSession, row: Claimed, outcome: Outcome, now: datetime
    ) -> None:
        match outcome:
            case Sent(message_id):
                await outbox.mark_sent(session, row_id=row.id, now=now, message_id=message_id)
            case Retry(after, error, counted):
                not_before = now + timedelta(seconds=after)
                await outbox.retry_later(
                    session, row_id=row.id, not_before=not_before, error=error, counted=counted
                )
            case GiveUp(status, error):
                await outbox.give_up(session, row_id=row.id, status=status, error=error)
            case Migrated(new_id):
                await access.migrate_chat(session, old_id=row.chat_id, new_id=new_id)
                await outbox.move_chat(session, old_id=row.chat_id, new_id=new_id)

    def _count(self, row: Claimed, outcome: Outcome) -> None:
        tally = self.tally
        match outcome:
            case Sent():
                tally.sent += 1
            case Retry(counted=False):
                tally.rate_limited += 1
                log.warning("outbox: 429 for chat %s, all sends wait", row.chat_id)
            case Retry(error=error):
                tally.retried += 1
                log.warning("outbox row %s (%s): %s; will try again", row.id, row.key, error)
            case GiveUp(OutboxStatus.BLOCKED, error):
                tally.blocked += 1
                log.warning("outbox row %s (%s) blocked: %s", row.id, row.key, error)
            case GiveUp(error=error):
                tally.failed += 1
                log.error("outbox row %s (%s) failed: %s", row.id, row.key, error)
            case Migrated(new_id):
                tally.migrated += 1
                log.info("outbox: chat %s became %s; following it", row.chat_id, new_id)

    async def _next_wait(self) -> float | None:
        """Seconds until a pending row may be sent; None when nothing is pending."""
        async with self._transaction() as session:
            waiting = await outbox.next_claimable(session, now=self.ticker.now())
        if waiting is None:
            return None
        now, waits = self.ticker.now(), []
        if waiting.due is not None:
            due = (waiting.due - now).total_seconds()
            if due <= 0:  # due, but its chat waits for the budget (or a 429 pause)
                budget = [*self.budget.cooling().values(), self.budget.paused_for()]
                due = min((w for w in budget if w > 0), default=MIN_WAIT)
            waits.append(due)
        if waiting.leased_until is not None:  # another sender's: it usually settles soon
            waits.append(min((waiting.leased_until - now).total_seconds(), LEASED_POLL))
        return min(max(min(waits), MIN_WAIT), SAFETY_POLL)

    @contextlib.asynccontextmanager
    async def _transaction(self) -> AsyncIterator[AsyncSession]:
        """A short write transaction; on SQLite it takes the write lock first (BEGIN
        IMMEDIATE), so a claim that reads then writes waits for the other writers instead
        of failing with "database is locked" when one committed in between."""
        token = _in_transaction.set(True)
        try:
            async with self.sessions.begin() as session:
                await session.connection(execution_options={IMMEDIATE: True})
                yield session
        finally:
            _in_transaction.reset(token)


def _markup(keyboard: outbox.Keyboard | None) -> InlineKeyboardMarkup | None:
    if not keyboard:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=data) for label, data in row]
            for row in keyboard
        ]
    )


def _describe(exc: TelegramError) -> str:
    """'BadRequest: Chat not found', 'Forbidden: bot was blocked by the user' (PTB keeps
    that prefix in the message itself)."""
    name, text = type(exc).__name__, exc.message
    said = text if text.replace(" ", "").lower().startswith(name.lower()) else f"{name}: {text}"
    return redact(said)
