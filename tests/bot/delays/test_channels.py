"""Channel choice: consent for service messages first, the channel the customer last used."""

from sqlalchemy.orm import Session

from bot.delays.channels import candidates
from bot.store import timeline
from tests.helpers import delays as shop

ORDER = ("whatsapp", "telegram", "web")


def test_without_consent_nothing_is_reachable_and_the_reason_says_so(session: Session) -> None:
    person = shop.customer(session, consents={"email": True})
    found = candidates(session, customer_id=person.id, order=("whatsapp", "telegram"))
    assert found.conversations == ()
    assert found.reason == (
        "no consent for service messages on any channel served (whatsapp, telegram)"
    )


def test_whatsapp_with_consent_uses_the_number_on_file(session: Session) -> None:
    person = shop.customer(session, consents={"whatsapp": True})
    found = candidates(session, customer_id=person.id, order=ORDER)
    assert found.conversations == ("whatsapp:+31612345678",)


def test_a_withdrawn_consent_is_honoured(session: Session) -> None:
    person = shop.customer(session, consents={"whatsapp": False, "telegram": True, "web": False})
    shop.identity(session, person, "web", "sessie-1")
    found = candidates(session, customer_id=person.id, order=ORDER)
    assert found.conversations == ()
    assert found.reason == (
        "no reachable channel with consent for service messages (served: whatsapp, telegram, web)"
    )


def test_the_channel_the_customer_last_wrote_on_comes_first(session: Session) -> None:
    person = shop.customer(session, consents={"whatsapp": True, "telegram": True})
    shop.identity(session, person, "telegram", "4242")
    shop.identity(session, person, "web", "sessie-2")
    timeline.record_inbound(
        session,
        customer_id=person.id,
        conversation_id="telegram:4242",
        channel="telegram",
        text="hoi",
    )
    found = candidates(session, customer_id=person.id, order=ORDER)
    assert found.conversations == ("telegram:4242", "whatsapp:+31612345678", "web:sessie-2")
