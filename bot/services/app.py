"""The services process: demo shop page and agent console, one Sanic app."""

from __future__ import annotations

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.services.demo import demo_blueprint
from bot.settings import Settings


def create_app(settings: Settings, name: str = "klantreis_services") -> Sanic:
    app = Sanic(name)
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.blueprint(demo_blueprint(settings))

    @app.route("/health", methods=["GET"])
    async def health(_: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    return app
