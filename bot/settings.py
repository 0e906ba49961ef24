"""One typed settings object, built from the environment."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """Where Klantreis keeps its data and how its processes find each other."""

    runtime_dir: Path = field(default_factory=lambda: PROJECT_ROOT / "runtime")
    database_url: str = ""
    rasa_port: int = 5005
    action_port: int = 5055
    web_port: int = 8000
    models_dir: Path = field(default_factory=lambda: PROJECT_ROOT / "models")
    retailer_file: Path = field(default_factory=lambda: PROJECT_ROOT / "config" / "retailer.yml")

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
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        runtime = Path(env.get("KLANTREIS_RUNTIME_DIR", str(PROJECT_ROOT / "runtime")))
        return cls(
            runtime_dir=runtime,
            database_url=env.get("DATABASE_URL", ""),
            rasa_port=int(env.get("KLANTREIS_RASA_PORT", "5005")),
            action_port=int(env.get("KLANTREIS_ACTION_PORT", "5055")),
            web_port=int(env.get("KLANTREIS_WEB_PORT", "8000")),
            models_dir=Path(env.get("KLANTREIS_MODELS_DIR", str(PROJECT_ROOT / "models"))),
            retailer_file=Path(
                env.get("KLANTREIS_RETAILER_FILE", str(PROJECT_ROOT / "config" / "retailer.yml"))
            ),
        )


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


def token_key(settings: Settings, environ: dict[str, str] | None = None) -> bytes:
    """The key that signs customer tokens: KLANTREIS_TOKEN_KEY, else one made for this install.

    The generated key lives in the runtime folder, so every process of one installation shares
    it and it survives restarts; production sets KLANTREIS_TOKEN_KEY.
    """
    env = os.environ if environ is None else environ
    configured = env.get("KLANTREIS_TOKEN_KEY", "")
    if configured:
        return configured.encode("utf-8")
    return _runtime_secret(settings, "token.key").encode("ascii")


def rasa_token(settings: Settings, environ: dict[str, str] | None = None) -> str:
    """The token Rasa's HTTP API requires (`--auth-token`): KLANTREIS_RASA_TOKEN, else generated.

    Without it anyone who reaches Rasa's port could make the bot message any customer through
    `/conversations/<id>/trigger_intent`.
    """
    env = os.environ if environ is None else environ
    return env.get("KLANTREIS_RASA_TOKEN", "") or _runtime_secret(settings, "rasa.token")


def carrier_secret(environ: dict[str, str] | None = None) -> str:
    """The secret carriers sign their webhooks with: KLANTREIS_CARRIER_SECRET (none: webhook off).

    No generated fallback: the carrier must be told the same secret, so the operator sets it.
    """
    env = os.environ if environ is None else environ
    return env.get("KLANTREIS_CARRIER_SECRET", "")
