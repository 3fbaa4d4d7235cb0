"""`beian-desktop` commands in processes forked from one that imported the app once.

A crash test that kills fifty dispatchers would spend most of its time importing
SQLAlchemy, Alembic and httpx fifty times over; forked from a process that has
imported them (and holds no thread, connection or event loop yet), each child is the
command itself, `beian_desktop.__main__.main(argv)`, from its first line on, with an
environment of its own, and can be killed with SIGKILL like any process.

    commands = ForkedCommands()            # starts the parent process, once
    pid = commands.start(["tick", "--at", at], env, log_path)
    os.kill(pid, signal.SIGKILL)           # or let it finish
    status = commands.wait(pid, timeout=60)  # the exit code, or -signal as subprocess says
    commands.close()

The parent reads one JSON command a line on stdin and answers one JSON line each.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any


def _serve() -> None:
    import beian_desktop.__main__ as cli
    import beian_desktop.services.beian
    import beian_desktop.worker

    del beian_desktop  # imported for the children: what every command imports

    def answer(payload: dict[str, Any]) -> None:
        sys.stdout.write(json.dumps(payload) + "\n")
        sys.stdout.flush()

    answer({"ready": True})
    for line in sys.stdin:
        command = json.loads(line)
        if command["do"] == "wait":
            _, status = os.waitpid(command["pid"], 0)
            code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
            answer({"pid": command["pid"], "status": code})
            continue
        pid = os.fork()
        if pid == 0:  # the command, in a process of its own
            code = 1
            try:
                os.setsid()
                log = os.open(command["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
                os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
                os.dup2(log, 1)
                os.dup2(log, 2)
                sys.stdin = open(0, closefd=False)  # noqa: SIM115 (for the process's life)
                sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115
                sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
                os.environ.clear()
                os.environ.update(command["env"])
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                code = cli.main(command["argv"])
            except SystemExit as leaving:
                code = leaving.code if isinstance(leaving.code, int) else 1
            except BaseException:
                import traceback

                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        answer({"pid": pid})


class ForkedCommands:
    def __init__(self) -> None:
        root = str(Path(__file__).resolve().parents[2])  # this worktree's app is imported
        self.process = subprocess.Popen(
            [sys.executable, __file__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=root,
            env={**os.environ, "PYTHONPATH": root},
        )
        assert self._read(120)["ready"]

    def _read(self, timeout: float) -> dict[str, Any]:
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            raise TimeoutError(f"no answer in {timeout} s")
        return json.loads(self.process.stdout.readline())

    def _send(self, payload: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(payload) + "\n")
        self.process.stdin.flush()

    def start(self, argv: list[str], env: dict[str, str], log: Path) -> int:
        self._send({"do": "run", "argv": argv, "env": env, "log": str(log)})
        pid = self._read(30)["pid"]
        assert isinstance(pid, int)
        return pid

    def wait(self, pid: int, timeout: float = 120) -> int:
        """The command's exit status (-9: killed); one past `timeout` is killed first."""
        self._send({"do": "wait", "pid": pid})
        try:
            answer = self._read(timeout)
        except TimeoutError:
            os.kill(pid, signal.SIGKILL)
            answer = self._read(30)
        status = answer["status"]
        assert isinstance(status, int)
        return status

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(30)


if __name__ == "__main__":
    _serve()
