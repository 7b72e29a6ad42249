"""The digest's text and caption: within Telegram's limits and escaped, whatever the names."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from fakeapi.rules import check_html
from rendering import digest as views
from rendering.text import Html, plain, utf16_len
from services.buckets import Summary
from services.digest import Change, Digest, Labels, Standing
from services.figures import Scope
from services.task_lists import TaskLine, TaskPage

DAY = date(2026, 12, 7)
HOSTILE = "<b>Bộ & “Tài chính”</b> " * 10  # 230 characters of markup-looking text


def _digest(scope: Scope, *, names: int = 56, due: int = 40) -> tuple[Digest, Labels]:
    standings = tuple(
        Standing(a, f"A{a:03d}", Summary(1, 2, 3, 60 - a, 4), Change(a, -a, -12.5))
        for a in range(1, names + 1)
    )
    lines = tuple(
        TaskLine(f"CODE-{'X' * 58}{i}", HOSTILE * 3, "MOF", DAY + timedelta(days=i % 6), "open", 0)
        for i in range(due)
    )
    digest = Digest(
        scope=scope,
        day=DAY,
        figures_day=DAY - timedelta(days=1),
        summary=Summary(1000, 200, 3000, 400, 500, 2000),
        before_day=DAY - timedelta(days=8),
        before=Summary(900, 190, 3100, 420, 500, 2100),
        lagging=standings[:10],
        lagging_total=names,
        best=standings[:5],
        best_total=names,
        threshold=70,
        due=TaskPage(lines[:8], due, 0, 5),
        due_until=DAY + timedelta(days=6),
        leaderless=tuple(s.code for s in standings),
        blocked=tuple(f"{s.code:X<16}" for s in standings),  # the longest codes there are
    )
    labels = Labels(
        {a: (f"A{a:03d}", HOSTILE, HOSTILE) for a in range(1, names + 1)},
        {9: ("NQ57", HOSTILE)},
    )
    return digest, labels


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("scope", [Scope(), Scope(program_id=9), Scope(agency_id=1)])
def test_the_longest_digest_fits_one_message_and_its_caption(lang: str, scope: Scope) -> None:
    digest, labels = _digest(scope)
    label = views.scope_of(lang, scope, labels)
    text = views.digest_text(lang, digest, label, labels.agency_names(lang))
    caption = views.caption(lang, digest, label)
    assert utf16_len(check_html(text)) <= 4096  # as Telegram counts, after its HTML parsing
    assert utf16_len(check_html(caption)) <= 1024
    assert "&lt;b&gt;Bộ &amp; “Tài chính”&lt;/b&gt;" in text  # user text escaped …
    assert "<b>Bộ" not in text  # … everywhere
    assert "&lt;b&gt;Bộ &amp;" in caption or scope == Scope()


def test_lists_shrink_before_anything_is_cut() -> None:
    digest, labels = _digest(Scope())
    label = views.scope_of("vi", Scope(), labels)
    names = labels.agency_names("vi")
    full = views.digest_text("vi", digest, label, names, limit=100_000)
    fitted = views.digest_text("vi", digest, label, names)
    assert full.count("\n") > fitted.count("\n")  # shortened lists …
    assert fitted.splitlines()[:2] == full.splitlines()[:2]  # … under the same title
    assert "Chưa có đầu mối" in fitted  # and the last sections are still there
    assert "Đầu mối không nhận được lời nhắc (56 cơ quan" in plain(fitted)
    assert "A020XXXXXXXXXXXX và 36 cơ quan khác" in fitted


def test_changes_carry_their_sign() -> None:
    assert [views.signed("vi", v) for v in (3, -2, 0, 1.5, -0.4, 0.0)] == [
        "+3", "-2", "±0", "+1,5", "-0,4", "±0",
    ]  # fmt: skip


def test_a_small_digest_reads_as_committees_write() -> None:
    digest, labels = _digest(Scope(), names=2, due=1)
    text = plain(views.digest_text("vi", digest, views.scope_of("vi", Scope(), labels), {}))
    assert text.startswith("📊 Bản tin tuần 50/2026 — toàn Ban Chỉ đạo\n")
    assert "Số liệu tính đến hết ngày 06/12/2026" in text
    assert (
        "📈 So với ngày 29/11/2026: hoàn thành +110 nhiệm vụ, quá hạn -20 nhiệm vụ, tỷ lệ hoàn "
        "thành +2,2 điểm phần trăm." in text
    )
    assert "1. A001 A001: 59 quá hạn (-1); hoàn thành 3/69 (4,3%, -12,5 điểm)" in text
    assert "Đến hạn trong tuần (từ 07/12/2026 đến 13/12/2026): 1 nhiệm vụ" in text


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("vi", "🚫 Đầu mối không nhận được lời nhắc (2 cơ quan có nhiệm vụ đang thực hiện mà"),
        ("en", "🚫 Reminders not reaching any lead (2 agencies with tasks in progress whose"),
    ],
)
def test_agencies_whose_reminders_are_refused_have_their_line(lang: str, line: str) -> None:
    digest, labels = _digest(Scope(), names=2, due=1)
    digest = replace(digest, leaderless=("HN",), blocked=("MOF", "<b>&"))
    text = views.digest_text(lang, digest, views.scope_of(lang, Scope(), labels), {})
    assert "): MOF, &lt;b&gt;&amp;. " in text  # codes escaped …
    assert "): MOF, <b>&. " in check_html(text)  # … as Telegram reads them
    after = plain(text).split("\n")
    assert line in after[-1]
    assert "HN" in after[-3]  # after "no lead yet" …
    assert after[-2] == ""  # … as a paragraph of its own
    digest = replace(digest, blocked=())
    assert line not in plain(views.digest_text(lang, digest, Html("x"), {}))
