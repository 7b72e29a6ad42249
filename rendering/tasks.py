"""A lead's views: /mytasks, the task card with its notes and evidence, the Done and
Progress questions, the reply prompts, the evidence sent back."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from rendering.reports import target_name, task_card
from rendering.text import TITLE_CUT, Html, cut, join, max_text, plain, render, utf16_len
from services.lookup import Target
from services.my_tasks import PAGE_SIZE, MyTasks, OpenTask
from services.task_cards import CardFacts, EvidenceItem, NoteLine
from storage.models import Task

BUTTON_TITLE = 32  # characters of a title on a list button: a phone shows about one line
NOTE_CUT = 300  # characters of a note on a card
NAME_CUT = 40  # characters of a person's name
CAPTION_CUT = 700  # characters of an evidence file's own caption (Telegram allows 1024)


def short_day(lang: str, day: date) -> str:
    """A day without its year, for buttons: 25/11 (05/02 as official documents write it)."""
    if lang != "vi":
        return day.strftime("%d %b")
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{day.day:02d}/{month}"


def my_tasks(lang: str, agency: Target, page: MyTasks, today: date) -> Html:
    """The /mytasks message: the counts, then this page's tasks numbered."""
    name, code = target_name(lang, agency), agency.code
    counts = page.counts
    if counts.total == 0:
        return render(lang, "mytasks-none", name=name, code=code)
    parts = [
        render(
            lang,
            "mytasks-title",
            name=name,
            code=code,
            total=counts.total,
            overdue=counts.overdue,
            on_schedule=counts.on_schedule,
            routine=counts.routine,
        ),
        Html(""),
    ]
    first = page.page * PAGE_SIZE + 1
    parts += [_line(lang, n, task, today) for n, task in enumerate(page.tasks, first)]
    if page.pages > 1:
        parts.append(render(lang, "page", page=page.page + 1, pages=page.pages))
    parts.append(render(lang, "mytasks-hint"))
    return join(parts)


def _line(lang: str, n: int, task: OpenTask, today: date) -> Html:
    title = cut(task.title, TITLE_CUT)
    progress = render(lang, "mytasks-progress", progress=task.progress) if task.progress else ""
    if task.deadline is None:
        line = render(lang, "mytasks-line-routine", n=n, code=task.code, title=title)
    elif task.deadline < today:
        days = (today - task.deadline).days
        line = render(
            lang, "mytasks-line-overdue", n=n, code=task.code, title=title,
            deadline=task.deadline, days=days,
        )  # fmt: skip
    else:
        days = (task.deadline - today).days
        when = render(lang, "due-today") if days == 0 else render(lang, "due-in", days=days)
        line = render(
            lang, "mytasks-line-due", n=n, code=task.code, title=title, deadline=task.deadline,
            when=when,
        )  # fmt: skip
    return Html(line + progress)


def task_button(task: OpenTask, today: date) -> str:
    """A list button's label (plain text: Telegram shows button labels as they are)."""
    overdue = task.deadline is not None and task.deadline < today
    mark = "🔁" if task.deadline is None else "⚠️" if overdue else "⏳"
    return f"{mark} {task.code} · {cut(task.title, BUTTON_TITLE)}"


def card(
    lang: str,
    task: Task,
    facts: CardFacts,
    today: date,
    tz: tzinfo,
    note: Html | None = None,
) -> Html:
    """The task card (as /task shows it), its latest notes and evidence count; `note` on top
    says what just happened. Notes are left out, oldest first, until it fits one message."""
    base = task_card(lang, task, today, tz)
    evidence = (
        render(lang, "card-evidence", count=facts.evidence_count)
        if facts.evidence_count
        else render(lang, "card-evidence-none")
    )
    notes = list(facts.notes)
    while True:
        parts = [note, base, evidence] if note else [base, evidence]
        if notes:
            parts.append(render(lang, "card-notes-head", count=facts.note_count))
            parts += [_note_line(lang, n, tz) for n in notes]
        text = join(parts)
        # Telegram counts the text after parsing the HTML: tags out, entities one character.
        if utf16_len(plain(text)) <= max_text() or not notes:
            return text
        notes.pop()


def _note_line(lang: str, note: NoteLine, tz: tzinfo) -> Html:
    return render(
        lang,
        "card-note-line",
        day=_moment(lang, note.at, tz),
        name=cut(note.name, NAME_CUT) or "—",
        text=cut(note.text, NOTE_CUT),
    )


def _moment(lang: str, at: datetime, tz: tzinfo) -> str:
    local = at.astimezone(tz)
    return f"{short_day(lang, local.date())} {local:%H:%M}"


def evidence_caption(
    lang: str, code: str, item: EvidenceItem, n: int, total: int, tz: tzinfo
) -> Html:
    """The caption of one evidence file sent back: the task, who sent it when, its caption."""
    head = render(
        lang,
        "evidence-caption",
        code=code,
        n=n,
        total=total,
        name=cut(item.name, NAME_CUT) or "—",
        day=item.at.astimezone(tz).date(),
    )
    if not item.caption:
        return head
    return join(
        [head, render(lang, "evidence-own-caption", caption=cut(item.caption, CAPTION_CUT))]
    )


def mention(user_id: int, name: str) -> Html:
    """A link to a user: ForceReply(selective=True) then pops up for them alone in a group."""
    from telegram.helpers import mention_html  # escapes the name

    return Html(mention_html(user_id, cut(name, NAME_CUT) or str(user_id)))
