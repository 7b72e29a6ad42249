"""The five buckets, the summary arithmetic and the lagging ranking."""

from __future__ import annotations

from datetime import date

import pytest

from services.buckets import AgencyStanding, Bucket, Summary, bucket_of, percentages, rank_lagging

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("done", "deadline", "completed_on", "expected"),
    [
        (True, date(2026, 11, 1), date(2026, 11, 1), Bucket.DONE_ON_TIME),
        (True, date(2026, 11, 1), date(2026, 10, 1), Bucket.DONE_ON_TIME),
        (True, date(2026, 11, 1), date(2026, 11, 2), Bucket.DONE_LATE),
        (True, date(2026, 12, 1), None, Bucket.DONE_ON_TIME),
        (False, TODAY, None, Bucket.ON_SCHEDULE),
        (False, date(2026, 11, 24), None, Bucket.OVERDUE),
        (False, None, None, Bucket.ROUTINE),
        (True, None, date(2026, 1, 1), Bucket.ROUTINE),
    ],
)
def test_bucket_of_follows_design_table(
    done: bool, deadline: date | None, completed_on: date | None, expected: Bucket
) -> None:
    assert (
        bucket_of(done=done, deadline=deadline, completed_on=completed_on, today=TODAY) == expected
    )


def test_committee_example_reads_as_the_report() -> None:
    # 1,287 tasks: 601 completed, 404 on schedule, 104 overdue, 178 routine; 368 due by 31 Dec.
    s = Summary(
        done_on_time=550,
        done_late=51,
        on_schedule=404,
        overdue=104,
        routine=178,
        due_by_year_end=368,
    )
    assert s.total == 1287
    assert s.completed == 601
    assert s.remaining_for_year == 472
    assert s.shares() == {"completed": 46.7, "on_schedule": 31.4, "overdue": 8.1, "routine": 13.8}


@pytest.mark.parametrize("parts", [(1, 1, 1), (1, 2, 3, 4, 5, 6, 7), (0, 0, 9), (333, 333, 334)])
def test_percentages_are_rounded_shares_close_to_100(parts: tuple[int, ...]) -> None:
    shares = percentages({str(i): v for i, v in enumerate(parts)}, sum(parts))
    assert abs(sum(shares.values()) - 100.0) <= 0.05 * len(parts) + 1e-9
    for key, count in enumerate(parts):
        assert abs(shares[str(key)] - count * 100 / sum(parts)) <= 0.05 + 1e-9


def test_equal_counts_show_equal_percentages() -> None:
    shares = percentages({"a": 2, "b": 2, "c": 2, "d": 1}, 7)
    assert shares == {"a": 28.6, "b": 28.6, "c": 28.6, "d": 14.3}


def test_percentages_of_nothing_are_zero() -> None:
    assert percentages({"a": 0}, 0) == {"a": 0.0}


def test_lagging_ranks_by_overdue_then_the_completion_status_shows() -> None:
    standings = [
        AgencyStanding("A", Summary(overdue=3, on_schedule=7, done_on_time=5)),
        AgencyStanding("B", Summary(overdue=5, on_schedule=50)),
        AgencyStanding("C", Summary(overdue=3, on_schedule=1, done_on_time=5)),
        AgencyStanding("D", Summary(overdue=3, on_schedule=1, done_on_time=1)),
        AgencyStanding("E", Summary(on_schedule=4)),
    ]
    # A 5/15 (33.3%), C 5/9 (55.6%), D 1/5 (20%): /status's share of all tasks, lowest first.
    assert [s.code for s in rank_lagging(standings)] == ["B", "D", "A", "C"]
    assert [s.completion for s in standings[:4]] == [33.3, 0.0, 55.6, 20.0]
    assert len(rank_lagging(standings, limit=2)) == 2
