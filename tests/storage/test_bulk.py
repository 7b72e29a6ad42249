"""Bulk writes: each value bound as its column's type binds it."""

from __future__ import annotations

from storage.bulk import _bound


def test_each_distinct_value_is_converted_once() -> None:
    seen: list[object] = []

    def process(value: object) -> str:
        seen.append(value)
        return f"<{value}>"

    assert _bound(["a", "b", None, "a", "a"], process) == ("<a>", "<b>", None, "<a>", "<a>")
    assert sorted(seen) == ["a", "b"]  # type: ignore[type-var]


def test_equal_values_of_other_types_and_unhashable_ones_are_converted_apart() -> None:
    # 1 == True == 1.0 as dictionary keys: each must still bind as itself.
    assert _bound([1, True, 1.0, None], repr) == ("1", "True", "1.0", None)
    assert _bound([[1], [1], None], repr) == ("[1]", "[1]", None)
