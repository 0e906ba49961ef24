"""Pacing at the provider: at most `per_second` messages a second leave one sender (a WhatsApp
number, a Telegram bot), counted where the message leaves, so the provider never sees more in
any one-second window, however Rasa's turns bunch up.

A plain token bucket does not give that: with a burst of N it lets 2N through in a second (a
full bucket, then the refill), and with a burst of 1 the provider's receive times still bunch
when one request is slower on the way than the next. So a call may start only when fewer than
N calls have *ended* in the last window and none of those is still under way: the provider
received each of them before it ended, so any window of the provider's receive times holds at
most N, whatever the network does. With a fast provider that is N a second.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from pathlib import Path


class SendPacer:
    """One sender's pace; share one instance between every output of that sender in a process.

    `per_second` ≤ 0: unpaced. A rate below one a second allows one call per 1/rate seconds;
    a fractional rate above one rounds the window, e.g. 2.5/s allows 2 calls per 0.8 s.
    """

    def __init__(self, per_second: float, *, clock: Callable[[], float] = time.monotonic):
        self.per_second = per_second
        self.limit = max(1, math.floor(per_second)) if per_second > 0 else 0
        self.window = self.limit / per_second if per_second > 0 else 0.0
        self._clock = clock
        self._ended: deque[float] = deque()
        self._flying = 0
        self._changed: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def paced(self) -> bool:
        return self.limit > 0

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold a place for one provider call: wait for it, make the call inside."""
        if not self.paced:
            yield
            return
        await self._acquire()
        try:
            yield
        finally:
            self._flying -= 1
            self._ended.append(self._clock())
            if self._changed is not None:
                self._changed.set()

    def _busy(self, now: float) -> int:
        while self._ended and self._ended[0] <= now - self.window:
            self._ended.popleft()
        return self._flying + len(self._ended)

    async def _acquire(self) -> None:
        loop = asyncio.get_running_loop()
        if self._changed is None or self._loop is not loop:  # an Event belongs to one loop
            self._changed, self._loop = asyncio.Event(), loop
        changed = self._changed
        while True:
            now = self._clock()
            # No await between the check and the count: one event loop, so it is atomic.
            if self._busy(now) < self.limit:
                self._flying += 1
                return
            # Wait until the oldest call leaves the window, or a call under way ends.
            wait = self._ended[0] + self.window - now if self._ended else None
            changed.clear()
            with suppress(asyncio.TimeoutError):
                await asyncio.wait_for(changed.wait(), wait)


UNPACED = SendPacer(0)


def provider_rate(retailer_file: Path) -> float:
    """`notices.per_sender_per_second` of the retailer file (0: unpaced)."""
    from bot.delays.policy import load_delay_policy

    return load_delay_policy(retailer_file).per_sender_per_second
