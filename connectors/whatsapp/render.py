"""Plain WhatsApp text for Rasa's rich messages: buttons become numbered options, product
cards a message per product with its link and picture.

WhatsApp free-form messages sent through Twilio have no buttons, so "Ja / Nee" buttons are
written as "1. Ja\n2. Nee" with a short hint, and a bare number in the answer is mapped back to
the button's payload (see `choice_number`). Bodies longer than Twilio's limit are split.
"""

from __future__ import annotations

import re

from bot import texts
from bot.product_links import public_url
from connectors.base import Outbound
from connectors.cards import cards_of

# Twilio refuses a body over 1600 characters (counted in UTF-16 code units, like an emoji = 2).
MAX_BODY = 1600


_CHOICE = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")


def hint(language: str | None) -> str:
    return texts.text("options_hint", language)


def options_block(buttons: list[dict[str, str]], language: str | None) -> str:
    lines = [f"{number}. {button['title']}" for number, button in enumerate(buttons, start=1)]
    return "\n".join(lines) + "\n\n" + hint(language)


def render(message: Outbound, language: str | None) -> str:
    """The WhatsApp body of one outbound message (without its image)."""
    body = message.text.strip()
    if message.author == "agent" and body:
        label = texts.text("agent_label", language)
        author = f"{message.agent_name} ({label})" if message.agent_name else label.capitalize()
        body = f"{author}: {body}"
    if message.buttons:
        options = options_block(message.buttons, language)
        body = f"{body}\n\n{options}" if body else options
    return body


def parts(
    message: Outbound, language: str | None, shop_url: str | None = None
) -> list[tuple[str, str | None]]:
    """The (body, media URL) messages one outbound message becomes on WhatsApp.

    Product cards: the intro, then per product its facts and page link with its picture as
    media (when Twilio can fetch it: an absolute URL, or a site-relative one and the shop's
    public address), then the buttons as numbered options, as for any message."""
    cards = cards_of(message.product_cards) if message.author == "bot" else []
    if not cards:
        bodies = split_body(render(message, language)) or [""]
        return [(body, message.image if index == 0 else None) for index, body in enumerate(bodies)]
    intro = str((message.product_cards or {}).get("intro") or "")
    found: list[tuple[str, str | None]] = [(body, None) for body in split_body(intro)]
    for card in cards:
        link = public_url(card.url, shop_url)
        body = f"{card.caption()}\n{link}" if link else card.caption()
        found.append((split_body(body)[0], public_url(card.photo or card.image, shop_url)))
    if message.buttons:
        found.append((options_block(message.buttons, language), None))
    return found


def choice_number(text: str) -> int | None:
    """The option a customer picked by typing its number ("2", "2.", " 2 ", "2)"), if any."""
    match = _CHOICE.match(text or "")
    if match is None:
        return None
    number = int(match.group(1))
    return number if number >= 1 else None


def pick(buttons: list[dict[str, str]], number: int) -> dict[str, str] | None:
    if 1 <= number <= len(buttons):
        return buttons[number - 1]
    return None


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _fit(text: str, limit: int) -> int:
    """How many characters of `text` fit in `limit` UTF-16 code units."""
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > limit:
            return index
    return len(text)


def split_body(text: str, limit: int = MAX_BODY) -> list[str]:
    """Cut `text` into parts of at most `limit`, at a paragraph, line, sentence or word break."""
    parts: list[str] = []
    rest = text.strip()
    while utf16_length(rest) > limit:
        window = rest[: _fit(rest, limit)]
        cut = -1
        for separator in ("\n\n", "\n", ". ", " "):
            position = window.rfind(separator)
            if position > len(window) // 3:
                cut = position + (1 if separator == ". " else 0)
                break
        if cut <= 0:
            cut = len(window)
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts
