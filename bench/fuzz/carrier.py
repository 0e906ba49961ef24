"""Fuzzing the carrier webhook (`POST /webhooks/carrier`, docs/delays.md): mostly validly signed
requests over fuzzed fields, a few with a forged signature or an old timestamp."""

from __future__ import annotations

import time
from typing import Any

import httpx

from bench.fuzz.endpoints import TIMEOUT, Tally, Target, _send_all, _status
from bench.fuzz.inputs import Inputs
from bot.delays.signature import sign

STATUSES = ["announced", "in_transit", "out_for_delivery", "delivered", "delayed"]
REASONS = ["carrier_delay", "weather", "warehouse", "no_scan", "missed_date"]
# Demo shipments (data/demo/shipments.csv): a fuzzed event may really move one.
TRACKING_CODES = ["3SKAAB574720737", "JVGL0654773038795076", "3SKAAB000000000"]


def _event(inputs: Inputs, i: int) -> dict[str, Any]:
    event: dict[str, Any] = {
        "event_id": f"fuzz-{i}-{inputs.text()[:40]}",
        "tracking_code": inputs.pick(TRACKING_CODES),
        "status": inputs.pick(STATUSES),
        "at": "2026-12-04T09:30:00+01:00",
    }
    if inputs.chance(0.6):
        event["eta"] = inputs.pick(["2026-12-09", "2026-02-30", inputs.text()])
    if inputs.chance(0.5):
        event["reason"] = inputs.pick([*REASONS, inputs.text()])
    if inputs.chance(0.3):
        event["description"] = inputs.text()
    return inputs.mutate(event) if inputs.chance(0.5) else event


async def fuzz_carrier(
    target: Target, inputs: Inputs, count: int, tally: Tally, *, secret: str
) -> None:
    url = f"{target.web_url}/webhooks/carrier"
    async with httpx.AsyncClient(timeout=TIMEOUT) as http:

        async def one(i: int) -> tuple[str, str]:
            if inputs.chance(0.1):
                body = inputs.junk_bytes()
            else:
                body = inputs.json_bytes(inputs.pick([_event(inputs, i), inputs.value()]))
            timestamp = str(int(time.time()))
            roll = inputs.random.random()
            if roll < 0.05:
                signature = sign("not-the-secret", timestamp, body)
            elif roll < 0.1:
                timestamp = str(int(time.time()) - 3600)  # a replay from an hour ago
                signature = sign(secret, timestamp, body)
            else:
                signature = sign(secret, timestamp, body)
            headers = {
                "Content-Type": "application/json",
                "X-Klantreis-Timestamp": timestamp,
                "X-Klantreis-Signature": signature,
            }
            response = await http.post(url, content=body, headers=headers)
            return _status(response), f"{body[:200]!r} -> {response.text[:200]}"

        await _send_all(count, one, tally)
