"""Agencies and programs as a register's cells name them: exact matches, or new units."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.catalog import abbreviate, is_code, unique_code
from services.importer.cells import BadCell, clip, limited, required, text_of
from services.lookup import TargetIndex, build_index, fold
from services.lookup_cache import agency_targets
from storage.models import Agency, Program

Parser = Callable[[object], object]
_MISSING = object()


def memoised(parse: Parser) -> Parser:
    """Parse each distinct cell once: dates, statuses and agencies repeat on every row."""
    memo: dict[object, object] = {}

    def parse_once(value: object) -> object:
        # True == 1 == 1.0, but they are different cells: only text is its own key.
        key = value if type(value) is str else (type(value), value)
        found = memo.get(key, _MISSING)
        if found is _MISSING:
            try:
                found = parse(value)
            except BadCell as bad:
                found = bad
            memo[key] = found
        if isinstance(found, BadCell):
            raise BadCell(found.msg_id, **found.params)  # a fresh one: tracebacks would pile up
        return found

    return parse_once


@dataclass(frozen=True, slots=True)
class NewUnit:
    """An agency or program the import will create."""

    code: str
    name: str

    def label(self) -> str:
        return f"{self.name} ({self.code})"


AGENCY_NAME_MAX = 200  # Agency.name_vi


@dataclass(slots=True)
class Lookups:
    """Agencies and programs as the file names them."""

    # Agencies match exactly (code, name, alias or former name, folded): a file is not read
    # by a person row by row, so a guess would assign tasks to the wrong agency unseen.
    index: TargetIndex
    agency_ids: dict[str, int]
    programs: dict[str, int]  # folded code and folded name -> id
    taken: set[str] = field(default_factory=set)  # agency and program codes
    add_agencies: bool = False  # unknown names become new units instead of errors
    new_agencies: dict[str, str] = field(default_factory=dict)  # folded -> first spelling
    new_programs: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> code, name
    program_codes: dict[int, str] = field(default_factory=dict)  # id -> code, for reports
    agency: Parser = field(init=False)

    def __post_init__(self) -> None:
        self.agency = memoised(self._agency)

    def _agency(self, value: object) -> int | str:
        text = text_of(value)
        lookup = self.index.exact(text)
        if lookup.found is not None:
            return self.agency_ids[lookup.found.code]
        near = self.index.near(text)
        key = fold(text)
        # Only a name like no other becomes a new unit: a near one is likelier a misspelling.
        if self.add_agencies and key and not near:
            if len(text) > AGENCY_NAME_MAX:
                raise BadCell("import-err-too-long", column="agency", limit=str(AGENCY_NAME_MAX))
            self.new_agencies.setdefault(key, text)
            return key
        if near:
            labels = ", ".join(t.label() for t in near)
            raise BadCell("import-err-ambiguous-agency", value=clip(text), candidates=labels)
        raise BadCell("import-err-unknown-agency", value=clip(text))

    def lead(self, value: object) -> object:
        """The lead agency's id."""
        return self.agency(required("agency", value))

    def coordinating(self, value: object) -> frozenset[object]:
        """The agencies of a ';'-separated cell."""
        return frozenset(self.agency(part) for part in split(text_of(value)))

    def program_code(self, value: object) -> str:
        """A program code cell: empty, or a short code (NQ57)."""
        text = limited("program_code", value)
        if text and not is_code(text):
            raise BadCell("import-err-bad-program-code", value=clip(text))
        return text

    def program(self, code: str, name: str) -> int | str | None:
        """An existing program's id, or the key of one to create (first spelling wins)."""
        by_name = self.programs.get(fold(name) or name) if name else None
        if code:
            by_code = self.programs.get(fold(code))
            if by_code is not None and by_name not in (None, by_code):
                raise BadCell("import-err-program-mismatch", code=code, name=clip(name))
            if by_code is None and by_name is not None:
                raise BadCell("import-err-program-has-code", code=code, name=clip(name))
            if by_code is not None:
                return by_code
            if code.casefold() in {a.casefold() for a in self.agency_ids}:
                raise BadCell("import-err-program-code-taken", code=code)
            key = "c:" + fold(code)
            self.new_programs.setdefault(key, (code, name or code))
            return key
        if not name:
            return None
        if by_name is not None:
            return by_name
        key = "n:" + (fold(name) or name)
        self.new_programs.setdefault(key, ("", name))
        return key

    def planned_agencies(self) -> dict[str, NewUnit]:
        """The units to create, by key, each with a code made from its name."""
        taken = set(self.taken)
        planned: dict[str, NewUnit] = {}
        for key, name in self.new_agencies.items():
            code = unique_code(abbreviate(name), taken, "DV", self.index)
            taken.add(code)
            planned[key] = NewUnit(code, name)
        return planned

    def planned_programs(self) -> dict[str, NewUnit]:
        """The programs to create, by key: codes as the file gives them, else from the name."""
        planned = {k: NewUnit(c, n) for k, (c, n) in self.new_programs.items() if c}
        coded = {fold(unit.name): unit for unit in planned.values()}
        taken = self.taken | {unit.code for unit in planned.values()}
        for key, (code, name) in self.new_programs.items():
            if code:
                continue
            # A row that names the program in full and another that gives its code: one program.
            twin = coded.get(fold(name))
            if twin is None:
                short = name if is_code(name) else abbreviate(name)
                twin = NewUnit(unique_code(short, taken, "CT"), name)
                taken.add(twin.code)
            planned[key] = twin
        return planned


async def load_lookups(session: AsyncSession, *, add_agencies: bool = False) -> Lookups:
    """Every agency (with its former names) and program, ready to resolve the file's names."""
    agencies = (await session.execute(select(Agency))).scalars().all()
    programs: dict[str, int] = {}
    codes: set[str] = {a.code for a in agencies}
    program_codes: dict[int, str] = {}
    for pid, code, name in await session.execute(select(Program.id, Program.code, Program.name)):
        programs.setdefault(fold(code) or code, pid)
        programs.setdefault(fold(name) or name, pid)
        codes.add(code)
        program_codes[pid] = code
    index = build_index(agency_targets(agencies), ())
    agency_ids = {a.code: a.id for a in agencies}
    return Lookups(index, agency_ids, programs, codes, add_agencies, program_codes=program_codes)


def split(cell: str) -> list[str]:
    """The parts of a ';'- or newline-separated cell."""
    return [part.strip() for part in re.split(r"[;\n]", cell) if part.strip()]
