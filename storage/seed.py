"""Seed data: the 56 agencies shipped with dondoc (storage/agencies.csv)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Agency

AGENCIES_CSV = Path(__file__).parent / "agencies.csv"
# The ministries merged in March 2025 (Resolution 176/2025/QH15): registers and officials
# still use the old names and codes, which answer as the ministry that took them over.
# Kept apart from agencies.csv, which is the shared seed data as given.
FORMER_NAMES_CSV = Path(__file__).parent / "former_names.csv"


@dataclass(frozen=True, slots=True)
class AgencyRow:
    code: str
    kind: str
    name_vi: str
    name_en: str
    aliases: str


@cache
def seed_agencies() -> tuple[AgencyRow, ...]:
    """The agencies of storage/agencies.csv, in file order, former names among the aliases."""
    with FORMER_NAMES_CSV.open(encoding="utf-8", newline="") as fh:
        former = {row["code"]: row["former_names"] for row in csv.DictReader(fh)}
    with AGENCIES_CSV.open(encoding="utf-8", newline="") as fh:
        rows = [AgencyRow(**row) for row in csv.DictReader(fh)]
    return tuple(
        replace(row, aliases=f"{row.aliases};{former[row.code]}") if row.code in former else row
        for row in rows
    )


async def sync_agencies(session: AsyncSession) -> int:
    """Insert missing agencies and refresh names/aliases; return how many rows changed."""
    existing = {a.code: a for a in (await session.scalars(select(Agency))).all()}
    changed = 0
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
