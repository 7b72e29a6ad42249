"""Cell references (A1, XFD1048576): columns as numbers, and a search for the references a
chunk of sheet XML should not have."""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=128)
def stray(rows: int, first: int, last: int) -> re.Pattern[bytes]:
    """A cell reference below row `rows` (1-based) or outside columns first..last (group
    "stray"), or a cell tag that does not start with a plain reference (group "odd")."""
    number = str(rows)
    below = [rf"[1-9]\d{{{len(number)},}}"]
    for i, digit in enumerate(number):
        if digit != "9":
            below.append(rf"{number[:i]}[{int(digit) + 1}-9]\d{{{len(number) - i - 1}}}")
    beside = _beyond(column_letters(first), column_letters(last)) if last >= 0 else ["[A-Za-z]+"]
    stray = rf'(?:{"|".join(beside)})\d|[A-Za-z]+0*(?:{"|".join(below)})"'
    pattern = rf'<c(?: r="(?P<stray>{stray})|(?P<odd>(?! r="[A-Za-z]+\d+")))'
    return re.compile(pattern.encode())


def _beyond(first: str, last: str) -> list[str]:
    """Patterns of the column letters before `first` or after `last`, in either case."""
    options = [f"[A-Za-z]{{{len(last) + 1},}}"]
    if len(first) > 1:
        options.append(f"[A-Za-z]{{1,{len(first) - 1}}}")
    for i, letter in enumerate(last):
        if letter != "Z":
            after = _letters(chr(ord(letter) + 1), "Z")
            options.append(f"{_same(last[:i])}{after}[A-Za-z]{{{len(last) - i - 1}}}")
    for i, letter in enumerate(first):
        if letter != "A":
            before = _letters("A", chr(ord(letter) - 1))
            options.append(f"{_same(first[:i])}{before}[A-Za-z]{{{len(first) - i - 1}}}")
    return options


def _letters(low: str, high: str) -> str:
    """A character class of the letters low..high, in either case."""
    return f"[{low}-{high}{low.lower()}-{high.lower()}]"


def _same(letters: str) -> str:
    """A pattern of these letters in either case."""
    return "".join(_letters(letter, letter) for letter in letters)


def column_letters(index: int) -> str:
    """The letters of 0-based column `index`: 0 is A, 27 is AB."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: bytes | str) -> int:
    """The 0-based column of "A", "ab", "XFD"..."""
    number = 0
    for letter in letters.upper() if isinstance(letters, str) else letters.decode().upper():
        number = number * 26 + ord(letter) - 64
    return number - 1
