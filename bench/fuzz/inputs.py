"""Generated inputs: text, JSON values and bodies that each endpoint must survive.

Everything comes from one `random.Random(seed)`, so a run can be repeated exactly. Most inputs
are almost right (the shape an endpoint expects, with one nasty value), because those travel
furthest into the code; the rest are garbage.
"""

from __future__ import annotations

import json
import random
from typing import Any

# Strings that broke, or could break, something somewhere.
NASTY_TEXT = [
    "\ud98d",  # the lone surrogate of issue #15
    "\udc00hoi",
    "hoi\ud800",
    "\x00",
    "a\x00b",
    "\x01\x02\x1b[31m\x7f",
    "\u202eevil\u202c",
    "\ufeff",
    "\uffff\ufffe",
    "e\u0301\u0301\u0301",
    "👍🏽👨‍👩‍👧‍👦🇳🇱",
    "𝕳𝖔𝖎",
    "",
    " ",
    "\n\t\r",
    "/restart",
    "/greet",
    '/order_status{"order_number": "10452"}',
    "/start",
    "<script>alert(1)</script>",
    "'; DROP TABLE events; --",
    "10452' OR '1'='1",
    "{0}{1}{name}%s%d%(x)s",
    "${jndi:ldap://127.0.0.1/a}",
    "../../etc/passwd",
    "NaN",
    "null",
    "true",
    "0",
    "-1",
    "99999999999999999999999999",
    "whatsapp:+31612345678",
    "web:" + "ab" * 16,
    "rest:",
    "ＨＯＩ",
    "ı̇İß",
]
WORDS = [
    "hoi", "waar", "is", "mijn", "bestelling", "10452", "3572 BK", "retour", "annuleren",
    "hello", "where", "order", "price", "Veloce", "Aero", "maat", "43", "ja", "nee", "medewerker",
]  # fmt: skip


class Inputs:
    """One seeded source of fuzzed values."""

    def __init__(self, seed: int):
        self.random = random.Random(seed)

    def chance(self, probability: float) -> bool:
        return self.random.random() < probability

    def pick(self, options: list[Any]) -> Any:
        return self.random.choice(options)

    def text(self) -> str:
        """A string: nasty, ordinary words, random code points, or very long."""
        roll = self.random.random()
        if roll < 0.35:
            return str(self.pick(NASTY_TEXT))
        if roll < 0.6:
            return " ".join(self.random.choices(WORDS, k=self.random.randint(1, 6)))
        if roll < 0.85:
            length = self.random.randint(1, 40)
            return "".join(chr(self.random.randint(0, 0x10FFFF)) for _ in range(length))
        length = self.random.choice([129, 1000, 4999, 5001, 20_000, 70_000])
        return self.pick(NASTY_TEXT + ["x", "é", "🙂"]) * length

    def scalar(self) -> Any:
        return self.pick(
            [
                None,
                True,
                False,
                0,
                -1,
                2**63,
                10**30,
                1.5,
                -0.0,
                1e308,
                self.random.randint(-(2**31), 2**31),
                self.text(),
            ]
        )

    def value(self, depth: int = 3) -> Any:
        """Any JSON value, nested a little (now and then a lot)."""
        if depth == 3 and self.chance(0.03):
            return self.deep()
        if depth <= 0 or self.chance(0.6):
            return self.scalar()
        if self.chance(0.5):
            return [self.value(depth - 1) for _ in range(self.random.randint(0, 4))]
        return {self.text()[:40]: self.value(depth - 1) for _ in range(self.random.randint(0, 4))}

    def deep(self) -> Any:
        """JSON nested deeper than anything we accept (but not too deep to encode)."""
        value: Any = []
        for _ in range(self.pick([40, 200, 300])):
            value = [value] if self.chance(0.5) else {"a": value}
        return value

    def junk_bytes(self) -> bytes:
        """A body that is not what the endpoint expects at all."""
        options: list[bytes] = [
            b"",
            b"null",
            b"[]",
            b"42",
            b'"text"',
            b"{",
            b'{"sender": "a", "message": "b"',
            b"\xff\xfe\x00",
            b"\xed\xa0\x80",  # a surrogate encoded as UTF-8: not UTF-8
            b"[" * 100_000 + b"]" * 100_000,
            b"a=1&b=2",
            bytes(self.random.getrandbits(8) for _ in range(self.random.randint(1, 200))),
            b"x" * self.pick([70_000, 1_100_000]),
        ]
        return self.pick(options)

    def mutate(self, data: dict[str, Any]) -> dict[str, Any]:
        """A copy of a well-formed object with one to three leaves or keys changed."""
        result = json.loads(json.dumps(data))
        for _ in range(self.random.randint(1, 3)):
            self._mutate_once(result)
        return result

    def _mutate_once(self, data: dict[str, Any]) -> None:
        node: Any = data
        for _ in range(self.random.randint(0, 4)):  # walk down a few levels
            children = [k for k, v in node.items() if isinstance(v, dict)]
            if not children:
                break
            node = node[self.pick(children)]
        roll = self.random.random()
        if roll < 0.6 and node:
            node[self.pick(list(node))] = self.value()
        elif roll < 0.8 and node:
            del node[self.pick(list(node))]
        else:
            node[self.text()[:30]] = self.value()

    def json_bytes(self, value: Any) -> bytes:
        """`value` as JSON bytes; lone surrogates survive as \\u escapes, as a client sends."""
        return json.dumps(value).encode("ascii")
