"""Headless Debian Chromium driven by Playwright, with a screenshot kept when a test fails."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = os.environ.get("KLANTREIS_CHROMIUM") or shutil.which("chromium")
    if not path:
        pytest.fail("Debian's chromium is needed: run `bash scripts/browser.sh` (make test does)")
    return path


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def screenshot_on_failure(page: Page, name: str) -> Iterator[Page]:
    try:
        yield page
    except BaseException:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        raise


def open_chat(page: Page, url: str, *, timeout: float = 20_000) -> None:
    """Open the shop page's chat widget and wait until it is connected."""
    from playwright.sync_api import expect

    page.goto(url)
    if page.get_by_test_id("kr-panel").is_hidden():
        page.get_by_test_id("kr-launcher").click()
    expect(page.get_by_test_id("kr-status")).to_have_attribute(
        "data-state", "connected", timeout=timeout
    )


def send(page: Page, text: str) -> None:
    """Type `text` into the widget and send it, as a shopper would."""
    page.get_by_test_id("kr-input").fill(text)
    page.get_by_test_id("kr-send").click()


def bot_messages(page: Page):  # type: ignore[no-untyped-def]
    return page.locator("[data-testid=kr-message][data-author=bot]")
