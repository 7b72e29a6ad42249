"""`dondoc run` as a process, against the HTTP Bot API stand-in on 127.0.0.1."""

from __future__ import annotations

import asyncio
import signal
import subprocess

import pytest

from fakeapi import updates
from fakeapi.standin import StandIn
from rendering.text import plain
from tests.e2e.conftest import ADMIN, GROUP, STRANGER, VIEWER, say, wait_call

pytestmark = pytest.mark.e2e  # starts dondoc as a process: `-m "not e2e"` skips it


REGISTER = (
    "code,title,agency,deadline,status,completed_on\n"
    "E-1,Số hóa hồ sơ thuế,Bộ Tài chính,2020-01-31,hoàn thành,2020-01-15\n"
    "E-2,Kết nối dữ liệu dân cư,MOF,2020-02-01,đang thực hiện,\n"
    "E-3,Dịch vụ công trực tuyến,bo tai chinh,2099-12-31,open,\n"
    "E-4,Báo cáo định kỳ,Finance,,in_progress,\n"
    "E-5,Cải cách thủ tục,Hà Nội,2020-03-01,chưa thực hiện,\n"
)


async def test_a_committee_day_through_the_real_process(
    standin: StandIn, bot_process: subprocess.Popen[str]
) -> None:
    await wait_call(standin, lambda call: call.method == "getUpdates", 0)
    commands = [c for c in standin.calls if c.method == "setMyCommands"]
    assert {c.params.get("language_code") for c in commands} >= {"vi", "en"}

    # A stranger gets a polite refusal, no data.
    await say(
        standin,
        updates.command("/status", chat_id=STRANGER, user_id=STRANGER),
        STRANGER,
        "chưa được cấp quyền",
    )

    # The admin registers the working group.
    await say(
        standin,
        updates.command("/register", chat_id=GROUP, user_id=ADMIN),
        GROUP,
        "Đã đăng ký nhóm",
    )

    # The admin sends the register as a file captioned /import, then confirms.
    file_id, _unique = standin.add_file(REGISTER.encode(), "register.csv")
    checked = await say(
        standin,
        updates.document(file_id, "register.csv", caption="/import", chat_id=ADMIN, user_id=ADMIN),
        ADMIN,
        "Xác nhận nhập?",
    )
    assert "thêm mới 5" in checked.text
    confirm = next(d for d in checked.callback_data if d.startswith("imp:ok:"))
    await say(
        standin, updates.callback(confirm, chat_id=ADMIN, user_id=ADMIN), ADMIN, "Đã nhập tệp"
    )

    # A member of the group asks about the Ministry of Finance.
    answer = await say(
        standin,
        updates.command("/status@dondoc_bot Bộ Tài chính", chat_id=GROUP, user_id=VIEWER),
        GROUP,
        "(MOF)",
    )
    text = plain(answer.text)
    assert "Tổng số: 4 nhiệm vụ" in text
    assert "Đã hoàn thành: 1 (25,0%), trong đó hoàn thành đúng hạn 1, hoàn thành quá hạn 0" in text
    assert "Quá hạn, chưa hoàn thành: 1 (25,0%)" in text
    assert "Nhiệm vụ thường xuyên: 1 (25,0%)" in text
    assert "E-2" in text

    bot_process.send_signal(signal.SIGTERM)
    output, _ = await asyncio.to_thread(bot_process.communicate, timeout=30)
    assert bot_process.returncode == 0, output
    assert "E2E-secret-token" not in output
    assert "Traceback" not in output
