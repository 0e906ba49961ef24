"""The demo shop's product page: what a card's link opens. Server-rendered, every text escaped.

The page runs no script; its policy allows only its own style sheet and pictures.
"""

from __future__ import annotations

from html import escape

from bot import product_links, texts
from bot.formatting import money_text
from bot.product_facts import rating_text, stock_text
from bot.store.models import Product

PAGE_CSP = (
    "default-src 'none'; img-src 'self'; style-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'none'"
)
MAX_REVIEWS = 3


def product_page(product: Product, language: str) -> str:
    name = escape(product.name(language))
    sizes = "".join(
        f'<li class="{"in" if v.stock > 0 else "out"}">'
        f"{escape(stock_text(product, language=language, size=v.variant))}</li>"
        for v in product.variants
    )
    reviews = sorted(product.reviews, key=lambda r: (r.language != language, -r.rating))
    quotes = "".join(
        f"<blockquote><p>{escape(r.text)}</p><footer>{escape(r.author)} · "
        f"{'★' * max(0, min(5, r.rating))}</footer></blockquote>"
        for r in reviews[:MAX_REVIEWS]
    )
    rating = rating_text(product, language)
    heading = escape(texts.fragment("shop_reviews", language))
    review_section = f"<section><h2>{heading}</h2>{quotes}</section>" if quotes else ""
    image = escape(product_links.image_url(product), quote=True)
    return f"""<!doctype html>
<html lang="{"en" if language == "en" else "nl"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{name} · Trek &amp; Peddel</title>
<link rel="stylesheet" href="/demo/product.css">
</head>
<body>
<main class="product" data-sku="{escape(product.sku, quote=True)}">
<p><a href="/">{escape(texts.fragment("shop_back", language))}</a></p>
<img src="{image}" alt="{name}" width="400" height="300">
<div class="facts">
<p class="brand">{escape(product.brand)}</p>
<h1>{name}</h1>
<p class="price">{escape(money_text(product.price_cents, language))}</p>
{f'<p class="rating">{escape(rating)}</p>' if rating else ""}
<p>{escape(product.description(language))}</p>
<h2>{escape(texts.fragment("shop_sizes", language))}</h2>
<ul class="sizes">{sizes}</ul>
</div>
{review_section}
</main>
</body>
</html>
"""
