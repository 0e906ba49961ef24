"""The Telegram channel (python-telegram-bot), as a Rasa custom input channel.

credentials.yml: `connectors.telegram.TelegramInput` (settings from the environment, see
docs/telegram.md).
"""

from connectors.telegram.channel import TelegramInput
from connectors.telegram.config import TelegramConfig, TelegramConfigError
from connectors.telegram.deeplink import deep_link, sign_start_token, verify_start_token
from connectors.telegram.output import TelegramOutput
from connectors.telegram.webhook_setup import register_webhook

__all__ = [
    "TelegramConfig",
    "TelegramConfigError",
    "TelegramInput",
    "TelegramOutput",
    "deep_link",
    "register_webhook",
    "sign_start_token",
    "verify_start_token",
]
