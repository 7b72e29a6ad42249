"""The report wording of issue 8: sentences as committees write them, in vi and en."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from rendering import figures
from rendering import reports as views
from rendering.text import plain, render
from services.buckets import Summary
from services.coverage import Bloc, Coverage
from services.lookup import Former, Target

TODAY = date(2026, 12, 2)
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def body(lang: str, summary: Summary) -> str:
    return plain(views.summary_body(lang, summary, TODAY))


def test_the_year_end_sentence_as_committees_write_it() -> None:
    summary = Summary(on_schedule=112, overdue=28, due_by_year_end=34, done_on_time=1)
    assert (
        "📅 Trong 112 nhiệm vụ đang thực hiện trong hạn, có 34 nhiệm vụ phải hoàn thành trước "
        "ngày 31/12/2026; cùng với 28 nhiệm vụ quá hạn, năm 2026 còn 62 nhiệm vụ phải hoàn "
        "thành." in body("vi", summary)
    )
    assert (
        "Of the 112 tasks in progress on schedule, 34 fall due by 31 Dec 2026; with the 28 "
        "overdue, 62 tasks must still be completed in 2026." in body("en", summary)
    )


SUMMARIES = [
    Summary(on_schedule=5, due_by_year_end=2),  # nothing overdue
    Summary(on_schedule=5, overdue=3),  # nothing due this year
    Summary(on_schedule=5),  # nothing left for the year
    Summary(done_on_time=4),  # all done
    Summary(routine=1),
    Summary(overdue=1),
    Summary(done_late=1, on_schedule=1, due_by_year_end=1),
]


@pytest.mark.parametrize("summary", SUMMARIES)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_sentence_starts_with_zero(lang: str, summary: Summary) -> None:
    text = body(lang, summary)
    # Each line starts with a label ("Quá hạn, chưa hoàn thành: 0 (0%)"), and each sentence
    # or clause of the year-end line with a word.
    lines = [line.lstrip("✅⏳⚠️🔁📅 ") for line in text.splitlines()]
    clauses = [c for line in lines for c in re.split(r"(?<=[.;])\s+", line)]
    assert not [c for c in clauses if c[:1].isdigit() and c.startswith("0")], text


def test_year_end_sentences_for_each_case() -> None:
    vi = [plain(figures.year_end_sentence("vi", s, TODAY)) for s in SUMMARIES[:3]]
    assert vi == [
        "Trong 5 nhiệm vụ đang thực hiện trong hạn, có 2 nhiệm vụ phải hoàn thành trước ngày "
        "31/12/2026; năm 2026 còn 2 nhiệm vụ phải hoàn thành.",
        "Năm 2026 còn 3 nhiệm vụ quá hạn phải hoàn thành; không có nhiệm vụ đang thực hiện "
        "trong hạn nào có thời hạn đến ngày 31/12/2026.",
        "Không còn nhiệm vụ nào phải hoàn thành trong năm 2026.",
    ]


def test_completed_split_only_when_something_is_completed() -> None:
    assert "trong đó hoàn thành đúng hạn 3, hoàn thành quá hạn 1" in body(
        "vi", Summary(done_on_time=3, done_late=1)
    )
    assert "Đã hoàn thành: 0 (0%)\n" in body("vi", Summary(on_schedule=2))


def test_whole_percentages_have_no_decimal() -> None:
    assert "(100%)" in body("vi", Summary(done_on_time=2))
    assert "(0%)" in body("en", Summary(done_on_time=2))
    assert "(50,0%)" in body("vi", Summary(done_on_time=1, on_schedule=1))
    assert "(50.0%)" in body("en", Summary(done_on_time=1, on_schedule=1))


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2025, 7, 1), "01/7/2025"),
        (date(2026, 12, 2), "02/12/2026"),
        (date(2026, 2, 5), "05/02/2026"),
        (date(2026, 1, 31), "31/01/2026"),
        (date(2026, 4, 30), "30/4/2026"),
    ],
)
def test_vietnamese_dates_as_official_documents_write_them(day: date, text: str) -> None:
    assert render("vi", "due-line", code="A", agency="B", title="C", deadline=day, when="x") == (
        f"• <code>A</code> [B] C — hạn {text} (x)"
    )


def test_the_datas_date_in_the_committees_time_zone() -> None:
    updated = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)  # 10:00 in Hanoi
    [line] = figures.data_date("vi", updated, HANOI)
    assert plain(line) == "Số liệu cập nhật đến 10:00 ngày 02/12/2026"
    assert figures.data_date("vi", None, HANOI) == []


LDG = Target("agency", "LDG", "Tỉnh Lâm Đồng", "Lam Dong Province")
BINH_THUAN = Former(
    "tỉnh Bình Thuận cũ", "the former Binh Thuan Province", date(2025, 7, 1), "merged", ()
)


def test_a_former_name_says_what_it_is_part_of_now() -> None:
    [vi] = figures.former_note("vi", LDG, BINH_THUAN)
    assert plain(vi) == "Tỉnh Lâm Đồng (LDG) — gồm tỉnh Bình Thuận cũ (hợp nhất từ 01/7/2025)"
    [en] = figures.former_note("en", LDG, BINH_THUAN)
    assert plain(en) == (
        "Lam Dong Province (LDG) — includes the former Binh Thuan Province (merged on 01 Jul 2025)"
    )
    assert figures.former_note("vi", LDG, None) == []


def test_page_buttons_say_which_page() -> None:
    assert render("vi", "button-prev") == "◀ Trang trước"
    assert render("vi", "button-next") == "Trang sau ▶"


def _coverage(at: int, overdue: int) -> Coverage:
    central = Bloc("central", 22, Summary(done_on_time=280, on_schedule=200, overdue=60), 12, at)
    local = Bloc("local", 34, Summary(done_on_time=100, overdue=20, routine=10), overdue - 12, 0)
    return Coverage(70, (central, local))


def test_coverage_lines_and_blocs() -> None:
    coverage = _coverage(at=12, overdue=18)
    lines = [plain(line) for line in figures.coverage_lines("vi", coverage)]
    assert lines == [
        "18/56 cơ quan có nhiệm vụ quá hạn.",
        "12/56 cơ quan đạt tỷ lệ hoàn thành từ 70% trở lên; 44 cơ quan dưới 70%.",
    ]
    assert plain(figures.bloc_line("vi", coverage.blocs[0])) == (
        "Khối bộ, cơ quan trung ương (22 cơ quan): 540 nhiệm vụ; đã hoàn thành 280 (51,9%), "
        "đang thực hiện trong hạn 200 (37,0%), quá hạn 60 (11,1%), thường xuyên 0 (0%)"
    )
    assert plain(figures.bloc_line("vi", coverage.blocs[1])).startswith(
        "Khối địa phương (34 tỉnh, thành phố): 130 nhiệm vụ;"
    )
    assert plain(figures.bloc_line("en", coverage.blocs[1])).startswith(
        "Localities (34 provinces and cities): 130 tasks;"
    )


def test_coverage_lines_never_start_with_zero() -> None:
    none = [plain(line) for line in figures.coverage_lines("vi", _coverage(at=0, overdue=12))]
    assert none[1] == (
        "Không có cơ quan nào đạt tỷ lệ hoàn thành từ 70% trở lên (56 cơ quan đều dưới 70%)."
    )
    clean = Coverage(70, (Bloc("central", 2, Summary(done_on_time=2), 0, 2),))
    assert [plain(line) for line in figures.coverage_lines("vi", clean)] == [
        "Không có cơ quan nào có nhiệm vụ quá hạn.",
        "Cả 2 cơ quan đều đạt tỷ lệ hoàn thành từ 70% trở lên.",
    ]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_users_are_asked_politely(lang: str) -> None:
    asking = ("choose-target", "import-need-file", "error-internal", "expired-button")
    word = "vui lòng" if lang == "vi" else "please"
    for msg_id in asking:
        assert word in render(lang, msg_id).lower(), msg_id
