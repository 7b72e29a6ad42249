"""The in-process report cache: figures and reports per (scope, today), with their stamps."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date
from typing import Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from rendering.text import Html
from services.buckets import Summary
from services.figures import (
    AgencyFacts,
    CommitteeReport,
    Scope,
    aggregate_by_agency,
    load_agencies,
    split_by_kind,
)
from services.freshness import Freshness
from services.task_lists import AgencyReport, agency_report

V = TypeVar("V")


@dataclass(slots=True)
class _Entries(Generic[V]):
    """Values per key (scope, today, …), each valid while its stamp holds; least recent
    dropped."""

    size: int
    _data: OrderedDict[Hashable, tuple[Hashable, V]] = field(default_factory=OrderedDict)

    def get(self, key: Hashable, stamp: Hashable) -> V | None:
        hit = self._data.get(key)
        if hit is None or hit[0] != stamp:
            return None
        self._data.move_to_end(key)
        return hit[1]

    def put(self, key: Hashable, stamp: Hashable, value: V) -> V:
        self._data[key] = (stamp, value)
        self._data.move_to_end(key)
        if len(self._data) > self.size:
            self._data.popitem(last=False)
        return value


@dataclass(slots=True)
class SummaryCache:
    """Report figures and agency reports per (scope, today), and the agencies' codes and kinds.

    Every request pays one freshness check (services/freshness.py), shared with the lookup
    cache. Figures hold while the register version does. An agency's report also lists tasks
    by title, so it holds only while no task has been edited at all. Agency codes and kinds
    hold until an agency is added (they change only with the seed data, at start-up); the
    committee's split by kind holds while both hold. A whole answer, as sent (`answer`),
    holds while all of the check does: figures, titles and names alike.
    """

    size: int = 256
    _figures: _Entries[dict[int, Summary]] = field(init=False)
    _reports: _Entries[AgencyReport] = field(init=False)
    _committees: _Entries[CommitteeReport] = field(init=False)
    _answers: _Entries[Html] = field(init=False)
    _agencies: tuple[Hashable, AgencyFacts] | None = None

    def __post_init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        """Forget everything (benchmarks measure cold answers this way)."""
        self._figures, self._reports = _Entries(self.size), _Entries(self.size)
        self._committees, self._agencies = _Entries(self.size), None
        self._answers = _Entries(self.size)

    def answer(self, key: Hashable, fresh: Freshness) -> Html | None:
        """A text made for `key` (command, scope, today, language) while `fresh` held."""
        return self._answers.get(key, fresh)

    def keep_answer(self, key: Hashable, fresh: Freshness, text: Html) -> Html:
        """Remember the text made for `key` under `fresh`; return it."""
        self._answers.put(key, fresh, text)
        return text

    async def figures(
        self, session: AsyncSession, fresh: Freshness, *, today: date, scope: Scope
    ) -> dict[int, Summary]:
        hit = self._figures.get((scope, today), fresh.version)
        if hit is not None:
            return hit
        found = await aggregate_by_agency(session, today=today, scope=scope)
        return self._figures.put((scope, today), fresh.version, found)

    async def agency_report(
        self, session: AsyncSession, fresh: Freshness, *, today: date, scope: Scope
    ) -> AgencyReport:
        stamp = (fresh.version, fresh.last_change)
        hit = self._reports.get((scope, today), stamp)
        if hit is not None:
            return hit
        per_agency = await self.figures(session, fresh, today=today, scope=scope)
        report = await agency_report(session, today, scope, sum(per_agency.values(), Summary()))
        return self._reports.put((scope, today), stamp, report)

    async def committee(
        self, session: AsyncSession, fresh: Freshness, *, today: date, scope: Scope
    ) -> CommitteeReport:
        stamp = (fresh.version, fresh.catalog)
        hit = self._committees.get((scope, today), stamp)
        if hit is not None:
            return hit
        per_agency = await self.figures(session, fresh, today=today, scope=scope)
        report = split_by_kind(per_agency, await self.agencies(session, fresh))
        return self._committees.put((scope, today), stamp, report)

    async def agencies(self, session: AsyncSession, fresh: Freshness) -> AgencyFacts:
        # Tasks do not change agencies: only an agency added (its id) reloads them.
        if self._agencies is None or self._agencies[0] != fresh.catalog:
            self._agencies = (fresh.catalog, await load_agencies(session))
        return self._agencies[1]
