"""A web chat tab, as a test drives it: python-socketio's client speaking our protocol."""

from __future__ import annotations

import asyncio
from typing import Any

import socketio


class Tab:
    """One browser tab of the chat widget (socket.io over long-polling)."""

    def __init__(self, url: str):
        self.url = url
        self.client = socketio.AsyncClient(reconnection=False)
        self.session_id: str | None = None
        self.history: list[dict[str, Any]] = []
        self.bot: list[dict[str, Any]] = []
        self.echoes: list[str] = []
        self._confirmed = asyncio.Event()
        self._history = asyncio.Event()
        self._bot_event = asyncio.Event()

        @self.client.on("session_confirm")
        async def confirmed(session_id: str) -> None:
            self.session_id = session_id
            self._confirmed.set()

        @self.client.on("klantreis_history")
        async def history(data: dict[str, Any]) -> None:
            self.history = data["messages"]
            self._history.set()

        self.meta: list[dict[str, Any]] = []

        @self.client.on("klantreis_meta")
        async def meta(data: dict[str, Any]) -> None:
            self.meta.append(data)

        @self.client.on("bot_uttered")
        async def bot_uttered(data: dict[str, Any]) -> None:
            self.bot.append(data)
            self._bot_event.set()

        @self.client.on("klantreis_user_echo")
        async def echo(data: dict[str, Any]) -> None:
            self.echoes.append(data["text"])

    async def open(
        self, session_id: str | None = None, token: str | None = None, **custom: Any
    ) -> str:
        await self.client.connect(self.url, transports=["polling"])
        if token:
            custom["customer_token"] = token
        await self.client.emit("session_request", {"session_id": session_id, "customData": custom})
        await asyncio.wait_for(self._history.wait(), 10)
        assert self.session_id
        return self.session_id

    async def say(self, text: str, token: str | None = None, wait: int = 1) -> list[str]:
        """Send `text` and return the texts of the bot's next `wait` messages."""
        start = len(self.bot)
        custom = {"customer_token": token} if token else {}
        await self.client.emit(
            "user_uttered", {"message": text, "session_id": self.session_id, "customData": custom}
        )
        return await self.replies(start, wait)

    async def replies(self, start: int, count: int, timeout: float = 20) -> list[str]:
        async def enough() -> None:
            while len(self.bot) < start + count:
                self._bot_event.clear()
                await self._bot_event.wait()

        await asyncio.wait_for(enough(), timeout)
        await asyncio.sleep(0.3)  # the rest of this turn's messages
        return [m.get("text", "") for m in self.bot[start:]]

    async def close(self) -> None:
        """Close the tab: the server sees it go at once (no wait for the long-poll to end)."""
        await self.client.eio.disconnect(abort=True)
