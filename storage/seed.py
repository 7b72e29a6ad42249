"""Seed data: the 56 agencies shipped with dondoc, their former and short names."""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Agency

HERE = Path(__file__).parent
AGENCIES_CSV = HERE / "agencies.csv"  # the shared seed data, kept as given
# Bodies that became part of an agency in 2025: the ministries merged in March (Resolution
# 176/2025/QH15), the boards transferred to a ministry, the provinces merged on 1 July
# (Resolution 202/2025/QH15). Registers and officials still use their names.
FORMER_NAMES_CSV = HERE / "former_names.csv"
SHORT_NAMES_CSV = HERE / "short_names.csv"  # short forms registers use (HCMC, KH&CN …)
# Quảng Ngãi is QNG beside Quảng Ninh's QNH: "QNI" reads as Quảng Ninh as easily as Quảng
# Ngãi. QNI stays an alias (short_names.csv), and an existing row is renamed in place.
RENAMED_CODES = {"QNI": "QNG"}


@dataclass(frozen=True, slots=True)
class AgencyRow:
    code: str
    kind: str
    name_vi: str
    name_en: str
    aliases: str


@dataclass(frozen=True, slots=True)
class FormerRow:
    """One body that became part of agency `code` on `since`."""

    code: str
    since: date
    how: str  # merged, transferred, renamed
    former_vi: str
    former_en: str
    names: tuple[str, ...]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _names(cell: str) -> tuple[str, ...]:
    return tuple(n.strip() for n in cell.split(";") if n.strip())


@cache
def former_units() -> tuple[FormerRow, ...]:
    """Every row of storage/former_names.csv."""
    return tuple(
        FormerRow(
            row["code"],
            date.fromisoformat(row["since"]),
            row["how"],
            row["former_vi"],
            row["former_en"],
            _names(row["names"]),
        )
        for row in _rows(FORMER_NAMES_CSV)
    )


@cache
def seed_agencies() -> tuple[AgencyRow, ...]:
    """The agencies of agencies.csv in file order; short and former names among the aliases."""
    extra: dict[str, list[str]] = {}
    for row in _rows(SHORT_NAMES_CSV):
        extra.setdefault(row["code"], []).extend(_names(row["names"]))
    for unit in former_units():
        extra.setdefault(unit.code, []).extend(unit.names)
    agencies = []
    for row in _rows(AGENCIES_CSV):
        agency = AgencyRow(**row)
        agency = replace(agency, code=RENAMED_CODES.get(agency.code, agency.code))
        names = dict.fromkeys([*_names(agency.aliases), *extra.get(agency.code, ())])
        agencies.append(replace(agency, aliases=";".join(names)))
    return tuple(agencies)


async def sync_agencies(session: AsyncSession) -> int:
    """Insert missing agencies and refresh names/aliases; return how many rows changed."""
    existing = {a.code: a for a in (await session.scalars(select(Agency))).all()}
    changed = 0
    for old, new in RENAMED_CODES.items():
        if old in existing and new not in existing:
            # Same row, same id: the tasks of the old code stay with their agency.
            existing[new] = existing.pop(old)
            existing[new].code = new
            changed += 1
    for row in seed_agencies():
        agency = existing.get(row.code)
        if agency is None:
            session.add(Agency(**_fields(row)))
            changed += 1
        elif (agency.kind, agency.name_vi, agency.name_en, agency.aliases) != (
            row.kind,
            row.name_vi,
            row.name_en,
            row.aliases,
        ):
            agency.kind, agency.name_vi = row.kind, row.name_vi
            agency.name_en, agency.aliases = row.name_en, row.aliases
            changed += 1
    return changed


def _fields(row: AgencyRow) -> dict[str, str]:
    return {
        "code": row.code,
        "kind": row.kind,
        "name_vi": row.name_vi,
        "name_en": row.name_en,
        "aliases": row.aliases,
    }
