"""The few calls the console makes to Rasa's HTTP API: pause, resume, run an action."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import quote

import aiohttp

logger = logging.getLogger(__name__)
TIMEOUT = aiohttp.ClientTimeout(total=30)
POOL_SIZE = 64  # open connections to Rasa at most, with keep_alive


class RasaUnavailable(Exception):
    """Rasa did not accept the call; the message says what to check."""


class RasaApi:
    """`keep_alive`: one HTTP session for every call (close() it when done), for a caller that
    makes many, like the delay worker; otherwise a session per call."""

    def __init__(self, base_url: str, token: str | None = None, *, keep_alive: bool = False):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.keep_alive = keep_alive
        self._client: aiohttp.ClientSession | None = None

    @asynccontextmanager
    async def _session(self) -> AsyncIterator[aiohttp.ClientSession]:
        if not self.keep_alive:
            async with aiohttp.ClientSession(timeout=TIMEOUT) as client:
                yield client
            return
        if self._client is None or self._client.closed:
            self._client = aiohttp.ClientSession(
                timeout=TIMEOUT,
                # idle connections go before Rasa's server closes them (its keep-alive: 5 s)
                connector=aiohttp.TCPConnector(limit=POOL_SIZE, keepalive_timeout=2),
            )
        yield self._client

    async def close(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None

    def _url(self, conversation_id: str, tail: str, **query: str) -> str:
        params = dict(query)
        if self.token:
            params["token"] = self.token
        suffix = "&".join(f"{k}={quote(v, safe='')}" for k, v in params.items())
        path = f"{self.base_url}/conversations/{quote(conversation_id, safe=':+')}/{tail}"
        return f"{path}?{suffix}" if suffix else path

    async def _post(self, url: str, body: Any) -> Any:
        try:
            async with (
                self._session() as client,
                client.post(url, json=body) as response,
            ):
                if response.status >= 400:
                    detail = (await response.text())[:300]
                    raise RasaUnavailable(f"Rasa answered {response.status}: {detail}")
                return await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise RasaUnavailable(
                f"cannot reach Rasa at {self.base_url} ({exc.__class__.__name__}); is it running?"
            ) from None

    async def append_events(self, conversation_id: str, events: list[dict[str, Any]]) -> None:
        await self._post(
            self._url(conversation_id, "tracker/events", include_events="NONE"), events
        )

    async def execute(self, conversation_id: str, action: str, output_channel: str) -> None:
        await self._post(
            self._url(conversation_id, "execute", output_channel=output_channel),
            {"name": action},
        )

    async def trigger_intent(
        self,
        conversation_id: str,
        intent: str,
        entities: dict[str, Any] | None,
        output_channel: str,
    ) -> None:
        await self._post(
            self._url(
                conversation_id,
                "trigger_intent",
                output_channel=output_channel,
                include_events="NONE",  # we do not read the tracker it would send back
            ),
            {"name": intent, "entities": entities or {}},
        )

    async def tracker(self, conversation_id: str) -> dict[str, Any] | None:
        """The live tracker (latest events only), or None when Rasa does not answer quickly."""
        url = self._url(conversation_id, "tracker", include_events="AFTER_RESTART")
        try:
            timeout = aiohttp.ClientTimeout(total=2)
            async with (
                aiohttp.ClientSession(timeout=timeout) as client,
                client.get(url) as response,
            ):
                if response.status != 200:
                    return None
                data = await response.json(content_type=None)
                return data if isinstance(data, dict) else None
        except (aiohttp.ClientError, TimeoutError):
            return None

    async def pause(self, conversation_id: str) -> None:
        await self.append_events(
            conversation_id,
            [{"event": "pause"}, {"event": "slot", "name": "handoff_status", "value": "agent"}],
        )

    async def resume(self, conversation_id: str) -> None:
        await self.append_events(
            conversation_id,
            [{"event": "resume"}, {"event": "slot", "name": "handoff_status", "value": None}],
        )
