"""The digest's chart: the shipped font is found and draws every Vietnamese letter; PNG bytes."""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import matplotlib
import pytest
from matplotlib import font_manager
from PIL import Image

from rendering import chart
from rendering.chart import Bar, ChartText, render_png
from services.buckets import Summary

# Every Vietnamese letter with every tone mark, both cases, and the đ.
VOWELS = "aăâeêioôơuưy"
TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
LETTERS = "".join(v + t for v in VOWELS for t in ("", *TONES)) + "đ"
VIETNAMESE = LETTERS + LETTERS.upper()
NAMES = ["Bộ Tài chính", "Tỉnh Lâm Đồng", "Ủy ban Quản lý vốn nhà nước", "Thành phố Huế"]


def _text(title: str = "Cơ quan có nhiều nhiệm vụ quá hạn nhất — tuần 50/2026") -> ChartText:
    legend = {
        "overdue": "Quá hạn",
        "on_schedule": "Đang thực hiện trong hạn",
        "done_late": "Hoàn thành quá hạn",
        "done_on_time": "Hoàn thành đúng hạn",
        "routine": "Thường xuyên",
    }
    return ChartText(title, "Số nhiệm vụ", legend)


def _bars(names: list[str]) -> list[Bar]:
    return [
        Bar(name, Summary(3, 1, 5, 9 - i, 2), f"{9 - i} quá hạn · hoàn thành 26,7%")
        for i, name in enumerate(names)
    ]


@contextmanager
def missing_glyphs() -> Iterator[list[str]]:
    """Collect matplotlib's missing-glyph complaints, whether warned or logged."""
    found: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            found.append(record.getMessage())

    handler = Collect(logging.WARNING)
    logger = logging.getLogger("matplotlib")
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield found
        found.extend(str(w.message) for w in caught)
    finally:
        logger.removeHandler(handler)
    found[:] = [m for m in found if "missing from" in m or "Glyph" in m]


def test_the_shipped_font_is_found_and_registered() -> None:
    assert chart.REGULAR.is_file()
    assert chart.BOLD.is_file()
    assert (chart.FONTS / "LICENSE-DejaVu.txt").is_file()
    regular, bold = chart.fonts()
    assert Path(font_manager.findfont(regular)) == chart.REGULAR
    assert Path(font_manager.findfont(bold)) == chart.BOLD
    registered = {Path(entry.fname) for entry in font_manager.fontManager.ttflist}
    assert {chart.REGULAR, chart.BOLD} <= registered


def test_vietnamese_labels_render_without_missing_glyphs() -> None:
    with missing_glyphs() as complaints:
        png = render_png(_text(f"Tiếng Việt: {VIETNAMESE}"), _bars([*NAMES, VIETNAMESE[:30]]))
    assert complaints == []
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size[0] >= 800
    assert image.size[1] > 200


def test_a_font_without_vietnamese_would_be_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    # The check above can fail: TeX's Computer Modern (shipped with matplotlib) has no "ộ".
    cmr10 = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "cmr10.ttf"
    plain = font_manager.FontProperties(fname=cmr10)
    monkeypatch.setattr(chart, "fonts", lambda: (plain, plain))
    with missing_glyphs() as complaints:
        render_png(_text(), _bars(NAMES))
    assert any("missing from" in c for c in complaints)


def test_one_bar_or_none_still_makes_a_png() -> None:
    for bars in (_bars(NAMES[:1]), []):
        assert render_png(_text(), bars).startswith(b"\x89PNG\r\n\x1a\n")
