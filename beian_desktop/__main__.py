"""`beian-desktop`: the application's entry point.

Plain `beian-desktop` opens the window (`--demo` fills a living data set first,
`--self-test` opens every view offscreen and exits). `demo` walks one filing through
its life headless; `worker` runs the scheduler and dispatcher headless; `tick` does
one pass (what is due now, or as of `--at`, for catching up or replaying).
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from beian_desktop import __version__

if TYPE_CHECKING:
    from beian_desktop.services.beian import Beian


def _open_app(config_path: Path | None, at: datetime | None = None) -> Beian:
    """`at` pins the clock: the whole pass, records included, happens as of that time."""
    from beian_desktop.rules.clock import ManualClock, system_clock
    from beian_desktop.services.app_config import load_config
    from beian_desktop.services.beian import Beian

    config = load_config(config_file=config_path)
    clock = ManualClock(at) if at is not None else system_clock
    return Beian.open(
        database_url=config.database_url, keys=config.load_keys(), sms=config.sms, clock=clock
    )


def _aware(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError("give a time zone, e.g. 2026-11-24T12:00+08:00")
    return moment


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="beian-desktop", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=__version__)
    parser.add_argument("--config", type=Path, help="the TOML config file (or BEIAN_CONFIG)")
    parser.add_argument("--demo", action="store_true", help="fill a demo data set first")
    parser.add_argument("--self-test", action="store_true", help="open every view and exit")
    parser.add_argument("--language", choices=["zh_CN", "en"], help="the interface language")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("demo", help="walk one filing from entry to approval (temporary database)")
    tick = sub.add_parser("tick", help="one scheduler pass on the configured database")
    tick.add_argument("--at", type=_aware, help="as of this time (ISO 8601 with zone)")
    worker = sub.add_parser("worker", help="run the scheduler and dispatcher until stopped")
    worker.add_argument("--interval", type=float, default=5.0, help="seconds between passes")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)  # a line per migration step

    if args.command in ("tick", "worker"):
        from beian_desktop import worker as worker_module

        app = _open_app(args.config, getattr(args, "at", None))
        try:
            if args.command == "tick":
                print(worker_module.run_once(app), flush=True)
            else:
                worker_module.run_worker(app, interval=args.interval)
        finally:
            app.close()
        return 0
    if args.command == "demo":
        from beian_desktop.demo import walkthrough
        from beian_desktop.services.app_config import load_config

        return walkthrough.run(load_config(config_file=args.config).sms)
    from beian_desktop.views.app_main import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
