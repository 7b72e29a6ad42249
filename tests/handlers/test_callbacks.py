"""The callback-data codec: pack, unpack, refuse forged data, Telegram's 64 bytes."""

from __future__ import annotations

import enum
import random
from dataclasses import dataclass

import pytest

from handlers.callbacks import MAX_DATA, CallbackData
from handlers.imports import Answer, ImportChoice
from handlers.reports import DUE_MAX, DuePage, OverduePage, StatusChoice


class Colour(enum.StrEnum):
    RED = "r"
    BLUE = "b"


@dataclass(frozen=True, slots=True)
class Sample(CallbackData, prefix="tsample"):
    word: str
    number: int
    colour: Colour


def test_round_trip() -> None:
    sample = Sample("a-b_C9", 1234567890, Colour.BLUE)
    assert sample.pack() == "tsample:a-b_C9:1234567890:b"
    assert Sample.unpack(sample.pack()) == sample
    assert Sample.matches(sample.pack())


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        b"tsample:a:1:r",
        "tsample",
        "tsample:a:1",
        "tsample:a:1:r:extra",
        "other:a:1:r",
        "tsample:a:x:r",
        "tsample:a:-1:r",
        "tsample:a:+1:r",
        "tsample:a: 1:r",
        "tsample:a:\u0661:r",  # an Arabic-Indic digit: int() would take it
        "tsample:a:12345678901:r",
        "tsample:a:1:green",
        "tsample::1:r",
        "tsample:a b:1:r",
        "tsample:ả:1:r",
        "tsample:" + "a" * 64 + ":1:r",
    ],
)
def test_malformed_or_forged_data_is_none_never_an_error(data: object) -> None:
    assert Sample.unpack(data) is None
    assert not Sample.matches(data)


def test_random_data_never_raises() -> None:
    rng = random.Random(7)
    alphabet = "tsample:ab01-_rbx\u0661 "
    for _ in range(5000):
        data = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 30)))
        found = Sample.unpack(data)
        assert found is None or found.pack() == data


def test_construction_refuses_bad_values_and_data_over_64_bytes() -> None:
    with pytest.raises(ValueError, match="word"):
        Sample("a:b", 1, Colour.RED)
    with pytest.raises(ValueError, match="number"):
        Sample("a", -1, Colour.RED)
    with pytest.raises(ValueError, match="bytes"):
        Sample("a" * 60, 1, Colour.RED)
    longest = Sample("a" * (MAX_DATA - len("tsample::1:r")), 1, Colour.RED)
    assert len(longest.pack().encode()) == MAX_DATA


def test_a_prefix_is_used_by_one_class_only() -> None:
    with pytest.raises(ValueError, match="already"):

        @dataclass(frozen=True)
        class Clash(CallbackData, prefix="tsample"):
            word: str


def test_fields_are_ints_words_or_enums() -> None:
    @dataclass(frozen=True)
    class Floaty(CallbackData, prefix="tfloat"):
        value: float

    with pytest.raises(TypeError, match="float"):
        Floaty(1.5)


def test_the_bots_buttons() -> None:
    assert StatusChoice.unpack("st:a12") == StatusChoice("a12")
    assert StatusChoice.unpack("st:-") is None
    assert StatusChoice.unpack("st:x12") is None
    assert OverduePage.unpack("ov:-:3") == OverduePage("-", 3)
    assert OverduePage.unpack("ov:p4:0") == OverduePage("p4", 0)
    assert DuePage.unpack(f"du:{DUE_MAX}:0") == DuePage(DUE_MAX, 0)
    assert DuePage.unpack(f"du:{DUE_MAX + 1}:0") is None
    assert DuePage.unpack("du:0:0") is None
    token = "Ab-_" * 4
    assert ImportChoice.unpack(f"imp:ok:{token}") == ImportChoice(Answer.CONFIRM, token)
    assert ImportChoice.unpack(f"imp:no:{token}") == ImportChoice(Answer.CANCEL, token)
    assert ImportChoice.unpack("imp:ok:short") is None
    assert ImportChoice.unpack(f"imp:yes:{token}") is None
