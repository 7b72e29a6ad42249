"""The lead's views: the longest card still fits one message, notes as typed."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from fakeapi.rules import check_html
from rendering.tasks import card, short_day
from rendering.text import max_text, render, utf16_len
from services.task_cards import CardFacts, NoteLine
from storage.models import Agency, Program, Task

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2026, 11, 25)


def _task(title: str = "🙂" * 2000) -> Task:
    agency = Agency(id=1, code="MOF", kind="ministry", name_vi="Bộ Tài chính", name_en="MOF")
    task = Task(
        code="Ư" * 64, title=title, lead_agency_id=1, source="&" * 2000, notes="<b>" * 2000,
        deadline=date(2026, 12, 1), original_deadline=date(2026, 11, 1), status="open",
        progress=50,
    )  # fmt: skip
    task.lead_agency, task.coordinators = agency, []
    task.program = Program(code="P" * 64, name="🙂" * 200)
    task.updated_at = datetime(2026, 11, 25, tzinfo=UTC)
    return task


def _notes(text: str, count: int = 3) -> CardFacts:
    at = datetime(2026, 11, 25, 3, tzinfo=UTC)
    return CardFacts(tuple(NoteLine(at, "🙂" * 300, text) for _ in range(count)), count, 5)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_longest_card_with_notes_and_a_warning_fits_one_message(lang: str) -> None:
    warning = render(lang, "task-changed", code="Ư" * 64)
    text = card(lang, _task(), _notes("🙂" * 4000), TODAY, TZ, warning)
    assert utf16_len(check_html(text)) <= max_text()  # as Telegram counts, after parsing
    assert text.count("• ") >= 1  # the newest notes kept, the oldest left out


def test_notes_are_shown_as_typed() -> None:
    text = card("vi", _task("Việc"), _notes("<b>Họp</b> & chốt", 1), TODAY, TZ)
    assert "• 25/11 10:00 — " in text
    assert "&lt;b&gt;Họp&lt;/b&gt; &amp; chốt" in text
    assert check_html(text).count("<b>Họp</b> & chốt") == 1
    assert "Thời hạn: 01/12/2026 (còn 6 ngày); hạn ban đầu 01/11/2026" in text


def test_short_days_as_documents_write_them() -> None:
    assert short_day("vi", date(2026, 2, 5)) == "05/02"
    assert short_day("vi", date(2026, 11, 5)) == "05/11"
    assert short_day("en", date(2026, 11, 5)) == "05 Nov"
