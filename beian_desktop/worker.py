"""The headless scheduler and dispatcher: `beian-desktop worker` and `tick`.

Several workstations sharing PostgreSQL run one (or more: claims and conditional
updates make any number safe). Each pass does everything due by the database's
timestamps, so a worker that was stopped for a day catches up on its first pass.

SIGTERM (or Ctrl-C) stops it within seconds: nothing more is claimed, what is on the
wire is answered and recorded (or, past a short grace, given back for the next
dispatcher), and the process exits.
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
            polled = 0 if stop.is_set() else await app.dispatcher.poll_delivery()
            if report.dispatch.sent or report.expired or report.undeliverable or polled:
                log.info("%s; delivery reports %d", report, polled)
        except Exception:  # a bad pass must not stop the scheduler; the next one retries
            log.exception("scheduler pass failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval)


def _stop_on_signals(app: Beian, stop: asyncio.Event) -> None:
    def stopping() -> None:
        log.info("stopping: finishing what is on the wire")
        stop.set()
        app.dispatcher.stop()

    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping)


def run_worker(app: Beian, *, interval: float) -> None:
    async def main() -> None:
        stop = asyncio.Event()
        _stop_on_signals(app, stop)
        try:
            await run_forever(app, interval, stop)
        finally:
            await app.aclose_sender()

    asyncio.run(main())


def run_once(app: Beian) -> str:
    async def main() -> str:
        _stop_on_signals(app, asyncio.Event())
        try:
            return str(await app.tick_async())
        finally:
            await app.aclose_sender()

    return asyncio.run(main())
