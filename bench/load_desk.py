"""One workstation of the load test (bench/load.py), or its worker, in a process of its own.

A desk signs in as its own help-desk user, says `ready`, waits for `go` on stdin, then
for the given seconds does what a help desk does, through the product's public
services with its own sign-in session: opens the filings list (a page and the count,
as the view does), pages on, opens a request's detail, checks a caller's code (the
right one, and a wrong one), resends a code, searches (a mobile number or a fragment
of a name). Between operations it waits a person's pause (exponential, `think`
seconds on average). It prints one JSON line: every operation's time in ms, and the
errors (any exception: a refusal the product answers with, such as a resend too
soon, is an outcome, not an error).

The worker runs the product's own loop (`worker.run_forever`), one pass a second:
the scheduler, dispatch to the outbox, and it counts the passes that failed.

Both keep the benchmarks' clock: the data set's "now", moving on from `go`.

    python -m bench.load_desk desk URL USERNAME PASSWORD PLAN_FILE SECONDS THINK SEED
    python -m bench.load_desk worker URL SECONDS
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from beian_desktop import worker
from beian_desktop.rules.read_models import FilingFilter
from beian_desktop.services.beian import Beian
from bench.generate import BENCH_KEYS, NOW

# What a help desk does, by how often (out of 100).
MIX = {
    "open list": 15,
    "next page": 20,
    "open detail": 20,
    "check right code": 10,
    "check wrong code": 10,
    "resend": 5,
    "search": 20,
}


class BenchClock:
    """The data set's "now" until `go`, then moving on with the wall clock."""

    def __init__(self) -> None:
        self.started: float | None = None

    def __call__(self) -> datetime:
        if self.started is None:
            return NOW
        return NOW + timedelta(seconds=time.monotonic() - self.started)

    def go(self) -> None:
        self.started = time.monotonic()


def _wait_for_go(clock: BenchClock) -> None:
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        raise SystemExit("no go")
    clock.go()


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


class Desk:
    def __init__(self, app: Beian, session: str, plan: dict[str, Any], seed: int) -> None:
        self.app, self.session, self.rng = app, session, random.Random(seed)
        self.right = iter(plan["right"])  # codes nobody else checks or resends
        self.other = plan["other"]  # wrong codes and resends
        self.searches = plan["searches"]
        self.cursor: object | None = None
        self.ids: list[int] = []
        self.q = app.queries

    def _page(self, filter: FilingFilter, after: object | None = None) -> None:
        page = self.q.list_filings(session=self.session, filter=filter, after=after)
        self.cursor = page.next_cursor
        self.ids = [row.request_id for row in page.rows] or self.ids

    def open_list(self) -> None:
        self._page(FilingFilter())
        self.q.count_filings(session=self.session, filter=FilingFilter())

    def next_page(self) -> None:
        self._page(FilingFilter(), self.cursor)

    def open_detail(self) -> None:
        if not self.ids:
            self._page(FilingFilter())
        self.q.request_detail(session=self.session, request_id=self.rng.choice(self.ids))

    def check_right_code(self) -> None:
        item = next(self.right, None) or self.rng.choice(self.other)
        self.app.verification.check_code(
            session=self.session, code=item[2], phone=item[1], id_last6=item[3]
        )

    def check_wrong_code(self) -> None:
        item = self.rng.choice(self.other)
        self.app.verification.check_code(
            session=self.session, code=_wrong(item[2]), phone=item[1], id_last6=item[3]
        )

    def resend(self) -> None:
        item = self.rng.choice(self.other)
        self.app.verification.resend_code(session=self.session, phone=item[1], id_last6=item[3])

    def search(self) -> None:
        filter = FilingFilter(search=self.rng.choice(self.searches))
        self._page(filter)
        self.q.count_filings(session=self.session, filter=filter)

    def operations(self) -> dict[str, Callable[[], None]]:
        return {
            "open list": self.open_list,
            "next page": self.next_page,
            "open detail": self.open_detail,
            "check right code": self.check_right_code,
            "check wrong code": self.check_wrong_code,
            "resend": self.resend,
            "search": self.search,
        }


def run_desk(url: str, username: str, password: str, plan_file: str, seconds: float,
             think: float, seed: int) -> dict[str, Any]:  # fmt: skip
    clock = BenchClock()
    app = Beian.open(database_url=url, keys=BENCH_KEYS, clock=clock, upgrade=False)
    session = app.sign_in.sign_in(username=username, password=password).token
    desk = Desk(app, session, json.loads(Path(plan_file).read_text()), seed)
    ops = desk.operations()
    names, weights = list(MIX), list(MIX.values())
    times: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    _wait_for_go(clock)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        name = desk.rng.choices(names, weights)[0]
        started = time.perf_counter()
        try:
            ops[name]()
        except Exception as error:  # every failure is counted, none stops the desk
            errors[name].append(f"{type(error).__name__}: {str(error)[:200]}")
        else:
            times[name].append((time.perf_counter() - started) * 1000)
        if think > 0:
            time.sleep(min(desk.rng.expovariate(1 / think), 10 * think))
    app.close()
    return {"times": times, "errors": errors}


class _FailedPasses(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.failures: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.failures.append(
            record.getMessage() + (f": {record.exc_info[1]}" if record.exc_info else "")
        )


def run_worker(url: str, seconds: float) -> dict[str, Any]:
    clock = BenchClock()
    app = Beian.open(database_url=url, keys=BENCH_KEYS, clock=clock, upgrade=False)
    app.tick()  # what was due when the data set was made (the overdue rounds), before the desks
    failed = _FailedPasses()
    logging.getLogger("beian_desktop.worker").addHandler(failed)
    passes: list[float] = []
    _wait_for_go(clock)

    async def main() -> None:
        stop = asyncio.Event()
        original = app.tick_async

        async def timed_tick() -> Any:
            started = time.perf_counter()
            try:
                return await original()
            finally:
                passes.append((time.perf_counter() - started) * 1000)

        app.tick_async = timed_tick  # type: ignore[method-assign]
        asyncio.get_running_loop().call_later(seconds, stop.set)
        try:
            await worker.run_forever(app, 1.0, stop)
        finally:
            await app.aclose_sender()

    asyncio.run(main())
    app.close()
    return {"times": {"worker pass": passes}, "errors": {"worker pass": failed.failures}}


def main() -> None:
    role, url, *rest = sys.argv[1:]
    if role == "desk":
        username, password, plan_file, seconds, think, seed = rest
        found = run_desk(url, username, password, plan_file, float(seconds), float(think),
                         int(seed))  # fmt: skip
    else:
        found = run_worker(url, float(rest[0]))
    print(json.dumps(found), flush=True)


if __name__ == "__main__":
    main()
