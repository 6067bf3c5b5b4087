"""Debian's Chromium driven by Playwright: it draws the charts and prints the PDFs of the packs
(and runs the browser tests).

Only the page's own files are loaded: every request but `file:` and `data:` is refused, so a
published page renders the same offline as on a connected machine. Chromium is a child of the
Playwright driver, itself a child of this process through a pipe: when this process dies, even
by `kill -9`, the pipe closes and the driver takes Chromium down with it.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import threading
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

from playwright.async_api import Browser, BrowserContext, Route, async_playwright

CHROMIUM = Path(os.environ.get("IAE_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Requests refused in every page: anything that would leave the machine.
NETWORK = re.compile(r"^(?!file:|data:|about:)")


T = TypeVar("T")


def run_interruptible(work: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run`, with Ctrl-C stopping the work. The handler Dagster installs raises its own
    error, which asyncio swallows when it lands in a callback: the rendering would go on. Here
    Ctrl-C cancels the work and raises KeyboardInterrupt once Chromium is closed; the handler and
    the wakeup socket in place before (pipelines/runner.py) are put back."""
    if threading.current_thread() is not threading.main_thread():
        return asyncio.run(work)

    async def cancellable() -> T:
        loop, task = asyncio.get_running_loop(), asyncio.current_task()
        assert task is not None
        previous, wakeup = signal.getsignal(signal.SIGINT), signal.set_wakeup_fd(-1)
        signal.set_wakeup_fd(wakeup)
        loop.add_signal_handler(signal.SIGINT, task.cancel)
        try:
            return await work
        except asyncio.CancelledError:
            raise KeyboardInterrupt from None
        finally:
            loop.remove_signal_handler(signal.SIGINT)
            signal.signal(signal.SIGINT, previous)
            signal.set_wakeup_fd(wakeup)

    return asyncio.run(cancellable())


class ChromiumMissing(RuntimeError):
    """Chromium is not installed where IAE_CHROMIUM (or /usr/bin/chromium) says."""


def check_installed() -> Path:
    if not CHROMIUM.exists():
        raise ChromiumMissing(
            f"Chromium est introuvable ({CHROMIUM}) : il imprime les PDF des dossiers. "
            "Installez-le (scripts/outils_systeme.sh, ou apt-get install chromium) "
            "ou indiquez son chemin dans IAE_CHROMIUM."
        )
    return CHROMIUM


async def _refuse(route: Route) -> None:
    await route.abort()


@asynccontextmanager
async def launched() -> AsyncIterator[Browser]:
    """Chromium for the time of a batch (one launch, ≈ 0.5 s, shared by every page)."""
    executable = check_installed()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(executable), args=ARGS)
        try:
            yield browser
        finally:
            await browser.close()


async def offline_context(browser: Browser) -> BrowserContext:
    """A browser context (its own renderer processes) that loads nothing from a network."""
    context = await browser.new_context()
    await context.route(NETWORK, _refuse)
    return context
