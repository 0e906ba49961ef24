"""The real bot with a second retailer file: its name, costs and hours in the replies (no
retraining: the same model), and the language a web customer writes in kept in the store."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from bot.settings import Settings
from bot.stack import Stack, running_stack
from bot.store.models import ChannelIdentity
from connectors.base import MAX_TEXT_LENGTH
from tests.bot.texts.test_facts import other_retailer
from tests.helpers.demo import make_demo_store
from tests.helpers.handoff import db
from tests.helpers.stack import require_model, send, test_settings
from tests.helpers.webchat import Tab

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    tmp = tmp_path_factory.mktemp("rebrand")
    settings = test_settings(tmp, make_demo_store(f"sqlite:///{tmp / 'demo.db'}"), offset=1300)
    return dataclasses.replace(settings, retailer_file=other_retailer(tmp))


@pytest.fixture(scope="module")
def bot(settings: Settings) -> Iterator[Stack]:
    require_model(settings)
    with running_stack(settings) as stack:
        yield stack


def test_a_second_retailer_speaks_through_the_same_model(bot: Stack, settings: Settings) -> None:
    greeting = send(bot, "rebrand", "hoi")
    assert greeting[0]["text"].startswith("Hoi! Ik ben de digitale assistent van Fietsfabriek.")
    costs = send(bot, "rebrand", "wat zijn de verzendkosten?")
    assert costs[0]["text"].startswith("Vanaf €75 verzenden we je bestelling gratis")
    hours = send(bot, "rebrand-en", "what are your opening hours?")
    assert "Monday to Wednesday from 9:00 to 17:30" in hours[0]["text"]
    assert "we're closed on Saturday and Sunday" in hours[0]["text"]
    log = (settings.runtime_dir / "logs" / "actions.log").read_text()
    assert "Traceback" not in log


async def test_a_web_customer_who_writes_english_gets_english_notices(
    bot: Stack, settings: Settings
) -> None:
    tab = Tab(bot.rasa_url)
    session_id = await tab.open()
    try:
        first = await tab.say("hi, where is my order please?")
        assert "order number" in first[0]
        with db(settings.database_url) as session:
            identity = session.scalars(
                select(ChannelIdentity).where(
                    ChannelIdentity.channel == "web", ChannelIdentity.external_id == session_id
                )
            ).one()
            assert identity.customer.language == "en"
        # the channel's own notice (no Rasa involved) now speaks English too
        notice = await tab.say("x" * (MAX_TEXT_LENGTH + 1))
        assert notice == [
            "That message is too long for me. Could you put your question more briefly?"
        ]
    finally:
        await tab.close()
