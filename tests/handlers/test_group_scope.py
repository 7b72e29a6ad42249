"""A group of one agency or programme (/register MOF): its reports default to that scope."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.handlers.conftest import ADMIN, GROUP, TODAY, VIEWER, Bot, add_tasks

D = timedelta(days=1)


@pytest.fixture
async def tasks(bot: Bot) -> Bot:
    await add_tasks(
        bot,
        [
            ("MOF-1", "MOF", TODAY - 3 * D, "open", None),  # overdue
            ("MOF-2", "MOF", TODAY + 5 * D, "in_progress", None),  # due soon
            ("HN-1", "HN", TODAY - 40 * D, "open", None),  # overdue
            ("HN-2", "HN", TODAY + 4 * D, "open", None),  # due soon
        ],
    )
    return bot


async def test_an_agencys_group_answers_for_that_agency_by_default(tasks: Bot) -> None:
    [said] = await tasks.say("/register MOF", user_id=ADMIN)
    assert "Đã đăng ký nhóm" in said
    assert "nhóm công tác của <b>Bộ Tài chính</b> (MOF)" in said
    status = (await tasks.say("/status"))[0]
    assert status.startswith("<b>Bộ Tài chính</b> (MOF)")
    overdue = (await tasks.say("/overdue"))[0]
    assert "MOF-1" in overdue
    assert "HN-1" not in overdue
    due = (await tasks.say("/due"))[0]
    assert "MOF-2" in due
    assert "HN-2" not in due
    assert "Bộ Tài chính" in due.split("\n")[0]
    # Another agency is still asked by name.
    assert "HN-1" in (await tasks.say("/overdue HN"))[0]
    assert "(HN)" in (await tasks.say("/status HN"))[0]


async def test_all_asks_for_the_whole_committee_in_an_agencys_group(tasks: Bot) -> None:
    [said] = await tasks.say("/register MOF", user_id=ADMIN)
    assert "/status all" in said  # the group is told how
    assert "Tổng hợp tình hình" in (await tasks.say("/status all"))[0]
    overdue = (await tasks.say("/overdue tất cả"))[0]
    assert "MOF-1" in overdue
    assert "HN-1" in overdue
    assert (await tasks.say("/status"))[0].startswith("<b>Bộ Tài chính</b> (MOF)")  # unchanged


async def test_register_all_makes_it_the_committees_group_again(tasks: Bot) -> None:
    await tasks.say("/register MOF", user_id=ADMIN)
    [again] = await tasks.say("/register", user_id=ADMIN)
    assert "đã được đăng ký" in again
    assert "(MOF)" in again  # says what the group is for
    [cleared] = await tasks.say("/register all", user_id=ADMIN)
    assert "theo dõi toàn bộ nhiệm vụ" in cleared
    assert "Tổng hợp tình hình" in (await tasks.say("/status"))[0]
    overdue = (await tasks.say("/overdue"))[0]
    assert "MOF-1" in overdue
    assert "HN-1" in overdue


async def test_a_programme_group_and_a_name_chosen_with_a_button(bot: Bot) -> None:
    await add_tasks(bot, [("NQ-1", "MOH", TODAY - D, "open", None)], program="NQ57")
    await add_tasks(bot, [("X-1", "MOH", TODAY - D, "open", None)])
    [asked] = await bot.say("/register tai chanh", user_id=ADMIN, lang="en")
    assert "Ministry of Finance (MOF)" in str(bot.last_markup()), asked
    said = await bot.press("Finance", user_id=ADMIN, lang="en")
    assert "working group of <b>Ministry of Finance</b> (MOF)" in said[0]
    await bot.say("/register NQ57", user_id=ADMIN)
    overdue = (await bot.say("/overdue"))[0]
    assert "NQ-1" in overdue
    assert "X-1" not in overdue
    assert asked


async def test_only_an_admin_gives_a_group_its_scope(tasks: Bot) -> None:
    await tasks.say("/register", user_id=ADMIN)
    refused = (await tasks.say("/register MOF", user_id=VIEWER))[0]
    assert "quản trị viên" in refused.lower()
    assert "Tổng hợp tình hình" in (await tasks.say("/status"))[0]


async def test_a_private_chat_has_no_scope_to_give(tasks: Bot) -> None:
    said = (await tasks.say("/register MOF", chat_id=ADMIN, user_id=ADMIN))[0]
    assert "trong nhóm công tác" in said
    assert GROUP != ADMIN


async def test_lagging_in_a_programmes_group_ranks_within_the_programme(bot: Bot) -> None:
    await add_tasks(bot, [("NQ-1", "MOH", TODAY - D, "open", None)], program="NQ57")
    await add_tasks(bot, [("X-1", "MOF", TODAY - D, "open", None)])
    await add_tasks(bot, [("X-2", "MOF", TODAY - 2 * D, "open", None)])
    committee = (await bot.say("/lagging", chat_id=ADMIN, user_id=ADMIN))[0]
    assert committee.index("MOF") < committee.index("MOH")  # two overdue before one
    await bot.say("/register NQ57", user_id=ADMIN)
    [ranked] = await bot.say("/lagging", lang="en")
    assert "Agencies with the most overdue tasks — " in ranked
    assert "MOH" in ranked
    assert "<b>MOF</b>" not in ranked  # its overdue tasks are in no programme
    await bot.say("/register MOF", user_id=ADMIN)  # an agency's group: the committee's ranking
    assert "<b>MOF</b>" in (await bot.say("/lagging"))[0]
