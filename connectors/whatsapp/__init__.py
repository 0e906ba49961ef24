"""WhatsApp through Twilio: input channel, output channel and the 24-hour window."""

from connectors.whatsapp.channel import WhatsAppInput
from connectors.whatsapp.config import ConfigError, WhatsAppConfig
from connectors.whatsapp.output import WhatsAppOutput
from connectors.whatsapp.window import window_closes_at, within_window

__all__ = [
    "ConfigError",
    "WhatsAppConfig",
    "WhatsAppInput",
    "WhatsAppOutput",
    "window_closes_at",
    "within_window",
]
