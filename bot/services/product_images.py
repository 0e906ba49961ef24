"""The demo shop's product pictures, drawn from the catalogue: no photos, no downloads.

Each picture is the product's category as a simple figure, in a colour of its brand, with the
brand and the product's name. One drawing, two renderings: SVG for the web (the shop pages and
the chat widget) and PNG for Telegram and WhatsApp, which take no SVG. A category the drawing
does not know (another retailer's catalogue) gets a price tag.
"""

from __future__ import annotations

import colorsys
import hashlib
import io
from functools import lru_cache
from html import escape
from typing import NamedTuple

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 400, 300
PNG_SCALE = 2  # 800 × 600: sharp on a phone
FIGURE = (75, 58, 2.6)  # the 96 × 64 figure's left, top and scale within the picture
MAX_NAME = 30

Point = tuple[float, float]


class Part(NamedTuple):
    """A polygon, or a circle (radius > 0) around its one point, in the 96 × 64 grid. Fill
    "main" is the brand colour, "light" a highlight."""

    points: tuple[Point, ...]
    fill: str
    radius: float = 0.0


def poly(points: tuple[Point, ...], fill: str) -> Part:
    return Part(points, fill)


def circle(centre_and_radius: tuple[float, float, float], fill: str) -> Part:
    x, y, radius = centre_and_radius
    return Part(((x, y),), fill, radius)


SHOE: tuple[Part, ...] = (
    poly(
        (
            (8, 54),
            (8, 40),
            (12, 26),
            (20, 24),
            (26, 30),
            (38, 31),
            (46, 26),
            (54, 28),
            (62, 38),
            (80, 42),
            (88, 46),
            (90, 54),
            (88, 57),
            (10, 57),
        ),
        "main",
    ),
    poly(((10, 50), (89, 50), (89, 52), (10, 52)), "light"),
)
FIGURES: dict[str, tuple[Part, ...]] = {
    "shoe": SHOE,
    "trail": (
        *SHOE,
        poly(
            (
                (10, 57),
                (16, 62),
                (22, 57),
                (28, 62),
                (34, 57),
                (40, 62),
                (46, 57),
                (52, 62),
                (58, 57),
                (64, 62),
                (70, 57),
                (76, 62),
                (82, 57),
                (88, 62),
                (88, 57),
            ),
            "main",
        ),
    ),
    "tent": (
        poly(((10, 56), (46, 10), (86, 56)), "main"),
        poly(((46, 14), (38, 56), (54, 56)), "light"),
        poly(((4, 56), (92, 56), (92, 59), (4, 59)), "main"),
    ),
    "board": (
        poly(
            ((6, 46), (20, 40), (60, 38), (88, 42), (90, 46), (84, 50), (40, 52), (10, 50)),
            "main",
        ),
        poly(((63, 6), (66, 7), (50, 41), (47, 40)), "main"),
        poly(((45, 38), (42, 49), (51, 42)), "main"),
    ),
    "paddle": (
        poly(((70, 6), (74, 9), (40, 48), (36, 45)), "main"),
        poly(((36, 40), (42, 46), (28, 60), (20, 54)), "main"),
        poly(((64, 3), (80, 10), (78, 13), (62, 6)), "main"),
    ),
    "jacket": (
        poly(
            (
                (36, 6),
                (60, 6),
                (80, 18),
                (88, 52),
                (78, 54),
                (70, 34),
                (66, 58),
                (30, 58),
                (26, 34),
                (18, 54),
                (8, 52),
                (16, 18),
            ),
            "main",
        ),
        poly(((47, 10), (49, 10), (49, 58), (47, 58)), "light"),
    ),
    "wetsuit": (
        poly(
            (
                (36, 4),
                (60, 4),
                (74, 14),
                (80, 34),
                (72, 36),
                (66, 22),
                (64, 38),
                (62, 60),
                (52, 60),
                (48, 40),
                (44, 60),
                (34, 60),
                (32, 38),
                (30, 22),
                (24, 36),
                (16, 34),
                (22, 14),
            ),
            "main",
        ),
    ),
    "sleeping_bag": (
        poly(
            ((14, 44), (16, 30), (30, 18), (74, 16), (86, 22), (88, 34), (80, 44), (30, 46)),
            "main",
        ),
        circle((26, 32, 8), "light"),
    ),
    "sock": (
        poly(
            ((34, 4), (54, 4), (54, 38), (72, 44), (80, 52), (74, 60), (44, 60), (34, 52)),
            "main",
        ),
        poly(((34, 8), (54, 8), (54, 12), (34, 12)), "light"),
    ),
    "insole": (
        poly(
            (
                (12, 36),
                (18, 26),
                (40, 22),
                (70, 22),
                (84, 28),
                (86, 36),
                (80, 42),
                (56, 44),
                (30, 46),
                (16, 44),
            ),
            "main",
        ),
    ),
    "bottle": (
        poly(
            ((42, 4), (54, 4), (54, 12), (62, 20), (62, 60), (34, 60), (34, 20), (42, 12)),
            "main",
        ),
        poly(((38, 30), (58, 30), (58, 46), (38, 46)), "light"),
    ),
    "tag": (
        poly(((14, 14), (56, 14), (86, 34), (56, 54), (14, 54)), "main"),
        circle((26, 34, 5), "light"),
    ),
}
# The demo's categories, and words in another catalogue's category keys, to a figure.
CATEGORY_FIGURES = {
    "running_shoes": "shoe",
    "trail_shoes": "trail",
    "tents": "tent",
    "sup_boards": "board",
    "paddles": "paddle",
    "rain_jackets": "jacket",
    "wetsuits": "wetsuit",
    "sleeping_bags": "sleeping_bag",
    "socks": "sock",
    "insoles": "insole",
    "care": "bottle",
}
KEY_WORDS = (
    ("shoe", "shoe"),
    ("jacket", "jacket"),
    ("coat", "jacket"),
    ("tent", "tent"),
    ("sock", "sock"),
    ("board", "board"),
    ("paddle", "paddle"),
    ("bottle", "bottle"),
)


def figure_for(category: str) -> tuple[Part, ...]:
    key = (category or "").lower()
    name = CATEGORY_FIGURES.get(key) or next((f for w, f in KEY_WORDS if w in key), "tag")
    return FIGURES[name]


def brand_colours(brand: str) -> tuple[str, str, str]:
    """(figure, background, highlight) colours: a hue of the brand's own, the same every run."""
    hue = int.from_bytes(hashlib.sha256(brand.encode("utf-8")).digest()[:2], "big") / 65536

    def rgb(lightness: float, saturation: float) -> str:
        r, g, b = colorsys.hls_to_rgb(hue, lightness, saturation)
        return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"

    return rgb(0.36, 0.55), rgb(0.94, 0.45), rgb(0.80, 0.40)


def _short(name: str) -> str:
    return name if len(name) <= MAX_NAME else name[: MAX_NAME - 1].rstrip() + "…"


def _placed(point: Point) -> Point:
    left, top, scale = FIGURE
    return left + point[0] * scale, top + point[1] * scale


def product_svg(*, name: str, brand: str, category: str) -> str:
    """The picture as SVG; every text is escaped, so a name can never become markup."""
    main, background, light = brand_colours(brand)
    fills = {"main": main, "light": light}
    shapes = []
    for part in figure_for(category):
        fill = fills[part.fill]
        if part.radius:
            x, y = _placed(part.points[0])
            shapes.append(
                f'<circle cx="{x:g}" cy="{y:g}" r="{part.radius * FIGURE[2]:g}" fill="{fill}"/>'
            )
        else:
            points = " ".join(f"{x:g},{y:g}" for x, y in map(_placed, part.points))
            shapes.append(f'<polygon points="{points}" fill="{fill}"/>')
    label = escape(f"{brand} {name}" if not name.startswith(brand) else name)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{label}">'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{background}"/>'
        f'<text x="20" y="34" font-family="system-ui, sans-serif" font-size="16" '
        f'font-weight="700" letter-spacing="2" fill="{main}">{escape(brand.upper())}</text>'
        + "".join(shapes)
        + f'<text x="{WIDTH // 2}" y="{HEIGHT - 24}" text-anchor="middle" '
        f'font-family="system-ui, sans-serif" font-size="22" font-weight="600" '
        f'fill="#1f2933">{escape(_short(name))}</text></svg>'
    )


@lru_cache(maxsize=128)
def product_png(*, name: str, brand: str, category: str) -> bytes:
    """The same picture as PNG (Pillow's own font: nothing to install or fetch)."""
    main, background, light = brand_colours(brand)
    fills = {"main": main, "light": light}
    s = PNG_SCALE
    image = Image.new("RGB", (WIDTH * s, HEIGHT * s), background)
    draw = ImageDraw.Draw(image)
    for part in figure_for(category):
        if part.radius:
            x, y = _placed(part.points[0])
            r = part.radius * FIGURE[2]
            box = ((x - r) * s, (y - r) * s, (x + r) * s, (y + r) * s)
            draw.ellipse(box, fill=fills[part.fill])
        else:
            points = [(x * s, y * s) for x, y in map(_placed, part.points)]
            draw.polygon(points, fill=fills[part.fill])
    draw.text((20 * s, 20 * s), brand.upper(), fill=main, font=ImageFont.load_default(16 * s))
    draw.text(
        (WIDTH // 2 * s, (HEIGHT - 30) * s),
        _short(name),
        fill="#1f2933",
        font=ImageFont.load_default(22 * s),
        anchor="mm",
    )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
