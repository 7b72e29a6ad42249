"""Invites, the member list and the words for a member (who they are, what they lead)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo
from typing import Any

from rendering.reports import target_name
from rendering.text import Html, cut, join, max_text, render, utf16_len
from services.lookup import Target
from services.members import MemberInfo
from storage.models import Role

NAME_CUT = 60  # characters of a member's name in a line
MORE_ROOM = 200  # characters kept free for the "… and N more" line


def moment(when: datetime, tz: tzinfo) -> dict[str, Any]:
    """{time} and {day} of an instant in the committee's time zone ("17:00", 09/12/2026)."""
    local = when.astimezone(tz)
    return {"time": local.strftime("%H:%M"), "day": local.date()}


def invite_messages(
    lang: str, agency: Target, link: str, expires_at: datetime, tz: tzinfo
) -> list[Html]:
    """For the admin, then the message to forward to the agency's focal point."""
    named = {"name": target_name(lang, agency), "code": agency.code, **moment(expires_at, tz)}
    return [render(lang, "invite-made", **named), render(lang, "invite-card", link=link, **named)]


def welcome(lang: str, name: str, agency: Target, previous: Target | None) -> Html:
    """The new lead's greeting: the agency they lead (and the one they left), what to type."""
    moved = Html("")
    if previous is not None:
        left = target_name(lang, previous)
        moved = render(lang, "invite-moved", previous=left, previous_code=previous.code)
    named = {"agency": target_name(lang, agency), "code": agency.code}
    return render(lang, "invite-welcome", name=cut(name, NAME_CUT), moved=moved, **named)


def accepted(lang: str, name: str, user_id: int, agency: Target) -> Html:
    """For the admin who made the invite: who accepted it."""
    return render(
        lang,
        "invite-accepted",
        name=cut(name, NAME_CUT),
        user_id=str(user_id),
        agency=target_name(lang, agency),
        code=agency.code,
    )


def person(lang: str, member: MemberInfo) -> str:
    """A member's name as shown (cut), or a placeholder for a row without one."""
    return cut(member.name, NAME_CUT) if member.name else render(lang, "member-no-name")


def who(lang: str, member: MemberInfo, agency: Target | None) -> Html:
    """'Nguyễn Văn A (ID 123, đầu mối của Bộ Tài chính)'."""
    data = {"name": person(lang, member), "user_id": str(member.user_id)}
    if member.role is Role.LEAD and agency is not None:
        return render(lang, "member-who-lead", agency=target_name(lang, agency), **data)
    if member.role is Role.ADMIN:
        return render(lang, "member-who-admin", **data)
    return render(lang, "member-who-viewer", **data)


def members_list(
    lang: str,
    members: Sequence[MemberInfo],
    agency_of: Callable[[int], Target | None],
    *,
    agencies: int,
    settings_admins: frozenset[int],
    tz: tzinfo,
) -> Html:
    """Every agency's leads, then the admins, in one message (cut with a count if long)."""
    leads = [m for m in members if m.role is Role.LEAD and m.agency_id is not None]
    led = sorted({m.agency_id for m in leads if m.agency_id is not None})
    head = render(lang, "members-title", leads=len(leads), agencies=len(led), total=agencies)
    lines: list[tuple[Html, int]] = []  # (line, people it names)
    if not leads:
        lines.append((render(lang, "members-none"), 0))
    for agency_id in led:
        target = agency_of(agency_id)
        if target is None:
            continue
        own = [m for m in leads if m.agency_id == agency_id]
        lines.append((_agency_head(lang, target, len(own)), 0))
        lines += [(_lead_line(lang, m, tz), 1) for m in own]
    admins = [m for m in members if m.role is Role.ADMIN]
    unlisted = sorted(settings_admins - {m.user_id for m in admins})
    lines.append((render(lang, "members-admins", count=len(admins) + len(unlisted)), 0))
    for admin in admins:
        line = render(
            lang, "members-admin-line", name=person(lang, admin), user_id=str(admin.user_id)
        )
        lines.append((line, 1))
    lines += [(render(lang, "members-settings-admin", user_id=str(u)), 1) for u in unlisted]
    return fit(lang, head, lines, render(lang, "members-hint"))


def agency_members(lang: str, target: Target, members: Sequence[MemberInfo], tz: tzinfo) -> Html:
    """One agency's leads."""
    if not members:
        return render(
            lang, "members-none-agency", name=target_name(lang, target), code=target.code
        )
    lines = [(_lead_line(lang, m, tz), 1) for m in members]
    head = _agency_head(lang, target, len(members))
    return fit(lang, head, lines, render(lang, "members-hint"))


def _agency_head(lang: str, target: Target, count: int) -> Html:
    return render(
        lang, "members-agency", name=target_name(lang, target), code=target.code, count=count
    )


def _lead_line(lang: str, member: MemberInfo, tz: tzinfo) -> Html:
    day = moment(member.since, tz)["day"] if member.since else render(lang, "none")
    return render(
        lang, "members-line", name=person(lang, member), user_id=str(member.user_id), day=day
    )


def fit(lang: str, head: Html, lines: Sequence[tuple[Html, int]], tail: Html) -> Html:
    """Head, lines and tail in one message; lines past Telegram's limit are counted instead."""
    room = max_text() - utf16_len(head) - utf16_len(tail) - MORE_ROOM
    kept: list[str] = []
    for n, (line, _people) in enumerate(lines):
        room -= utf16_len(line) + 1
        if room < 0:
            left = sum(people for _line, people in lines[n:])
            kept.append(render(lang, "members-more", count=left))
            break
        kept.append(line)
    return join([head, *kept, tail])
