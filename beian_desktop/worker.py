"""The headless scheduler and dispatcher: `beian-desktop worker`.

Several workstations sharing PostgreSQL run one (or more: claims and conditional
updates make any number safe). Each pass does everything due by the database's
timestamps, so a worker that was stopped for a day catches up on its first pass.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from beian_desktop.services.beian import Beian

log = logging.getLogger("beian_desktop.worker")


async def run_forever(app: Beian, interval: float, stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            report = await app.tick_async()
            polled = await app.dispatcher.poll_delivery()
            if report.dispatch.sent or report.expired or report.undeliverable or polled:
                log.info("%s; delivery reports %d", report, polled)
        except Exception:  # a bad pass must not stop the scheduler; the next one retries
            log.exception("scheduler pass failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval)


def run_worker(app: Beian, *, interval: float) -> None:
    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        try:
            await run_forever(app, interval, stop)
        finally:
            await app.aclose_sender()

    asyncio.run(main())


def run_once(app: Beian) -> str:
    return str(app.tick())
