"""Per-sender rate limiting, so one flooding client cannot starve the others."""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float
    warned: bool = False


class RateLimiter:
    """A token bucket per sender: `burst` messages at once, then `per_second` on average.

    Buckets of idle senders are forgotten (least recently used first) beyond `max_senders`,
    so memory stays bounded whatever the number of senders.
    """

    def __init__(self, burst: int = 8, per_second: float = 0.5, max_senders: int = 50_000):
        self.burst = burst
        self.per_second = per_second
        self.max_senders = max_senders
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def allow(self, sender: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        bucket = self._buckets.pop(sender, None)
        if bucket is None:
            bucket = _Bucket(tokens=float(self.burst), updated=now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.per_second)
        bucket.updated = now
        allowed = bucket.tokens >= 1
        if allowed:
            bucket.tokens -= 1
            bucket.warned = False
        self._buckets[sender] = bucket
        while len(self._buckets) > self.max_senders:
            self._buckets.popitem(last=False)
        return allowed

    def exhausted(self, sender: str, now: float | None = None) -> bool:
        """True while `sender` has used up its allowance (without using any of it)."""
        bucket = self._buckets.get(sender)
        if bucket is None:
            return False
        now = time.monotonic() if now is None else now
        return min(self.burst, bucket.tokens + (now - bucket.updated) * self.per_second) < 1

    def first_refusal(self, sender: str) -> bool:
        """True once per flood, so the sender is told to slow down once, not per message."""
        bucket = self._buckets.get(sender)
        if bucket is None or bucket.warned:
            return False
        bucket.warned = True
        return True
