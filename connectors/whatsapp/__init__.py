"""WhatsApp through Twilio: input channel, output channel and the 24-hour window."""

from bot.store.service_window import window_closes_at, within_window
from connectors.whatsapp.channel import WhatsAppInput
from connectors.whatsapp.config import ConfigError, WhatsAppConfig
from connectors.whatsapp.output import WhatsAppOutput

__all__ = [
    "ConfigError",
    "WhatsAppConfig",
    "WhatsAppInput",
    "WhatsAppOutput",
    "window_closes_at",
    "within_window",
]
