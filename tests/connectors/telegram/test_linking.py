"""Who is writing: deep links from the shop and a shared phone number link a chat to a customer."""

from __future__ import annotations

import logging
import time

import pytest

from bot.store.models import ContactMessage
from connectors.telegram import sign_start_token
from tests.connectors.telegram.conftest import KEY, OTHER_CHAT, SANNE_CHAT, Served

LINKED_SANNE = "Gelukt, Sanne! Ik herken je nu ook hier. Waarmee kan ik je helpen?"
LINK_FAILED = "Die link is verlopen of klopt niet."


async def test_a_deep_link_links_the_chat_and_the_bot_greets(
    served: Served, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    token = sign_start_token("C1001", KEY)

    answer = await served.post(served.updates.start(SANNE_CHAT, token))

    assert answer.json() == {"status": "processed"}
    identity, customer = await served.identity(SANNE_CHAT)
    assert identity is not None and customer is not None
    assert customer.customer_ref == "C1001"
    assert identity.verified and identity.verification_method == "telegram_deeplink"
    notice, greeting = served.fake.calls_to("sendMessage")
    assert notice["text"] == LINKED_SANNE
    assert notice["reply_markup"] == {"remove_keyboard": True}
    assert served.agent.texts == ["/greet"]
    assert greeting["text"] == "Hoi! Waarmee kan ik je helpen?"
    # The inbound is on Sanne's own timeline now, and the token is nowhere.
    inbound = (await served.timeline(SANNE_CHAT))[0]
    assert inbound.customer_id == customer.id and inbound.text == "/start (link)"
    assert token not in inbound.text and token not in str(inbound.payload)
    assert token not in caplog.text


def forged(token: str) -> str:
    """The same token with one character of its signature changed."""
    last = "A" if token[-1] != "A" else "B"
    return token[:-1] + last


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(lambda: forged(sign_start_token("C1001", KEY)), id="forged"),
        pytest.param(lambda: sign_start_token("C1001", b"another shop's key"), id="wrong-key"),
        pytest.param(
            lambda: sign_start_token("C1001", KEY, ttl_seconds=60, now=time.time() - 3600),
            id="expired",
        ),
        pytest.param(lambda: sign_start_token("C9999", KEY), id="unknown-customer"),
        pytest.param(lambda: "not-a-token", id="garbage"),
    ],
)
async def test_a_bad_deep_link_links_nothing(served: Served, make_token) -> None:  # type: ignore[no-untyped-def]
    answer = await served.post(served.updates.start(SANNE_CHAT, make_token()))

    assert answer.status_code == 200
    identity, customer = await served.identity(SANNE_CHAT)
    assert identity is not None and customer is not None
    assert not identity.verified and customer.is_anonymous
    [notice] = served.fake.calls_to("sendMessage")
    assert notice["text"].startswith(LINK_FAILED)
    # The way forward: share the phone number instead.
    [[button]] = notice["reply_markup"]["keyboard"]
    assert button["request_contact"] is True
    assert served.agent.messages == []


async def test_a_deep_link_works_once_for_one_chat(served: Served) -> None:
    token = sign_start_token("C1001", KEY)
    await served.post(served.updates.start(SANNE_CHAT, token))

    # Opening the same link again in the same chat is fine …
    await served.post(served.updates.start(SANNE_CHAT, token))
    # … but a forwarded link does not make someone else Sanne.
    await served.post(served.updates.start(OTHER_CHAT, token))

    assert served.fake.sent_texts(SANNE_CHAT).count(LINKED_SANNE) == 2
    identity, customer = await served.identity(OTHER_CHAT)
    assert identity is not None and not identity.verified
    assert customer is not None and customer.is_anonymous
    assert served.fake.sent_texts(OTHER_CHAT)[0].startswith(LINK_FAILED)


async def test_plain_start_greets_and_offers_to_share_the_phone_number(served: Served) -> None:
    await served.post(served.updates.start(SANNE_CHAT))

    assert served.agent.texts == ["/greet"]
    greeting, offer = served.fake.calls_to("sendMessage")
    assert greeting["text"] == "Hoi! Waarmee kan ik je helpen?"
    keyboard = offer["reply_markup"]
    assert keyboard["keyboard"] == [[{"text": "Deel je telefoonnummer", "request_contact": True}]]
    assert keyboard["one_time_keyboard"] is True
    assert "telefoonnummer" in offer["text"]


async def test_plain_start_of_a_known_chat_does_not_ask_again(served: Served) -> None:
    await served.post(served.updates.start(SANNE_CHAT, sign_start_token("C1001", KEY)))
    served.fake.clear()

    await served.post(served.updates.start(SANNE_CHAT))

    [greeting] = served.fake.calls_to("sendMessage")
    assert "reply_markup" not in greeting


async def test_sharing_ones_own_number_links_the_customer(served: Served) -> None:
    # Telegram sends the number without "+"; the importer stored +31612345678.
    update = served.updates.contact(SANNE_CHAT, "31612345678", contact_user_id=SANNE_CHAT)

    await served.post(update)

    identity, customer = await served.identity(SANNE_CHAT)
    assert customer is not None and customer.customer_ref == "C1001"
    assert identity is not None and identity.verification_method == "telegram_contact"
    [notice] = served.fake.calls_to("sendMessage")
    assert notice["text"] == LINKED_SANNE
    assert notice["reply_markup"] == {"remove_keyboard": True}
    assert served.agent.messages == []
    [inbound] = [m for m in await served.timeline(SANNE_CHAT) if m.direction == "in"]
    assert "31612345678" not in inbound.text and inbound.payload["command"] == "share_contact"


@pytest.mark.parametrize("contact_user_id", [OTHER_CHAT, None], ids=["someone-else", "no-user"])
async def test_someone_elses_number_links_nothing(
    served: Served, contact_user_id: int | None
) -> None:
    update = served.updates.contact(SANNE_CHAT, "+31612345678", contact_user_id=contact_user_id)

    await served.post(update)

    identity, customer = await served.identity(SANNE_CHAT)
    assert identity is not None and not identity.verified
    assert customer is not None and customer.is_anonymous
    [notice] = served.fake.calls_to("sendMessage")
    assert notice["text"].startswith("Deel alsjeblieft je eigen nummer")
    assert notice["reply_markup"]["keyboard"][0][0]["request_contact"] is True


async def test_an_unknown_number_is_thanked_and_the_keyboard_removed(served: Served) -> None:
    update = served.updates.contact(SANNE_CHAT, "+31699999999", contact_user_id=SANNE_CHAT)

    await served.post(update)

    identity, _ = await served.identity(SANNE_CHAT)
    assert identity is not None and not identity.verified
    [notice] = served.fake.calls_to("sendMessage")
    assert notice["text"].startswith("Bedankt! Ik vind geen klant met dit nummer.")
    assert notice["reply_markup"] == {"remove_keyboard": True}


async def test_an_anonymous_chat_keeps_its_history_when_it_is_linked(served: Served) -> None:
    await served.post(served.updates.text(SANNE_CHAT, "hoi, ik ben nog anoniem"))
    anonymous_identity, anonymous = await served.identity(SANNE_CHAT)
    assert anonymous is not None and anonymous.is_anonymous

    await served.post(served.updates.start(SANNE_CHAT, sign_start_token("C1001", KEY)))

    _, customer = await served.identity(SANNE_CHAT)
    assert customer is not None and customer.customer_ref == "C1001"
    owners = {m.customer_id for m in await served.timeline(SANNE_CHAT)}
    assert owners == {customer.id}
    assert await served.count(ContactMessage) == len(await served.timeline(SANNE_CHAT))
