"""Agencies and programs the secretariat adds: short codes, and the checks before a write."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.access import Action, Caller, require
from services.lookup import TargetIndex, fold
from services.reports import expire_reports
from storage.models import Agency, AgencyKind, Program

CODE_MAX = 16  # Agency.code is String(16); a program code longer than that is a name
AUTO_MAX = 10  # letters of a code made from a name
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")


def is_code(text: str) -> bool:
    """A short code as committees write them (NQ57, DA06, CCHC, KTNN), not a name."""
    return (
        len(text) <= CODE_MAX
        and _CODE.fullmatch(text) is not None
        and any(c.isalpha() for c in text)
        and (text.upper() == text or any(c.isdigit() for c in text))
    )


def abbreviate(name: str) -> str:
    """Initials up to the first number, as committees shorten names.

    "Nghị quyết 57-NQ/TW" → NQ57, "Đề án 06" → DA06, "Cải cách hành chính" → CCHC,
    "Kiểm toán nhà nước" → KTNN, "Bộ Khoa học và Công nghệ" → BKHCN.
    """
    words = fold(name).split()
    letters = ""
    for n, word in enumerate(words):
        if word.isdigit():
            return (letters[:AUTO_MAX] + word)[:CODE_MAX].upper()
        # "và" is never part of an abbreviation; "số" before a number ("Nghị quyết số 57")
        # neither.
        if word == "va" or (word == "so" and n + 1 < len(words) and words[n + 1].isdigit()):
            continue
        letters += word[0]
    return letters[:AUTO_MAX].upper()


def unique_code(
    base: str, taken: Collection[str], fallback: str, index: TargetIndex | None = None
) -> str:
    """`base` (or `fallback` when empty), with -2, -3 … until no code (and, given an index,
    no name or alias) is spelt so: "BTC" is the Ministry of Finance's short name already."""
    seen = {code.casefold() for code in taken}
    base = base or fallback
    code, n = base, 1
    while code.casefold() in seen or (index is not None and _named(index, code)):
        n += 1
        code = f"{base[: CODE_MAX - len(str(n)) - 1]}-{n}"
    return code


def _named(index: TargetIndex, code: str) -> bool:
    found = index.exact(code)
    return found.found is not None or bool(found.candidates)


class CatalogError(Exception):
    """An agency or program cannot be added as asked; msg_id and params for the catalog."""

    def __init__(self, msg_id: str, **params: str) -> None:
        super().__init__(msg_id)
        self.msg_id, self.params = msg_id, params


async def taken_codes(session: AsyncSession) -> set[str]:
    """Every agency and program code: a new one must differ from all of them."""
    agencies = (await session.scalars(select(Agency.code))).all()
    programs = (await session.scalars(select(Program.code))).all()
    return {*agencies, *programs}


async def add_agency(
    session: AsyncSession, *, caller: Caller, index: TargetIndex, name: str, code: str = ""
) -> Agency:
    """Add a unit of kind "other" (a state audit office, a university, a state group)."""
    require(caller, Action.MANAGE_CATALOG)
    name = " ".join(name.split())
    if not fold(name):
        raise CatalogError("agency-add-usage")
    known = index.exact(name)
    if known.found is not None:  # the name is an agency's already: no second one
        raise CatalogError("agency-exists", name=name, agency=known.found.label())
    taken = await taken_codes(session)
    if code:
        if not is_code(code) or len(code) > CODE_MAX:
            raise CatalogError("agency-bad-code", code=code)
        if code.casefold() in {c.casefold() for c in taken} or _named(index, code):
            raise CatalogError("code-taken", code=code)
    code = code.upper() if code else unique_code(abbreviate(name), taken, "DV", index)
    agency = Agency(code=code, kind=AgencyKind.OTHER.value, name_vi=name, name_en=name)
    session.add(agency)
    await session.flush()
    await expire_reports(session)  # lookup caches rebuild on the next request
    return agency


@dataclass(frozen=True, slots=True)
class ProgramChange:
    """What /program did: created a program, named one, or gave one its code."""

    program: Program
    action: str  # "created", "renamed" or "coded"


async def set_program(
    session: AsyncSession, *, caller: Caller, code: str, name: str
) -> ProgramChange:
    """Create program CODE, rename it, or give the program called `name` this code."""
    require(caller, Action.MANAGE_CATALOG)
    name = " ".join(name.split())
    if not is_code(code):
        raise CatalogError("program-bad-code", code=code)
    same_code = await session.scalar(
        select(Program).where(func.lower(Program.code) == code.casefold())
    )
    agencies = (await session.scalars(select(Agency.code))).all()
    if code.casefold() in {a.casefold() for a in agencies}:
        raise CatalogError("code-taken", code=code)
    if same_code is not None:
        if not name or name == same_code.name:
            return ProgramChange(same_code, "unchanged")
        same_code.name = name
        change = ProgramChange(same_code, "renamed")
    else:
        if not name:
            raise CatalogError("program-usage")
        programs = (await session.scalars(select(Program))).all()
        named = next((p for p in programs if fold(p.name) == fold(name)), None)
        if named is not None:
            named.code = code
            change = ProgramChange(named, "coded")
        else:
            program = Program(code=code, name=name)
            session.add(program)
            change = ProgramChange(program, "created")
    await session.flush()
    await expire_reports(session)
    return change
