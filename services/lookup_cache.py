"""The agency/program index, cached and rebuilt only when agencies or programs are added."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.freshness import read_freshness
from services.lookup import Target, TargetIndex, build_index
from storage.models import Agency, Program


def _aliases(raw: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in raw.split(";") if a.strip())


async def load_index(session: AsyncSession) -> TargetIndex:
    """Build the index from the agency and program tables."""
    agencies = (await session.scalars(select(Agency).order_by(Agency.id))).all()
    programs = (await session.scalars(select(Program).order_by(Program.id))).all()
    return build_index(
        (
            Target("agency", a.code, a.name_vi, a.name_en, _aliases(a.aliases), a.kind, a.id)
            for a in agencies
        ),
        (Target("program", p.code, p.name, p.name, (), "", p.id) for p in programs),
    )


@dataclass(slots=True)
class LookupCache:
    """Caches the index; rebuilt when an agency or a program has been added.

    Agencies and programs are only ever added while the bot runs (imports add programs;
    agencies change at start-up, which builds a new cache), so the highest ids of both,
    read in the shared freshness check (services/freshness.py), tell when to rebuild.
    """

    _index: TargetIndex | None = None
    _catalog: tuple[int, int] = (-1, -1)

    async def get(self, session: AsyncSession) -> TargetIndex:
        fresh = await read_freshness(session)
        if self._index is None or fresh.catalog != self._catalog:
            self._index, self._catalog = await load_index(session), fresh.catalog
        return self._index
