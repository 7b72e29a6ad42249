"""Agency lookup: codes, aliases, names with and without diacritics, merged provinces."""

from __future__ import annotations

import pytest

from services.lookup import Target, TargetIndex, build_index, fold
from services.lookup_cache import formers_by_code
from storage.seed import seed_agencies


@pytest.fixture(scope="module")
def index() -> TargetIndex:
    formers = formers_by_code()
    agencies = [
        Target(
            "agency",
            a.code,
            a.name_vi,
            a.name_en,
            tuple(a.aliases.split(";")),
            a.kind,
            n,
            formers.get(a.code, ()),
        )
        for n, a in enumerate(seed_agencies(), 1)
    ]
    program = Target("program", "NQ57", "Nghị quyết 57-NQ/TW", "Nghị quyết 57-NQ/TW", (), "", 1)
    return build_index(agencies, [program])


def test_fold_drops_diacritics_and_d_bar() -> None:
    assert fold("Bộ Giáo dục và Đào tạo") == "bo giao duc va dao tao"
    assert fold("  TP.HCM!! ") == "tp hcm"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("MOF", "MOF"),
        ("mof", "MOF"),
        ("BTC", "MOF"),
        ("Bộ Tài chính", "MOF"),
        ("bo tai chinh", "MOF"),
        ("Tai Chinh", "MOF"),
        ("Ministry of Finance", "MOF"),
        ("finance", "MOF"),
        ("tài chín", "MOF"),
        ("Bộ Y tế", "MOH"),
        ("y te", "MOH"),
        ("BGDĐT", "MOET"),
        ("BGDDT", "MOET"),
        ("giao duc", "MOET"),
        ("Hà Nội", "HN"),
        ("hanoi", "HN"),
        ("TP.HCM", "HCM"),
        ("Sài Gòn", "HCM"),
        ("ho chi minh", "HCM"),
        ("Da Nang", "DN"),
        ("Nghe An", "NAN"),
        ("nghi quyet 57", "NQ57"),
        ("finance ministry", "MOF"),
        ("Giáo dục đào tạo", "MOET"),
        ("nong nghiep moi truong", "MAE"),
    ],
)
def test_resolves_codes_names_and_loose_spellings(
    index: TargetIndex, query: str, code: str
) -> None:
    found = index.resolve(query).found
    assert found is not None
    assert found.code == code


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Bình Thuận", "LDG"),
        ("binh thuan", "LDG"),
        ("Quảng Nam", "DN"),
        ("Bình Dương", "HCM"),
        ("Hà Giang", "TQG"),
        ("Bắc Giang", "BNH"),
        ("vung tau", "HCM"),
        ("Kon Tum", "QNG"),
        # Ministries merged in 2025 (storage/former_names.csv)
        ("Bộ Kế hoạch và Đầu tư", "MOF"),
        ("MPI", "MOF"),
        ("Bộ Tài nguyên và Môi trường", "MAE"),
        ("bo nong nghiep va phat trien nong thon", "MAE"),
        ("Bộ Giao thông vận tải", "MOC"),
        ("MIC", "MOST"),
        ("Bộ Thông tin và Truyền thông", "MOST"),
        ("MOLISA", "MOHA"),
        ("Ủy ban Dân tộc", "MERA"),
    ],
)
def test_old_names_of_merged_provinces_and_ministries_answer_as_the_new_one(
    index: TargetIndex, old: str, new: str
) -> None:
    found = index.resolve(old).found
    assert found is not None
    assert found.code == new


def test_near_tie_offers_every_province_that_starts_so(index: TargetIndex) -> None:
    result = index.resolve("Quảng")
    assert result.found is None
    codes = [c.code for c in result.candidates]
    # Current names first, then a former one (Quảng Nam is Đà Nẵng), then Tuyên Quang.
    assert codes[:4] == ["QNH", "QTI", "QNG", "DN"]


@pytest.mark.parametrize(
    "query",
    ["xyzzy", "🙂", "<b>", "", "   ", "b", "hello", "thanks", "cảm ơn", "tất cả", "<b>x</b> & y"],
)
def test_nothing_close_finds_nothing(index: TargetIndex, query: str) -> None:
    result = index.resolve(query)
    assert result.found is None
    assert result.candidates == ()
