"""The one outbox sender: leases due rows, sends them within the budget, records the outcome.

Each row goes through three short steps, none holding a transaction across the network:
lease it (claimed_until, committed; services/delivery.py), send it with a Bot of the
sender's own (no rate limiter, so PTB never retries by itself; bot/ratelimit.py's Budget
paces it), then record what Telegram said (jobs/outcomes.py) in one transaction. A group
that became a supergroup: its registration and its waiting rows follow the new chat id.

A sender that starts as the new leader takes back the leases its predecessor left (it was
killed, say) once `handover` seconds have passed, instead of waiting for them to end (120 s):
the leases that end before its own first one could, i.e. that were taken before it started.
`handover` is 0 when the predecessor is surely gone (SQLite's lock file is free only once the
process is dead or has stopped its sender), longer on PostgreSQL, where a leader whose
connection was cut may still be finishing its sends (jobs/leader.py).

A process that dies after Telegram accepted a message but before the commit of its outcome
leaves that row pending: it goes again, and arrives twice. That moment (the answer's way back
and one commit, a few milliseconds) is the only one in which a message can be duplicated; no
Bot API call tells whether a message was delivered, so the choice is a rare duplicate rather
than a lost nudge, and the takeover says so in the log.
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
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Message
from telegram.constants import ParseMode
from telegram.request import BaseRequest, HTTPXRequest

from bot.clock import Ticker
from bot.ratelimit import Budget
from bot.settings import Settings
from jobs import outcomes
from jobs.outcomes import GiveUp, Migrated, Outcome, Retry, Sent, Tally
from services import access, delivery
from services.delivery import Claimed
from services.outbox import Doorbell, Keyboard
from storage.db import IMMEDIATE, Sessions

log = logging.getLogger(__name__)

BATCH = 56  # rows leased at a time: two seconds' worth at 28 a second
LEASE = timedelta(seconds=120)  # > the longest send (TIMEOUT) and its commit, with room
LEASE_LEFT = timedelta(seconds=60)  # a lease with less left is handed back, not used
CONCURRENCY = 16  # sends in flight at once (each waits for Telegram's answer)
TIMEOUT = 15.0  # seconds for one send, all of it (httpx's timeouts are per operation)
SAFETY_POLL = 60.0  # seconds between looks at the outbox when nobody rang
MIN_WAIT = 0.05  # never look again sooner (no tight polling)
RECORD_TRIES, RECORD_WAIT = 5, 1.0  # a locked or restarting database, while a lease lasts
# The longest a stopping sender may still send and record: a send in flight, its outcome.
SLOW_RECORD = 1.0  # seconds from Telegram's answer to the commit worth a line in the log
SETTLE = TIMEOUT + RECORD_TRIES * RECORD_WAIT + 5.0
LEASED_POLL = 1.0  # seconds between looks while another sender holds the waiting rows

_in_transaction: contextvars.ContextVar[bool] = contextvars.ContextVar("outbox_tx", default=False)


def in_transaction() -> bool:
    """Whether the current task holds an outbox transaction (tests refuse network then)."""
    return _in_transaction.get()


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
    handover: float | None = None  # seconds before taking back a predecessor's leases
    _stopping: bool = False
    _inflight: set[asyncio.Task[None]] = field(default_factory=set)
    _slots: asyncio.Semaphore | None = None

    @property
    def ticker(self) -> Ticker:
        return self.budget.ticker

    async def run(self) -> None:
        """Send what is due, then sleep until rung, a row comes due, or SAFETY_POLL."""
        log.info("outbox sender started")
        started = self.ticker.now()
        while not self._stopping:
            try:
                await self._take_over(started)
                await self.send_due()
                wait = await self._next_wait()
            except Exception:  # the database is away, say: never end the sender
                log.exception("outbox sender: will look again in %s s", SAFETY_POLL)
                wait = SAFETY_POLL
            if not self._stopping:
                await self.doorbell.wait(SAFETY_POLL if wait is None else wait)
        log.info("outbox sender stopped")

    async def _take_over(self, started: datetime) -> None:
        """Once `handover` seconds have passed since `started`, hand back every lease taken
        before then: its sender is gone (see the module)."""
        if self.handover is None or self.ticker.now() < started + timedelta(seconds=self.handover):
            return
        self.handover = None
        async with self._transaction() as session:
            # A lease of ours ends LEASE after a claim made at `started` or later.
            count = await delivery.release_stale(session, ending_before=started + LEASE)
        if count:
            log.warning(
                "outbox: took back %d row(s) leased by a sender that stopped without settling "
                "them; one it was sending at that moment may arrive twice",
                count,
            )

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
                rows = await delivery.claim(
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
                    await delivery.release(session, row_ids=[r.id for r in rows[index:]])
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
            answered = self.ticker.monotonic()
            await self._record(row, outcome)
            if (late := self.ticker.monotonic() - answered) > SLOW_RECORD:
                # The time in which a kill would send it again (see the module).
                log.warning("outbox row %s: recorded %.1f s after Telegram's answer", row.id, late)
        except Exception:  # a database error: the lease runs out and the row goes again
            log.exception("outbox row %s: the outcome could not be recorded", row.id)
        finally:
            self._slots.release()

    async def _send(self, row: Claimed) -> Outcome:
        """One try; what Telegram answered, as an Outcome (never raises a TelegramError)."""
        try:
            # One bound for the whole send: after it, nothing of this try reaches Telegram
            # (a new leader counts on that when it takes the lease back: SETTLE).
            message = await asyncio.wait_for(self._message(row), TIMEOUT)
        except TimeoutError:
            return outcomes.backoff(row, f"TimedOut: no answer within {TIMEOUT:g} s")
        except Exception as exc:
            outcome = outcomes.of_error(exc, row)
            if isinstance(outcome, Retry) and not outcome.counted:
                self.budget.pause(outcome.after)  # at once: nothing more goes out meanwhile
            return outcome
        return Sent(message.message_id)

    async def _message(self, row: Claimed) -> Message:
        """Send the row: a photo with its caption (a digest's chart), else its text."""
        if row.photo is not None:
            return await self.bot.send_photo(
                chat_id=row.chat_id,
                photo=row.photo,
                caption=row.caption,
                parse_mode=ParseMode.HTML,
                reply_markup=_markup(row.keyboard),
            )
        return await self.bot.send_message(
            chat_id=row.chat_id,
            text=row.text,
            parse_mode=ParseMode.HTML,
            reply_markup=_markup(row.keyboard),
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        )

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
        self.tally.count(row, outcome)

    async def _apply(
        self, session: AsyncSession, row: Claimed, outcome: Outcome, now: datetime
    ) -> None:
        match outcome:
            case Sent(message_id):
                await delivery.mark_sent(session, row_id=row.id, now=now, message_id=message_id)
            case Retry(after, error, counted):
                not_before = now + timedelta(seconds=after)
                await delivery.retry_later(
                    session, row_id=row.id, not_before=not_before, error=error, counted=counted
                )
            case GiveUp(status, error):
                await delivery.give_up(session, row_id=row.id, status=status, error=error)
            case Migrated(new_id):
                await access.migrate_chat(session, old_id=row.chat_id, new_id=new_id)
                await delivery.move_chat(session, old_id=row.chat_id, new_id=new_id)

    async def _next_wait(self) -> float | None:
        """Seconds until a pending row may be sent; None when nothing is pending."""
        async with self._transaction() as session:
            waiting = await delivery.next_claimable(session, now=self.ticker.now())
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


def _markup(keyboard: Keyboard | None) -> InlineKeyboardMarkup | None:
    if not keyboard:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=data) for label, data in row]
            for row in keyboard
        ]
    )
