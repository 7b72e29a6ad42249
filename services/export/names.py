"""Agencies and programmes as the export names them: people's names wherever the importer
reads them back as the same unit, codes where it would not."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.importer.cells import BadCell, limited
from services.importer.lookups import Lookups, load_lookups
from storage.models import Agency, Program


@dataclass(frozen=True, slots=True)
class Unit:
    """An agency as reports show it."""

    code: str
    kind: str
    name: str  # in the export's language


@dataclass(frozen=True, slots=True)
class Names:
    """Every agency (committee order: seed order, then units added later) and programme,
    and what the task sheet writes for each."""

    agencies: Mapping[int, Unit]
    programs: Mapping[int, tuple[str, str]]  # id -> (name, code)
    agency_cells: Mapping[int, str]  # id -> the text the importer reads back as that agency
    program_cells: Mapping[int, tuple[str, str]]  # id -> (name cell, code cell)

    def agency_name(self, agency_id: int) -> str:
        unit = self.agencies.get(agency_id)
        return unit.name if unit else str(agency_id)


async def load_names(session: AsyncSession, lang: str) -> Names:
    """Names and codes of every agency and programme, with their task-sheet cells."""
    rows = await session.execute(
        select(Agency.id, Agency.code, Agency.kind, Agency.name_vi, Agency.name_en).order_by(
            Agency.id
        )
    )
    agencies = {
        aid: Unit(code, kind, name_en if lang == "en" else name_vi)
        for aid, code, kind, name_vi, name_en in rows
    }
    found = await session.execute(select(Program.id, Program.name, Program.code))
    programs = {pid: (name, code) for pid, name, code in found}
    lookups = await load_lookups(session)
    agency_cells = {aid: _agency_cell(lookups, aid, unit) for aid, unit in agencies.items()}
    program_cells = {pid: _program_cell(lookups, pid, *pair) for pid, pair in programs.items()}
    return Names(agencies, programs, agency_cells, program_cells)


def _agency_cell(lookups: Lookups, agency_id: int, unit: Unit) -> str:
    """The agency's name if the importer finds exactly this agency by it (as lead and as a
    coordinator), else its code."""
    # Names are what a secretariat reads; a name that an added unit or an alias made
    # ambiguous would import as an error, or worse as another agency, so it is checked here
    # with the importer's own lookup.
    try:
        if lookups.lead(unit.name) == agency_id and lookups.coordinating(unit.name) == {agency_id}:
            return unit.name
    except BadCell:
        pass
    return unit.code


def _program_cell(lookups: Lookups, program_id: int, name: str, code: str) -> tuple[str, str]:
    """The (name, code) cells the importer reads back as this programme: both when they
    agree, else whichever one does."""
    for pair in ((name, code), ("", code), (name, "")):
        try:
            cell_name = limited("program", pair[0])
            cell_code = lookups.program_code(pair[1])
            if lookups.program(cell_code, cell_name) == program_id:
                return pair
        except BadCell:
            continue
    return name, code
