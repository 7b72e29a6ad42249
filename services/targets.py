"""The agency/program index, cached and rebuilt only when programs change."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.agencies import Target, TargetIndex, build_index
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
    """Caches the index; a cheap count/max query tells when an import added programs."""

    _index: TargetIndex | None = None
    _stamp: tuple[int, int] = field(default=(-1, -1))

    async def get(self, session: AsyncSession) -> TargetIndex:
        row = (await session.execute(select(func.count(), func.max(Program.id)))).one()
        stamp = (int(row[0]), int(row[1] or 0))
        if self._index is None or stamp != self._stamp:
            self._index, self._stamp = await load_index(session), stamp
        return self._index
