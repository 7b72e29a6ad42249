"""Settings: defaults, parsing, and one clear line per bad variable."""

from __future__ import annotations

import pytest

from bot.settings import SettingsError, load_settings
from services.importer import ReadLimits


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    for name in (
        "TELEGRAM_BOT_TOKEN",
        "DATABASE_URL",
        "DONDOC_ADMINS",
        "DONDOC_TIMEZONE",
        "DONDOC_LANGUAGE",
        "TELEGRAM_API_BASE_URL",
        "TELEGRAM_API_BASE_FILE_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(str(tmp_path))  # no stray .env


def test_defaults() -> None:
    s = load_settings()
    assert s.telegram_api_base_url == "https://api.telegram.org/bot"
    assert s.telegram_api_base_file_url == "https://api.telegram.org/file/bot"
    assert s.database_url.startswith("sqlite+aiosqlite:///")
    assert s.timezone == "Asia/Ho_Chi_Minh"
    assert s.language == "vi"
    assert s.admins == frozenset()


def test_admins_are_parsed_from_a_comma_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DONDOC_ADMINS", " 111, 222 ,")
    assert load_settings().admins == {111, 222}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DONDOC_ADMINS", "alice,bob"),
        ("DONDOC_TIMEZONE", "Mars/Olympus"),
        ("DONDOC_LANGUAGE", "fr"),
        ("DATABASE_URL", "mysql://x"),
        ("TELEGRAM_API_BASE_URL", "ftp://x"),
    ],
)
def test_bad_values_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=rf"^{name}: "):
        load_settings()


def test_run_requires_a_token() -> None:
    with pytest.raises(SettingsError, match=r"^TELEGRAM_BOT_TOKEN: "):
        load_settings(require_token=True)


def test_token_is_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:ABC")
    s = load_settings(require_token=True)
    assert "123:ABC" not in repr(s)
    assert s.token() == "123:ABC"


def test_empty_token_from_a_copied_env_example_means_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "")
    assert load_settings().telegram_bot_token is None
    with pytest.raises(SettingsError, match=r"^TELEGRAM_BOT_TOKEN: "):
        load_settings(require_token=True)


def test_a_malformed_token_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "not a token")
    with pytest.raises(SettingsError, match=r"^TELEGRAM_BOT_TOKEN: .*BotFather"):
        load_settings()


# --- c: import limits ---------------------------------------------------------------------

IMPORT_LIMITS = (
    "DONDOC_IMPORT_MAX_ROWS",
    "DONDOC_IMPORT_MAX_COLUMNS",
    "DONDOC_IMPORT_MAX_UNPACKED_MB",
    "DONDOC_IMPORT_MEMORY_MB",
    "DONDOC_IMPORT_TIMEOUT",
)


def test_import_limits_default_to_the_readers(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in IMPORT_LIMITS:
        monkeypatch.delenv(name, raising=False)
    assert load_settings().import_limits() == ReadLimits()


def test_import_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in zip(IMPORT_LIMITS, ("1000", "20", "50", "256", "7.5"), strict=True):
        monkeypatch.setenv(name, value)
    assert load_settings().import_limits() == ReadLimits(1000, 20, 50, 256, 7.5)


@pytest.mark.parametrize("name", IMPORT_LIMITS)
@pytest.mark.parametrize("value", ["0", "-5", "many"])
def test_bad_import_limits_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=rf"^{name}: "):
        load_settings()
