"""Issue 8 in chat: names, former names, programme codes, coverage, the data's date, /lagging."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from bot.app import build_application, opened
from bot.clock import FixedClock
from bot.settings import load_settings
from fakeapi.inprocess import FakeBotAPI
from rendering.text import plain
from storage.models import Task
from tests.handlers.conftest import ADMIN, NOW, TODAY, VIEWER, Bot, add_tasks

D = timedelta(days=1)


@pytest.fixture
async def group(bot: Bot) -> Bot:
    """A registered group: MOF 2 of 5 tasks completed (40%), HN 0 of 2, MOST 2 of 2."""
    await bot.say("/register", user_id=ADMIN)
    await add_tasks(
        bot,
        [
            ("MOF-1", "MOF", TODAY - 10 * D, "done", TODAY - 12 * D),
            ("MOF-2", "MOF", TODAY - 10 * D, "done", TODAY - 2 * D),
            ("MOF-3", "MOF", TODAY - 3 * D, "open", None),
            ("MOF-4", "MOF", TODAY + 5 * D, "in_progress", None),
            ("MOF-5", "MOF", TODAY + 45 * D, "in_progress", None),
            ("HN-1", "HN", TODAY - 40 * D, "open", None),
            ("HN-2", "HN", TODAY + 60 * D, "open", None),
            ("KH-1", "MOST", TODAY - 1 * D, "done", TODAY - 1 * D),
            ("KH-2", "MOST", None, "done", TODAY - 1 * D),
        ],
    )
    async with bot.app.bot_data.deps.sessions.begin() as session:
        # 03:00 UTC is 10:00 in Hanoi: the figures date from the day before "today".
        stamp = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
        await session.execute(update(Task).values(updated_at=stamp))
    return bot


async def test_committee_status_has_the_datas_date_coverage_and_blocs(group: Bot) -> None:
    text = plain((await group.say("/status"))[0])
    lines = text.splitlines()
    assert lines[0] == "Tổng hợp tình hình thực hiện nhiệm vụ (tính đến ngày 25/11/2026)"
    assert lines[1] == "Số liệu cập nhật đến 10:00 ngày 24/11/2026"
    assert "2/3 cơ quan có nhiệm vụ quá hạn." in lines
    # MOST has completed 1 of 2 (the routine task does not count as completed): 50%.
    assert (
        "Không có cơ quan nào đạt tỷ lệ hoàn thành từ 70% trở lên (3 cơ quan đều dưới 70%)."
        in lines
    )
    assert any(
        line.startswith("Khối bộ, cơ quan trung ương (2 cơ quan): 7 nhiệm vụ;") for line in lines
    )
    assert any(
        line.startswith("Khối địa phương (1 tỉnh, thành phố): 2 nhiệm vụ;") for line in lines
    )


async def test_the_completion_threshold_is_a_setting(tmp_path: Path) -> None:
    settings = load_settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 't.db'}",
        admins=frozenset({ADMIN}),
        telegram_bot_token="123:TEST",
        completion_threshold=40,
    )
    api = FakeBotAPI()
    app = build_application(
        settings, request=api, clock=FixedClock(settings.tz, NOW), rate_limit=False
    )
    async with opened(app):
        bot = Bot(app, api)
        await bot.say("/register", user_id=ADMIN)
        await add_tasks(
            bot,
            [
                ("A", "MOF", TODAY - D, "done", TODAY - D),
                ("B", "MOF", TODAY + D, "open", None),
                ("C", "HN", TODAY + D, "open", None),
            ],
        )
        text = plain((await bot.say("/status"))[0])
    assert "1/2 cơ quan đạt tỷ lệ hoàn thành từ 40% trở lên; 1 cơ quan dưới 40%." in text


async def test_lagging_uses_the_completion_share_status_shows(group: Bot) -> None:
    status = plain((await group.say("/status MOF"))[0])
    assert "Đã hoàn thành: 2 (40,0%)" in status
    lagging = plain((await group.say("/lagging"))[0])
    assert "Xếp theo số nhiệm vụ quá hạn, nhiều nhất trước" in lagging
    assert "MOF Bộ Tài chính: 1 nhiệm vụ quá hạn; đã hoàn thành 2/5 nhiệm vụ (40,0%)" in lagging
    assert "HN Thành phố Hà Nội: 1 nhiệm vụ quá hạn; đã hoàn thành 0/2 nhiệm vụ (0%)" in lagging
    assert lagging.index("HN ") < lagging.index("MOF ")  # same overdue: lower completion first
    assert "Số liệu cập nhật đến 10:00 ngày 24/11/2026" in lagging


async def test_coming_due_is_the_next_30_days_only(group: Bot) -> None:
    text = plain((await group.say("/status MOF"))[0])
    assert "Sắp đến hạn (trong 30 ngày tới):" in text
    soon = text[text.index("Sắp đến hạn") :]
    assert "MOF-4" in soon
    assert "MOF-5" not in soon  # due in 45 days


async def test_a_shared_place_name_is_not_answered_as_the_city(group: Bot) -> None:
    text = plain((await group.say("/status Học viện Chính trị quốc gia Hồ Chí Minh"))[0])
    assert "Không tìm thấy" in text
    assert "(HCM)" not in text


async def test_a_weak_match_asks_first_and_the_button_answers(group: Bot) -> None:
    text = plain((await group.say("/status tai chanh"))[0])
    assert text == "Có phải Bộ Tài chính (MOF)?"
    [[button]] = group.last_markup()
    assert button["text"] == "Bộ Tài chính (MOF)"
    answer = plain((await group.press("Bộ Tài chính"))[0])
    assert answer.startswith("Bộ Tài chính (MOF) — tính đến ngày 25/11/2026")


async def test_quang_offers_every_quang_province(group: Bot) -> None:
    await group.say("/status Quảng")
    labels = [b["text"] for row in group.last_markup() for b in row]
    assert {"Tỉnh Quảng Ninh", "Tỉnh Quảng Trị", "Tỉnh Quảng Ngãi"} <= set(labels)


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ("Bình Thuận", "Tỉnh Lâm Đồng (LDG) — gồm tỉnh Bình Thuận cũ (hợp nhất từ 01/7/2025)"),
        ("BHXH", "Bộ Tài chính (MOF) — gồm Bảo hiểm xã hội Việt Nam (chuyển về từ 01/3/2025)"),
        (
            "Ban Tôn giáo Chính phủ",
            "Bộ Dân tộc và Tôn giáo (MERA) — gồm Ban Tôn giáo Chính phủ (chuyển về từ 01/3/2025)",
        ),
    ],
)
async def test_a_former_name_asked_says_so(group: Bot, query: str, note: str) -> None:
    lines = plain((await group.say(f"/status {query}"))[0]).splitlines()
    assert lines[0] == note
    overdue = plain((await group.say(f"/overdue {query}"))[0]).splitlines()
    assert overdue[0] == note


async def test_agency_add_is_for_admins_and_reports_keep_other_units_apart(group: Bot) -> None:
    refused = plain((await group.say("/agency add Kiểm toán nhà nước", user_id=VIEWER))[0])
    assert "chỉ dành cho quản trị viên" in refused
    added = plain((await group.say("/agency add Kiểm toán nhà nước", user_id=ADMIN))[0])
    assert added.startswith("Đã thêm Kiểm toán nhà nước (mã KTNN) vào nhóm “Đơn vị khác”")
    exists = plain((await group.say("/agency add Bảo hiểm xã hội Việt Nam", user_id=ADMIN))[0])
    assert exists == (
        "“Bảo hiểm xã hội Việt Nam” đã có trong danh sách: Bộ Tài chính (MOF). "
        "Không thêm đơn vị mới."
    )
    assert "Mã “BHXH” đã được dùng" in plain(
        (await group.say("/agency add BHXH Tổng công ty Bảo hiểm", user_id=ADMIN))[0]
    )
    assert "(mã DHQGHN)" in plain(
        (await group.say("/agency add DHQGHN Đại học Quốc gia Hà Nội", user_id=ADMIN))[0]
    )
    await add_tasks(group, [("KT-1", "KTNN", TODAY - D, "open", None)])
    assert "Kiểm toán nhà nước (KTNN) — tính đến ngày" in plain(
        (await group.say("/status KTNN"))[0]
    )
    committee = plain((await group.say("/status"))[0])
    assert "Đơn vị khác (1 đơn vị): 1 nhiệm vụ;" in committee
    assert "Khối bộ, cơ quan trung ương (2 cơ quan): 7 nhiệm vụ;" in committee  # unchanged
    agencies = plain("\n".join(await group.say("/agencies")))
    assert "Đơn vị khác\nKTNN — Kiểm toán nhà nước\nDHQGHN — Đại học Quốc gia Hà Nội" in agencies
    assert "Cách dùng: /agency add" in plain((await group.say("/agency", user_id=ADMIN))[0])


async def test_program_codes_in_chat(group: Bot) -> None:
    assert "Chưa có chương trình nào" in plain((await group.say("/programs"))[0])
    created = plain((await group.say("/program DA06 Đề án 06", user_id=ADMIN))[0])
    assert created == "Đã thêm chương trình Đề án 06 (mã DA06)."
    await add_tasks(group, [("D-1", "MOH", TODAY - 2 * D, "open", None)], program="NQ57")
    coded = plain((await group.say("/program NQ57 Nghị quyết 57-NQ/TW", user_id=ADMIN))[0])
    assert coded == "Đã đổi tên chương trình NQ57 thành Nghị quyết 57-NQ/TW."
    status = plain((await group.say("/status NQ57"))[0])
    assert status.startswith("Nghị quyết 57-NQ/TW (NQ57) — tính đến ngày 25/11/2026")
    assert "D-1" in plain((await group.say("/overdue nq57"))[0])
    programs = plain("\n".join(await group.say("/programs")))
    assert programs == "Các chương trình\nDA06 — Đề án 06\nNQ57 — Nghị quyết 57-NQ/TW"
    assert "NQ57 — Nghị quyết 57-NQ/TW" in plain("\n".join(await group.say("/agencies")))
    assert "chỉ dành cho quản trị viên" in plain(
        (await group.say("/program CT1 Chương trình", user_id=VIEWER))[0]
    )
    assert group.api.errors() == []
