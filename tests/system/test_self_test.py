"""The packaged `--self-test` (the last of the journeys of SPEC §1): a child process
opens every view offscreen and exits zero."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(330)  # the child's own bound is 300 s
def test_self_test_opens_every_view_and_exits_zero(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEIAN_")}
    env.update(QT_QPA_PLATFORM="offscreen", BEIAN_DATA_DIR=str(tmp_path / "data"))
    env["HOME"] = str(tmp_path)  # no saved language or window state from the machine
    result = subprocess.run(
        [sys.executable, "-m", "beian_desktop", "--self-test"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "self-test passed" in result.stdout
