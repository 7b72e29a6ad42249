"""One callback-data codec: typed button data packed as `prefix:field:…`, read back safely.

    @dataclass(frozen=True, slots=True)
    class OverduePage(CallbackData, prefix="ov"):
        ref: str
        page: int

    OverduePage("a3", 1).pack() == "ov:a3:1"; OverduePage.unpack("ov:a3:1") == OverduePage(…)
    CallbackQueryHandler(callback, pattern=OverduePage.matches)

Fields are non-negative ints, short ASCII words, or StrEnum members. Construction refuses
a value of the wrong shape or data over Telegram's 64 bytes (ValueError, a bug of ours);
unpacking forged or malformed data gives None, never an exception.
"""

from __future__ import annotations

import dataclasses
import enum
import re
import typing
from typing import Any, ClassVar, Self

from telegram import Update
from telegram.constants import InlineKeyboardButtonLimit

MAX_DATA = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA  # bytes
SEP = ":"
_INT = re.compile(r"[0-9]{1,10}")
_WORD = re.compile(r"[A-Za-z0-9_-]{1,64}")
_PREFIX = re.compile(r"[a-z]{1,8}")
_PREFIXES: dict[str, str] = {}  # prefix -> class name: two button kinds must not share one
_FIELDS: dict[type, tuple[tuple[str, type], ...]] = {}


class Reply(enum.StrEnum):
    """Yes or no to a question asked with buttons."""

    YES = "ok"
    NO = "no"


class CallbackData:
    """Base of typed callback data; subclass it as a frozen dataclass with a prefix."""

    __slots__ = ()
    prefix: ClassVar[str] = ""

    def __init_subclass__(cls, *, prefix: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not prefix:  # dataclass(slots=True) re-creates the class without the keyword
            return
        if not _PREFIX.fullmatch(prefix):
            raise ValueError(f"callback prefix {prefix!r}: 1-8 lowercase letters")
        if _PREFIXES.setdefault(prefix, cls.__qualname__) != cls.__qualname__:
            raise ValueError(f"callback prefix {prefix!r} is already {_PREFIXES[prefix]}")
        cls.prefix = prefix

    def __post_init__(self) -> None:
        for name, kind in _fields(type(self)):
            if not _valid(getattr(self, name), kind):
                raise ValueError(f"{type(self).__name__}.{name}: {getattr(self, name)!r}")
        self.validate()
        size = len(self.pack().encode())
        if size > MAX_DATA:
            raise ValueError(f"{type(self).__name__}: {size} bytes of callback data > {MAX_DATA}")

    def validate(self) -> None:
        """Refuse values the fields' types allow but the button does not (raise ValueError)."""

    def pack(self) -> str:
        """The callback data string."""
        values = (str(getattr(self, name)) for name, _kind in _fields(type(self)))
        return SEP.join((self.prefix, *values))

    @classmethod
    def unpack(cls, data: object) -> Self | None:
        """The button behind `data`, or None when it is not one of ours (or forged)."""
        if not isinstance(data, str) or len(data.encode()) > MAX_DATA:
            return None
        prefix, *parts = data.split(SEP)
        fields = _fields(cls)
        if prefix != cls.prefix or len(parts) != len(fields):
            return None
        values: list[object] = []
        for (_name, kind), raw in zip(fields, parts, strict=True):
            value = _parse(raw, kind)
            if value is None:
                return None
            values.append(value)
        try:
            return cls(*values)
        except ValueError:  # validate() refused it
            return None

    @classmethod
    def matches(cls, data: object) -> bool:
        """The CallbackQueryHandler pattern: whether `data` unpacks to this class."""
        return cls.unpack(data) is not None

    @classmethod
    def of(cls, update: Update) -> Self:
        """The pressed button's data (the handler's pattern already accepted it)."""
        query = update.callback_query
        found = cls.unpack(query.data if query else None)
        if found is None:
            raise ValueError(f"not {cls.__name__} data; register the handler with .matches")
        return found


def _fields(cls: type[CallbackData]) -> tuple[tuple[str, type], ...]:
    """(name, type) of each field, checked once per class (annotations are strings here)."""
    known = _FIELDS.get(cls)
    if known is not None:
        return known
    hints = typing.get_type_hints(cls)
    fields = tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))  # type: ignore[arg-type]
    for name, kind in fields:
        if not (kind in (int, str) or issubclass(kind, enum.StrEnum)):
            raise TypeError(f"{cls.__name__}.{name}: int, str or a StrEnum, not {kind}")
    _FIELDS[cls] = fields
    return fields


def _valid(value: object, kind: type) -> bool:
    if kind is int:
        return type(value) is int and _INT.fullmatch(str(value)) is not None
    if kind is str:
        return isinstance(value, str) and _WORD.fullmatch(value) is not None
    return isinstance(value, kind)


def _parse(raw: str, kind: type) -> object | None:
    if kind is int:
        return int(raw) if _INT.fullmatch(raw) else None
    if kind is str:
        return raw if _WORD.fullmatch(raw) else None
    try:
        member: object = kind(raw)
    except ValueError:
        return None
    return member
