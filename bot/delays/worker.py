"""The delays process: the outbox worker and, optionally, the periodic scan (`klantreis run`
starts it; `klantreis delays work` runs one more worker beside it)."""

from __future__ import annotations

import asyncio
import logging
import signal
from contextlib import suppress

from bot.delays.dispatch import Dispatcher, RasaWebPresence
from bot.delays.policy import DelayPolicy, load_delay_policy
from bot.delays.scan import ScanReport, scan
from bot.services.console.live import LiveFeed
from bot.services.console.rasa_api import RasaApi
from bot.settings import Settings, rasa_token
from bot.store.db import make_engine, make_session_factory
from bot.store.models import utcnow
from bot.store.units import Store
from bot.suggestions.stock import release

logger = logging.getLogger(__name__)


def build_dispatcher(
    settings: Settings, store: Store, policy: DelayPolicy, *, keep_alive: bool = False
) -> Dispatcher:
    """`keep_alive`: one HTTP session to Rasa for all sends (a long-running worker)."""
    rasa_url = f"http://127.0.0.1:{settings.rasa_port}"
    token = rasa_token(settings)
    return Dispatcher(
        store=store,
        rasa=RasaApi(rasa_url, token, keep_alive=keep_alive),
        feed=LiveFeed(store),
        policy=policy,
        presence=RasaWebPresence(rasa_url, token),
    )


def scan_once(store: Store, policy: DelayPolicy) -> ScanReport:
    with store.unit() as session:
        return scan(session, now=utcnow(), policy=policy)


async def _periodic_scan(store: Store, policy: DelayPolicy, stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            report = await asyncio.to_thread(scan_once, store, policy)
            logger.info("delay scan: %s", report.line())
            queued = await store.run(lambda s: release(s, now=utcnow()))
            if queued:
                logger.info("back in stock: %d notice(s) queued", queued)
        except Exception:
            logger.exception("delay scan failed; trying again at the next interval")
        with suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=policy.scan_every_minutes * 60)


async def serve(settings: Settings, *, with_scan: bool) -> None:
    """Work until SIGTERM or SIGINT; a killed worker's leases run out and others take over."""
    policy = load_delay_policy(settings.retailer_file)
    engine = make_engine(settings.database_url)
    store = Store(make_session_factory(engine))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    dispatcher = build_dispatcher(settings, store, policy, keep_alive=True)
    tasks = [asyncio.create_task(dispatcher.run_forever(stop))]
    if with_scan:
        tasks.append(asyncio.create_task(_periodic_scan(store, policy, stop)))
    logger.info("delays worker started (scan: %s)", "on" if with_scan else "off")
    try:
        await asyncio.gather(*tasks)
    finally:
        await dispatcher.rasa.close()
        engine.dispose()


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bot.delays")
    parser.add_argument("--scan", action="store_true", help="also run the periodic delay scan")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    asyncio.run(serve(Settings.from_env(), with_scan=args.scan))
