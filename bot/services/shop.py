"""POST /shop/order-additions/<id>: the shop's back office or payment provider settles a
same-parcel addition (paid, confirmed or refused), signed like the carrier's webhook
(bot/services/signed.py). Idempotent: the same answer twice is one settlement."""

from __future__ import annotations

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.services.signed import signed_json
from bot.store.models import utcnow
from bot.store.units import Store
from bot.suggestions.settlement import OUTCOMES, SettleError, settle_addition


def shop_blueprint(store: Store, secret: str) -> Blueprint:
    bp = Blueprint("shop_events", url_prefix="/shop")

    @bp.route("/order-additions/<addition_id:int>", methods=["POST"])
    async def order_addition(request: Request, addition_id: int) -> HTTPResponse:
        found = signed_json(request, secret, what="shop", variable="KLANTREIS_SHOP_SECRET")
        if isinstance(found, HTTPResponse):
            return found
        data = found.data
        status = data.get("status") if isinstance(data, dict) else None
        if status not in OUTCOMES:
            return response.json({"error": f"status: one of {', '.join(OUTCOMES)}"}, status=422)
        try:
            settled = await store.run(
                lambda s: settle_addition(s, addition_id=addition_id, status=status, now=utcnow())
            )
        except SettleError as exc:
            return response.json({"error": str(exc)}, status=exc.code)
        return response.json(
            {
                "addition_id": settled.addition_id,
                "status": settled.status,
                "changed": settled.changed,
                "order_line": settled.order_line,
            }
        )

    return bp
