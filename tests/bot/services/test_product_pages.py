"""The demo shop's product pages and generated pictures, from a real services process."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PIL import Image
from sqlalchemy import update

from bot.services.product_images import figure_for, product_svg
from bot.settings import Settings
from bot.store.db import make_engine, make_session_factory
from bot.store.models import Product
from tests.helpers.demo import make_demo_store
from tests.helpers.services import services_process
from tests.helpers.stack import test_settings

HOSTILE = '<script>alert("x")</script> & "quotes"'


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp: Path = tmp_path_factory.mktemp("product-pages")
    url = make_demo_store(f"sqlite:///{tmp / 'demo.db'}")
    engine = make_engine(url)
    with make_session_factory(engine)() as session, session.begin():
        # Retailer data is not markup: a name or description with tags must stay text.
        session.execute(
            update(Product)
            .where(Product.sku == "TP-SOK-001")
            .values(name_nl=HOSTILE, description_nl=HOSTILE)
        )
    engine.dispose()
    settings: Settings = test_settings(tmp, url, offset=1430)
    with services_process(settings) as base:
        yield base


def secure(response: httpx.Response) -> None:
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_the_product_page_shows_the_product_with_its_sizes_in_both_languages(web: str) -> None:
    page = httpx.get(f"{web}/demo/products/TP-RUN-001")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "script-src" not in page.headers["content-security-policy"]  # no script at all
    secure(page)
    html = page.text
    assert "<h1>Veloce Aero 3</h1>" in html and 'src="/demo/images/TP-RUN-001.svg"' in html
    assert "Op voorraad in maat 43" in html and "Uitverkocht in maat 44" in html
    english = httpx.get(f"{web}/demo/products/TP-RUN-001", params={"lang": "en"}).text
    assert '<html lang="en">' in english and "In stock in size 43" in english


def test_catalogue_text_is_escaped_on_the_page_and_in_the_picture(web: str) -> None:
    html = httpx.get(f"{web}/demo/products/TP-SOK-001").text
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;" in html
    svg = httpx.get(f"{web}/demo/images/TP-SOK-001.svg").text
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_pictures_are_svg_and_png_with_the_right_type_and_headers(web: str) -> None:
    svg = httpx.get(f"{web}/demo/images/TP-TNT-001.svg")
    assert svg.status_code == 200
    assert svg.headers["content-type"] == "image/svg+xml; charset=utf-8"
    secure(svg)
    assert svg.headers["content-security-policy"].startswith("default-src 'none'")
    assert svg.text.startswith("<svg") and "<polygon" in svg.text
    png = httpx.get(f"{web}/demo/images/TP-TNT-001.png")
    assert png.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(png.content)).size == (800, 600)


@pytest.mark.parametrize(
    "path",
    [
        "/demo/products/TP-NOPE-999",
        "/demo/images/TP-NOPE-999.svg",
        "/demo/images/TP-RUN-001.gif",
        "/demo/images/TP-RUN-001",
        "/demo/images/..%2Fdemo.css",
        "/demo/products/%3Cscript%3E",
    ],
)
def test_unknown_products_and_pictures_are_a_clean_404(web: str, path: str) -> None:
    answer = httpx.get(f"{web}{path}")
    assert answer.status_code == 404
    assert "<script>" not in answer.text


def test_each_category_has_its_figure_and_an_unknown_one_a_price_tag() -> None:
    assert figure_for("tents") != figure_for("running_shoes")
    assert figure_for("kitchen_knives") == figure_for("accessories")  # the tag
    assert figure_for("hiking_shoes") == figure_for("running_shoes")  # by the word in the key
    svg = product_svg(name="Pan", brand="Koker & Zn", category="pans")
    assert "KOKER &amp; ZN" in svg
