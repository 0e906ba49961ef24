"""Security headers for every response we serve: the web services and Rasa's channels.

Every response says `nosniff`, sends no referrer and may not be framed. Responses that are
not pages (JSON, webhooks, the widget's files) get a CSP that allows nothing, so a response
that echoes customer text can never run as a page. Pages set their own, narrower policy
(the console's in bot/services/console/api.py, the demo shop's below); a route's own header
always wins over the default here.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from pathlib import Path

from sanic import Sanic
from sanic.request import Request
from sanic.response import BaseHTTPResponse

NOT_A_PAGE_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
DEFAULT_HEADERS = {
    "Content-Security-Policy": NOT_A_PAGE_CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def add_security_headers(response: BaseHTTPResponse) -> None:
    """Fill in the headers a route did not set itself."""
    for name, value in DEFAULT_HEADERS.items():
        if name not in response.headers:
            response.headers[name] = value


def install(app: Sanic) -> None:
    """Add the headers to every response of `app`, error pages included."""

    async def security_headers(_: Request, response: BaseHTTPResponse) -> None:
        add_security_headers(response)

    app.register_middleware(security_headers, "response")


@lru_cache(maxsize=8)
def _script_hashes(path: Path, mtime_ns: int) -> tuple[str, ...]:
    html = path.read_text(encoding="utf-8")
    return tuple(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"
        for body in _INLINE_SCRIPT.findall(html)
    )


def inline_script_hashes(path: Path) -> tuple[str, ...]:
    """CSP hashes of a page's inline scripts, so exactly those run and no injected one does."""
    return _script_hashes(path, path.stat().st_mtime_ns)


def shop_page_csp(page: Path, bot_origin: str) -> str:
    """The demo shop page: its own files and inline scripts, and the chat widget from the bot.

    The widget's script, style sheet and socket.io connection come from Rasa's origin, as on a
    retailer's own site. Inline `style` attributes (the star ratings) are allowed; inline
    scripts only by hash.
    """
    websocket = "ws" + bot_origin[len("http") :] if bot_origin.startswith("http") else ""
    scripts = " ".join(("'self'", *inline_script_hashes(page), bot_origin))
    return (
        f"default-src 'self'; script-src {scripts}; style-src 'self' {bot_origin}; "
        "style-src-attr 'unsafe-inline'; img-src 'self' data: https:; "
        f"connect-src 'self' {bot_origin} {websocket}; object-src 'none'; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    )
