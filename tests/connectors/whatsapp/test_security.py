"""Only Twilio gets in: forged, unsigned or malformed requests change nothing; no secret leaks."""

from __future__ import annotations

import logging

import pytest

from connectors.whatsapp import WhatsAppConfig
from tests.connectors.whatsapp.conftest import PUBLIC_URL, SANNE, Start
from tests.helpers.fake_twilio import AUTH_TOKEN, incoming_message, sign, status_callback


@pytest.fixture
def database_url(tmp_path) -> str:  # type: ignore[no-untyped-def]
    """Requests are refused before any database work, so one database kind is enough here."""
    return f"sqlite:///{tmp_path / 'klantreis.db'}"


async def test_a_correctly_signed_request_is_accepted(start: Start) -> None:
    harness = await start()
    form = incoming_message(SANNE, "hallo")
    assert harness.signed_url("/webhook") == f"{PUBLIC_URL}/webhooks/whatsapp/webhook"
    assert (await harness.message(form)).status_code == 200


@pytest.mark.parametrize(
    "forgery",
    ["wrong_token", "no_header", "empty_header", "tampered_body", "added_field", "other_url"],
)
async def test_forged_or_unsigned_messages_get_403_and_nothing_is_stored(
    start: Start, forgery: str
) -> None:
    harness = await start()
    before = harness.counts()
    form = incoming_message(SANNE, "waar is mijn bestelling 10452?")
    if forgery == "wrong_token":
        response = await harness.message(form, token="not-the-token")
    elif forgery == "no_header":
        response = await harness.message(form, signature="")
    elif forgery == "empty_header":
        response = await harness.message(form, signature="", headers={"X-Twilio-Signature": ""})
    elif forgery == "tampered_body":
        response = await harness.message(
            {**form, "Body": "annuleer bestelling 10452"}, signed_for=form
        )
    elif forgery == "added_field":
        response = await harness.message({**form, "ButtonPayload": "/cancel"}, signed_for=form)
    else:
        response = await harness.message(form, signed_url="https://evil.example/webhook")
    assert response.status_code == 403
    assert harness.counts() == before
    assert harness.agent.messages == [] and harness.twilio.messages() == []


async def test_forged_status_callbacks_get_403(start: Start) -> None:
    harness = await start()
    await harness.message(incoming_message(SANNE, "hoi"))
    sid = harness.twilio.sent()[0].response["sid"]
    response = await harness.status(status_callback(sid, "read"), token="guess")
    assert response.status_code == 403
    assert (await harness.status(status_callback(sid, "read"), signature="")).status_code == 403
    assert harness.timeline()[-1].status == "queued"


@pytest.mark.parametrize(
    "malformed",
    [
        "json",
        "not_utf8",
        "not_a_form",
        "no_from",
        "no_message_sid",
        "sms_sender",
        "not_a_number",
        "bad_num_media",
        "bad_sid",
    ],
)
async def test_malformed_messages_get_400_and_nothing_is_stored(
    start: Start, malformed: str
) -> None:
    harness = await start()
    before = harness.counts()
    form = incoming_message(SANNE, "hallo")
    if malformed == "json":
        response = await harness.message(
            form, headers={"Content-Type": "application/json"}, body='{"From": "x"}'
        )
    elif malformed == "not_utf8":
        response = await harness.message({}, body=b"Body=\xff\xfe&From=whatsapp%3A%2B31612345678")
    elif malformed == "not_a_form":
        response = await harness.message({}, body="this is not a form")
    else:
        broken = dict(form)
        if malformed == "no_from":
            del broken["From"]
        elif malformed == "no_message_sid":
            del broken["MessageSid"]
        elif malformed == "sms_sender":
            broken["From"] = SANNE
        elif malformed == "not_a_number":
            broken["From"] = "whatsapp:sanne"
        elif malformed == "bad_num_media":
            broken["NumMedia"] = "veel"
        else:
            broken["MessageSid"] = "SM<script>"
        response = await harness.message(broken)
    assert response.status_code == 400
    assert harness.counts() == before
    assert harness.agent.messages == [] and harness.twilio.messages() == []


async def test_malformed_status_callbacks_get_400(start: Start) -> None:
    harness = await start()
    form = status_callback("SM" + "1" * 32, "delivered")
    del form["MessageStatus"], form["SmsStatus"]
    assert (await harness.status(form)).status_code == 400


async def test_behind_a_proxy_without_public_url_forwarded_headers_count_only_if_trusted(
    start: Start,
) -> None:
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "shop.example.nl"}
    outside = "https://shop.example.nl/webhooks/whatsapp/webhook"

    trusting = await start(public_url=None, trust_proxy=True)
    ok = await trusting.message(
        incoming_message(SANNE, "hoi"), signed_url=outside, headers=forwarded
    )
    assert ok.status_code == 200

    wary = await start(public_url=None, trust_proxy=False)
    refused = await wary.message(
        incoming_message(SANNE, "hoi"), signed_url=outside, headers=forwarded
    )
    assert refused.status_code == 403
    # without a proxy, the request's own URL is what Twilio signed
    direct = await wary.message(incoming_message(SANNE, "hoi"), signed_url=wary.url("/webhook"))
    assert direct.status_code == 200


async def test_the_public_url_wins_over_forwarded_headers(start: Start) -> None:
    harness = await start(trust_proxy=True)
    forged_host = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}
    form = incoming_message(SANNE, "hoi")
    response = await harness.message(
        form, signed_url="https://evil.example/webhooks/whatsapp/webhook", headers=forged_host
    )
    assert response.status_code == 403


async def test_secrets_never_reach_the_logs_or_reprs(
    start: Start, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    harness = await start()
    await harness.message(incoming_message(SANNE, "hoi"))
    harness.twilio.fail_next(status=401, code=20003, message="Authenticate")
    await harness.message(incoming_message(SANNE, "nog een keer"))
    await harness.message(incoming_message(SANNE, "vals"), token="wrong")
    await harness.message(incoming_message(SANNE, "hallo"), headers={"Content-Type": "text/plain"})
    harness.agent.fail = True
    await harness.message(incoming_message(SANNE, "kapot"))

    assert harness.timeline()[3].status == "failed"  # the refused send was logged …
    assert "Twilio refused a message" in caplog.text
    assert AUTH_TOKEN not in caplog.text  # … without the token
    assert "Authorization" not in caplog.text
    for thing in (harness.channel, harness.channel.config, harness.channel.get_output_channel()):
        assert AUTH_TOKEN not in repr(thing) and AUTH_TOKEN not in str(thing)
    assert harness.channel.config.account_sid not in repr(harness.channel.config)


def test_a_missing_secret_names_the_variable_not_a_value() -> None:
    from connectors.whatsapp import ConfigError

    with pytest.raises(ConfigError) as error:
        WhatsAppConfig.from_env({"TWILIO_AUTH_TOKEN": AUTH_TOKEN})
    assert "TWILIO_ACCOUNT_SID" in str(error.value) and AUTH_TOKEN not in str(error.value)


def test_signatures_are_computed_as_twilio_does() -> None:
    # The example of Twilio's own documentation on webhook security.
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    params = {
        "CallSid": "CA1234567890ABCDE",
        "Caller": "+14158675310",
        "Digits": "1234",
        "From": "+14158675310",
        "To": "+18005551212",
    }
    assert sign("12345", url, params) == "GvWf1cFY/Q7PnoempGyD5oXAezc="
