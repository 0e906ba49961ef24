"""Rasa's endpoints for this installation, written from Settings at start-up."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import yaml
from sqlalchemy.engine import make_url

from bot.settings import PROJECT_ROOT, Settings

SWITCHED_OFF = ("off", "0", "false", "no")


def endpoints(settings: Settings) -> dict[str, object]:
    """Action server (also the NLG endpoint: every text from bot/texts/) plus the SQL tracker
    store on the customer store's own database.

    The tracker store is Rasa's SQL store with per-request failures contained
    (bot/tracker_store.py): Rasa's own exits the process on a bad sender id.
    """
    url = make_url(settings.database_url)
    return {
        # The domain goes only to the actions marked `send_domain` in domain.yml: every other
        # call (several per message) carries just the tracker (docs/dialogue.md).
        "action_endpoint": {"url": settings.action_server_url, "enable_selective_domain": True},
        "nlg": {"url": nlg_url(settings.action_server_url)},
        "tracker_store": {
            "type": "bot.tracker_store.ContainedSQLTrackerStore",
            "dialect": url.get_backend_name(),
            # Rasa takes a full URL in `url` as is: one database for customers and chats.
            "url": url.render_as_string(hide_password=False),
            "db": url.database or "",
        },
        "lock_store": {"type": "in_memory"},
    }


def nlg_url(action_server_url: str) -> str:
    """The action server's /nlg route, next to its /webhook."""
    base = action_server_url.rstrip("/")
    base = base.removesuffix("/webhook")
    return f"{base}/nlg"


def write_endpoints(settings: Settings) -> Path:
    path = settings.runtime_dir / "endpoints.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(endpoints(settings), sort_keys=False), encoding="utf-8")
    path.chmod(0o600)  # may hold a database password
    return path


def credentials(environ: Mapping[str, str], source: Path | None = None) -> dict[str, object]:
    """The channels of credentials.yml that are on: every `requires` variable set, and the
    `switch` variable, if the channel has one, not set to off."""
    path = source or PROJECT_ROOT / "credentials.yml"
    channels = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    enabled: dict[str, object] = {}
    for name, options in channels.items():
        settings = options if isinstance(options, dict) else {}
        required = settings.get("requires", [])
        switch = str(settings.get("switch") or "")
        switched_off = bool(switch) and environ.get(switch, "").strip().lower() in SWITCHED_OFF
        if all(environ.get(variable) for variable in required) and not switched_off:
            enabled[name] = options
    return enabled


def write_credentials(settings: Settings, environ: Mapping[str, str]) -> Path:
    path = settings.runtime_dir / "credentials.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(credentials(environ), sort_keys=False), encoding="utf-8")
    return path
