"""The web chat channel against the real bot: Rasa's socket.io protocol, persistence across
reloads and tabs, offline delivery, signed customer tokens and bad input."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import tokens
from bot.settings import Settings, token_key
from bot.stack import Stack, running_stack
from tests.helpers.demo import make_demo_store
from tests.helpers.stack import require_model, test_settings
from tests.helpers.webchat import Tab

pytestmark = pytest.mark.stack

WHICH = "Welke bedoel je? Regenwoud Storm jas heren of Regenwoud Storm jas dames?"


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    tmp = tmp_path_factory.mktemp("webchat")
    return test_settings(tmp, make_demo_store(f"sqlite:///{tmp / 'demo.db'}"), offset=300)


@pytest.fixture(scope="module")
def bot(settings: Settings) -> Iterator[Stack]:
    require_model(settings)
    with running_stack(settings) as stack:
        yield stack


def token_for(settings: Settings, ref: str, ttl: int = 600) -> str:
    return tokens.sign(ref, token_key(settings), ttl_seconds=ttl)


def trigger(bot: Stack, conversation: str, intent: str) -> None:
    request = urllib.request.Request(
        bot.api_url(f"/conversations/{conversation}/trigger_intent?output_channel=web"),
        data=json.dumps({"name": intent}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200


async def test_a_conversation_over_socketio(bot: Stack) -> None:
    tab = Tab(bot.rasa_url)
    session_id = await tab.open()
    assert len(session_id) == 32 and tab.history == []
    replies = await tab.say("waar is mijn bestelling 10452?")
    assert "postcode" in replies[0]
    replies = await tab.say("3572 BK")
    assert "10452" in replies[0] and "PostNL" in replies[0]
    assert tab.meta[-1] == {"author": "bot"}
    assert set(tab.bot[-1]) == {"text"}  # Rasa's exact shape, so any Rasa widget shows it
    await tab.close()


async def test_buttons_arrive_as_quick_replies(bot: Stack) -> None:
    tab = Tab(bot.rasa_url)
    await tab.open()
    await tab.say("hoi")
    titles = [q["title"] for q in tab.bot[-1]["quick_replies"]]
    assert "Waar is mijn bestelling?" in titles
    await tab.close()


async def test_product_cards_travel_beside_the_text_and_only_offered_payloads_steer(
    bot: Stack,
) -> None:
    tab = Tab(bot.rasa_url)
    await tab.open(language="nl")
    payload = '/product_question{"product": "TP-RJK-002", "product_aspect": "price"}'
    # typed before the bot offered it: plain text for the NLU, not an intent with entities
    [typed] = await tab.say(payload)
    assert not typed.startswith("Regenwoud Storm jas dames kost")

    [listed] = await tab.say("wat kost de storm jas?")
    assert listed.startswith(f"{WHICH}\n• Regenwoud Storm jas heren: €")
    assert set(tab.bot[-1]) == {"text", "quick_replies"}  # what every Rasa widget shows
    cards = tab.meta[-1]["product_cards"]
    assert cards["intro"] == WHICH
    assert [c["sku"] for c in cards["cards"]] == ["TP-RJK-001", "TP-RJK-002"]
    assert cards["cards"][0]["image"] == "/demo/images/TP-RJK-001.svg"
    assert tab.bot[-1]["quick_replies"][1]["payload"] == payload

    [answer] = await tab.say(payload)  # now it is a button the bot offered
    assert answer.startswith("Regenwoud Storm jas dames kost €")
    await tab.close()

    again = Tab(bot.rasa_url)
    await again.open(tab.session_id)
    assert [m.get("product_cards", {}).get("intro") for m in again.history].count(WHICH) == 1
    await again.close()


async def test_a_reload_gets_the_whole_conversation_back(bot: Stack) -> None:
    first = Tab(bot.rasa_url)
    session_id = await first.open()
    await first.say("hoeveel kost de Veloce Aero 3?")
    await first.close()

    reloaded = Tab(bot.rasa_url)
    assert await reloaded.open(session_id) == session_id
    authors = [m["author"] for m in reloaded.history]
    assert authors[:2] == ["customer", "bot"]
    assert reloaded.history[0]["text"] == "hoeveel kost de Veloce Aero 3?"
    assert "€" in reloaded.history[1]["text"]
    await reloaded.close()


async def test_every_open_tab_shows_the_conversation(bot: Stack) -> None:
    one, two = Tab(bot.rasa_url), Tab(bot.rasa_url)
    session_id = await one.open()
    await two.open(session_id)
    await one.say("wat zijn jullie openingstijden?")
    replies = await two.replies(0, 1)
    assert two.echoes == ["wat zijn jullie openingstijden?"]
    assert replies and replies[0] == one.bot[0]["text"]
    await one.close()
    await two.close()


async def test_messages_sent_while_offline_arrive_on_return(bot: Stack) -> None:
    tab = Tab(bot.rasa_url)
    session_id = await tab.open()
    await tab.say("hoi")
    await tab.close()

    trigger(bot, f"web:{session_id}", "greet")  # e.g. a delay notice or an agent's reply

    back = Tab(bot.rasa_url)
    await back.open(session_id)
    assert [m["author"] for m in back.history] == ["customer", "bot", "bot"]
    await back.close()
    again = Tab(bot.rasa_url)
    await again.open(session_id)
    assert len(again.history) == 3  # delivered once, not re-sent as new
    await again.close()


async def test_a_session_id_we_did_not_issue_is_replaced(bot: Stack) -> None:
    tab = Tab(bot.rasa_url)
    session_id = await tab.open("../../etc/passwd")
    assert len(session_id) == 32 and session_id.isalnum()
    await tab.close()


async def test_a_logged_in_shopper_is_greeted_with_their_open_matter(
    bot: Stack, settings: Settings
) -> None:
    tab = Tab(bot.rasa_url)
    token = token_for(settings, "C1001")
    await tab.open(token=token)
    replies = await tab.say("hoi", token=token)
    assert "Sanne" in replies[0] and "10452" in replies[0] and "vertraagd" in replies[0]
    assert tab.bot[-1]["quick_replies"][0]["payload"] == "Hoe staat het met bestelling 10452?"
    replies = await tab.say("Hoe staat het met bestelling 10452?", token=token)
    assert "PostNL" in replies[0] and "postcode" not in replies[0]
    await tab.close()


@pytest.mark.parametrize("kind", ["forged", "expired", "garbage"])
async def test_a_bad_token_is_ignored(bot: Stack, settings: Settings, kind: str) -> None:
    token = {
        "forged": tokens.sign("C1001", b"not the shop's key"),
        "expired": token_for(settings, "C1001", ttl=-3600),
        "garbage": "<script>alert(1)</script>",
    }[kind]
    tab = Tab(bot.rasa_url)
    await tab.open(token=token)
    replies = await tab.say("waar is mijn bestelling 10452?", token=token)
    assert "Sanne" not in " ".join(replies) and "postcode" in replies[0]
    await tab.close()


async def test_another_customers_token_never_sees_this_session(
    bot: Stack, settings: Settings
) -> None:
    sanne = Tab(bot.rasa_url)
    session_id = await sanne.open(token=token_for(settings, "C1001"))
    await sanne.say("hoi")
    await sanne.close()

    mark = Tab(bot.rasa_url)
    other = await mark.open(session_id, token=token_for(settings, "C1002"))
    assert other != session_id and mark.history == []
    await mark.close()


async def test_bad_input_gets_polite_answers(bot: Stack) -> None:
    tab = Tab(bot.rasa_url)
    await tab.open()
    assert await tab.say("")
    assert "te lang" in (await tab.say("x" * 10_000))[0]
    assert await tab.say("<img src=x onerror=alert(1)>")
    await tab.client.emit("user_uttered", "not a dict")
    await tab.client.emit("user_uttered", {"message": {"nested": True}})
    await tab.client.emit("session_request", ["odd"])
    replies = await tab.say("wat zijn jullie openingstijden?")
    assert replies  # still answering after all that
    await tab.close()


async def test_the_widget_files_are_served(bot: Stack) -> None:
    for name in ("klantreis-widget.js", "klantreis-widget.css", "socket.io.min.js"):
        with urllib.request.urlopen(f"{bot.rasa_url}/webhooks/web/static/{name}") as response:
            assert response.status == 200
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"{bot.rasa_url}/webhooks/web/static/..%2Fchannel.py")
    assert missing.value.code == 404


def test_log_has_no_tracebacks(bot: Stack, settings: Settings) -> None:
    logs = Path(settings.runtime_dir) / "logs"
    for name in ("rasa.log", "actions.log"):
        text = (logs / name).read_text(encoding="utf-8", errors="replace")
        assert "Traceback" not in text, name
