"""Named places where a test may kill this process, to prove nothing is lost.

The crash tests start a real dispatcher process with BEIAN_FAULT=<point> and it dies
by SIGKILL exactly there, as a power cut would; nothing else ever sets it.
"""

from __future__ import annotations

import os
import signal

AFTER_CLAIM = "after_claim"  # intents claimed and committed, nothing sent yet
AFTER_SEND = "after_send"  # the endpoint took the message, the outcome not recorded
AFTER_RECORD = "after_record"  # the outcome recorded, what the send means not yet booked


def crash_if_asked(point: str) -> None:
    if os.environ.get("BEIAN_FAULT") == point:
        os.kill(os.getpid(), signal.SIGKILL)
