"""Validated rows packed small while the file's sheet is still held, unpacked once it is not."""

from __future__ import annotations

import marshal
from collections.abc import Callable, Collection, Iterator
from dataclasses import fields
from datetime import date
from operator import attrgetter
from typing import Any, Generic, TypeVar

T = TypeVar("T")
BLOCK = 1000  # rows per packed block
SHARED = 10_000  # distinct repeated values made one object again when unpacking


class Packed(Generic[T]):
    """Dataclass rows as marshal blocks, about a third of their memory: strings as UTF-8, a
    value repeated in a block written once. Validation adds an import's rows while
    calamine's grid of the sheet is still held; both at once made the import's peak."""

    def __init__(self, row: type[T], *, dates: Collection[str], shared: Collection[str]) -> None:
        self.row = row
        names = [f.name for f in fields(row)]  # type: ignore[arg-type]
        self._values: Callable[[T], tuple[Any, ...]] = attrgetter(*names)
        self._dates = [names.index(name) for name in dates]  # marshal has no dates: ordinals
        self._shared = [names.index(name) for name in shared]
        self._blocks: list[bytes] = []
        self._pending: list[list[Any]] = []

    def append(self, item: T) -> None:
        values = list(self._values(item))
        for i in self._dates:
            if values[i] is not None:
                values[i] = values[i].toordinal()
        self._pending.append(values)
        if len(self._pending) == BLOCK:
            self._blocks.append(marshal.dumps(self._pending))
            self._pending = []

    def clear(self) -> None:
        self._blocks.clear()
        self._pending.clear()

    def unpack(self) -> list[T]:
        """The rows in order, emptying this; repeated values and dates one object each."""
        shared: dict[object, object] = {}
        days: dict[int, date] = {}
        rows: list[T] = []
        for values in self._unpacked():
            for i in self._dates:
                if (day := values[i]) is not None:
                    values[i] = days.get(day) or days.setdefault(day, date.fromordinal(day))
            for i in self._shared:
                value = values[i]
                if len(shared) < SHARED:
                    values[i] = shared.setdefault(value, value)
                else:
                    values[i] = shared.get(value, value)
            rows.append(self.row(*values))
        return rows

    def _unpacked(self) -> Iterator[list[Any]]:
        blocks, self._blocks = self._blocks, []
        for i, block in enumerate(blocks):
            blocks[i] = b""  # each block freed as it is read
            yield from marshal.loads(block)
        pending, self._pending = self._pending, []
        yield from pending
