"""The agency/program index, cached and rebuilt only when programs change."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.agencies import Target, TargetIndex, build_index
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
class TargetCache:
    """Caches the index until the register changes (imports are what add programs)."""

    _index: TargetIndex | None = None
    _version: int = -1

    async def get(self, session: AsyncSession) -> TargetIndex:
        version = await register_version(session)
        if self._index is None or version != self._version:
            self._index, self._version = await load_index(session), version
        return self._index
