"""/start, /help, /register, /language, and following a group that became a supergroup."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.context import Context
from handlers.callbacks import CallbackData
from handlers.commands import COMMAND_FILTER, ForThisBot, command
from handlers.common import Request, answer_silently, guarded
from handlers.invites import follow_link
from handlers.targets import REF, ask_target, asks_everyone, chat_target, ref_of, target_of
from rendering.reports import target_name
from rendering.text import LANGUAGES, join, normalize_lang, plain, render
from services import access
from services.access import Action
from services.figures import Scope
from services.lookup import Target


async def start(update: Update, context: Context) -> None:
    """Greet the user, or follow the deep link they opened (/start <payload>: an invite)."""
    if context.args:
        await follow_link(update, context)
    else:
        await greet(update, context)


@guarded(read_only=True)
async def greet(req: Request) -> None:
    """Greet the user and point to /status and /help."""
    user = req.update.effective_user
    req.say(req.t("start", name=user.first_name if user else ""))


@guarded(read_only=True)
async def help_(req: Request) -> None:
    """List the commands."""
    req.say(req.t("help"))


@dataclass(frozen=True, slots=True)
class RegisterAs(CallbackData, prefix="rg"):
    """A /register candidate button: the agency or programme the group is for."""

    ref: str

    def validate(self) -> None:
        if not REF.fullmatch(self.ref):
            raise ValueError(self.ref)


@guarded(Action.REGISTER_CHAT)
async def register(req: Request) -> None:
    """Register this group so its members can ask for reports: /register [agency|program]
    makes it that agency's or programme's group, /register all the whole committee's."""
    if not req.caller.in_group:
        req.say(req.t("register-group-only"))
        return
    query = req.args.strip()
    if asks_everyone(query):
        await _register(req, Scope(), None)
        return
    ok, target, _note = await ask_target(req, query, lambda c: RegisterAs(ref_of(c)).pack())
    if ok:
        await _register(req, Scope.of(target) if target else None, target)


@guarded(Action.REGISTER_CHAT)
async def register_button(req: Request) -> None:
    """Answer a /register candidate button."""
    target = await target_of(req, RegisterAs.of(req.update).ref)
    if target is None or not req.caller.in_group:
        req.say(req.t("expired-button"))
    else:
        await _register(req, Scope.of(target), target)


async def _register(req: Request, scope: Scope | None, target: Target | None) -> None:
    """Register the group (scope None: leave its scope as it is) and say what it is now."""
    chat = req.update.effective_chat
    title = (chat.title or "") if chat else ""
    created = await access.register_chat(
        req.session, caller=req.caller, title=title, now=req.context.deps.clock.now(), scope=scope
    )
    said = [req.t("registered", title=title) if created else req.t("already-registered")]
    if target is not None:
        said.append(req.t("group-scope", name=target_name(req.lang, target), code=target.code))
    elif scope is not None and not created:
        said.append(req.t("group-scope-cleared"))
    elif scope is None and (shown := await chat_target(req)) is not None:
        said.append(req.t("group-scope", name=target_name(req.lang, shown), code=shown.code))
    req.say(join(said))


@guarded()
async def language(req: Request) -> None:
    """Set this chat's language: /language vi|en."""
    choice = req.args.strip().lower()
    if choice not in LANGUAGES:
        req.say(req.t("language-usage"))
        return
    if not access.can_change_language(req.caller):
        req.say(req.t("admin-only"))
        return
    await access.set_language(req.session, caller=req.caller, language=choice)
    req.lang = choice
    req.say(req.t("language-set"))


async def migrated(update: Update, context: Context) -> None:
    """Keep a group's registration when Telegram upgrades it to a supergroup."""
    message = update.effective_message
    if message is None or message.migrate_to_chat_id is None:
        return
    async with context.deps.sessions.begin() as session:
        await access.migrate_chat(
            session, old_id=message.chat.id, new_id=message.migrate_to_chat_id
        )


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Basics: greeting, help, registration, language, chat migration."""
    return [
        command("start", start),
        command("help", help_),
        command("register", register),
        CallbackQueryHandler(register_button, pattern=RegisterAs.matches),
        command("language", language),
        MessageHandler(filters.StatusUpdate.MIGRATE, migrated),
    ]


async def stale_button(update: Update, context: Context) -> None:
    """A button no handler knows (an old release's, or forged): stop the phone's spinner."""
    query = update.callback_query
    assert query is not None
    lang = normalize_lang(query.from_user.language_code) or context.deps.settings.language
    await query.answer(plain(render(lang, "expired-button")), show_alert=True)


async def empty_button(update: Update, context: Context) -> None:
    """A button without data: nothing to act on, so answer silently."""
    await answer_silently(update)


def _never(_data: object) -> bool:
    return False


def first() -> list[BaseHandler[Any, Any, Any]]:
    """Registered before any other: buttons without data."""
    # PTB hands a query without data to every patterned CallbackQueryHandler without asking
    # the pattern; this pattern refuses all data, so this handler gets exactly those.
    return [CallbackQueryHandler(empty_button, pattern=_never)]


def fallback() -> list[BaseHandler[Any, Any, Any]]:
    """What nothing else matched (registered last): unknown private commands, stale buttons."""
    unknown = filters.COMMAND & filters.ChatType.PRIVATE & COMMAND_FILTER & ForThisBot()
    return [MessageHandler(unknown, help_), CallbackQueryHandler(stale_button)]
