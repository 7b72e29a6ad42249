"""Settings from the environment and `.env`, validated once at start."""

from __future__ import annotations

import re
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

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
    "completion_threshold": "DONDOC_COMPLETION_THRESHOLD",
}


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
    # /status counts the agencies whose completion share reaches this percentage.
    completion_threshold: int = Field(
        default=70,
        ge=1,
        le=100,
        validation_alias=AliasChoices(
            "DONDOC_COMPLETION_THRESHOLD", "dondoc_completion_threshold"
        ),
    )

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
