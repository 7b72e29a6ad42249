"""short codes for programs named in full

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

Programs created by earlier imports carry their full name as their code; they get the short
code committees use (NQ57, DA06, CCHC) when one can be made from the name and no other
program or agency has it. The full name still finds them. (The data's date in reports,
max(task.updated_at), reads the index migration 0005 made for the caches' freshness check.)
"""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


# Frozen copies of services/catalog.py as of this revision: a migration must not change
# meaning when the application's rules do.
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,15}")


def _is_code(text: str) -> bool:
    return (
        _CODE.fullmatch(text) is not None
        and any(c.isalpha() for c in text)
        and (text.upper() == text or any(c.isdigit() for c in text))
    )


def _abbreviate(name: str) -> str:
    text = name.replace("đ", "d").replace("Đ", "D")
    text = "".join(
        c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn"
    )
    words = re.sub(r"[^a-z0-9]+", " ", text.lower()).split()
    letters = ""
    for n, word in enumerate(words):
        if word.isdigit():
            return (letters[:10] + word)[:16].upper()
        if word == "va" or (word == "so" and n + 1 < len(words) and words[n + 1].isdigit()):
            continue
        letters += word[0]
    return letters[:10].upper()


def upgrade() -> None:
    bind = op.get_bind()
    programs = bind.execute(sa.text("SELECT id, code, name FROM program ORDER BY id")).all()
    agencies = bind.execute(sa.text("SELECT code FROM agency")).scalars().all()
    taken = {*agencies, *(code for _id, code, _name in programs)}
    for ident, code, name in programs:
        short = _abbreviate(name)
        if _is_code(code) or not short:
            continue
        seen = {t.casefold() for t in taken}
        new, n = short, 1
        while new.casefold() in seen:
            n += 1
            new = f"{short[:13]}-{n}"
        taken.add(new)
        bind.execute(
            sa.text("UPDATE program SET code = :code WHERE id = :id"), {"code": new, "id": ident}
        )


def downgrade() -> None:
    """Codes stay short: the full name still finds each program."""
