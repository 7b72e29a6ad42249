"""Deadline extension views: the question, the admins' copies, decisions, refusals."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Any

from rendering.reports import target_name
from rendering.text import Html, cut, render
from services.extension_rules import REASON_MAX
from services.extensions import Asked, Refused
from services.lookup import Target
from storage.models import ExtensionStatus, Task

NAME_CUT = 60  # characters of a person's name
TITLE_CUT = 300  # characters of a task title in these messages
EXAMPLE = date(2027, 3, 31)  # the date the questions show as an example


def moment(when: datetime, tz: tzinfo) -> dict[str, Any]:
    """{time} and {day} of an instant in the committee's time zone."""
    local = when.astimezone(tz)
    return {"time": local.strftime("%H:%M"), "day": local.date()}


def mention(lang: str, user_id: int, name: str) -> Html:
    """'Name, ' as a mention: a ForceReply marked selective then opens for that user only."""
    return render(lang, "mention", user_id=str(user_id), name=cut(name, NAME_CUT) or "…")


def question(lang: str, task: Task, today: date, note: Html | None = None) -> Html:
    """Which new deadline to ask for (the buttons offer services.extensions.choices)."""
    assert task.deadline is not None
    late = Html("")
    if task.deadline < today:
        late = render(lang, "extension-question-late", days=(today - task.deadline).days)
    text = render(
        lang,
        "extension-question",
        code=task.code,
        title=cut(task.title, TITLE_CUT),
        deadline=task.deadline,
        late=late,
    )
    return Html(f"{note}\n{text}") if note else text


def day_button(lang: str, deadline: date, day: date, today: date) -> str:
    """'+7 ngày: 02/12/2026' (days counted from what the question says they count from)."""
    base = max(deadline, today)
    return render(lang, "extension-button-days", days=(day - base).days, day=day)


def ask_date(lang: str, task: Task, who: Html) -> Html:
    """The question answered by typing the date in reply."""
    return render(
        lang,
        "extension-ask-date",
        who=who,
        code=task.code,
        deadline=task.deadline,
        example=EXAMPLE,
    )


def ask_reason(lang: str, task: Task, day: date, who: Html) -> Html:
    """The question answered by typing the reason in reply."""
    return render(
        lang,
        "extension-ask-reason",
        who=who,
        code=task.code,
        old=task.deadline,
        day=day,
        limit=REASON_MAX,
    )


def refusal(
    lang: str,
    refused: Refused,
    *,
    code: str,
    today: date,
    tz: tzinfo,
    new: date | None = None,
    reason: str = "",
    agency: Target | None = None,
) -> Html:
    """Why no request was made, in the catalog's words."""
    task, waiting = refused.task, refused.pending
    data: dict[str, Any] = {
        "code": task.code if task is not None else cut(code, 60),
        "agency": target_name(lang, agency) if agency is not None else "",
        "deadline": task.deadline if task is not None and task.deadline else "",
        "new": new or "",
        "today": today,
        "length": len(reason.strip()),
        "limit": REASON_MAX,
        "name": "",
        "day": "",
    }
    if waiting is not None:
        data["new"] = waiting.new_deadline
        data["name"] = cut(waiting.name, NAME_CUT)
        data["day"] = moment(waiting.at, tz)["day"]
    return render(lang, f"extension-{refused.why.value}", **data)


def sent(lang: str, asked: Asked, count: int) -> Html:
    """For the lead: the request went to `count` admins."""
    data = {"code": asked.code, "old": asked.old_deadline, "new": asked.new_deadline}
    if count == 0:
        return render(lang, "extension-sent-nobody", **data)
    return render(lang, "extension-sent", count=count, **data)


def notice(lang: str, asked: Asked, agency: Target | None, tz: tzinfo) -> Html:
    """An admin's copy of the request (then its decision, once there is one)."""
    old = asked.old_deadline
    text = render(
        lang,
        "extension-notice",
        code=asked.code,
        title=cut(asked.title, TITLE_CUT),
        agency=f"{target_name(lang, agency)} ({agency.code})" if agency else "",
        old=old,
        new=asked.new_deadline,
        days=(asked.new_deadline - old).days if old else 0,
        reason=asked.reason,
        name=cut(asked.name, NAME_CUT),
        user_id=str(asked.user_id or "—"),
        **moment(asked.at, tz),
    )
    if asked.status is ExtensionStatus.PENDING:
        return text
    return Html(f"{text}\n\n{decision(lang, asked, tz)}")


def decision(lang: str, asked: Asked, tz: tzinfo) -> Html:
    """'✅ Approved by … at …' (the request must be decided)."""
    assert asked.decided_at is not None
    approved = asked.status is ExtensionStatus.APPROVED
    return render(
        lang,
        "extension-approved-by" if approved else "extension-rejected-by",
        name=cut(asked.decided_by, NAME_CUT),
        new=asked.new_deadline,
        old=asked.old_deadline,
        **moment(asked.decided_at, tz),
    )


def late(lang: str, asked: Asked, tz: tzinfo) -> Html:
    """For an admin who pressed after another decided."""
    return render(lang, "extension-late", decision=decision(lang, asked, tz))


def answer(lang: str, asked: Asked) -> Html:
    """For the lead who asked: the decision."""
    approved = asked.status is ExtensionStatus.APPROVED
    return render(
        lang,
        "extension-answer-approved" if approved else "extension-answer-rejected",
        code=asked.code,
        name=cut(asked.decided_by, NAME_CUT),
        new=asked.new_deadline,
        old=asked.old_deadline,
    )
