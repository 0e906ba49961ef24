"""One typed settings object: every environment variable Klantreis reads, read here.

Each process builds it once at its entry point (`Settings.from_env()`), and passes it (or the
part a component needs) on; components Rasa builds itself (actions, channels, NLU components)
build it where they start. Values are checked here, and a wrong one names its variable and
what to set, so nothing fails later with a bare ValueError.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


class SettingsError(ValueError):
    """A configuration value is wrong; the message names the variable and what to set."""


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        port = int(raw)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise SettingsError(f"{name} must be a port number from 1 to 65535, not {raw!r}")
    return port


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise SettingsError(f"{name} must be 1 or 0 (yes/no, true/false), not {raw!r}")


def _text(env: Mapping[str, str], name: str) -> str:
    return env.get(name, "").strip()


def _base_url(env: Mapping[str, str], name: str) -> str:
    raw = _text(env, name).rstrip("/")
    parts = urlsplit(raw)
    if raw and (parts.scheme not in ("http", "https") or not parts.netloc):
        raise SettingsError(f"{name} must be an http(s) address, like https://shop.example.nl")
    return raw


@dataclass(frozen=True)
class TwilioSettings:
    """WhatsApp through Twilio (TWILIO_*); checked by the channel's own config when it starts."""

    account_sid: str = field(default="", repr=False)
    auth_token: str = field(default="", repr=False)
    whatsapp_from: str = ""
    messaging_service_sid: str = ""
    content_sid: str = ""  # an approved template, for messages outside the 24-hour window
    api_base: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> TwilioSettings:
        return cls(
            account_sid=_text(env, "TWILIO_ACCOUNT_SID"),
            auth_token=_text(env, "TWILIO_AUTH_TOKEN"),
            whatsapp_from=_text(env, "TWILIO_WHATSAPP_FROM"),
            messaging_service_sid=_text(env, "TWILIO_MESSAGING_SERVICE_SID"),
            content_sid=_text(env, "TWILIO_CONTENT_SID"),
            api_base=_text(env, "TWILIO_API_BASE"),
        )


@dataclass(frozen=True)
class TelegramSettings:
    """Telegram (TELEGRAM_*); checked by the channel's own config when it starts."""

    bot_token: str = field(default="", repr=False)
    mode: str = ""
    webhook_secret: str = field(default="", repr=False)
    bot_username: str = ""
    api_base: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> TelegramSettings:
        return cls(
            bot_token=_text(env, "TELEGRAM_BOT_TOKEN"),
            mode=_text(env, "TELEGRAM_MODE").lower(),
            webhook_secret=_text(env, "TELEGRAM_WEBHOOK_SECRET"),
            bot_username=_text(env, "TELEGRAM_BOT_USERNAME").lstrip("@"),
            api_base=_text(env, "TELEGRAM_API_BASE"),
        )


@dataclass(frozen=True)
class Settings:
    """Where Klantreis keeps its data, how its processes find each other, and its secrets."""

    runtime_dir: Path = field(default_factory=lambda: PROJECT_ROOT / "runtime")
    database_url: str = ""
    rasa_port: int = 5005
    action_port: int = 5055
    web_port: int = 8000
    models_dir: Path = field(default_factory=lambda: PROJECT_ROOT / "models")
    retailer_file: Path = field(default_factory=lambda: PROJECT_ROOT / "config" / "retailer.yml")
    advice_file: Path = field(default_factory=lambda: PROJECT_ROOT / "data" / "demo" / "advice.yml")
    public_url: str = ""
    # Where shoppers reach the shop's pages and pictures (the demo shop: the services app).
    # Site-relative card links become absolute against it for Telegram and WhatsApp.
    shop_url: str = ""
    trust_proxy: bool | None = None  # None: not set here (credentials.yml may say)
    secure_cookies: bool = False
    demo_logins: bool = True
    token_key: str = field(default="", repr=False)
    rasa_token: str = field(default="", repr=False)
    agent_password: str = field(default="", repr=False)
    # The secret carriers sign their webhooks with; no generated fallback, as the carrier must be
    # told the same secret (none: the carrier webhook is off).
    carrier_secret: str = field(default="", repr=False)
    # The secret the shop's back office or payment provider signs add-to-order answers with
    # (POST /shop/order-additions/<id>); none: that webhook is off.
    shop_secret: str = field(default="", repr=False)
    rest_token: str = field(default="", repr=False)  # set: the REST channel needs a Bearer token
    twilio: TwilioSettings = field(default_factory=TwilioSettings)
    telegram: TelegramSettings = field(default_factory=TelegramSettings)
    # A listening socket Rasa inherits instead of binding its port (bot/rasa_server.py).
    rasa_listen_fd: int | None = None

    def __post_init__(self) -> None:
        if not self.database_url:
            object.__setattr__(
                self, "database_url", f"sqlite:///{self.runtime_dir / 'klantreis.db'}"
            )

    @property
    def patterns_file(self) -> Path:
        """Catalogue patterns for the product recogniser, rebuilt after each import."""
        return self.runtime_dir / "catalogue_patterns.json"

    @property
    def action_server_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}/webhook"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        runtime = Path(env.get("KLANTREIS_RUNTIME_DIR") or PROJECT_ROOT / "runtime")
        retailer_file = Path(
            env.get("KLANTREIS_RETAILER_FILE") or PROJECT_ROOT / "config" / "retailer.yml"
        )
        if not retailer_file.is_file():
            raise SettingsError(
                f"KLANTREIS_RETAILER_FILE: there is no file {retailer_file}; set it to the "
                "retailer's facts file (like config/retailer.yml) or unset it"
            )
        return cls(
            runtime_dir=runtime,
            database_url=_text(env, "DATABASE_URL"),
            rasa_port=_port(env, "KLANTREIS_RASA_PORT", 5005),
            action_port=_port(env, "KLANTREIS_ACTION_PORT", 5055),
            web_port=_port(env, "KLANTREIS_WEB_PORT", 8000),
            models_dir=Path(env.get("KLANTREIS_MODELS_DIR") or PROJECT_ROOT / "models"),
            retailer_file=retailer_file,
            advice_file=Path(
                env.get("KLANTREIS_ADVICE_FILE") or PROJECT_ROOT / "data" / "demo" / "advice.yml"
            ),
            public_url=_text(env, "KLANTREIS_PUBLIC_URL").rstrip("/"),
            shop_url=_base_url(env, "KLANTREIS_SHOP_URL"),
            trust_proxy=_flag(env, "KLANTREIS_TRUST_PROXY", False)
            if _text(env, "KLANTREIS_TRUST_PROXY")
            else None,
            secure_cookies=_flag(env, "KLANTREIS_SECURE_COOKIES", False),
            demo_logins=_flag(env, "KLANTREIS_DEMO", True),
            token_key=env.get("KLANTREIS_TOKEN_KEY", ""),
            rasa_token=env.get("KLANTREIS_RASA_TOKEN", ""),
            agent_password=env.get("KLANTREIS_AGENT_PASSWORD", ""),
            carrier_secret=env.get("KLANTREIS_CARRIER_SECRET", ""),
            shop_secret=env.get("KLANTREIS_SHOP_SECRET", ""),
            rest_token=env.get("KLANTREIS_REST_TOKEN", ""),
            twilio=TwilioSettings.from_env(env),
            telegram=TelegramSettings.from_env(env),
            rasa_listen_fd=_listen_fd(env),
        )


def _listen_fd(env: Mapping[str, str]) -> int | None:
    """The listening socket this process inherits, if any: systemd's socket activation
    (`LISTEN_FDS=1` for this pid: file descriptor 3) or `klantreis run`'s supervisor, which
    keeps Rasa's port open while Rasa restarts (`KLANTREIS_RASA_LISTEN_FD`)."""
    if env.get("LISTEN_FDS") and env.get("LISTEN_PID") == str(os.getpid()):
        if env["LISTEN_FDS"] != "1":
            raise SettingsError(
                "LISTEN_FDS: the Rasa server takes exactly one socket; give its .socket unit "
                "one ListenStream"
            )
        return 3
    value = env.get("KLANTREIS_RASA_LISTEN_FD", "")
    if not value:
        return None
    if not value.isdigit():
        raise SettingsError("KLANTREIS_RASA_LISTEN_FD: must be a file descriptor number")
    return int(value)


def inherited_environment() -> dict[str, str]:
    """The environment a child process (Rasa, the action server) starts from: this one's,
    so the children build the same Settings."""
    return dict(os.environ)


def _runtime_secret(settings: Settings, filename: str) -> str:
    """A random secret made once for this installation, in the runtime folder (mode 600)."""
    path = settings.runtime_dir / filename
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process of this installation made it just now
        else:
            with os.fdopen(descriptor, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(32))
    return path.read_text(encoding="ascii").strip()


def token_key(settings: Settings) -> bytes:
    """The key that signs customer tokens: KLANTREIS_TOKEN_KEY, else one made for this install.

    The generated key lives in the runtime folder, so every process of one installation shares
    it and it survives restarts; production sets KLANTREIS_TOKEN_KEY.
    """
    if settings.token_key:
        return settings.token_key.encode("utf-8")
    return _runtime_secret(settings, "token.key").encode("ascii")


def rasa_token(settings: Settings) -> str:
    """The token Rasa's HTTP API requires (`--auth-token`): KLANTREIS_RASA_TOKEN, else generated.

    Without it anyone who reaches Rasa's port could make the bot message any customer through
    `/conversations/<id>/trigger_intent`.
    """
    return settings.rasa_token or _runtime_secret(settings, "rasa.token")
