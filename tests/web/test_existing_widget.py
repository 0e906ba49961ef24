"""An existing, unmodified Rasa web widget (botfront's rasa-webchat 1.0.1) against our web chat.

docs/channels.md promises that existing Rasa web widgets connect to the web chat unchanged. This
runs the real bot and the widget's own published browser bundle (tests/fixtures/rasa-webchat/),
initialised as its README shows for a <script> tag, on a shop page of another origin, in
headless Chromium.

What the widget does on the wire (read from its bundle; socket.io-client 3.x, Engine.IO 4):
  transport        HTTP long-polling first, then an upgrade to a websocket
  connect          → session_request {session_id: <stored id or null>}
  session_confirm  ← a string (or {session_id}); an id other than the stored one is stored
  chat opened      → user_uttered {customData, session_id} (no `message` without initPayload)
  user_uttered     → {message, customData, session_id}; a quick reply sends its payload
  bot_uttered      ← shown only if its keys are exactly {text}, {text, quick_replies|buttons},
                     or an attachment (image, video, generic template); anything else is dropped
The conversation and the session id live in the widget's own localStorage key `chat_session`.

Writing this test found three incompatibilities, all fixed in the server: a doubled CORS header
on socket.io polling (Rasa's own `--cors` on top of socket.io's), an extra key in `bot_uttered`
(who wrote it now travels in `klantreis_meta`), and the message-less `user_uttered` the widget
sends when it opens (now ignored).
"""

from __future__ import annotations

import functools
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from bot.settings import Settings
from bot.stack import Stack, running_stack
from tests.helpers.browser import screenshot_on_failure
from tests.helpers.demo import make_demo_store
from tests.helpers.stack import require_model, test_settings

pytestmark = pytest.mark.stack
WAIT = 20_000
WIDGET = Path(__file__).resolve().parent.parent / "fixtures" / "rasa-webchat"
BUNDLE = "rasa-webchat-1.0.1.js"
SESSION_ID = re.compile(r"[0-9a-f]{32}")
NOT_OURS = re.compile(r"^https?://(?!127\.0\.0\.1[:/])")  # e.g. the widget's Google Fonts import
OPENING_HOURS = "wat zijn jullie openingstijden?"

# The README's <script> tag usage; the only additions are our server, local storage (its
# default, made explicit) and onSocketEvent (a documented prop) to see the raw bot_uttered.
PAGE = f"""<!doctype html>
<html lang="nl">
<head><meta charset="utf-8"><title>rasa-webchat against Klantreis</title></head>
<body>
<h1>Shop page with rasa-webchat</h1>
<script src="{BUNDLE}"></script>
<script>
  window.__botUttered = [];
  window.WebChat.default(
    {{
      socketUrl: new URLSearchParams(window.location.search).get("server"),
      socketPath: "/socket.io/",
      customData: {{ language: "nl" }},
      params: {{ storage: "local" }},
      title: "Trek & Peddel",
      onSocketEvent: {{
        bot_uttered: (data) => window.__botUttered.push(data),
      }},
    }},
    null
  );
</script>
</body>
</html>
"""

STORED_SESSION_ID = (
    "(JSON.parse(window.localStorage.getItem('chat_session') || 'null') || {}).session_id || null"
)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("existing-widget")
    settings: Settings = test_settings(
        tmp, make_demo_store(f"sqlite:///{tmp / 'demo.db'}"), offset=1000
    )
    require_model(settings)
    with running_stack(settings) as stack:
        yield stack


@pytest.fixture(scope="module")
def shop_page(bot: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A static page on its own origin that loads the vendored bundle, as a shop would."""
    root = tmp_path_factory.mktemp("shop-page")
    shutil.copy(WIDGET / BUNDLE, root / BUNDLE)
    (root / "index.html").write_text(PAGE, encoding="utf-8")
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/index.html?server={quote(bot.rasa_url)}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def plain_context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context()
    context.route(NOT_OURS, lambda route: route.abort())
    yield context
    context.close()


@pytest.fixture
def context(plain_context: BrowserContext) -> BrowserContext:
    return plain_context


def screenshot(page: Page, request: pytest.FixtureRequest) -> AbstractContextManager[Page]:
    return screenshot_on_failure(page, request.node.name)


def open_widget(page: Page, url: str) -> None:
    """Load the shop page and open the widget once it is connected."""
    page.goto(url)
    launcher = page.locator(".rw-launcher")
    expect(launcher).to_be_visible(timeout=WAIT)  # hidden until session_confirm arrives
    if page.locator(".rw-conversation-container").is_hidden():
        launcher.click()
    expect(page.locator(".rw-new-message")).to_be_visible(timeout=WAIT)


def confirmed_session_id(page: Page, other_than: str | None = None) -> str:
    """The session id the widget stored from session_confirm (waiting until it differs)."""
    page.wait_for_function(
        f"(other) => {{ const id = {STORED_SESSION_ID}; return id !== null && id !== other; }}",
        arg=other_than,
        timeout=WAIT,
    )
    return stored_session_id(page)


def stored_session_id(page: Page) -> str:
    return str(page.evaluate(f"() => {STORED_SESSION_ID}"))


def send(page: Page, text: str) -> None:
    page.locator(".rw-new-message").fill(text)
    page.locator(".rw-send").click()


def wait_for_bot_uttered(page: Page, needle: str) -> dict[str, Any]:
    """The raw bot_uttered that reached the widget's socket with `needle` in its text."""
    handle = page.wait_for_function(
        "(needle) => window.__botUttered.find((m) => String(m.text || '').includes(needle))",
        arg=needle,
        timeout=WAIT,
    )
    value = handle.json_value()
    assert isinstance(value, dict)
    return value


def test_the_widget_connects_and_talks_to_the_bot(
    shop_page: str, context: BrowserContext, request: pytest.FixtureRequest
) -> None:
    page = context.new_page()
    with screenshot(page, request):
        open_widget(page, shop_page)
        session_id = confirmed_session_id(page)
        assert SESSION_ID.fullmatch(session_id), session_id  # one we issued, in its storage

        send(page, OPENING_HOURS)
        expect(page.locator(".rw-client").last).to_have_text(OPENING_HOURS, timeout=WAIT)
        answer = wait_for_bot_uttered(page, "8:30")
        assert "text" in answer
        assert stored_session_id(page) == session_id


def test_a_reload_keeps_the_session_and_the_conversation(
    shop_page: str, context: BrowserContext, request: pytest.FixtureRequest
) -> None:
    page = context.new_page()
    with screenshot(page, request):
        open_widget(page, shop_page)
        session_id = confirmed_session_id(page)
        send(page, OPENING_HOURS)
        wait_for_bot_uttered(page, "8:30")

        page.reload()
        open_widget(page, shop_page)
        # restored from the widget's own storage
        expect(page.locator(".rw-client").first).to_have_text(OPENING_HOURS, timeout=WAIT)

        # The widget sends only after session_confirm, so once the answer is in, the server
        # has confirmed the stored id (a replaced one would now be stored instead).
        send(page, OPENING_HOURS)
        wait_for_bot_uttered(page, "8:30")
        assert stored_session_id(page) == session_id


def test_a_session_id_we_did_not_issue_is_replaced_and_the_widget_follows(
    shop_page: str, context: BrowserContext, request: pytest.FixtureRequest
) -> None:
    page = context.new_page()
    with screenshot(page, request):
        open_widget(page, shop_page)
        issued = confirmed_session_id(page)
        # The widget's stored state, with an id a stranger might have chosen instead of ours.
        page.evaluate(
            """() => {
              const state = JSON.parse(window.localStorage.getItem("chat_session"));
              state.session_id = "my-own-guessable-id";
              window.localStorage.setItem("chat_session", JSON.stringify(state));
            }"""
        )
        page.reload()
        open_widget(page, shop_page)
        session_id = confirmed_session_id(page, other_than="my-own-guessable-id")
        assert SESSION_ID.fullmatch(session_id), session_id
        assert session_id != issued

        send(page, OPENING_HOURS)
        wait_for_bot_uttered(page, "8:30")
        assert stored_session_id(page) == session_id


def test_the_widget_connects_from_the_shops_origin_without_help(
    shop_page: str, plain_context: BrowserContext, request: pytest.FixtureRequest
) -> None:
    page = plain_context.new_page()
    with screenshot(page, request):
        open_widget(page, shop_page)
        assert SESSION_ID.fullmatch(confirmed_session_id(page))


def test_the_widget_shows_answers_and_quick_replies(
    shop_page: str, context: BrowserContext, request: pytest.FixtureRequest
) -> None:
    page = context.new_page()
    with screenshot(page, request):
        open_widget(page, shop_page)
        send(page, OPENING_HOURS)
        wait_for_bot_uttered(page, "8:30")
        answers = page.locator(".rw-response").filter(has_text="8:30")
        expect(answers).to_have_count(1, timeout=WAIT)

        send(page, "hoi")
        reply = page.locator(".rw-reply").filter(has_text="Openingstijden")
        expect(reply).to_be_visible(timeout=WAIT)
        reply.click()
        expect(page.locator(".rw-client").last).to_have_text("Openingstijden", timeout=WAIT)
        expect(answers).to_have_count(2, timeout=WAIT)

        page.reload()
        open_widget(page, shop_page)
        expect(answers).to_have_count(2, timeout=WAIT)  # the bot's side is restored too


def test_opening_the_widget_does_not_make_the_bot_answer_an_empty_message(
    shop_page: str, context: BrowserContext, request: pytest.FixtureRequest
) -> None:
    page = context.new_page()
    with screenshot(page, request):
        open_widget(page, shop_page)
        send(page, OPENING_HOURS)
        wait_for_bot_uttered(page, "8:30")  # the chat's opening was sent before this
        page.wait_for_timeout(1_500)
        texts = page.evaluate("() => window.__botUttered.map((m) => m.text || '')")
        assert not [text for text in texts if "leeg bericht" in text], texts


def test_product_cards_reach_it_as_text_and_quick_replies_that_work(
    shop_page: str, context: BrowserContext, request: pytest.FixtureRequest
) -> None:
    """A product list carries cards for our widget (in klantreis_meta); rasa-webchat gets the
    same message as text with a line per product and a quick reply per product."""
    page = context.new_page()
    with screenshot(page, request):
        open_widget(page, shop_page)
        send(page, "wat kost de storm jas?")
        listed = wait_for_bot_uttered(page, "Welke bedoel je?")
        assert set(listed) == {"text", "quick_replies"}  # exactly what it shows
        assert "• Regenwoud Storm jas heren: €" in listed["text"]
        expect(page.locator(".rw-response").filter(has_text="Storm jas dames: €")).to_be_visible(
            timeout=WAIT
        )
        reply = page.locator(".rw-reply").filter(has_text="Regenwoud Storm jas heren")
        expect(reply).to_be_visible(timeout=WAIT)
        reply.click()
        # the quick reply's payload names the product (and the price asked about)
        answer = wait_for_bot_uttered(page, "kost €")
        assert answer["text"].startswith("Regenwoud Storm jas heren kost €")
