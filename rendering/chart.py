"""The digest's chart: stacked bars of bucket counts as PNG bytes, drawn with matplotlib's Agg
canvas (no pyplot, no display, no global state) in a font shipped with dondoc.

Vietnamese needs glyphs for every letter with its tone mark; a server's default fonts may
lack them (matplotlib then warns "Glyph … missing from font(s)" and draws boxes), so every
text names the DejaVu Sans files in rendering/fonts/ (fonts/README.md) by path.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from services.buckets import Summary

if TYPE_CHECKING:  # matplotlib loads on the first chart: the CLI and most handlers never need it
    from matplotlib.font_manager import FontProperties

FONTS = Path(__file__).parent / "fonts"
REGULAR = FONTS / "DejaVuSans.ttf"
BOLD = FONTS / "DejaVuSans-Bold.ttf"

# Left to right: what lags first, in the colours committees use for it.
SEGMENTS = ("overdue", "on_schedule", "done_late", "done_on_time", "routine")
COLOURS = {
    "overdue": "#d7301f",
    "on_schedule": "#fdb863",
    "done_late": "#a6d96a",
    "done_on_time": "#1a9641",
    "routine": "#bdbdbd",
}
LABEL_CUT = 32  # characters of a bar's label
# Inches: fixed margins rather than tight_layout, which lays every text out once more.
WIDTH, LEFT, RIGHT, TOP, BOTTOM, PER_BAR = 10.5, 2.9, 2.4, 0.55, 1.15, 0.42
DPI = 100


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label, its counts, and the note written after it."""

    label: str
    summary: Summary
    note: str = ""


@dataclass(frozen=True, slots=True)
class ChartText:
    """The words on a chart, in the reader's language (plain text, not HTML)."""

    title: str
    axis: str
    legend: dict[str, str]  # SEGMENTS -> label


@functools.cache
def fonts() -> tuple[FontProperties, FontProperties]:
    """The shipped regular and bold fonts, registered with matplotlib's font manager (once)."""
    import matplotlib
    from matplotlib import font_manager

    for path in (REGULAR, BOLD):
        font_manager.fontManager.addfont(str(path))
    # Unhinted glyphs: a fifth less drawing time per chart, and no visible loss in a photo
    # a phone scales anyway (the process draws nothing else with matplotlib).
    matplotlib.rcParams["text.hinting"] = "none"
    return font_manager.FontProperties(fname=REGULAR), font_manager.FontProperties(fname=BOLD)


def _cut(text: str) -> str:
    return text if len(text) <= LABEL_CUT else text[: LABEL_CUT - 1].rstrip() + "…"


def render_png(text: ChartText, bars: Sequence[Bar]) -> bytes:
    """Horizontal stacked bars, the first bar on top, each with its note on the right, as
    PNG bytes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    regular, bold = fonts()
    small = regular.copy()
    small.set_size(8.5)
    height = TOP + BOTTOM + PER_BAR * max(len(bars), 1)
    figure = Figure(figsize=(WIDTH, height), dpi=DPI)
    FigureCanvasAgg(figure)
    figure.subplots_adjust(
        left=LEFT / WIDTH, right=1 - RIGHT / WIDTH, top=1 - TOP / height, bottom=BOTTOM / height
    )
    axes = figure.add_subplot()
    rows = list(range(len(bars)))
    left = [0] * len(bars)
    for segment in SEGMENTS:
        values = [getattr(bar.summary, segment) for bar in bars]
        axes.barh(
            rows, values, left=left, height=0.7, color=COLOURS[segment],
            label=text.legend[segment],
        )  # fmt: skip
        left = [a + b for a, b in zip(left, values, strict=True)]
    notes = axes.get_yaxis_transform()  # x in axes fractions, y in rows
    for row, bar in enumerate(bars):
        if bar.note:
            axes.text(1.02, row, bar.note, va="center", transform=notes, fontproperties=small)
    axes.set_yticks(rows, [_cut(bar.label) for bar in bars])
    for label in axes.get_yticklabels() + axes.get_xticklabels():
        label.set_fontproperties(regular)
    axes.set_ylim(max(len(bars), 1) - 0.5, -0.5)  # rank 1 on top
    axes.set_xlim(0, max(max(left, default=0), 1) * 1.02)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))  # tasks: no 2.5
    axes.set_xlabel(text.axis, fontproperties=regular)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_title(text.title, fontproperties=bold, loc="left")
    figure.legend(loc="lower center", ncols=3, frameon=False, prop=small)
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
