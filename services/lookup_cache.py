"""The agency/program index, cached and rebuilt only when agencies or programs change."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.freshness import read_freshness
from services.lookup import Former, Target, TargetIndex, build_index
from storage.models import Agency, Program
from storage.seed import former_units


def _aliases(raw: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in raw.split(";") if a.strip())


@cache
def formers_by_code() -> dict[str, tuple[Former, ...]]:
    """The seed's former bodies of each agency code."""
    found: dict[str, list[Former]] = {}
    for row in former_units():
        former = Former(row.former_vi, row.former_en, row.since, row.how, row.names)
        found.setdefault(row.code, []).append(former)
    return {code: tuple(formers) for code, formers in found.items()}


def agency_targets(agencies: Sequence[Agency]) -> list[Target]:
    """Agencies as lookup targets, with the bodies that became part of them."""
    formers = formers_by_code()
    return [
        Target(
            "agency",
            a.code,
            a.name_vi,
            a.name_en,
            _aliases(a.aliases),
            a.kind,
            a.id,
            formers.get(a.code, ()),
        )
        for a in agencies
    ]


async def load_index(session: AsyncSession) -> TargetIndex:
    """Build the index from the agency and program tables."""
    agencies = (await session.scalars(select(Agency).order_by(Agency.id))).all()
    programs = (await session.scalars(select(Program).order_by(Program.id))).all()
    return build_index(
        agency_targets(agencies),
        (Target("program", p.code, p.name, p.name, (), "", p.id) for p in programs),
    )


async def _catalog(session: AsyncSession) -> tuple[object, ...]:
    """What the index is built from, cheaply: programs as they are, agencies by count."""
    programs = (await session.execute(select(Program.id, Program.code, Program.name))).all()
    agencies = (await session.execute(select(func.count(Agency.id), func.max(Agency.id)))).one()
    return (tuple(map(tuple, programs)), tuple(agencies))


@dataclass(slots=True)
class LookupCache:
    """Caches the index; rebuilt when an import, /program or /agency changed the catalog.

    The shared freshness check (services/freshness.py) says whether anything changed: the
    highest agency and program ids (something added) and the register version, which the
    catalog's writers bump (a renamed program). Only then is the catalog itself compared.
    """

    _index: TargetIndex | None = None
    _seen: tuple[int, tuple[int, int]] = (-1, (-1, -1))
    _catalog: tuple[object, ...] = ()

    async def get(self, session: AsyncSession) -> TargetIndex:
        fresh = await read_freshness(session)
        seen = (fresh.version, fresh.catalog)
        if self._index is not None and seen == self._seen:
            return self._index
        catalog = await _catalog(session)
        if self._index is None or catalog != self._catalog:
            self._index, self._catalog = await load_index(session), catalog
        self._seen = seen
        return self._index
