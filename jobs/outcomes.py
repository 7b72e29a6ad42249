"""What became of one outbox send: Telegram's answer, as the row will record it.

- accepted: Sent (the row becomes `sent`);
- 429: Retry after retry_after, not counted as a failure (every outbox send waits too);
- 5xx, a timeout, a dropped connection, anything else: Retry with a growing delay, counted;
  GiveUp(`failed`) with the error after MAX_ATTEMPTS such tries;
- 403 (blocked, never started, kicked): GiveUp(`blocked`); 400 (chat not found, bad HTML):
  GiveUp(`failed`);
- the group became a supergroup: Migrated to its new chat id.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError

from bot.logs import redact
from services.delivery import Claimed
from storage.models import OutboxStatus

log = logging.getLogger("jobs.sender")

MAX_ATTEMPTS = 5  # tries ending in a 5xx or a network error before `failed`
BACKOFF = 2.0  # seconds before the 1st retry, doubled each time
BACKOFF_MAX = 300.0


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


def of_error(exc: Exception, row: Claimed) -> Outcome:
    """The outcome of a send that raised `exc` (the row's earlier tries count)."""
    match exc:
        case RetryAfter():
            seconds = exc.retry_after
            after = seconds if isinstance(seconds, int) else seconds.total_seconds()
            return Retry(after, describe(exc), counted=False)
        case ChatMigrated():
            return Migrated(exc.new_chat_id)
        case Forbidden():
            return GiveUp(OutboxStatus.BLOCKED, describe(exc))
        case BadRequest():
            return GiveUp(OutboxStatus.FAILED, describe(exc))
        case TelegramError():  # NetworkError, TimedOut (5xx, no answer), and the rest
            return backoff(row, describe(exc))
    # A bug of ours or of a library: tried again, then failed, never the end of the sender.
    log.error("outbox row %s: sending raised", row.id, exc_info=exc)
    return backoff(row, redact(repr(exc)))


def backoff(row: Claimed, error: str) -> Outcome:
    """Try again later, or give up after MAX_ATTEMPTS tries."""
    if row.attempts + 1 >= MAX_ATTEMPTS:
        return GiveUp(OutboxStatus.FAILED, error)
    return Retry(min(BACKOFF * 2**row.attempts, BACKOFF_MAX), error, counted=True)


def describe(exc: TelegramError) -> str:
    """'BadRequest: Chat not found', 'Forbidden: bot was blocked by the user' (PTB keeps
    that prefix in the message itself)."""
    name, text = type(exc).__name__, exc.message
    said = text if text.replace(" ", "").lower().startswith(name.lower()) else f"{name}: {text}"
    return redact(said)


@dataclass(slots=True)
class Tally:
    """What one sender did since it started."""

    sent: int = 0
    failed: int = 0
    blocked: int = 0
    retried: int = 0
    rate_limited: int = 0  # 429 answers
    migrated: int = 0

    def count(self, row: Claimed, outcome: Outcome) -> None:
        """Count an outcome, and log what an operator should know of."""
        match outcome:
            case Sent():
                self.sent += 1
            case Retry(counted=False):
                self.rate_limited += 1
                log.warning("outbox: 429 for chat %s, all sends wait", row.chat_id)
            case Retry(error=error):
                self.retried += 1
                log.warning("outbox row %s (%s): %s; will try again", row.id, row.key, error)
            case GiveUp(OutboxStatus.BLOCKED, error):
                self.blocked += 1
                log.warning("outbox row %s (%s) blocked: %s", row.id, row.key, error)
            case GiveUp(error=error):
                self.failed += 1
                log.error("outbox row %s (%s) failed: %s", row.id, row.key, error)
            case Migrated(new_id):
                self.migrated += 1
                log.info("outbox: chat %s became %s; following it", row.chat_id, new_id)
