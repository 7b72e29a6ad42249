"""Find an agency or program from what a user typed: exact for files, forgiving for chat."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

# Words that name the kind of a body rather than the body: "UBND tỉnh Gia Lai", "Tỉnh Gia
# Lai" and "Gia Lai" are one province, "Bộ Tài chính" and "Tài chính" one ministry.
# Stripped repeatedly, so "Ủy ban nhân dân thành phố Hà Nội" comes down to "ha noi".
_PREFIXES = (
    "uy ban nhan dan ",
    "ubnd ",
    "people s committee of ",
    "bo ",
    "tinh ",
    "thanh pho ",
    "tp ",
    "ministry of ",
    "the ",
)
_SUFFIXES = (" province", " city", " people s committee")
_NON_WORD = re.compile(r"[^a-z0-9]+")

WIN_SCORE = 90.0  # a fuzzy winner must score this much ...
WIN_MARGIN = 10.0  # ... and lead the runner-up by this much
NEAR_SCORE = 70.0  # below this a candidate is not offered at all
MIN_FUZZY_LEN = 3  # "b" or "hn" would fuzzily match half the list
CHOICES = 5  # buttons offered for a near tie in chat ("Quảng" names four provinces)
WORD_MATCH = 75.0  # a typed word (4+ letters) is in a name when this close to one of its words

# Which names of a target a key comes from: an agency's own code wins over another's alias,
# a current name over a former one.
CODE, NAME, FORMER = 0, 1, 2


def fold(text: str) -> str:
    """Lowercase ASCII words: no diacritics (đ → d), no punctuation, single spaces."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return _NON_WORD.sub(" ", stripped.lower()).strip()


def core_name(folded: str) -> str:
    """A folded name without the words that only say what kind of body it is."""
    while True:
        before = folded
        for prefix in _PREFIXES:
            if folded.startswith(prefix) and len(folded) > len(prefix):
                folded = folded[len(prefix) :]
        for suffix in _SUFFIXES:
            if folded.endswith(suffix) and len(folded) > len(suffix):
                folded = folded[: -len(suffix)]
        if folded == before:
            return folded


def keys_of(name: str) -> tuple[str, ...]:
    """The exact keys of a name: folded, and without its kind's words."""
    folded = fold(name)
    return tuple(dict.fromkeys(k for k in (folded, core_name(folded)) if k))


@dataclass(frozen=True, slots=True)
class Former:
    """A body that became part of an agency (a merged province, an absorbed board)."""

    name_vi: str  # as a sentence names it: "tỉnh Bình Thuận cũ"
    name_en: str
    since: date
    how: str  # "merged", "transferred" or "renamed"
    names: tuple[str, ...]  # what registers and people still call it


@dataclass(frozen=True, slots=True)
class Target:
    """Something `/status` can report on: an agency or a program."""

    kind: str  # "agency" or "program"
    code: str
    name_vi: str
    name_en: str
    aliases: tuple[str, ...] = ()
    agency_kind: str = ""  # ministry/agency/city/province/other for agencies
    id: int = 0  # database id; 0 for targets built outside the database
    formers: tuple[Former, ...] = ()

    def names(self) -> tuple[str, ...]:
        return (self.name_vi, self.name_en, *self.aliases)

    def label(self) -> str:
        """'Tên (MÃ)', as an import error names a candidate."""
        return f"{self.name_vi} ({self.code})"


@dataclass(frozen=True, slots=True)
class Lookup:
    """The result of a search: a winner, one weak guess, a near tie, or nothing."""

    found: Target | None = None
    candidates: tuple[Target, ...] = ()
    former: Former | None = None  # the winner was asked for by this former body's name

    @property
    def weak(self) -> bool:
        """One guess, not sure enough to answer: ask "Có phải …?" first."""
        return self.found is None and len(self.candidates) == 1


@dataclass(frozen=True, slots=True)
class _Key:
    target: Target
    layer: int
    former: Former | None = None


@dataclass(slots=True)
class TargetIndex:
    """Exact keys and fuzzy keys over agencies and programs, built once."""

    targets: tuple[Target, ...]
    _exact: dict[str, list[_Key]] = field(init=False)
    _fuzzy_keys: list[str] = field(init=False)
    _fuzzy_owner: list[_Key] = field(init=False)

    def __post_init__(self) -> None:
        self._exact = {}
        self._fuzzy_keys, self._fuzzy_owner = [], []
        for target in self.targets:
            self._add(fold(target.code), _Key(target, CODE), fuzzy=False)
        for target in self.targets:
            former_keys = {k for f in target.formers for n in f.names for k in keys_of(n)}
            for name in target.names():
                for key in keys_of(name):
                    if key not in former_keys:
                        self._add(key, _Key(target, NAME))
            for former in target.formers:
                for name in former.names:
                    for key in keys_of(name):
                        self._add(key, _Key(target, FORMER, former))

    def _add(self, key: str, entry: _Key, *, fuzzy: bool = True) -> None:
        held = self._exact.setdefault(key, [])
        if not held or entry.layer < held[0].layer:
            held[:] = [entry]
        elif entry.layer == held[0].layer and all(k.target != entry.target for k in held):
            held.append(entry)
        if fuzzy:
            self._fuzzy_keys.append(key)
            self._fuzzy_owner.append(entry)

    def exact(self, query: str) -> Lookup:
        """Only an exact code, name, alias or former name (folded): what an import accepts.

        Two bodies sharing the name are both candidates, never a winner.
        """
        folded = fold(query)
        for key in dict.fromkeys((folded, core_name(folded))):
            held = self._exact.get(key)
            if held and len(held) == 1:
                return Lookup(found=held[0].target, former=held[0].former)
            if held:
                return Lookup(candidates=tuple(k.target for k in held))
        return Lookup()

    def resolve(self, query: str, *, choices: int = CHOICES) -> Lookup:
        """Exact first; then a clear fuzzy winner, one weak guess, or up to `choices` near."""
        lookup = self.exact(query)
        if lookup.found is not None or lookup.candidates:
            return lookup
        ranked = self._ranked(query)
        if not ranked:
            return Lookup()
        top_score, top = ranked[0]
        runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
        if top_score - runner_up >= WIN_MARGIN:
            if top_score >= WIN_SCORE:
                return Lookup(found=top.target, former=top.former)
            return Lookup(candidates=(top.target,))
        return Lookup(candidates=tuple(k.target for _s, k in ranked[:choices]))

    def near(self, query: str, limit: int = 3) -> tuple[Target, ...]:
        """The closest names, best first, for an error that names what might have been meant."""
        exact = self.exact(query)
        if exact.candidates:
            return exact.candidates[:limit]
        return tuple(k.target for _s, k in self._ranked(query)[:limit])

    def _ranked(self, query: str) -> list[tuple[float, _Key]]:
        """Targets scoring at least NEAR_SCORE, best first (one entry per target)."""
        folded = core_name(fold(query))
        if len(folded) < MIN_FUZZY_LEN:
            return []
        from rapidfuzz import fuzz, process  # on first use: an import never needs it if exact

        best: dict[tuple[str, str], tuple[float, bool, _Key]] = {}
        hits = process.extract(
            folded, self._fuzzy_keys, scorer=fuzz.WRatio, score_cutoff=NEAR_SCORE, limit=50
        )
        for key, loose, pos in hits:
            # WRatio alone scores any short word high against some part of a long name
            # ("hello" ~ "hue"); the token-set score asks the words to match too, and the
            # coverage asks that every typed word be in the name: "Học viện Chính trị quốc
            # gia Hồ Chí Minh" is not Thành phố Hồ Chí Minh with a few words too many.
            score = min(loose, fuzz.token_set_ratio(folded, key), coverage(folded, key))
            if score < NEAR_SCORE:
                continue
            entry = self._fuzzy_owner[pos]
            # Between equal scores, a name that starts as typed comes first: "Quảng" is
            # Quảng Ninh, Quảng Trị, Quảng Ngãi before Tuyên Quang.
            starts = key.startswith(folded)
            ident = (entry.target.kind, entry.target.code)
            held = best.get(ident)
            if held is None or (score, starts, -entry.layer) > (held[0], held[1], -held[2].layer):
                best[ident] = (score, starts, entry)
        order = {(t.kind, t.code): n for n, t in enumerate(self.targets)}

        def rank(item: tuple[float, bool, _Key]) -> tuple[float, bool, int, int]:
            score, starts, entry = item
            return (-score, not starts, entry.layer, order[(entry.target.kind, entry.target.code)])

        return [(score, entry) for score, _starts, entry in sorted(best.values(), key=rank)]

    def by_id(self, kind: str, ident: int) -> Target | None:
        """The target with this database id, e.g. from a button's callback data."""
        return next((t for t in self.targets if t.kind == kind and t.id == ident), None)


def coverage(query: str, key: str) -> float:
    """Percent of the typed letters in words that the name has (a word, its start, or close)."""
    words = query.split()
    names = key.split()
    total = sum(len(w) for w in words)
    covered = sum(len(w) for w in words if any(_same_word(w, n) for n in names))
    return 100.0 * covered / total if total else 0.0


def _same_word(typed: str, word: str) -> bool:
    """A typed word is the name's word, its start, or (4 letters and more) a near spelling."""
    # Short words differ by a letter all the time: "hoc" is not "ho".
    if word.startswith(typed):
        return True
    from rapidfuzz import fuzz

    return len(typed) > 3 and fuzz.ratio(typed, word) >= WORD_MATCH


def build_index(agencies: Iterable[Target], programs: Iterable[Target]) -> TargetIndex:
    """One index over agencies (first) and programs."""
    return TargetIndex(targets=(*agencies, *programs))
