"""Agency lookup: codes, aliases, names with and without diacritics, merged provinces."""

from __future__ import annotations

from datetime import date

import pytest

from services.lookup import Target, TargetIndex, build_index, coverage, fold
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


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("Ủy ban nhân dân tỉnh Gia Lai", "GLI"),
        ("UBND tỉnh Gia Lai", "GLI"),
        ("UBND Thành phố Hà Nội", "HN"),
        ("TP. Hồ Chí Minh", "HCM"),
        ("Bộ Quốc phòng", "MND"),
        ("BR-VT", "HCM"),
        ("QNI", "QNG"),
        ("Thua Thien Hue Province", "HUE"),
    ],
)
def test_exact_match_folds_the_words_of_a_bodys_kind(
    index: TargetIndex, query: str, code: str
) -> None:
    found = index.exact(query).found
    assert found is not None
    assert found.code == code


@pytest.mark.parametrize("query", ["tài chín", "vung tau", "Quảng", "Hồ Chí Minh city hall"])
def test_exact_never_guesses(index: TargetIndex, query: str) -> None:
    assert index.exact(query).found is None


@pytest.mark.parametrize(
    "query",
    [
        "Học viện Chính trị quốc gia Hồ Chí Minh",
        "Đại học Quốc gia Hà Nội",
        "Đại học Quốc gia Thành phố Hồ Chí Minh",
        "Tập đoàn Điện lực Việt Nam",
    ],
)
def test_a_shared_place_name_is_not_a_match(index: TargetIndex, query: str) -> None:
    # Every word typed must be in the name: a university is not the city it is named after.
    result = index.resolve(query)
    assert result.found is None
    assert all(c.code not in ("HCM", "HN") for c in result.candidates)


def test_a_weak_match_is_one_guess_not_an_answer(index: TargetIndex) -> None:
    result = index.resolve("tai chanh")
    assert result.found is None
    assert result.weak
    assert [c.code for c in result.candidates] == ["MOF"]


@pytest.mark.parametrize(
    ("query", "code", "former", "since", "how"),
    [
        ("Bình Thuận", "LDG", "tỉnh Bình Thuận cũ", date(2025, 7, 1), "merged"),
        ("BHXH", "MOF", "Bảo hiểm xã hội Việt Nam", date(2025, 3, 1), "transferred"),
        ("Ban Tôn giáo Chính phủ", "MERA", "Ban Tôn giáo Chính phủ", date(2025, 3, 1),
         "transferred"),
        ("Ban Quản lý Lăng Chủ tịch Hồ Chí Minh", "MND", "Ban Quản lý Lăng Chủ tịch Hồ Chí Minh",
         date(2025, 3, 1), "transferred"),
        ("Ủy ban Quản lý vốn nhà nước tại doanh nghiệp", "MOF",
         "Ủy ban Quản lý vốn nhà nước tại doanh nghiệp", date(2025, 3, 1), "transferred"),
        ("MPI", "MOF", "Bộ Kế hoạch và Đầu tư cũ", date(2025, 3, 1), "merged"),
        ("vung tau", "HCM", "tỉnh Bà Rịa - Vũng Tàu cũ", date(2025, 7, 1), "merged"),
    ],
)  # fmt: skip
def test_a_former_name_says_what_it_is_part_of_now(
    index: TargetIndex, query: str, code: str, former: str, since: date, how: str
) -> None:
    result = index.resolve(query)
    assert result.found is not None
    assert result.found.code == code
    assert result.former is not None
    assert (result.former.name_vi, result.former.since, result.former.how) == (former, since, how)


def test_a_current_name_carries_no_former_note(index: TargetIndex) -> None:
    assert index.resolve("Lâm Đồng").former is None
    assert index.resolve("Bộ Tài chính").former is None


def test_program_codes_resolve_exactly(index: TargetIndex) -> None:
    found = index.resolve("nq57").found
    assert found is not None
    assert (found.kind, found.code) == ("program", "NQ57")


def test_coverage_counts_only_words_the_name_has() -> None:
    assert coverage("tai chin", "tai chinh") == 100.0
    assert coverage("cogn nghe", "khoa hoc va cong nghe") == 100.0  # 4 letters, two swapped
    assert coverage("hoc vien ho chi minh", "ho chi minh") < 70.0


def test_a_name_two_bodies_share_is_two_candidates_never_a_winner() -> None:
    first = Target("agency", "STP1", "Sở Tư pháp", "Department of Justice", (), "", 1)
    second = Target("agency", "STP2", "Sở Tư pháp", "Justice Department", (), "", 2)
    index = build_index([first, second], [])
    for lookup in (index.exact("so tu phap"), index.resolve("Sở Tư pháp")):
        assert (lookup.found, lookup.candidates) == (None, (first, second))
