"""The carrier webhook in the real services process: signed events change the parcel and queue
the notice; forged, replayed and malformed ones are refused and change nothing."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import func, select

from bot.delays.signature import sign
from bot.settings import Settings
from bot.store.db import make_engine, make_session_factory
from bot.store.delay_models import CarrierEvent, OutboxMessage
from bot.store.models import Shipment
from tests.helpers import delays as shop
from tests.helpers.services import services_process
from tests.helpers.stack import test_settings

SECRET = "carrier-secret-for-tests"
OFFSET = 2600


@dataclass
class Hook:
    url: str
    settings: Settings
    tracking_code: str

    def post(
        self, body: dict[str, object], *, secret: str = SECRET, timestamp: int | None = None
    ) -> httpx.Response:
        raw = json.dumps(body).encode()
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        return httpx.post(
            f"{self.url}/webhooks/carrier",
            content=raw,
            headers={
                "Content-Type": "application/json",
                "X-Klantreis-Timestamp": stamp,
                "X-Klantreis-Signature": sign(secret, stamp, raw),
            },
            timeout=20,
        )

    def counts(self) -> tuple[int, int, str | None]:
        engine = make_engine(self.settings.database_url)
        try:
            with make_session_factory(engine)() as session:
                eta = session.scalar(
                    select(Shipment.eta).where(Shipment.tracking_code == self.tracking_code)
                )
                return (
                    session.scalar(select(func.count(CarrierEvent.id))) or 0,
                    session.scalar(select(func.count(OutboxMessage.id))) or 0,
                    eta.isoformat() if eta else None,
                )
        finally:
            engine.dispose()


@pytest.fixture(scope="module")
def hook(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hook]:
    tmp = tmp_path_factory.mktemp("carrier_webhook")
    url = f"sqlite:///{tmp / 'shop.db'}"
    engine = make_engine(url)
    from bot.store import migrate

    migrate.upgrade(engine)
    with make_session_factory(engine)() as session, session.begin():
        person = shop.customer(session, consents={"whatsapp": True})
        # promised in the far future: only the carrier's later ETA makes it late
        tracking = shop.order(session, person, promised=shop.TODAY.replace(year=2030)).shipments[0]
        code = tracking.tracking_code
    engine.dispose()
    settings = test_settings(tmp, url, OFFSET)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KLANTREIS_CARRIER_SECRET", SECRET)
        with services_process(settings) as base:
            yield Hook(base, settings, code)


def event(hook: Hook, event_id: str, **fields: object) -> dict[str, object]:
    return {
        "event_id": event_id,
        "tracking_code": hook.tracking_code,
        "status": "in_transit",
        "at": "2026-12-02T09:30:00+01:00",
        **fields,
    }


def test_forged_replayed_and_malformed_events_are_refused_without_a_change(hook: Hook) -> None:
    late = event(hook, "evt-forged", eta="2030-12-31", reason="weather")
    forged = hook.post(late, secret="not-the-secret")
    replayed = hook.post(late, timestamp=int(time.time()) - 3600)
    malformed = hook.post({"event_id": "x", "tracking_code": hook.tracking_code})
    unknown = hook.post({**late, "event_id": "evt-unknown", "tracking_code": "NOPE"})
    unsigned = httpx.post(f"{hook.url}/webhooks/carrier", json=late, timeout=20)

    assert (forged.status_code, forged.json()["error"]) == (401, "signature does not match")
    assert replayed.status_code == 401 and "replay refused" in replayed.json()["error"]
    assert malformed.status_code == 422 and "status" in malformed.json()["error"]
    assert unknown.status_code == 422 and "NOPE" in unknown.json()["error"]
    assert unsigned.status_code == 401
    assert hook.counts() == (0, 0, None)


def test_a_signed_later_eta_queues_one_notice_and_a_retry_changes_nothing(hook: Hook) -> None:
    late = event(hook, "evt-1", eta="2030-12-31", reason="weather")

    first = hook.post(late)
    retry = hook.post(late)

    assert first.status_code == 200 and first.json() == {"status": "applied", "event_id": "evt-1"}
    assert retry.status_code == 200 and retry.json()["status"] == "duplicate"
    assert hook.counts() == (1, 1, "2030-12-31")


def test_an_older_event_arriving_later_is_kept_but_not_applied(hook: Hook) -> None:
    older = event(hook, "evt-0", at="2026-12-01T09:30:00+01:00", eta="2030-06-01")
    answer = hook.post(older)
    assert answer.status_code == 200 and answer.json()["status"] == "stale"
    assert hook.counts() == (2, 1, "2030-12-31")
