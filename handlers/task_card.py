"""The task card as every task handler shows it: text, the buttons the caller may use, and
the polite refusals; shared by /task, /mytasks, the card's buttons and /update."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.common import Keyboard, Turn
from handlers.task_buttons import CardButton, EvidenceSend, Verb
from rendering import tasks as views
from rendering.text import Html
from services import task_cards
from services.access import Action
from services.task_cards import CardFacts, Rights
from services.task_writes import Editor
from storage.models import Task


def editor(turn: Turn) -> Editor:
    """The caller as the task's history names them."""
    user = turn.update.effective_user
    return Editor(turn.caller, user.full_name if user else "")


async def say_card(
    turn: Turn, session: AsyncSession, task: Task, note: Html | None = None
) -> None:
    """Queue the card of a loaded task, with the caller's buttons; `note` on top."""
    facts = await task_cards.card_facts(session, task_id=task.id)
    text = views.card(turn.lang, task, facts, turn.today, turn.deps.clock.tz, note)
    turn.say(text, keyboard(turn, task, task_cards.rights(turn.caller, task), facts))


def keyboard(turn: Turn, task: Task, rights: Rights, facts: CardFacts) -> Keyboard:
    """Done and Progress (and More time, with a deadline) while the task is open, for those
    who may change it; Note and Evidence for those who may add them; Back to the list; the
    evidence files for admins and the lead agency's leads. Viewers get none."""

    def button(verb: Verb, label: str) -> tuple[str, str]:
        return turn.t(label), CardButton(task.id, task.version, verb).pack()

    open_ = not task_cards.is_closed(task)
    rows: Keyboard = []
    if rights.change and open_:
        rows.append([button(Verb.DONE, "button-done"), button(Verb.PROGRESS, "button-progress")])
    if rights.note:
        rows.append([button(Verb.NOTE, "button-note"), button(Verb.EVIDENCE, "button-evidence")])
    last = []
    if rights.change and open_ and task.deadline is not None:
        last.append(button(Verb.MORE_TIME, "button-more-time"))
    if rights.any:
        last.append(button(Verb.BACK, "button-back"))
    if last:
        rows.append(last)
    if rights.evidence and facts.evidence_count:
        label = turn.t("button-send-evidence", count=facts.evidence_count)
        rows.append([(label, EvidenceSend(task.id, 0).pack())])
    return rows


def refusal(turn: Turn, task: Task, action: Action) -> Html:
    """Why the caller may not change the task (or add a note to it), naming its agency."""
    msg_id = "task-not-yours" if action is Action.CHANGE_TASK else "task-note-not-yours"
    return turn.t(msg_id, code=task.code, agency=task.lead_agency.code)


async def tell(turn: Turn, text: Html) -> None:
    """A refusal: a pop-up for a pressed button (the card stays for the others), else a
    reply. Only once the database session is closed: it talks to Telegram."""
    if turn.update.callback_query is not None:
        await turn.alert(text)
    else:
        turn.say(text)
