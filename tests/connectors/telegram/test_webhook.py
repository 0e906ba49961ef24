"""The webhook: who may post, what is processed (once), what is ignored, what is refused."""

from __future__ import annotations

import contextlib
import json
import logging

import httpx
import pytest

from bot.ratelimit import RateLimiter
from bot.store.models import ChannelIdentity, ContactMessage, Customer, InboundReceipt
from tests.connectors.telegram.conftest import OTHER_CHAT, SANNE_CHAT, Served

NOT_TEXT_NL = "Sorry, ik kan hier alleen tekst lezen."


async def nothing_stored(served: Served, customers_before: int) -> None:
    assert await served.count(ContactMessage) == 0
    assert await served.count(InboundReceipt) == 0
    assert await served.count(ChannelIdentity) == 0
    assert await served.count(Customer) == customers_before


async def test_health(served: Served) -> None:
    answer = await served.client.get(f"{served.url}/")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "mode": "webhook", "polling": False}


async def test_a_text_reaches_rasa_and_the_answer_reaches_the_chat(served: Served) -> None:
    answer = await served.post(served.updates.text(SANNE_CHAT, "waar is mijn pakket?"))

    assert answer.status_code == 200 and answer.json() == {"status": "processed"}
    [message] = served.agent.messages
    assert message.text == "waar is mijn pakket?"
    assert message.sender_id == f"telegram:{SANNE_CHAT}"
    assert message.input_channel == "telegram"
    [sent] = served.fake.calls_to("sendMessage")
    assert sent == {"chat_id": str(SANNE_CHAT), "text": "Je schreef: waar is mijn pakket?"}
    assert "parse_mode" not in sent  # plain text: nothing a customer typed becomes markup
    inbound, outbound = await served.timeline(SANNE_CHAT)
    assert (inbound.direction, inbound.text, inbound.payload["kind"]) == (
        "in",
        "waar is mijn pakket?",
        "text",
    )
    assert (outbound.direction, outbound.status) == ("out", "sent")
    assert outbound.provider_id == f"{SANNE_CHAT}:5001"


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", "webhook-Secret_for-tests-012"])
async def test_a_post_without_the_secret_token_is_refused(
    served: Served, secret: str | None
) -> None:
    customers = await served.count(Customer)

    answer = await served.post(served.updates.text(SANNE_CHAT, "hallo"), secret=secret)

    assert answer.status_code == 403
    assert served.agent.messages == [] and served.fake.calls == []
    await nothing_stored(served, customers)


async def test_a_repeated_update_is_processed_once(served: Served) -> None:
    update = served.updates.text(SANNE_CHAT, "hallo")

    first = await served.post(update)
    second = await served.post(update)

    assert first.json() == {"status": "processed"}
    assert second.status_code == 200 and second.json() == {"status": "duplicate"}
    assert served.agent.texts == ["hallo"]
    assert len(served.fake.calls_to("sendMessage")) == 1
    assert [m.direction for m in await served.timeline(SANNE_CHAT)] == ["in", "out"]


async def test_a_body_that_is_not_json_is_a_bad_request(served: Served) -> None:
    customers = await served.count(Customer)
    for body in (b"{not json", b"\xff\xfe", b""):
        answer = await served.post(None, raw=body)
        assert answer.status_code == 400
    await nothing_stored(served, customers)


async def test_json_that_is_no_usable_update_is_acknowledged_and_ignored(served: Served) -> None:
    customers = await served.count(Customer)
    group_message = served.updates.text(-100123, "hoi allemaal", chat_type="supergroup")
    unusable = [
        [],
        {"hello": "world"},
        {"update_id": "12"},
        {"update_id": 12},  # no message, no button press
        {"update_id": 13, "message": {"message_id": 1}},  # not a Message PTB can read
        {
            "update_id": 14,
            "inline_query": {
                "id": "1",
                "from": {"id": 1, "is_bot": False, "first_name": "A"},
                "query": "x",
                "offset": "",
            },
        },
        served.updates.edited(SANNE_CHAT, "bewerkt"),
        group_message,
    ]
    for body in unusable:
        answer = await served.post(body)
        assert answer.status_code == 200, body
        assert answer.json() == {"status": "ignored"}, body
    assert served.agent.messages == [] and served.fake.calls == []
    await nothing_stored(served, customers)


@pytest.mark.parametrize("kind", ["photo", "sticker", "voice", "location", "document"])
async def test_anything_but_text_gets_a_friendly_only_text_reply(served: Served, kind: str) -> None:
    update = getattr(served.updates, kind)(SANNE_CHAT)

    answer = await served.post(update)

    assert answer.status_code == 200
    assert served.agent.messages == []
    [text] = served.fake.sent_texts(SANNE_CHAT)
    assert text.startswith(NOT_TEXT_NL)
    inbound, _notice = await served.timeline(SANNE_CHAT)
    assert inbound.payload == {"kind": "media", "media": kind}


async def test_a_customer_cannot_trigger_an_intent_with_a_slash(served: Served) -> None:
    await served.post(served.updates.text(SANNE_CHAT, "/restart"))
    await served.post(served.updates.text(SANNE_CHAT, '  /inform{"postcode": "3572 BK"}'))
    await served.post(served.updates.text(SANNE_CHAT, "/help@TrekPeddelBot mijn bestelling"))

    assert served.agent.texts == [
        "restart",
        'inform{"postcode": "3572 BK"}',
        "help mijn bestelling",
    ]
    timeline = await served.timeline(SANNE_CHAT)
    assert [m.text for m in timeline if m.direction == "in"][0] == "/restart"


async def test_rasa_failing_after_the_message_is_stored_still_answers_200(
    served: Served, caplog: pytest.LogCaptureFixture
) -> None:
    served.agent.fail = True

    answer = await served.post(served.updates.text(SANNE_CHAT, "hallo"))

    assert answer.status_code == 200
    [inbound] = await served.timeline(SANNE_CHAT)
    assert inbound.text == "hallo"
    assert "answering update" in caplog.text and "RuntimeError" in caplog.text
    # Telegram would resend on an error; the repeat is recognised and not answered twice.
    assert (await served.post(served.updates.text(SANNE_CHAT, "nog een"))).status_code == 200


async def test_an_update_whose_message_was_never_answered_is_answered_when_resent(
    served: Served,
) -> None:
    """Rasa stopped while handling it, so the message is stored but was never answered, and
    Telegram got no 200. It resends the update: now it is answered, once."""
    update = served.updates.text(SANNE_CHAT, "hallo")
    served.agent.stop = True
    with contextlib.suppress(httpx.HTTPError):
        first = await served.post(update)
        assert first.status_code >= 500
    [inbound] = await served.timeline(SANNE_CHAT)
    assert inbound.status == "received"

    served.agent.stop = False
    again = await served.post(update)
    assert again.json() == {"status": "processed"}
    assert served.agent.texts == ["hallo", "hallo"]
    inbound, outbound = await served.timeline(SANNE_CHAT)  # one message, answered once
    assert (inbound.text, inbound.status) == ("hallo", "answered")
    assert outbound.text == "Je schreef: hallo"

    once_more = await served.post(update)
    assert once_more.json() == {"status": "duplicate"}
    assert len(served.fake.calls_to("sendMessage")) == 1


async def test_a_flood_is_limited_per_chat_and_told_once(served: Served) -> None:
    served.channel.gateway.limiter = RateLimiter(burst=2, per_second=0.01)
    for number in range(5):
        await served.post(served.updates.text(SANNE_CHAT, f"bericht {number}"))
    await served.post(served.updates.text(OTHER_CHAT, "ik ben iemand anders"))

    assert served.agent.texts == ["bericht 0", "bericht 1", "ik ben iemand anders"]
    slow_down = [t for t in served.fake.sent_texts(SANNE_CHAT) if "veel berichten" in t]
    assert len(slow_down) == 1
    statuses = [m.status for m in await served.timeline(SANNE_CHAT) if m.direction == "in"]
    assert statuses.count("rate_limited") == 3


async def test_messages_of_two_chats_stay_apart(served: Served) -> None:
    await served.post(served.updates.text(SANNE_CHAT, "ik ben Sanne"))
    await served.post(served.updates.text(OTHER_CHAT, "ik ben Fleur"))

    assert [m.sender_id for m in served.agent.messages] == [
        f"telegram:{SANNE_CHAT}",
        f"telegram:{OTHER_CHAT}",
    ]
    assert served.fake.sent_texts(OTHER_CHAT) == ["Je schreef: ik ben Fleur"]
    sanne, _ = await served.identity(SANNE_CHAT)
    fleur, _ = await served.identity(OTHER_CHAT)
    assert sanne is not None and fleur is not None and sanne.customer_id != fleur.customer_id


async def test_the_log_shows_no_token_or_secret(
    served: Served, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    served.fake.fail("sendMessage", 400, f"Bad Request: weird {served.fake.token}")
    served.agent.fail = False

    await served.post(served.updates.text(SANNE_CHAT, "hallo"))
    await served.post(served.updates.text(SANNE_CHAT, "nog eens"))
    await served.post(served.updates.photo(SANNE_CHAT))
    await served.post({"update_id": 1, "message": {"message_id": 1}})
    await served.post(served.updates.text(SANNE_CHAT, "fout"), secret="wrong")
    await served.channel.get_output_channel().send_response(  # type: ignore[union-attr]
        "telegram:777", {"text": "aan een onbekende chat"}
    )

    assert len(served.fake.calls_to("sendMessage")) >= 3  # the Bot really sent through httpx
    assert caplog.records, "nothing was logged at all: the test would prove nothing"
    assert served.fake.token not in caplog.text
    assert served.fake.token.split(":")[1] not in caplog.text
    assert served.channel.config.webhook_secret not in caplog.text
    assert served.fake.token not in repr(served.channel.config)


async def test_a_forged_update_with_unstorable_values_is_cleaned_or_ignored(
    served: Served,
) -> None:
    """Issue #15: a lone surrogate or NUL in a forged update must not reach the database, and
    ids past 64 bits (a column's limit in PostgreSQL) are no Telegram ids."""
    customers = await served.count(Customer)
    too_big = served.updates.text(SANNE_CHAT, "hoi")
    too_big["update_id"] = 2**70
    huge_chat = served.updates.text(SANNE_CHAT, "hoi")
    huge_chat["message"]["chat"]["id"] = 10**30
    for update in (too_big, huge_chat):
        answer = await served.post(update)
        assert answer.status_code == 200 and answer.json() == {"status": "ignored"}
    await nothing_stored(served, customers)

    update = served.updates.text(SANNE_CHAT, "hoi \ud98d\x00daar")
    answer = await served.post(None, raw=json.dumps(update).encode())  # escaped, as JSON may
    assert answer.status_code == 200 and answer.json() == {"status": "processed"}
    assert served.agent.texts == ["hoi \ufffddaar"]
    [inbound, _] = await served.timeline(SANNE_CHAT)
    assert inbound.text == "hoi \ufffddaar"


async def test_an_update_with_fields_of_the_wrong_type_is_ignored(served: Served) -> None:
    """Found by bench/fuzz: PTB does not check types, so `text` could be a list or a caption a
    number, and the update failed with a traceback."""
    customers = await served.count(Customer)
    wrong = []
    for field, value in (("text", ["hoi"]), ("text", 42), ("chat", None)):
        update = served.updates.text(SANNE_CHAT, "hoi")
        update["message"][field] = value
        wrong.append(update)
    photo = served.updates.photo(SANNE_CHAT)
    photo["message"]["caption"] = 1.5
    wrong.append(photo)
    for update in wrong:
        answer = await served.post(update)
        assert answer.status_code == 200 and answer.json() == {"status": "ignored"}, update
    await nothing_stored(served, customers)
