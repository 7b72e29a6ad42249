"""The /assign flow's questions: their text, buttons and ForceReply; and the author every
secretariat handler records."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import ForceReply

from handlers.callbacks import CallbackData
from handlers.common import Keyboard, Turn, send_replies
from rendering import secretariat as views
from rendering.figures import program_label
from rendering.text import Html, cut, plain
from services import assign, assign_flow, pending
from services.assign import Draft, next_step
from services.lookup import Target, TargetIndex
from services.pending import Pending, Refusal
from services.task_writes import Editor

AGENCY_BUTTONS = 8  # the agencies leading the most tasks, offered at the first step
PROGRAM_BUTTONS = 8


class Choice(enum.StrEnum):
    AGENCY = "a"
    PROGRAM = "p"
    NO_DEADLINE = "d"
    NO_PROGRAM = "x"
    CONFIRM = "ok"
    CANCEL = "no"


@dataclass(frozen=True, slots=True)
class Pick(CallbackData, prefix="asg"):
    """A button of the /assign flow: the step's token, what was chosen, an agency's or
    programme's id (0 when none)."""

    token: str
    choice: Choice
    ident: int

    def validate(self) -> None:
        if not pending.is_token(self.token):
            raise ValueError(self.token)


@dataclass(frozen=True, slots=True)
class Prompt:
    """What the flow says next; the title's question is a ForceReply (no buttons)."""

    text: Html
    keyboard: Keyboard | None = None
    force_reply: bool = False


def editor_of(turn: Turn) -> Editor:
    """The caller as the task's history names them."""
    user = turn.update.effective_user
    return Editor(turn.caller, user.full_name if user else "")


def who(turn: Turn) -> Html:
    """In a group, the admin the question is for (a selective ForceReply needs the mention)."""
    user = turn.update.effective_user
    if not turn.caller.in_group or user is None:
        return Html("")
    return views.mention(turn.lang, user.id, user.full_name)


# --- the questions -------------------------------------------------------------------------


async def settle(session: AsyncSession, turn: Turn, flow: Pending, index: TargetIndex) -> Pending:
    """Skip the programme's question when there is no programme to choose."""
    if next_step(flow.payload) != "program" or any(t.kind == "program" for t in index.targets):
        return flow
    moved = await assign_flow.advance(
        session, caller=turn.caller, token=flow.token, step="program", value=None,
        now=turn.deps.clock.now(),
    )  # fmt: skip
    assert not isinstance(moved, Refusal), "a step made in this transaction"
    return moved


async def prompt_for(
    session: AsyncSession, turn: Turn, flow: Pending, index: TargetIndex
) -> Prompt:
    """The question for the flow's next step, or the summary to confirm."""
    step, token, lang = next_step(flow.payload), flow.token, turn.lang
    cancel: list[tuple[str, str]] = [
        (turn.t("button-cancel"), Pick(token, Choice.CANCEL, 0).pack())
    ]
    if step is None:
        draft = Draft.of(flow.payload)
        code = await assign.preview_code(session, draft)
        prefix = None if draft.code else code.rpartition("-")[0]
        text = views.question(
            lang, None, flow.payload, index, who=who(turn), code=code, prefix=prefix
        )
        confirm: tuple[str, str] = (
            turn.t("button-confirm"),
            Pick(token, Choice.CONFIRM, 0).pack(),
        )
        return Prompt(text, [[confirm, *cancel]])
    text = views.question(lang, step, flow.payload, index, who=who(turn))
    if step == "title":
        return Prompt(text, force_reply=True)
    if step == "deadline":
        none: tuple[str, str] = (
            turn.t("button-no-deadline"),
            Pick(token, Choice.NO_DEADLINE, 0).pack(),
        )
        return Prompt(text, [[none], cancel])
    if step == "agency":
        ids = await assign.most_used_agencies(session, limit=AGENCY_BUTTONS)
        agencies = [t for t in (index.by_id("agency", i) for i in ids) if t is not None]
        agencies += [t for t in index.targets if t.kind == "agency" and t not in agencies]
        row = target_buttons(lang, token, Choice.AGENCY, agencies[:AGENCY_BUTTONS])
        return Prompt(text, [*(row[n : n + 2] for n in range(0, len(row), 2)), cancel])
    ids = await assign.most_used_programs(session, limit=PROGRAM_BUTTONS)
    programs = [t for t in (index.by_id("program", i) for i in ids) if t is not None]
    no_program: tuple[str, str] = (
        turn.t("button-no-program"),
        Pick(token, Choice.NO_PROGRAM, 0).pack(),
    )
    rows = [[b] for b in target_buttons(lang, token, Choice.PROGRAM, programs)]
    return Prompt(text, [*rows, [no_program], cancel])


def target_buttons(
    lang: str, token: str, choice: Choice, targets: list[Target]
) -> list[tuple[str, str]]:
    """One button per agency or programme."""

    def label(t: Target) -> str:
        return views.agency_label(lang, t) if t.kind == "agency" else program_label(t)

    return [(cut(label(t), 60), Pick(token, choice, t.id).pack()) for t in targets]


def choose(turn: Turn, flow: Pending, step: str, query: str, found: tuple[Target, ...]) -> Prompt:
    """Buttons for the names a typed answer could mean (the step stays open)."""
    choice = Choice.AGENCY if step == "agency" else Choice.PROGRAM
    text = turn.t(f"assign-choose-{step}", mark=turn.t("assign-mark"), query=cut(query, 60))
    cancel: list[tuple[str, str]] = [
        (turn.t("button-cancel"), Pick(flow.token, Choice.CANCEL, 0).pack())
    ]
    rows = [[b] for b in target_buttons(turn.lang, flow.token, choice, list(found))]
    return Prompt(text, [*rows, cancel])


async def send(turn: Turn, prompt: Prompt | None) -> None:
    """Queue the prompt, or (a ForceReply) send what is queued and then the question."""
    if prompt is None:
        return
    if not prompt.force_reply:
        turn.say(prompt.text, prompt.keyboard)
        return
    await send_replies(turn)
    chat = turn.update.effective_chat
    if chat is not None:
        placeholder = plain(turn.t("assign-title-placeholder"))
        markup = ForceReply(selective=True, input_field_placeholder=placeholder)
        await chat.send_message(prompt.text, reply_markup=markup)
