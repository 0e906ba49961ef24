"""Rasa custom input channels, one package per channel (web chat, WhatsApp, Telegram)."""
