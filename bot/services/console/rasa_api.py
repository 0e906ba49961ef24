"""The few calls the console makes to Rasa's HTTP API: pause, resume, run an action."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

import aiohttp

logger = logging.getLogger(__name__)
TIMEOUT = aiohttp.ClientTimeout(total=30)


class RasaUnavailable(Exception):
    """Rasa did not accept the call; the message says what to check."""


class RasaApi:
    def __init__(self, base_url: str, token: str | None = None):
        self.base_url = base_url.rstrip("/")
        self.token = token

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
                aiohttp.ClientSession(timeout=TIMEOUT) as client,
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
            self._url(conversation_id, "trigger_intent", output_channel=output_channel),
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
