"""The services process: the demo shop page and the agent console, one Sanic app."""

from __future__ import annotations

import asyncio

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import security_headers
from bot.delays.policy import load_delay_policy
from bot.services.carrier import carrier_blueprint
from bot.services.console.api import console_blueprint
from bot.services.console.expiry import run_expiry
from bot.services.console.live import LiveFeed
from bot.services.console.rasa_api import RasaApi
from bot.services.demo import demo_blueprint
from bot.services.shop import shop_blueprint
from bot.settings import Settings, rasa_token
from bot.store.db import make_engine, make_session_factory
from bot.store.units import Store


def create_app(settings: Settings, name: str = "klantreis_services") -> Sanic:
    app = Sanic(name)
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.config.RESPONSE_TIMEOUT = 3600  # the console's live stream stays open
    security_headers.install(app)
    store = Store(make_session_factory(make_engine(settings.database_url)))
    rasa = RasaApi(f"http://127.0.0.1:{settings.rasa_port}", rasa_token(settings))
    feed = LiveFeed(store)
    app.ctx.store, app.ctx.rasa, app.ctx.feed = store, rasa, feed
    app.blueprint(demo_blueprint(settings))
    app.blueprint(
        console_blueprint(
            store,
            rasa,
            feed,
            secure_cookies=settings.secure_cookies,
            template_configured=bool(settings.twilio.content_sid),
        )
    )

    app.blueprint(
        carrier_blueprint(store, load_delay_policy(settings.retailer_file), settings.carrier_secret)
    )
    app.blueprint(shop_blueprint(store, settings.shop_secret))

    @app.route("/health", methods=["GET"])
    async def health(_: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    async def start_background(app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
        app.ctx.tasks = [
            asyncio.create_task(feed.run()),
            asyncio.create_task(run_expiry(store, rasa, feed)),
        ]

    async def stop_background(app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
        for task in getattr(app.ctx, "tasks", []):
            task.cancel()

    app.register_listener(start_background, "after_server_start")
    app.register_listener(stop_background, "before_server_stop")

    return app
