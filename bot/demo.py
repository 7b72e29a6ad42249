"""A realistic demo register: a few hundred tasks over the 56 agencies and three programs."""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta

from services.importer import COLUMNS
from storage.seed import seed_agencies

PROGRAMS = (
    ("NQ57", "Nghị quyết 57-NQ/TW", "Nghị quyết 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị"),
    ("DA06", "Đề án 06", "Quyết định 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ"),
    ("CCHC", "Cải cách hành chính", "Nghị quyết 76/NQ-CP ngày 15/7/2021 của Chính phủ"),
)
ACTIONS = (
    "Xây dựng cơ sở dữ liệu chuyên ngành về {d}",
    "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính lĩnh vực {d}",
    "Cung cấp dịch vụ công trực tuyến toàn trình về {d}",
    "Kết nối, chia sẻ dữ liệu {d} với Cơ sở dữ liệu quốc gia về dân cư",
    "Rà soát, cắt giảm thủ tục hành chính và điều kiện kinh doanh về {d}",
    "Ban hành kế hoạch chuyển đổi số trong lĩnh vực {d}",
    "Đề xuất cơ chế thử nghiệm có kiểm soát đối với {d}",
    "Đào tạo kỹ năng số cho cán bộ, công chức làm công tác {d}",
    "Báo cáo đánh giá kết quả ứng dụng trí tuệ nhân tạo trong {d}",
)
# Ministries carry more of a register than provinces, and the programs' lead
# ministries most of all: the demo's `/status MOF` then has something to show.
LEAD_WEIGHTS = {"ministry": 4, "agency": 2, "city": 2, "province": 1}
LEADING_MINISTRIES = {"MOF": 10, "MOST": 10, "MPS": 8, "MOHA": 6}
DOMAINS = (
    "đất đai",
    "thuế",
    "y tế",
    "giáo dục",
    "giao thông",
    "tư pháp",
    "bảo hiểm xã hội",
    "đăng ký doanh nghiệp",
    "đầu tư công",
    "hải quan",
    "xây dựng",
    "môi trường",
    "lao động",
)


def demo_rows(today: date, *, per_program: int = 110, seed: int = 57) -> list[dict[str, str]]:
    """Rows in the import format, with dates spread around `today`."""
    rng = random.Random(seed)
    agencies = seed_agencies()
    codes = [a.code for a in agencies]
    weights = [LEADING_MINISTRIES.get(a.code, LEAD_WEIGHTS[a.kind]) for a in agencies]
    rows: list[dict[str, str]] = []
    for prog_code, prog_name, source in PROGRAMS:
        for n in range(1, per_program + 1):
            lead = rng.choices(codes, weights)[0]
            # Every fifth task goes round the agencies, so each of the 56 leads at least one,
            # as in a real committee (its coverage lines then read "…/56 cơ quan").
            turn, slot = divmod(len(rows), 5)
            if slot == 0 and turn < len(codes):
                lead = codes[turn]
            row = _row(rng, today, f"{prog_code}-{n:03d}", prog_name, source, lead, codes)
            rows.append(row | {"program_code": prog_code})
    return rows


def _row(
    rng: random.Random,
    today: date,
    code: str,
    program: str,
    source: str,
    lead: str,
    codes: list[str],
) -> dict[str, str]:
    deadline = _deadline(rng, today)
    status, completed, progress = _progress(rng, today, deadline)
    coordinating = ";".join(c for c in rng.sample(codes, rng.randint(0, 2)) if c != lead)
    return {
        "code": code,
        "title": rng.choice(ACTIONS).format(d=rng.choice(DOMAINS)),
        "agency": lead,
        "deadline": deadline.isoformat() if deadline else "",
        "status": status,
        "completed_on": completed.isoformat() if completed else "",
        "program": program,
        "source": source,
        "coordinating": coordinating,
        "progress": str(progress),
        "notes": "",
    }


def _deadline(rng: random.Random, today: date) -> date | None:
    """Routine for about one task in seven; committees like quarter ends, 31 December most."""
    roll = rng.random()
    if roll < 0.14:
        return None
    if roll < 0.45:
        quarter_ends = [date(today.year, m, d) for m, d in ((3, 31), (6, 30), (9, 30))]
        return rng.choice([*quarter_ends, date(today.year, 12, 31), date(today.year, 12, 31)])
    return today + timedelta(days=rng.randint(-240, 330))


def _progress(
    rng: random.Random, today: date, deadline: date | None
) -> tuple[str, date | None, int]:
    """Status words as the committees' own reports write them, consistent with the dates."""
    if deadline is None:
        return "thường xuyên", None, rng.randrange(0, 100, 10)
    if (deadline < today and rng.random() < 0.75) or (deadline >= today and rng.random() < 0.3):
        finished = min(today, deadline + timedelta(days=rng.randint(-60, 25)))
        word = "hoàn thành quá hạn" if finished > deadline else "hoàn thành đúng hạn"
        return word, finished, 100
    if rng.random() < 0.4:
        return "chưa thực hiện", None, 0
    word = "đang thực hiện quá hạn" if deadline < today else "đang thực hiện trong hạn"
    return word, None, rng.randrange(10, 90, 10)


def demo_csv(today: date) -> bytes:
    """The demo register as a CSV file, exactly as a secretariat would send it."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(demo_rows(today))
    return buffer.getvalue().encode("utf-8")
