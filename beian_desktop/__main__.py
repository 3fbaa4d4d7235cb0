"""`beian-desktop`: the application's entry point.

Until the window lands (the desktop-app issue) it runs the headless walk-through on
the embedded default; `beian-desktop tick` runs one scheduler pass on the configured
database, which is what a cron job or the worker does.
"""

from __future__ import annotations

import argparse
import sys

from beian_desktop import __version__


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="beian-desktop", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=__version__)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("demo", help="walk one filing from entry to approval (temporary database)")
    sub.add_parser("tick", help="do everything that is due now on the configured database")
    args = parser.parse_args(argv)

    if args.command == "tick":
        from beian_desktop.services.app_config import load_config
        from beian_desktop.services.beian import Beian

        config = load_config()
        app = Beian.open(database_url=config.database_url, keys=config.load_keys())
        print(app.tick())
        app.close()
        return 0
    from beian_desktop import demo

    return demo.run()


if __name__ == "__main__":
    sys.exit(main())
