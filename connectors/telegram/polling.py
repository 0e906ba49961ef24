"""Long polling: for development and for installations without a public HTTPS address.

A background task on Rasa's event loop asks Telegram for updates (`getUpdates`) and feeds
them to the same handler as the webhook. Updates of one chat are handled in order, chats at
the same time. Telegram forgets an update once a later `getUpdates` confirms it, i.e. after
its batch was handled; one that is delivered again after a restart is skipped as a duplicate.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from contextlib import suppress

from telegram import Bot, Update
from telegram.error import Conflict, InvalidToken, TelegramError

from connectors.telegram.updates import ALLOWED_UPDATES

logger = logging.getLogger(__name__)


class Poller:
    """Polls until stopped; errors back off (1 s doubling to `max_backoff`), never end it."""

    def __init__(
        self,
        bot: Bot,
        handle: Callable[[Update], Awaitable[object]],
        *,
        timeout: int = 25,
        redact: Callable[[str], str] = lambda text: "<hidden>",
        initial_backoff: float = 1.0,
        max_backoff: float = 30.0,
    ):
        self.bot = bot
        self.handle = handle
        self.timeout = timeout
        self.redact = redact
        self.initial_backoff = initial_backoff
        self.max_backoff = max_backoff
        self.offset: int | None = None
        self.errors = 0
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._busy = False

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> asyncio.Task[None]:
        if self._task is None or self._task.done():
            self._stopping = asyncio.Event()
            self._task = asyncio.get_running_loop().create_task(
                self.run(), name="klantreis-telegram-polling"
            )
        return self._task

    async def stop(self, grace: float = 10.0) -> None:
        """Stop polling; a batch being handled gets `grace` seconds to finish."""
        self._stopping.set()
        task = self._task
        if task is None or task.done():
            return
        if not self._busy:  # waiting on Telegram or backing off: nothing to lose
            task.cancel()
        done, _ = await asyncio.wait({task}, timeout=grace)
        if not done:
            task.cancel()
            await asyncio.wait({task})
        if not task.cancelled() and task.exception() is not None:
            logger.warning("telegram: polling ended with %s", task.exception().__class__.__name__)

    async def run(self) -> None:
        backoff = self.initial_backoff
        await self._drop_webhook()
        while not self._stopping.is_set():
            try:
                updates = await self.bot.get_updates(
                    offset=self.offset, timeout=self.timeout, allowed_updates=ALLOWED_UPDATES
                )
            except InvalidToken:
                logger.error("telegram: the Bot API rejected the token; polling stops")
                return
            except Exception as exc:  # network, Telegram or parse errors: wait and retry
                self.errors += 1
                if isinstance(exc, Conflict):
                    reason = "a webhook is set or another process polls this bot"
                elif isinstance(exc, TelegramError):
                    reason = self.redact(exc.message)
                else:
                    reason = exc.__class__.__name__
                logger.warning(
                    "telegram: getUpdates failed (%s); retrying in %.0f s", reason, backoff
                )
                with suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), backoff)
                backoff = min(backoff * 2, self.max_backoff)
                continue
            backoff = self.initial_backoff
            if updates:
                self.offset = max(update.update_id for update in updates) + 1
                self._busy = True
                try:
                    await self._dispatch(updates)
                finally:
                    self._busy = False

    async def _drop_webhook(self) -> None:
        """Telegram refuses getUpdates while a webhook is set."""
        try:
            await self.bot.delete_webhook(drop_pending_updates=False)
        except TelegramError as exc:
            logger.warning("telegram: could not remove the webhook (%s)", self.redact(exc.message))

    async def _dispatch(self, updates: tuple[Update, ...]) -> None:
        by_chat: dict[int | None, list[Update]] = defaultdict(list)
        for update in updates:
            chat = update.effective_chat
            by_chat[chat.id if chat else None].append(update)
        await asyncio.gather(*(self._in_order(batch) for batch in by_chat.values()))

    async def _in_order(self, updates: list[Update]) -> None:
        for update in updates:
            try:
                await self.handle(update)
            except Exception:
                logger.exception("telegram: could not handle update %s", update.update_id)
