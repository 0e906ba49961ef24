"""Pacing at the provider: however the sends bunch up, no one-second window of the provider's
receive times holds more than the rate."""

from __future__ import annotations

import asyncio
import random
import time

from connectors.pacing import SendPacer


def busiest(times: list[float], window: float = 1.0) -> int:
    times = sorted(times)
    most, first = 0, 0
    for last, at in enumerate(times):
        while at - times[first] >= window:
            first += 1
        most = max(most, last - first + 1)
    return most


async def test_no_window_holds_more_than_the_rate_whatever_the_latency() -> None:
    pacer = SendPacer(20)
    received: list[float] = []
    rng = random.Random(12)

    async def send() -> None:
        async with pacer.slot():
            # The provider takes the message somewhere on the way; the slow ones are the danger.
            await asyncio.sleep(rng.choice([0.0, 0.001, 0.05, 0.2]))
            received.append(time.monotonic())
            await asyncio.sleep(rng.choice([0.0, 0.02]))

    started = time.monotonic()
    await asyncio.gather(*(send() for _ in range(70)))  # all at once: a burst from Rasa

    assert len(received) == 70
    assert busiest(received) <= 20
    assert time.monotonic() - started < 12  # paced, not crawling (about 3.5 s unloaded)


async def test_a_fractional_rate_rounds_the_window() -> None:
    pacer = SendPacer(2.5)
    assert (pacer.limit, pacer.window) == (2, 0.8)
    slow = SendPacer(0.5)
    assert (slow.limit, slow.window) == (1, 2.0)


async def test_unpaced_never_waits() -> None:
    pacer = SendPacer(0)
    started = time.monotonic()
    for _ in range(1000):
        async with pacer.slot():
            pass
    assert not pacer.paced and time.monotonic() - started < 1


async def test_a_failed_call_still_counts() -> None:
    pacer = SendPacer(2)
    ended: list[float] = []
    for _ in range(3):
        try:
            async with pacer.slot():
                ended.append(time.monotonic())
                raise OSError("the provider may have taken it all the same")
        except OSError:
            pass
    assert ended[2] - ended[0] >= 1.0
