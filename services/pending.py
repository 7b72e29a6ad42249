"""Imports waiting for an admin's Confirm button, kept in memory for a short while."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

TTL = timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class PendingImport:
    """A checked file waiting for confirmation; the file is downloaded again on confirm."""

    file_id: str
    file_name: str
    chat_id: int
    created_at: datetime
    version: int  # the register version the check saw: a confirm after a change is refused


@dataclass(slots=True)
class PendingImports:
    """Token -> pending import; tokens are short enough for callback data."""

    _items: dict[str, PendingImport] = field(default_factory=dict)

    def add(self, item: PendingImport) -> str:
        token = secrets.token_urlsafe(9)
        self._items[token] = item
        return token

    def take(self, token: str, *, now: datetime) -> PendingImport | None:
        """Remove and return the import, or None if unknown, used or expired."""
        self._expire(now)
        return self._items.pop(token, None)

    def _expire(self, now: datetime) -> None:
        for token in [t for t, i in self._items.items() if now - i.created_at > TTL]:
            del self._items[token]
