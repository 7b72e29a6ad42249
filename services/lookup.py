"""Find an agency or program from what a user typed: codes, aliases, loose names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

# Words that every name of a kind shares; dropping them keeps "tai chinh" from
# matching "bo tai chinh" and "bo y te" equally well.
_PREFIXES = ("bo ", "tinh ", "thanh pho ", "tp ", "ministry of ", "the ")
_SUFFIXES = (" province", " city")
_NON_WORD = re.compile(r"[^a-z0-9]+")

WIN_SCORE = 90.0  # a fuzzy winner must score this much ...
WIN_MARGIN = 10.0  # ... and lead the runner-up by this much
NEAR_SCORE = 70.0  # below this a candidate is not offered at all
MIN_FUZZY_LEN = 3  # "b" or "hn" would fuzzily match half the list


def fold(text: str) -> str:
    """Lowercase ASCII words: no diacritics (đ → d), no punctuation, single spaces."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return _NON_WORD.sub(" ", stripped.lower()).strip()


def core_name(folded: str) -> str:
    """A folded name without its kind's common prefix or suffix."""
    for prefix in _PREFIXES:
        if folded.startswith(prefix):
            folded = folded[len(prefix) :]
    for suffix in _SUFFIXES:
        if folded.endswith(suffix):
            folded = folded[: -len(suffix)]
    return folded


@dataclass(frozen=True, slots=True)
class Target:
    """Something `/status` can report on: an agency or a program."""

    kind: str  # "agency" or "program"
    code: str
    name_vi: str
    name_en: str
    aliases: tuple[str, ...] = ()
    agency_kind: str = ""  # ministry/agency/city/province for agencies
    id: int = 0  # database id; 0 for targets built outside the database

    def names(self) -> tuple[str, ...]:
        return (self.name_vi, self.name_en, *self.aliases)


@dataclass(frozen=True, slots=True)
class Lookup:
    """The result of a search: a clear winner, or near candidates, or nothing."""

    found: Target | None = None
    candidates: tuple[Target, ...] = ()


@dataclass(slots=True)
class TargetIndex:
    """Exact keys and fuzzy keys over agencies and programs, built once."""

    targets: tuple[Target, ...]
    _exact: dict[str, Target] = field(init=False)
    _fuzzy_keys: list[str] = field(init=False)
    _fuzzy_owner: list[Target] = field(init=False)

    def __post_init__(self) -> None:
        self._exact = {}
        self._fuzzy_keys, self._fuzzy_owner = [], []
        # Codes first, then names: an agency's own code wins over another's alias.
        for target in self.targets:
            self._exact.setdefault(fold(target.code), target)
        for target in self.targets:
            for name in target.names():
                folded = fold(name)
                for key in {folded, core_name(folded)}:
                    if key:
                        self._exact.setdefault(key, target)
                        self._fuzzy_keys.append(key)
                        self._fuzzy_owner.append(target)

    def resolve(self, query: str) -> Lookup:
        """Exact code/alias/name first; then a fuzzy winner; else up to 3 near candidates."""
        folded = fold(query)
        if not folded:
            return Lookup()
        exact = self._exact.get(folded) or self._exact.get(core_name(folded))
        if exact is not None:
            return Lookup(found=exact)
        if len(folded) < MIN_FUZZY_LEN:
            return Lookup()
        return self._fuzzy(core_name(folded))

    def _fuzzy(self, folded: str) -> Lookup:
        best: dict[str, tuple[float, Target]] = {}
        hits = process.extract(
            folded, self._fuzzy_keys, scorer=fuzz.WRatio, score_cutoff=NEAR_SCORE, limit=50
        )
        for key, loose, pos in hits:
            # WRatio alone scores any short word high against some part of a long name
            # ("hello" ~ "hue"); the token-set score asks the words to match too.
            score = min(loose, fuzz.token_set_ratio(folded, key))
            if score < NEAR_SCORE:
                continue
            owner = self._fuzzy_owner[pos]
            ident = f"{owner.kind}:{owner.code}"
            if ident not in best or best[ident][0] < score:
                best[ident] = (score, owner)
        ranked = sorted(best.values(), key=lambda pair: -pair[0])
        if not ranked:
            return Lookup()
        top_score, top = ranked[0]
        runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
        if top_score >= WIN_SCORE and top_score - runner_up >= WIN_MARGIN:
            return Lookup(found=top)
        return Lookup(candidates=tuple(t for _s, t in ranked[:3]))

    def by_id(self, kind: str, ident: int) -> Target | None:
        """The target with this database id, e.g. from a button's callback data."""
        return next((t for t in self.targets if t.kind == kind and t.id == ident), None)


def build_index(agencies: Iterable[Target], programs: Iterable[Target]) -> TargetIndex:
    """One index over agencies (first) and programs."""
    return TargetIndex(targets=(*agencies, *programs))
