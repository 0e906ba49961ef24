"""Where a product's picture and page live, and when a channel may hand such a link on.

A card carries links as the shop knows them: the product's own image URL when the catalogue
has one, else the demo shop's generated picture; the product page on the demo shop. Those may
be site-relative ("/demo/images/TP-RUN-001.svg"): a browser resolves them against the shop page
it is on, but Telegram and WhatsApp fetch a picture from their own servers, so they get one
only when it is absolute, or when KLANTREIS_SHOP_URL says where the shop is public.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

IMAGES_PATH = "/demo/images/"
PAGES_PATH = "/demo/products/"


def _own_image(product: Any) -> str | None:
    """The catalogue's image URL (Product.image_url, once the catalogue has one), if usable."""
    url = getattr(product, "image_url", None)
    if not isinstance(url, str) or not url.strip():
        return None
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return url
    if not parts.scheme and not parts.netloc and url.startswith("/"):
        return url
    return None  # javascript:, data:, a bare file name …: not a picture we pass on


def image_url(product: Any) -> str:
    """The picture a page shows: the product's own, else the demo's generated SVG."""
    return _own_image(product) or f"{IMAGES_PATH}{quote(product.sku, safe='')}.svg"


def photo_url(product: Any) -> str:
    """The picture a messaging app shows: Telegram and WhatsApp take no SVG, so the demo's
    picture as PNG (also when the catalogue points at that generated picture)."""
    own = _own_image(product)
    if own is None or own.startswith(IMAGES_PATH):
        return f"{IMAGES_PATH}{quote(product.sku, safe='')}.png"
    return own


def page_url(product: Any, language: str) -> str:
    """The product page on the demo shop."""
    page = f"{PAGES_PATH}{quote(product.sku, safe='')}"
    return f"{page}?lang=en" if language == "en" else page


def public_url(url: str | None, base: str | None) -> str | None:
    """`url` as someone outside the shop can fetch it: absolute http(s) as it is, site-relative
    against the shop's public address `base`, otherwise None (nothing to hand on)."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return url
    if parts.scheme or parts.netloc or not url.startswith("/") or not base:
        return None
    return base.rstrip("/") + url
