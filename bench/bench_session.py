"""The benchmarks act like a user: one administrator signed in on the working copy,
its session on every call, checked by the services like any other."""

from __future__ import annotations

from beian_desktop.services.beian import Beian

BENCH_USER = ("bench", "基准测试", "Kx7-Verify-2026")


def bench_session(app: Beian) -> str:
    """The token of the bench administrator, created on a copy that has no users."""
    username, display_name, password = BENCH_USER
    if app.users.needs_first_admin():
        app.users.create_first_admin(
            username=username, display_name=display_name, password=password
        )
    return app.sign_in.sign_in(username=username, password=password).token
