"""Who the person at `dondoc demo`'s prompt is: `/as admin`, `/as lead MOF`, `/as viewer`,
`/as stranger` (the demo only: its database is thrown away), and the files they pretend to
send (`/photo [caption]`, `/file name.pdf [caption]`)."""

from __future__ import annotations

from typing import Any

from bot.context import DondocApp
from fakeapi import updates
from fakeapi.inprocess import FakeBotAPI
from rendering.text import plain, render
from storage.models import Member, Role

CONSOLE_USER = 10_000_001  # the admin at the terminal (bot/console.py)
DEMO_LEAD, DEMO_VIEWER, DEMO_STRANGER = 10_000_002, 10_000_003, 10_000_004


async def switch_role(app: DondocApp, line: str, lang: str) -> tuple[int | None, str]:
    """`/as …`: the user id the demo now speaks as (None: unchanged) and what to print."""
    words = line.split(maxsplit=2)
    role = words[1].lower() if len(words) > 1 else ""
    if role == "admin":
        return CONSOLE_USER, plain(render(lang, "demo-as-admin"))
    if role == "viewer":
        await _be(app, DEMO_VIEWER, Role.VIEWER, None)
        return DEMO_VIEWER, plain(render(lang, "demo-as-viewer"))
    if role == "stranger":
        await _be(app, DEMO_STRANGER, None, None)
        return DEMO_STRANGER, plain(render(lang, "demo-as-stranger"))
    if role == "lead" and len(words) == 3:
        return await _lead(app, words[2], lang)
    return None, plain(render(lang, "demo-as-usage"))


async def _lead(app: DondocApp, query: str, lang: str) -> tuple[int | None, str]:
    deps = app.bot_data.deps
    async with deps.sessions.begin() as session:
        found = (await deps.lookup.get(session)).resolve(query).found
    if found is None or found.kind != "agency":
        return None, plain(render(lang, "not-found", query=query))
    await _be(app, DEMO_LEAD, Role.LEAD, found.id)
    name = found.name_en if lang == "en" else found.name_vi
    return DEMO_LEAD, plain(render(lang, "demo-as-lead", name=name, code=found.code))


async def _be(app: DondocApp, user_id: int, role: Role | None, agency_id: int | None) -> None:
    """Make the demo user a member with this role (None: no member at all)."""
    async with app.bot_data.deps.sessions.begin() as session:
        member = await session.get(Member, user_id)
        if role is None:
            if member is not None:
                await session.delete(member)
            return
        if member is None:
            member = Member(user_id=user_id, role=role.value, name="Demo")
            session.add(member)
        member.role, member.agency_id = role.value, agency_id


def attachment(fake: FakeBotAPI, line: str, user_id: int) -> dict[str, Any] | None:
    """`/photo [caption]` or `/file name [caption]` as the update Telegram would send (the
    file registered with the fake Bot API, so that the bot can send it back); None if the
    line is neither."""
    command, _, rest = line.partition(" ")
    if command == "/photo":
        file_id, unique = fake.add_file(b"demo photo", "photo.jpg")
        caption = rest.strip() or None
        return updates.photo(
            file_id, file_unique_id=unique, caption=caption, chat_id=user_id, user_id=user_id
        )
    if command == "/file" and rest.strip():
        name, _, caption_text = rest.strip().partition(" ")
        file_id, _unique = fake.add_file(b"demo file", name)
        caption = caption_text.strip() or None
        return updates.document(file_id, name, caption=caption, chat_id=user_id, user_id=user_id)
    return None
