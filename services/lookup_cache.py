"""The agency/program index, cached and rebuilt only when programs change."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.lookup import Target, TargetIndex, build_index
from services.reports import register_version
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
    """Caches the index; rebuilt only when an import has really added programs."""

    _index: TargetIndex | None = None
    _version: int = -1
    _programs: tuple[int, ...] = ()

    async def get(self, session: AsyncSession) -> TargetIndex:
        version = await register_version(session)
        if self._index is not None and version == self._version:
            return self._index
        programs = tuple((await session.scalars(select(Program.id).order_by(Program.id))).all())
        if self._index is None or programs != self._programs:
            self._index, self._programs = await load_index(session), programs
        self._version = version
        return self._index
