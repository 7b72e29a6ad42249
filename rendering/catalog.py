"""/agencies and /programs: the agencies by bloc and the programmes with their codes."""

from __future__ import annotations

from rendering.reports import target_name
from rendering.text import Html, cut, render
from services.catalog import is_code
from services.coverage import bloc_of
from storage.models import Agency, Program


def agency_lines(lang: str, agencies: list[Agency], programs: list[Program]) -> list[Html]:
    """Lines of /agencies: central agencies, localities, other units, then programs."""
    lines: list[Html] = []
    for bloc in ("central", "local", "other"):
        members = [a for a in agencies if bloc_of(a.kind) == bloc]
        if not members:
            continue
        if lines:
            lines.append(Html(""))
        lines.append(render(lang, f"agencies-{bloc}"))
        lines += [
            render(lang, "agencies-line", code=a.code, name=target_name(lang, a)) for a in members
        ]
    if programs:
        lines += [Html(""), render(lang, "agencies-programs"), *program_lines(lang, programs)]
    return lines


def program_lines(lang: str, programs: list[Program]) -> list[Html]:
    """One line per program: its code and name."""
    lines = []
    for program in sorted(programs, key=lambda p: p.code):
        name = cut(program.name, 100)
        if program.code == program.name or not is_code(program.code):
            lines.append(render(lang, "agencies-program-name", name=name))  # no code to show
        else:
            lines.append(render(lang, "agencies-program", code=program.code, name=name))
    return lines


def programs_list(lang: str, programs: list[Program]) -> list[Html]:
    """Lines of /programs."""
    if not programs:
        return [render(lang, "programs-none")]
    return [render(lang, "programs-title"), *program_lines(lang, programs)]
