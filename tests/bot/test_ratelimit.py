"""One flooding sender is slowed down; the others are not."""

from __future__ import annotations

from bot.ratelimit import RateLimiter


def test_a_burst_then_the_steady_rate() -> None:
    limiter = RateLimiter(burst=3, per_second=1.0)
    assert [limiter.allow("a", now=0.0) for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("a", now=1.01)
    assert not limiter.allow("a", now=1.02)


def test_one_flooder_does_not_starve_another_sender() -> None:
    limiter = RateLimiter(burst=2, per_second=0.1)
    for _ in range(50):
        limiter.allow("flood", now=0.0)
    assert limiter.allow("quiet", now=0.0)


def test_the_flooder_is_warned_once_per_flood() -> None:
    limiter = RateLimiter(burst=1, per_second=1.0)
    limiter.allow("a", now=0.0)
    assert not limiter.allow("a", now=0.1)
    assert limiter.first_refusal("a")
    assert not limiter.allow("a", now=0.2)
    assert not limiter.first_refusal("a")
    assert limiter.allow("a", now=5.0)  # the flood is over: a new one warns again
    assert not limiter.allow("a", now=5.1)
    assert limiter.first_refusal("a")


def test_memory_stays_bounded() -> None:
    limiter = RateLimiter(max_senders=100)
    for n in range(1000):
        limiter.allow(f"s{n}", now=0.0)
    assert len(limiter._buckets) == 100


def test_checking_does_not_use_the_allowance() -> None:
    limiter = RateLimiter(burst=2, per_second=1.0)
    assert not limiter.exhausted("a", now=0.0)
    limiter.allow("a", now=0.0)
    limiter.allow("a", now=0.0)
    assert limiter.exhausted("a", now=0.5)
    assert not limiter.exhausted("a", now=1.1)
