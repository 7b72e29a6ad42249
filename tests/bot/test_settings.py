"""Settings: defaults, parsing, and one clear line per bad variable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.settings import ENV_NAMES, Settings, SettingsError, load_settings
from services.importer import ReadLimits


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    for name in ENV_NAMES.values():  # every setting, the import limits too
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
    assert s.completion_threshold == 70


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
        ("DONDOC_COMPLETION_THRESHOLD", "0"),
        ("DONDOC_COMPLETION_THRESHOLD", "101"),
        ("DONDOC_COMPLETION_THRESHOLD", "70%"),
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


# --- d: settings in one line ---

PG = "postgresql+asyncpg://dondoc:pw@db.example:5432/dondoc"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("postgresql+asyncpg://dondoc@db.example:54x2/dondoc", "the port must be a number"),
        ("postgresql+asyncpg://dondoc@db.example:99999/dondoc", "the port must be a number"),
        (PG + "?sslmode=required", "sslmode must be one of disable, allow, prefer, require"),
        (PG + "?ssl=on", "ssl must be one of"),
        (PG + "?application_name=x", "unknown parameter 'application_name' after '?'"),
        (PG + "?connect_timeout=soon", "connect_timeout must be a whole number of seconds"),
    ],
)
def test_a_database_url_asyncpg_would_choke_on_is_one_line(
    monkeypatch: pytest.MonkeyPatch, url: str, reason: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value).startswith(f"DATABASE_URL: {reason}")
    assert "pw" not in str(caught.value)  # the URL (and its password) is never quoted


@pytest.mark.parametrize(
    "query", ["?sslmode=require", "?sslmode=verify-full&connect_timeout=10", "?ssl=disable"]
)
def test_libpq_options_are_accepted(monkeypatch: pytest.MonkeyPatch, query: str) -> None:
    monkeypatch.setenv("DATABASE_URL", PG + query)
    assert load_settings().database_url == PG + query


def _env_file(tmp_path: Path, content: bytes) -> None:
    (tmp_path / ".env").write_bytes(content)


def test_an_env_file_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    _env_file(tmp_path, b"DONDOC_LANGUAGE=vi\n# Th\xf4ng tin c\xf4ng t\xe1c\nDONDOC_ADMINS=1\n")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value) == ".env: line 2 is not UTF-8 text; please save the file as UTF-8"


def test_an_env_file_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    _env_file(tmp_path, "\ufeffDONDOC_LANGUAGE=en\n".encode())  # as Notepad saves UTF-8
    assert load_settings().language == "en"


def test_other_programs_keys_in_the_env_file_are_ignored(tmp_path: Path) -> None:
    _env_file(tmp_path, b"POSTGRES_PASSWORD=x\nCOMPOSE_PROJECT_NAME=y\nDONDOC_LANGUAGE=en\n")
    assert load_settings().language == "en"


def test_a_misspelt_dondoc_key_in_the_env_file_is_named(tmp_path: Path) -> None:
    _env_file(tmp_path, b"DONDOC_ADMIN=111\n")  # DONDOC_ADMINS: the bot would have no admin
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value) == (
        "DONDOC_ADMIN: unknown setting in .env (did you mean DONDOC_ADMINS?)"
    )


def test_completion_threshold_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DONDOC_COMPLETION_THRESHOLD", "80")
    assert load_settings().completion_threshold == 80


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


ROOT = Path(__file__).resolve().parents[2]


def _as_written(default: object) -> str:
    """A default as `.env` would spell it."""
    if default is None:
        return ""
    if isinstance(default, frozenset):
        return ",".join(sorted(map(str, default)))
    if isinstance(default, float):
        return f"{default:g}"
    return str(default)


def test_env_example_and_readme_list_every_setting_with_its_default() -> None:
    # An operator learns the settings from these two files: a setting the code reads and
    # they leave out cannot be found, one they name that the code ignores misleads.
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    example = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
    table = re.findall(r"^\| `([A-Z_]+)` \| (.+?) \|", (ROOT / "README.md").read_text(), re.M)
    readme = dict(table)
    assert set(example) == set(ENV_NAMES.values())
    assert set(readme) == set(ENV_NAMES.values())
    for field, name in ENV_NAMES.items():
        default = _as_written(Settings.model_fields[field].default)
        assert example[name] == default, name
        if default:
            assert readme[name] == f"`{default}`", name
        else:
            assert readme[name] in ("—", "empty"), name
