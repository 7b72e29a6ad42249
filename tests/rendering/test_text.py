"""Catalogs, formats and escaping: the one rendering layer."""

from __future__ import annotations

import string
from datetime import date

import pytest

from rendering.locales import en, vi
from rendering.text import CATALOGS, Html, chunks, normalize_lang, plain, render


def _fields(template: str) -> set[str]:
    return {name for _t, name, _s, _c in string.Formatter().parse(template) if name}


def test_catalogs_have_the_same_ids() -> None:
    assert set(vi.MESSAGES) == set(en.MESSAGES)


@pytest.mark.parametrize("msg_id", sorted(vi.MESSAGES))
def test_catalogs_use_the_same_placeholders(msg_id: str) -> None:
    assert _fields(vi.MESSAGES[msg_id]) == _fields(en.MESSAGES[msg_id])


def test_user_text_is_escaped_but_html_pieces_are_not() -> None:
    text = render("en", "not-found", query="<b>&</b>")
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in text
    assert render("en", "of-target", name=Html("<i>x</i>")) == " — <i>x</i>"


def test_numbers_dates_and_percents_follow_the_language() -> None:
    args = {"page": 1287, "pages": 2}
    assert render("vi", "page", **args) == "Trang 1.287/2"
    assert render("en", "page", **args) == "Page 1,287/2"
    assert render("vi", "status-committee-title", today=date(2026, 12, 31)).endswith("31/12/2026)")
    assert "31 Dec 2026" in render("en", "status-committee-title", today=date(2026, 12, 31))


def test_english_counts_agree_in_number() -> None:
    assert render("en", "due-in", days=1) == "in 1 day"
    assert render("en", "due-in", days=2) == "in 2 days"
    assert render("en", "bucket-overdue", days=1) == "1 day overdue"
    assert render("vi", "due-in", days=1) == "còn 1 ngày"
    split = {"label": "x", "members": "1 agency", "completed": 0, "on_schedule": 1}
    split |= {"overdue": 0, "routine": 0}
    shares = {"completed_pct": 0.0, "on_schedule_pct": 100.0, "overdue_pct": 0.0}
    split |= shares | {"routine_pct": 0.0}
    assert ": 1 task; " in render("en", "summary-split", total=1, **split)
    assert ": 1,287 tasks; " in render("en", "summary-split", total=1287, **split)


def test_chunks_never_exceed_the_limit_or_split_lines() -> None:
    lines = [Html(f"<b>{i}</b> " + "x" * 90) for i in range(200)]
    packed = chunks(lines, limit=1000)
    assert all(len(c) <= 1000 for c in packed)
    assert sum(c.count("\n") + 1 for c in packed) == 200


def test_language_codes_are_normalised() -> None:
    assert normalize_lang("vi-VN") == "vi"
    assert normalize_lang("en") == "en"
    assert normalize_lang("fr") is None
    assert normalize_lang(None) is None


def test_plain_drops_tags_and_decodes_entities() -> None:
    assert plain("<b>A &amp; B</b> <code>&lt;x&gt;</code>") == "A & B <x>"


def test_every_language_has_a_catalog() -> None:
    assert set(CATALOGS) == {"vi", "en"}


def test_chunks_count_utf16_units_like_telegram() -> None:
    lines = [Html("🙂" * 100) for _ in range(50)]  # 200 UTF-16 units a line
    packed = chunks(lines, limit=1000)
    assert all(len(c.encode("utf-16-le")) // 2 <= 1000 for c in packed)
    assert "" not in packed
