"""Settings from the environment and `.env`, validated once at start."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

if TYPE_CHECKING:
    from services.importer import ReadLimits

DEFAULT_API_URL = "https://api.telegram.org/bot"
TOKEN_SHAPE = re.compile(r"\d+:[A-Za-z0-9_-]+")
DEFAULT_FILE_URL = "https://api.telegram.org/file/bot"

# pydantic field name -> environment variable, for error messages.
ENV_NAMES = {
    "telegram_bot_token": "TELEGRAM_BOT_TOKEN",
    "telegram_api_base_url": "TELEGRAM_API_BASE_URL",
    "telegram_api_base_file_url": "TELEGRAM_API_BASE_FILE_URL",
    "database_url": "DATABASE_URL",
    "admins": "DONDOC_ADMINS",
    "timezone": "DONDOC_TIMEZONE",
    "language": "DONDOC_LANGUAGE",
    "import_max_rows": "DONDOC_IMPORT_MAX_ROWS",
    "import_max_columns": "DONDOC_IMPORT_MAX_COLUMNS",
    "import_max_unpacked_mb": "DONDOC_IMPORT_MAX_UNPACKED_MB",
    "import_memory_mb": "DONDOC_IMPORT_MEMORY_MB",
    "import_timeout": "DONDOC_IMPORT_TIMEOUT",
}


def _env(field: str) -> AliasChoices:
    """A field's environment variable, in upper or lower case."""
    return AliasChoices(ENV_NAMES[field], ENV_NAMES[field].lower())


class Settings(BaseSettings):
    """Everything dondoc reads from its environment."""

    model_config = SettingsConfigDict(
        env_file=".env", extra="forbid", frozen=True, validate_by_name=True
    )

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = DEFAULT_API_URL
    telegram_api_base_file_url: str = DEFAULT_FILE_URL
    database_url: str = "sqlite+aiosqlite:///dondoc.db"
    admins: Annotated[frozenset[int], NoDecode] = Field(
        default=frozenset(), validation_alias=AliasChoices("DONDOC_ADMINS", "dondoc_admins")
    )
    timezone: str = Field(
        default="Asia/Ho_Chi_Minh",
        validation_alias=AliasChoices("DONDOC_TIMEZONE", "dondoc_timezone"),
    )
    language: Literal["vi", "en"] = Field(
        default="vi", validation_alias=AliasChoices("DONDOC_LANGUAGE", "dondoc_language")
    )
    # Limits a register never reaches: a file beyond them is refused before it is parsed.
    import_max_rows: int = Field(default=300_000, gt=0, validation_alias=_env("import_max_rows"))
    import_max_columns: int = Field(default=200, gt=0, validation_alias=_env("import_max_columns"))
    import_max_unpacked_mb: int = Field(
        default=500, gt=0, validation_alias=_env("import_max_unpacked_mb")
    )
    # A chat upload is read in a child process with this much memory and time.
    import_memory_mb: int = Field(default=1024, gt=0, validation_alias=_env("import_memory_mb"))
    import_timeout: float = Field(default=120.0, gt=0, validation_alias=_env("import_timeout"))

    @field_validator("admins", mode="before")
    @classmethod
    def _parse_admins(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            if not all(p.lstrip("-").isdigit() for p in parts):
                raise ValueError("expected comma-separated Telegram user ids, e.g. 111,222")
            return frozenset(int(p) for p in parts)
        return value

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _check_token(cls, value: object) -> object:
        # `.env.example` copied as is leaves TELEGRAM_BOT_TOKEN= (empty): that means "none".
        if isinstance(value, str | SecretStr):
            raw = value.get_secret_value() if isinstance(value, SecretStr) else value
            if not raw.strip():
                return None
            if not TOKEN_SHAPE.fullmatch(raw.strip()):
                raise ValueError(
                    "does not look like a bot token (123456789:AA...) from @BotFather"
                )
            return raw.strip()
        return value

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("telegram_api_base_url", "telegram_api_base_file_url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("database_url")
    @classmethod
    def _check_db_url(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("use sqlite+aiosqlite:///FILE or postgresql+asyncpg://USER@HOST/DB")
        return value

    @property
    def tz(self) -> ZoneInfo:
        """The committee's time zone."""
        return ZoneInfo(self.timezone)

    def import_limits(self) -> ReadLimits:
        """The limits a spreadsheet is read under."""
        from services.importer import ReadLimits

        return ReadLimits(
            max_rows=self.import_max_rows,
            max_columns=self.import_max_columns,
            max_unpacked_mb=self.import_max_unpacked_mb,
            memory_mb=self.import_memory_mb,
            timeout=self.import_timeout,
        )

    def token(self) -> str:
        """The bot token, or a stand-in one for offline use."""
        if self.telegram_bot_token is None:
            return "0:offline"
        return self.telegram_bot_token.get_secret_value()


class SettingsError(Exception):
    """A setting is missing or malformed; the message names the variable."""


def load_settings(*, require_token: bool = False, **overrides: object) -> Settings:
    """Load settings, turning validation errors into one readable line."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else "?"
        name = ENV_NAMES.get(field, field.upper())
        # Our validators raise ValueError, which pydantic prefixes with "Value error, ".
        reason = err["msg"].removeprefix("Value error, ")
        raise SettingsError(f"{name}: {reason}") from None
    if require_token and settings.telegram_bot_token is None:
        raise SettingsError(
            "TELEGRAM_BOT_TOKEN: required to run the bot (get one from @BotFather)"
        )
    return settings
