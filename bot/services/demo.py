"""The demo shop page, and the shop backend's one job for the chat: signing who is logged in."""

from __future__ import annotations

import json
from pathlib import Path

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import tokens
from bot.language import supported
from bot.security_headers import shop_page_csp
from bot.services.product_images import product_png, product_svg
from bot.services.product_page import PAGE_CSP, product_page
from bot.settings import PROJECT_ROOT, Settings, rasa_token, token_key
from bot.store.catalogue import products_by_sku
from bot.store.db import make_engine, make_session_factory
from bot.store.models import Customer, Product

DEMO_DIR = PROJECT_ROOT / "web" / "demo"
DEMO_CUSTOMERS = ("C1001", "C1002", "C1003")
TOKEN_TTL_SECONDS = 24 * 3600


def demo_logins_enabled(settings: Settings) -> bool:
    """Demo log-ins hand out customer tokens to any visitor: never on a real installation.

    `klantreis run --no-demo` (and KLANTREIS_DEMO=0) turns them off.
    """
    return settings.demo_logins


def demo_customers(settings: Settings) -> list[dict[str, str]]:
    """A few demo shoppers to log in as, each with a token signed like a real shop would."""
    if not demo_logins_enabled(settings):
        return []
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as session:
            customers = session.scalars(
                select(Customer).where(Customer.customer_ref.in_(DEMO_CUSTOMERS))
            ).all()
            key = token_key(settings)
            return [
                {
                    "ref": c.customer_ref,
                    "name": f"{c.first_name} {c.last_name}".strip(),
                    "token": tokens.sign(c.customer_ref, key, ttl_seconds=TOKEN_TTL_SECONDS),
                }
                for c in sorted(customers, key=lambda c: c.customer_ref)
            ]
    finally:
        engine.dispose()


def rasa_url(request: Request, settings: Settings) -> str:
    """Where the browser reaches the bot: the host it used for this page, on Rasa's port."""
    host = (request.host or "127.0.0.1").rsplit(":", 1)[0] or "127.0.0.1"
    return f"{request.scheme}://{host}:{settings.rasa_port}"


def _product(session: Session, sku: str) -> Product | None:
    """The product with its sizes and reviews loaded, for use after the session closes."""
    found = products_by_sku(session=session, skus=[sku])
    return found[0] if found else None


def demo_blueprint(settings: Settings) -> Blueprint:
    blueprint = Blueprint("demo")

    async def page(request: Request) -> HTTPResponse:
        page = DEMO_DIR / "index.html"
        csp = shop_page_csp(page, rasa_url(request, settings))
        return await response.file(
            page, headers={"Cache-Control": "no-cache", "Content-Security-Policy": csp}
        )

    blueprint.add_route(page, "/", methods=["GET"], name="home")
    blueprint.add_route(page, "/demo/", methods=["GET"], name="demo_home")

    @blueprint.route("/demo/config.js", methods=["GET"])
    async def config(request: Request) -> HTTPResponse:
        data = {"server": rasa_url(request, settings), "customers": demo_customers(settings)}
        body = f"window.KLANTREIS_DEMO = {json.dumps(data)};\n"
        return response.text(
            body,
            content_type="application/javascript; charset=utf-8",
            headers={"Cache-Control": "no-store"},
        )

    @blueprint.route("/demo/api/delay", methods=["POST"])
    async def delay(request: Request) -> HTTPResponse:
        """'Carrier reports a delay': a real notice into the logged-in shopper's open chat."""
        from bot.services.console.proactive import send_proactive
        from bot.services.console.rasa_api import RasaUnavailable
        from bot.services.demo_delay import demo_delay

        if not demo_logins_enabled(settings):
            return response.json({"error": "not found"}, status=404)
        body = request.json if isinstance(request.json, dict) else {}
        ref = tokens.verify(body.get("token"), token_key(settings))
        if ref is None:
            return response.json({"error": "not_logged_in"}, status=403)
        session_id = str(body.get("session_id") or "")
        ctx = request.app.ctx
        found = await ctx.store.run(
            lambda session: demo_delay(session, customer_ref=ref, session_id=session_id)
        )
        if found.error:
            return response.json({"error": found.error}, status=409)
        try:
            outcome = await send_proactive(
                ctx.store, ctx.rasa, ctx.feed, found.conversation_id, found.intent, found.entities
            )
        except RasaUnavailable:
            return response.json({"error": "bot_down"}, status=503)
        return response.json({"outcome": outcome, "order_number": found.entities["order_number"]})

    @blueprint.route("/demo/api/addition", methods=["POST"])
    async def addition(request: Request) -> HTTPResponse:
        """'The shop settles my addition': pay or confirm it, and the bot confirms it."""
        from bot.delays.dispatch import Dispatcher, RasaWebPresence
        from bot.delays.policy import delay_policy
        from bot.services.demo_addition import settle_latest

        if not demo_logins_enabled(settings):
            return response.json({"error": "not found"}, status=404)
        body = request.json if isinstance(request.json, dict) else {}
        ref = tokens.verify(body.get("token"), token_key(settings))
        if ref is None:
            return response.json({"error": "not_logged_in"}, status=403)
        ctx = request.app.ctx
        found = await ctx.store.run(lambda session: settle_latest(session, customer_ref=ref))
        settled = found.settled
        if settled is None or settled.outbox_id is None:
            return response.json({"error": found.error or "no_addition"}, status=409)
        rasa_here = f"http://127.0.0.1:{settings.rasa_port}"
        dispatcher = Dispatcher(
            store=ctx.store,
            rasa=ctx.rasa,
            feed=ctx.feed,
            policy=delay_policy(),
            presence=RasaWebPresence(rasa_here, rasa_token(settings)),
        )
        outcome = await dispatcher.run_once(only_id=settled.outbox_id)
        # Leased by a running worker meanwhile: it sends it, so it is queued, not lost.
        said = next(iter(outcome.values()), "queued")
        return response.json({"status": settled.status, "outcome": said})

    @blueprint.route("/demo/images/<name:str>", methods=["GET"])
    async def image(request: Request, name: str) -> HTTPResponse:
        """A product's generated picture: `<sku>.svg` for pages, `<sku>.png` for apps."""
        sku, _, kind = name.rpartition(".")
        if kind not in ("svg", "png") or not sku:
            return response.json({"error": "not found"}, status=404)
        product = await request.app.ctx.store.run(lambda session: _product(session, sku))
        if product is None:
            return response.json({"error": "not found"}, status=404)
        facts = {"name": product.name_nl, "brand": product.brand, "category": product.category}
        headers = {"Cache-Control": "public, max-age=3600"}
        if kind == "png":
            return response.raw(product_png(**facts), content_type="image/png", headers=headers)
        # Opened on its own an SVG is a document: the default policy (nothing may load or run)
        # applies, and it needs nothing, all its text being escaped.
        return response.text(
            product_svg(**facts), content_type="image/svg+xml; charset=utf-8", headers=headers
        )

    @blueprint.route("/demo/products/<sku:str>", methods=["GET"])
    async def product_page_route(request: Request, sku: str) -> HTTPResponse:
        """The page a card links to."""
        language = supported(request.args.get("lang"))
        product = await request.app.ctx.store.run(lambda session: _product(session, sku))
        if product is None:
            return response.json({"error": "not found"}, status=404)
        return response.html(
            product_page(product, language),
            headers={"Cache-Control": "no-cache", "Content-Security-Policy": PAGE_CSP},
        )

    @blueprint.route("/demo/<name:str>", methods=["GET"])
    async def asset(_: Request, name: str) -> HTTPResponse:
        path = DEMO_DIR / name
        if Path(name).name != name or not path.is_file() or name == "index.html":
            return response.json({"error": "not found"}, status=404)
        return await response.file(path, headers={"Cache-Control": "no-cache"})

    return blueprint
