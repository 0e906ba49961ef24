"""Posting to the bot the way Twilio and Telegram do: signed, with their headers."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from tests.helpers.fake_twilio import AUTH_TOKEN, form_body, incoming_message, sign


def post_whatsapp(rasa_url: str, public_url: str, phone: str, text: str) -> None:
    """An incoming WhatsApp message, signed as Twilio signs it for `public_url`."""
    form = incoming_message(phone, text)
    request = urllib.request.Request(
        f"{rasa_url}/webhooks/whatsapp/webhook",
        data=form_body(form).encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": sign(AUTH_TOKEN, f"{public_url}/webhooks/whatsapp/webhook", form),
        },
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 200
        assert response.read() == b"<Response/>"


def post_telegram(rasa_url: str, update: dict[str, Any], secret: str) -> None:
    """A Telegram update, with the webhook's secret token; Rasa has answered on return."""
    request = urllib.request.Request(
        f"{rasa_url}/webhooks/telegram/webhook",
        data=json.dumps(update).encode(),
        headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 200
