"""The WhatsApp channel's settings: secrets from the environment only, never in logs or reprs.

The environment is read by bot.settings (TWILIO_*, KLANTREIS_PUBLIC_URL, KLANTREIS_TRUST_PROXY);
non-secret options may also come from credentials.yml (`public_url`, `whatsapp_from`,
`messaging_service_sid`, `content_sid`, `trust_proxy`, `timeout`); the environment wins.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from bot.settings import Settings
from bot.suggestions.config import MarketingTemplate, load_config

logger = logging.getLogger(__name__)

SECRET_OPTIONS = ("account_sid", "auth_token", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN")


class ConfigError(ValueError):
    """The channel is not configured well enough to run; the message names the variable."""


def _base_url(value: str | None, variable: str) -> str | None:
    if not value:
        return None
    value = value.strip().rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{variable} must be an http(s) URL, like https://bot.example.nl")
    return value


def _sender(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    return value if value.startswith("whatsapp:") else f"whatsapp:{value}"


def _mask(sid: str) -> str:
    return f"{sid[:2]}…{sid[-4:]}" if len(sid) > 8 else "…"


@dataclass(frozen=True)
class WhatsAppConfig:
    """Everything the channel needs to talk to Twilio. `repr` hides the token and most of the
    account SID, so the object can be logged or end up in a traceback safely."""

    account_sid: str = field(repr=False)
    auth_token: str = field(repr=False)
    whatsapp_from: str | None = None
    messaging_service_sid: str | None = None
    content_sid: str | None = None
    public_url: str | None = None
    trust_proxy: bool = False
    api_base: str | None = None
    timeout: float = 10.0
    shop_url: str | None = None  # where product pictures are public (KLANTREIS_SHOP_URL)
    # Approved marketing templates per language (retailer file, suggestions:), for proactive
    # offers outside the 24-hour window; the service template above never carries an offer.
    marketing_templates: Mapping[str, MarketingTemplate] = field(default_factory=dict)

    def __repr__(self) -> str:
        return (
            f"WhatsAppConfig(account_sid={_mask(self.account_sid)!r}, auth_token='***', "
            f"whatsapp_from={self.whatsapp_from!r}, "
            f"messaging_service_sid={self.messaging_service_sid!r}, "
            f"content_sid={self.content_sid!r}, public_url={self.public_url!r}, "
            f"trust_proxy={self.trust_proxy!r}, api_base={self.api_base!r})"
        )

    __str__ = __repr__

    @property
    def can_send(self) -> bool:
        return bool(self.whatsapp_from or self.messaging_service_sid)

    def status_callback(self) -> str | None:
        """Where Twilio reports delivery; None when no public URL is known."""
        if not self.public_url:
            return None
        return f"{self.public_url}/webhooks/whatsapp/status"

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, options: Mapping[str, Any] | None = None
    ) -> WhatsAppConfig:
        """From these environment variables (the process's by default), through Settings."""
        return cls.from_settings(Settings.from_env(environ), options)

    @classmethod
    def from_settings(
        cls, settings: Settings, options: Mapping[str, Any] | None = None
    ) -> WhatsAppConfig:
        """From the installation's settings and the channel's entry in credentials.yml."""
        twilio = settings.twilio
        configured: dict[str, object] = {
            "whatsapp_from": twilio.whatsapp_from,
            "messaging_service_sid": twilio.messaging_service_sid,
            "content_sid": twilio.content_sid,
            "public_url": settings.public_url,
            "trust_proxy": {True: "1", False: "0", None: ""}[settings.trust_proxy],
            "api_base": twilio.api_base,
            "shop_url": settings.shop_url,
        }
        options = dict(options or {})
        for name in SECRET_OPTIONS:
            if options.pop(name, None) is not None:
                logger.warning(
                    "whatsapp: ignoring %s in credentials.yml; secrets come from the environment",
                    name,
                )

        def value(option: str) -> str | None:
            found = configured[option] or options.get(option)
            return str(found).strip() if found not in (None, "") else None

        account_sid, auth_token = twilio.account_sid, twilio.auth_token
        missing = [
            name
            for name, found in (
                ("TWILIO_ACCOUNT_SID", account_sid),
                ("TWILIO_AUTH_TOKEN", auth_token),
            )
            if not found
        ]
        if missing:
            raise ConfigError(f"The WhatsApp channel needs {' and '.join(missing)} to be set")
        try:
            timeout = float(options.get("timeout", 10.0))
        except (TypeError, ValueError) as exc:
            raise ConfigError("timeout in credentials.yml must be a number of seconds") from exc
        config = cls(
            account_sid=account_sid,
            auth_token=auth_token,
            whatsapp_from=_sender(value("whatsapp_from")),
            messaging_service_sid=value("messaging_service_sid"),
            content_sid=value("content_sid"),
            public_url=_base_url(value("public_url"), "KLANTREIS_PUBLIC_URL"),
            trust_proxy=(value("trust_proxy") or "").lower() in ("1", "true", "yes", "on"),
            api_base=_base_url(value("api_base"), "TWILIO_API_BASE"),
            timeout=timeout if timeout > 0 else 10.0,
            shop_url=_base_url(value("shop_url"), "KLANTREIS_SHOP_URL"),
            marketing_templates=load_config(settings.retailer_file).marketing_templates,
        )
        if not config.public_url:
            logger.warning(
                "whatsapp: KLANTREIS_PUBLIC_URL is not set: signatures are checked against the "
                "URL of each request and Twilio is not asked for delivery reports"
            )
        if not config.can_send:
            logger.error(
                "whatsapp: neither TWILIO_WHATSAPP_FROM nor TWILIO_MESSAGING_SERVICE_SID is set; "
                "incoming messages are accepted but replies will fail"
            )
        return config
