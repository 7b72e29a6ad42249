"""/settings and /holiday (admins), and the snooze and mute buttons of a morning nudge."""

from __future__ import annotations

import dataclasses
from datetime import time, timedelta
from typing import Any

from telegram.ext import BaseHandler, CallbackQueryHandler

from handlers.commands import command
from handlers.common import MAX_ARG, Keyboard, Request, Turn, guarded, guarded_flow, markup
from handlers.nudge_buttons import MuteFor, MuteSpan, SettingsPress, SnoozeAsk, SnoozeFor
from jobs import nudges as morning
from rendering import nudges as views
from rendering.text import Html, render
from services import ladder, nudge_settings, nudges
from services.access import Action, NotAllowed
from services.ladder import DEFAULT, Ladder
from services.nudges import SnoozeRefusal, Span

TIMES = (time(7, 30), time(8, 0), time(8, 30), time(9, 0))  # /settings' send-time buttons
HOLIDAY_DAYS = 365  # /holiday lists the days off this far ahead


def _settings_view(lang: str, current: Ladder) -> tuple[Html, Keyboard]:
    keyboard: Keyboard = [
        [
            (
                render(
                    lang, "settings-button-resume" if current.paused else "settings-button-pause"
                ),
                SettingsPress("resume" if current.paused else "pause").pack(),
            )
        ],
        [
            (
                render(lang, "settings-button-time", time=f"{at:%H:%M}"),
                SettingsPress(f"t{at:%H%M}").pack(),
            )
            for at in TIMES
            if at != current.send_at and not ladder.is_quiet(current, at)
        ],
    ]
    if current != DEFAULT:
        keyboard.append([(render(lang, "settings-button-reset"), SettingsPress("reset").pack())])
    return views.settings_text(lang, current), [row for row in keyboard if row]


@guarded_flow(Action.MANAGE_SCHEDULE)
async def settings(turn: Turn) -> None:
    """Show or change the nudge schedule: /settings [remind 7,3,1,0] [overdue 3] [escalate 2]
    [time 08:30] [quiet 20:00-07:00] [pause|resume|reset]."""
    if len(turn.args) > MAX_ARG:
        turn.say(turn.t("query-too-long", limit=MAX_ARG))
        return
    async with turn.deps.sessions.begin() as session:
        current = await nudge_settings.load_ladder(session)
        changed = nudge_settings.parse_changes(current, turn.args) if turn.args else current
        if isinstance(changed, str):
            turn.say(turn.t(changed))
            return
        if changed != current:
            await nudge_settings.save_ladder(
                session, caller=turn.caller, ladder=changed, now=turn.deps.clock.now()
            )
    if changed != current:
        await morning.start(turn.context.application)  # type: ignore[arg-type]
    text, keyboard = _settings_view(turn.lang, changed)
    turn.say(Html(f"{turn.t('settings-saved')}\n{text}") if changed != current else text, keyboard)


@guarded_flow(Action.MANAGE_SCHEDULE)
async def settings_button(turn: Turn) -> None:
    """Answer a /settings button: pause, resume, reset or a send time."""
    choice = SettingsPress.of(turn.update).choice
    async with turn.deps.sessions.begin() as session:
        current = await nudge_settings.load_ladder(session)
        if choice in ("pause", "resume"):
            changed = dataclasses.replace(current, paused=choice == "pause")
        elif choice == "reset":
            changed = DEFAULT
        else:
            changed = dataclasses.replace(current, send_at=time(int(choice[1:3]), int(choice[3:])))
        if changed.problem() is None and changed != current:
            await nudge_settings.save_ladder(
                session, caller=turn.caller, ladder=changed, now=turn.deps.clock.now()
            )
        else:
            changed = current
    if changed != current:
        await morning.start(turn.context.application)  # type: ignore[arg-type]
    text, keyboard = _settings_view(turn.lang, changed)
    turn.say(text, keyboard)


@guarded(Action.MANAGE_SCHEDULE)
async def holiday(req: Request) -> None:
    """List the days off, or change one: /holiday [add|remove DATE]."""
    verb, _, rest = req.args.strip().partition(" ")
    if not verb:
        overrides = await nudge_settings.load_overrides(req.session)
        req.say(
            views.holidays(
                req.lang, req.today, req.today + timedelta(days=HOLIDAY_DAYS), overrides
            )
        )
        return
    day = nudge_settings.parse_day(rest)
    if verb.lower() not in ("add", "remove") or not rest.strip():
        req.say(req.t("holiday-usage"))
        return
    if day is None:
        req.say(req.t("holiday-bad-day", text=rest[:MAX_ARG]))
        return
    done = await nudge_settings.set_day(
        req.session,
        caller=req.caller,
        day=day,
        working=verb.lower() == "remove",
        now=req.deps.clock.now(),
    )
    req.say(req.t(f"holiday-{done.value}", day=day, weekday=req.t(f"weekday-{day.weekday()}")))


@guarded_flow(Action.CHANGE_TASK)
async def snooze_ask(turn: Turn) -> None:
    """Ask how long to snooze a task's nudges (a new message: the nudge stays as it was)."""
    task_id = SnoozeAsk.of(turn.update).task_id
    async with turn.deps.sessions.begin() as session:
        found = await nudges.snooze_target(session, task_id=task_id)
        overrides = await nudge_settings.load_overrides(session)
    if found is None:
        await turn.alert(turn.t("snooze-gone"))
        return
    code, deadline = found
    spans = [Span.ONE, Span.THREE]
    if deadline >= turn.today and ladder.snooze_to_deadline(turn.today, deadline, overrides):
        spans.append(Span.DEADLINE)
    buttons: list[tuple[str, str]] = [
        (turn.t(f"snooze-button-{s.value}"), SnoozeFor(task_id, s).pack()) for s in spans
    ]
    await _new_message(turn, turn.t("snooze-ask", code=code), [buttons])


@guarded(Action.CHANGE_TASK)
async def snooze_for(req: Request) -> None:
    """Snooze a task's nudges for the span pressed."""
    pressed = SnoozeFor.of(req.update)
    try:
        done = await nudges.snooze(
            req.session,
            caller=req.caller,
            task_id=pressed.task_id,
            span=pressed.span,
            today=req.today,
            now=req.deps.clock.now(),
        )
    except NotAllowed:
        req.say(req.t("snooze-not-yours"))
        return
    if isinstance(done, SnoozeRefusal):
        req.say(req.t(done.value))
        return
    req.say(req.t("snooze-done", code=done.code, day=done.until))


@guarded_flow(Action.VIEW_REPORTS)
async def mute_ask(turn: Turn) -> None:
    """Ask for how long to pause all of the caller's nudges (a new message)."""
    async with turn.deps.sessions.begin() as session:
        until = await nudges.muted_until(session, user_id=turn.caller.user_id, today=turn.today)
    spans = [MuteSpan.WEEK, MuteSpan.TWO_WEEKS, MuteSpan.MONTH]
    rows: Keyboard = [[(turn.t(f"mute-button-{s.value}"), MuteFor(s).pack()) for s in spans]]
    if until is not None:
        rows.append([(turn.t("mute-button-0"), MuteFor(MuteSpan.OFF).pack())])
        await _new_message(turn, turn.t("mute-ask-muted", day=until), rows)
    else:
        await _new_message(turn, turn.t("mute-ask"), rows)


@guarded(Action.VIEW_REPORTS)
async def mute_for(req: Request) -> None:
    """Pause the caller's nudges for the span pressed, or end the pause."""
    span = MuteFor.of(req.update).span
    until = await nudges.mute(
        req.session,
        caller=req.caller,
        days=int(span.value),
        today=req.today,
        now=req.deps.clock.now(),
    )
    req.say(req.t("mute-off") if until is None else req.t("mute-done", day=until))


def _mute_choice(data: object) -> bool:
    pressed = MuteFor.unpack(data)
    return pressed is not None and pressed.span is not MuteSpan.ASK


def _mute_question(data: object) -> bool:
    pressed = MuteFor.unpack(data)
    return pressed is not None and pressed.span is MuteSpan.ASK


async def _new_message(turn: Turn, text: Html, keyboard: Keyboard) -> None:
    """Send a question in a message of its own, leaving the pressed one as it was."""
    await turn.acknowledge()
    await turn.context.bot.send_message(turn.caller.chat_id, text, reply_markup=markup(keyboard))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """The schedule's commands and the nudge buttons."""
    return [
        command("settings", settings),
        command("holiday", holiday),
        CallbackQueryHandler(settings_button, pattern=SettingsPress.matches),
        CallbackQueryHandler(snooze_ask, pattern=SnoozeAsk.matches),
        CallbackQueryHandler(snooze_for, pattern=SnoozeFor.matches),
        CallbackQueryHandler(mute_ask, pattern=_mute_question),
        CallbackQueryHandler(mute_for, pattern=_mute_choice),
    ]
