"""Settings from the environment and `.env`, validated once at start."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    DotEnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

if TYPE_CHECKING:
    from services.importer import ReadLimits

DEFAULT_API_URL = "https://api.telegram.org/bot"
TOKEN_SHAPE = re.compile(r"\d+:[A-Za-z0-9_-]+")
DEFAULT_FILE_URL = "https://api.telegram.org/file/bot"
ENV_FILE = ".env"
# What a PostgreSQL URL may carry after "?": libpq's sslmode and connect_timeout (storage.db
# translates them for asyncpg) and the asyncpg/SQLAlchemy names themselves.
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
PG_PARAMETERS = (
    "sslmode",
    "ssl",
    "connect_timeout",
    "host",
    "target_session_attrs",
    "prepared_statement_cache_size",
)

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
    "import_max_rows": "DONDOC_IMPORT_MAX_ROWS",
    "import_max_columns": "DONDOC_IMPORT_MAX_COLUMNS",
    "import_max_unpacked_mb": "DONDOC_IMPORT_MAX_UNPACKED_MB",
    "import_memory_mb": "DONDOC_IMPORT_MEMORY_MB",
    "import_timeout": "DONDOC_IMPORT_TIMEOUT",
    "webhook_url": "DONDOC_WEBHOOK_URL",
    "webhook_listen": "DONDOC_WEBHOOK_LISTEN",
    "webhook_port": "DONDOC_WEBHOOK_PORT",
    "webhook_secret": "DONDOC_WEBHOOK_SECRET",
    "leader_retry": "DONDOC_LEADER_RETRY",
}
# What Telegram accepts as a webhook's secret_token (1-256 of these); 16 at least, so that
# it cannot be guessed and the log redactor can mask it without masking ordinary words.
WEBHOOK_SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,256}")


def _env(field: str) -> AliasChoices:
    """A field's environment variable, in upper or lower case."""
    return AliasChoices(ENV_NAMES[field], ENV_NAMES[field].lower())


class Settings(BaseSettings):
    """Everything dondoc reads from its environment."""

    model_config = SettingsConfigDict(
        env_file=ENV_FILE,
        env_file_encoding="utf-8-sig",  # Windows editors write a BOM; it is not part of a key
        extra="forbid",
        frozen=True,
        validate_by_name=True,
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
    # Limits a register never reaches: a file beyond them is refused before it is parsed.
    import_max_rows: int = Field(default=300_000, gt=0, validation_alias=_env("import_max_rows"))
    import_max_columns: int = Field(default=200, gt=0, validation_alias=_env("import_max_columns"))
    import_max_unpacked_mb: int = Field(
        default=500, gt=0, validation_alias=_env("import_max_unpacked_mb")
    )
    # A chat upload is read in a child process with this much memory and time.
    import_memory_mb: int = Field(default=1024, gt=0, validation_alias=_env("import_memory_mb"))
    import_timeout: float = Field(default=120.0, gt=0, validation_alias=_env("import_timeout"))
    # `dondoc run --webhook`: Telegram posts updates to the public URL (its path is the path
    # served); the server listens on the address and port (behind a TLS proxy or balancer).
    webhook_url: str = Field(default="", validation_alias=_env("webhook_url"))
    webhook_listen: str = Field(default="127.0.0.1", validation_alias=_env("webhook_listen"))
    webhook_port: int = Field(default=8080, ge=1, le=65535, validation_alias=_env("webhook_port"))
    webhook_secret: SecretStr | None = Field(default=None, validation_alias=_env("webhook_secret"))
    # Seconds between a follower's attempts to become the scheduler (jobs/leader.py).
    leader_retry: float = Field(default=15.0, gt=0, validation_alias=_env("leader_retry"))

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

    @field_validator("webhook_url")
    @classmethod
    def _check_webhook_url(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must start with https:// (http:// only for a local Bot API server)")
        return value

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _check_webhook_secret(cls, value: object) -> object:
        # The message never quotes the value: it is a secret.
        raw = value.get_secret_value() if isinstance(value, SecretStr) else value
        if isinstance(raw, str):
            if not raw.strip():
                return None
            if not WEBHOOK_SECRET_SHAPE.fullmatch(raw.strip()):
                raise ValueError("use 16 to 256 characters among A-Z, a-z, 0-9, _ and -")
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
        if value.startswith("postgresql"):
            _check_pg_url(value)
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Read `.env` through `_OwnKeysOnly`; everything else as pydantic-settings does."""
        return init_settings, env_settings, _OwnKeysOnly(settings_cls), file_secret_settings

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


def _check_pg_url(url: str) -> None:
    """Refuse what asyncpg would fail on later with a traceback: a bad port, unknown options."""
    # The messages never quote the URL: it may hold the database password.
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 (parsing it is the check)
    except ValueError:
        raise ValueError("the port must be a number from 0 to 65535") from None
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key not in PG_PARAMETERS:
            accepted = ", ".join(PG_PARAMETERS)
            raise ValueError(f"unknown parameter {key!r} after '?' (accepted: {accepted})")
        if key in ("ssl", "sslmode") and value not in SSL_MODES:
            raise ValueError(f"{key} must be one of {', '.join(SSL_MODES)}")
        if key == "connect_timeout" and not value.isdigit():
            raise ValueError("connect_timeout must be a whole number of seconds")


class _OwnKeysOnly(DotEnvSettingsSource):
    """`.env` may hold other programs' keys: ignore them, but not a misspelt DONDOC_* key."""

    def __call__(self) -> dict[str, Any]:
        ours = {name.lower() for name in (*ENV_NAMES, *ENV_NAMES.values())}
        return {
            key: value
            for key, value in super().__call__().items()
            if key.lower() in ours or key.lower().startswith("dondoc_")
        }


class SettingsError(Exception):
    """A setting is missing or malformed; the message names the variable."""


def load_settings(
    *, require_token: bool = False, webhook: bool = False, **overrides: object
) -> Settings:
    """Load settings, turning validation errors into one readable line."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except UnicodeDecodeError:
        raise SettingsError(_undecodable_env_file()) from None
    except ValidationError as exc:
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else "?"
        name = ENV_NAMES.get(field, field.upper())
        # Our validators raise ValueError, which pydantic prefixes with "Value error, ".
        reason = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            reason = _unknown_key(name)
        raise SettingsError(f"{name}: {reason}") from None
    if require_token and settings.telegram_bot_token is None:
        raise SettingsError(
            "TELEGRAM_BOT_TOKEN: required to run the bot and to make invite links "
            "(get one from @BotFather)"
        )
    if webhook:
        _require_webhook(settings)
    return settings


def _require_webhook(settings: Settings) -> None:
    """`dondoc run --webhook` needs the public URL and the secret every request carries."""
    if not settings.webhook_url:
        raise SettingsError(
            "DONDOC_WEBHOOK_URL: required with --webhook (the public https:// URL Telegram "
            "posts updates to)"
        )
    if settings.webhook_secret is None:
        raise SettingsError(
            "DONDOC_WEBHOOK_SECRET: required with --webhook (16 to 256 characters among "
            "A-Z, a-z, 0-9, _ and -; every request must carry it)"
        )


def _unknown_key(name: str) -> str:
    """Why a DONDOC_* key in `.env` is refused, with the setting it probably meant."""
    close = difflib.get_close_matches(name, ENV_NAMES.values(), n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return f"unknown setting in {ENV_FILE}{hint}"


def _undecodable_env_file() -> str:
    """Where `.env` stops being UTF-8, for the one-line error."""
    data = Path(ENV_FILE).read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return f"{ENV_FILE}: line {line} is not UTF-8 text; please save the file as UTF-8"
    return f"{ENV_FILE}: not UTF-8 text; please save the file as UTF-8"
