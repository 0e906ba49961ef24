"""What a channel says itself, without asking Rasa: short, friendly, in the customer's language."""

from __future__ import annotations

NOTICES: dict[str, dict[str, str]] = {
    "not_text": {
        "nl": "Sorry, ik kan hier alleen tekst lezen. Typ je vraag maar, dan help ik je verder.",
        "en": "Sorry, I can only read text here. Just type your question and I'll help you.",
    },
    "too_long": {
        "nl": "Dat bericht is te lang voor mij. Kun je je vraag wat korter opschrijven?",
        "en": "That message is too long for me. Could you put your question more briefly?",
    },
    "try_again": {
        "nl": "Sorry, daar ging bij mij iets mis. Probeer het over een momentje nog eens.",
        "en": "Sorry, something went wrong on my side. Please try again in a moment.",
    },
    "slow_down": {
        "nl": "Je stuurt veel berichten tegelijk. Ik lees ze allemaal; geef me even een momentje.",
        "en": "You're sending a lot of messages at once. I'm reading them all; give me a moment.",
    },
    "linked": {
        "nl": "Gelukt, {name}! Ik herken je nu ook hier. Waarmee kan ik je helpen?",
        "en": "Done, {name}! I recognise you here now too. How can I help?",
    },
    "link_failed": {
        "nl": "Die link is verlopen of klopt niet. "
        "Vraag in je account op de website een nieuwe aan.",
        "en": "That link has expired or isn't valid. "
        "Ask for a new one in your account on the website.",
    },
    "contact_unknown": {
        "nl": "Bedankt! Ik vind geen klant met dit nummer. Je kunt je bestelnummer en postcode "
        "sturen, dan zoek ik het zo op.",
        "en": "Thanks! I can't find a customer with this number. Send me your order number and "
        "postcode and I'll look it up.",
    },
    "contact_not_yours": {
        "nl": "Deel alsjeblieft je eigen nummer via de knop hieronder, niet dat van iemand anders.",
        "en": "Please share your own number with the button below, not someone else's.",
    },
    "share_phone": {
        "nl": "Deel je telefoonnummer",
        "en": "Share my phone number",
    },
}


def notice(key: str, language: str | None, **values: str) -> str:
    texts = NOTICES[key]
    return texts.get(language or "nl", texts["nl"]).format(**values)
