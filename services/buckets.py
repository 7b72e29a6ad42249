"""The five report buckets of DESIGN.md and the summary arithmetic, as pure rules."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date


class Bucket(enum.StrEnum):
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    ON_SCHEDULE = "on_schedule"
    OVERDUE = "overdue"
    ROUTINE = "routine"


def bucket_of(
    *, done: bool, deadline: date | None, completed_on: date | None, today: date
) -> Bucket:
    """Put one task in exactly one bucket, relative to the committee's `today`."""
    if deadline is None:
        return Bucket.ROUTINE
    if done:
        # A done task without a completion date counts as on time: nothing says it was late.
        late = completed_on is not None and completed_on > deadline
        return Bucket.DONE_LATE if late else Bucket.DONE_ON_TIME
    return Bucket.OVERDUE if deadline < today else Bucket.ON_SCHEDULE


def year_end(today: date) -> date:
    """31 December of today's year."""
    return date(today.year, 12, 31)


@dataclass(frozen=True, slots=True)
class Summary:
    """Bucket counts for a set of tasks; buckets always add up to `total`. Cancelled tasks
    are in no bucket and not in the total: they are counted apart."""

    done_on_time: int = 0
    done_late: int = 0
    on_schedule: int = 0
    overdue: int = 0
    routine: int = 0
    due_by_year_end: int = 0  # on-schedule tasks falling due by 31 December
    cancelled: int = 0  # withdrawn by the secretariat: outside the total

    @property
    def total(self) -> int:
        return self.done_on_time + self.done_late + self.on_schedule + self.overdue + self.routine

    @property
    def completed(self) -> int:
        return self.done_on_time + self.done_late

    @property
    def remaining_for_year(self) -> int:
        """Tasks that must still be finished this year: overdue plus due by 31 December."""
        return self.overdue + self.due_by_year_end

    @property
    def completion(self) -> float:
        """Completed tasks in percent of all tasks: the figure /status prints."""
        return percentages({"completed": self.completed}, self.total)["completed"]

    def shares(self) -> dict[str, float]:
        """Percent of total for completed, on schedule, overdue and routine."""
        parts = {
            "completed": self.completed,
            "on_schedule": self.on_schedule,
            "overdue": self.overdue,
            "routine": self.routine,
        }
        return percentages(parts, self.total)

    def as_dict(self) -> dict[str, int]:
        """The integer figures, as `dondoc status --json` prints them."""
        return {
            "total": self.total,
            "done_on_time": self.done_on_time,
            "done_late": self.done_late,
            "on_schedule": self.on_schedule,
            "overdue": self.overdue,
            "routine": self.routine,
            "due_by_year_end": self.due_by_year_end,
            "cancelled": self.cancelled,
        }

    def __add__(self, other: Summary) -> Summary:
        return Summary(
            self.done_on_time + other.done_on_time,
            self.done_late + other.done_late,
            self.on_schedule + other.on_schedule,
            self.overdue + other.overdue,
            self.routine + other.routine,
            self.due_by_year_end + other.due_by_year_end,
            self.cancelled + other.cancelled,
        )


def percentages(parts: dict[str, int], total: int) -> dict[str, float]:
    """Each part's share of `total` in percent, rounded half up to one decimal.

    Equal counts always show equal percentages; the rounded shares may therefore add
    up to 99.9 or 100.1, as in any published report.
    """
    if total <= 0:
        return dict.fromkeys(parts, 0.0)
    return {k: int(v * 1000 / total + 0.5) / 10 for k, v in parts.items()}


@dataclass(frozen=True, slots=True)
class AgencyStanding:
    """One agency's line in the lagging ranking."""

    code: str
    summary: Summary

    @property
    def completion(self) -> float:
        """The completion share /status shows for this agency (same rounding)."""
        return self.summary.completion


def rank_lagging(standings: list[AgencyStanding], limit: int = 10) -> list[AgencyStanding]:
    """Agencies with overdue tasks: most overdue first; among equals, lowest completion first."""
    lagging = [s for s in standings if s.summary.overdue > 0]
    lagging.sort(key=lambda s: (-s.summary.overdue, s.completion, s.code))
    return lagging[:limit]
