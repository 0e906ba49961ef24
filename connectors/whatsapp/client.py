"""Sending through Twilio's Messages API with the official SDK, asynchronously.

One `twilio.rest.Client` with an `AsyncTwilioHttpClient` per event loop (its aiohttp session
belongs to the loop that made it). `TWILIO_API_BASE` replaces https://api.twilio.com, for a
local fake in tests. Nothing here raises: every failure becomes a `Sent` with an error code,
and no log line or result carries the auth token. A 429 or 5xx, or a connection that never
reached Twilio, is tried again (at most 3 tries, 0.5 s then 1 s apart); a timeout is not, since
Twilio may already have sent that message.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from typing import Any

from aiohttp import ClientConnectorError, ClientError
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.rest import Client

from connectors.pacing import UNPACED, SendPacer
from connectors.whatsapp.config import WhatsAppConfig

logger = logging.getLogger(__name__)

# Twilio's own message statuses, as our timeline knows them.
STATUS_MAP = {
    "accepted": "queued",
    "scheduled": "queued",
    "queued": "queued",
    "sending": "queued",
    "sent": "sent",
    "delivered": "delivered",
    "read": "read",
    "failed": "failed",
    "undelivered": "undelivered",
    "canceled": "failed",
}
OUTSIDE_WINDOW_CODES = ("63016",)  # "outside the allowed window": Twilio knows better than us
# Twilio asks to slow down (429) or is briefly unwell (5xx): it did not take the message, so we
# try again, a bounded number of times with a growing pause. Anything else is final.
RETRY_STATUSES = (429, 500, 502, 503, 504)
ATTEMPTS = 3
RETRY_DELAY = 0.5  # seconds before the second try; doubles before the third


@dataclass(frozen=True)
class Sent:
    """What Twilio made of one message."""

    status: str  # queued | sent | failed
    sid: str | None = None
    error_code: str | None = None

    @property
    def ok(self) -> bool:
        return self.status not in ("failed", "undelivered")


class TwilioSender:
    def __init__(
        self, config: WhatsAppConfig, retry_delay: float = RETRY_DELAY, pacer: SendPacer = UNPACED
    ):
        self.config = config
        self.retry_delay = retry_delay
        self.pacer = pacer  # one sender number (or messaging service): one pace
        self._client: Client | None = None
        self._http: AsyncTwilioHttpClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def __repr__(self) -> str:
        return f"TwilioSender({self.config!r})"

    def _client_for_this_loop(self) -> Client:
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            self._http = AsyncTwilioHttpClient(timeout=self.config.timeout)
            client = Client(self.config.account_sid, self.config.auth_token, http_client=self._http)
            if self.config.api_base:
                client.api.base_url = self.config.api_base
            self._client, self._loop = client, loop
        return self._client

    async def _wait_before_retry(self, attempt: int, reason: str) -> None:
        delay = self.retry_delay * 2 ** (attempt - 1)
        logger.warning("whatsapp: Twilio failed (%s); trying again in %ss", reason, delay)
        await asyncio.sleep(delay)

    async def close(self) -> None:
        http, self._http, self._client, self._loop = self._http, None, None, None
        if http is not None:
            await http.close()

    async def send(
        self,
        to: str,
        *,
        body: str | None = None,
        media_url: list[str] | None = None,
        content_sid: str | None = None,
        content_variables: dict[str, str] | None = None,
    ) -> Sent:
        if not self.config.can_send:
            return Sent("failed", error_code="no_sender")
        params: dict[str, Any] = {"to": to}
        if self.config.messaging_service_sid:
            params["messaging_service_sid"] = self.config.messaging_service_sid
        else:
            params["from_"] = self.config.whatsapp_from
        if body:
            params["body"] = body
        if media_url:
            params["media_url"] = media_url
        if content_sid:
            params["content_sid"] = content_sid
            if content_variables:
                params["content_variables"] = json.dumps(content_variables, ensure_ascii=False)
        callback = self.config.status_callback()
        if callback:
            params["status_callback"] = callback
        message = None
        for attempt in range(1, ATTEMPTS + 1):
            try:
                # The SDK's async client does not apply its own timeout: we do.
                async with self.pacer.slot():
                    message = await asyncio.wait_for(
                        self._client_for_this_loop().messages.create_async(**params),
                        timeout=self.config.timeout,
                    )
                break
            except TwilioRestException as exc:
                code = str(exc.code or exc.status)
                if exc.status in RETRY_STATUSES and attempt < ATTEMPTS:
                    await self._wait_before_retry(attempt, f"HTTP {exc.status}")
                    continue
                logger.warning(
                    "whatsapp: Twilio refused a message (HTTP %s, code %s)", exc.status, code
                )
                return Sent("failed", error_code=code[:20])
            except ClientConnectorError as exc:
                if attempt < ATTEMPTS:  # the request never reached Twilio: safe to send again
                    await self._wait_before_retry(attempt, exc.__class__.__name__)
                    continue
                logger.warning("whatsapp: Twilio unreachable: %s", exc.__class__.__name__)
                return Sent("failed", error_code="network")
            except asyncio.TimeoutError:
                # Twilio may have taken the message before the answer was lost; a second try
                # could reach the customer twice, so it stays failed for a person to resend.
                logger.warning("whatsapp: Twilio did not answer within %ss", self.config.timeout)
                return Sent("failed", error_code="timeout")
            except (ClientError, OSError) as exc:
                logger.warning("whatsapp: Twilio unreachable: %s", exc.__class__.__name__)
                return Sent("failed", error_code="network")
            except (TwilioException, ValueError, KeyError) as exc:
                logger.warning(
                    "whatsapp: unexpected answer from Twilio: %s", exc.__class__.__name__
                )
                return Sent("failed", error_code=exc.__class__.__name__[:20])
        if message is None:
            return Sent("failed", error_code="network")
        status = STATUS_MAP.get(str(message.status or "queued"), "queued")
        if status in ("failed", "undelivered"):
            return Sent("failed", message.sid, str(message.error_code or "failed")[:20])
        return Sent(status, message.sid)
