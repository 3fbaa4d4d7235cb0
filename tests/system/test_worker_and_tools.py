"""The headless worker and the fake gateway as the commands a person runs."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta

import pytest

from beian_desktop.rules.clock import ManualClock, system_clock
from beian_desktop.services.beian import Beian

from factories import phone
from journeys import submit_filing
from staff import FAST_HASHER


def wait_for(condition, timeout=30.0):
    """Polls a condition; the worker runs on real time, so this bounds it, not paces it."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.timeout(180)  # a process on real time: up to 30 s to send, 30 s to stop
def test_the_worker_sends_what_is_due_and_stops_cleanly_on_sigterm(
    database_url,
    keys,
    child_env,
    gateway,
):
    app = Beian.open(
        database_url=database_url,
        keys=keys,
        clock=ManualClock(system_clock() - timedelta(minutes=10)),
        upgrade=False,
        hasher=FAST_HASHER,
    )
    submit_filing(app, subject_phone=phone(1), website_phones=[phone(2)])
    app.close()
    worker = subprocess.Popen(
        [sys.executable, "-m", "beian_desktop", "worker", "--interval", "0.1"],
        env=child_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert wait_for(lambda: len(gateway.sends()) == 2)
    finally:
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
    assert worker.returncode == 0, output
    assert {s["body"]["phone"] for s in gateway.sends()} == {phone(1), phone(2)}


def test_the_fake_gateway_command_records_and_misbehaves_on_request():
    server = subprocess.Popen(
        [sys.executable, "-m", "beian_desktop.tools.fake_gateway", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = server.stdout.readline()
        url = line.strip().rsplit(" ", 1)[-1]
        assert url.startswith("http://127.0.0.1:")

        def post(path, payload, key="k1"):
            request = urllib.request.Request(
                url + path,
                data=json.dumps(payload).encode(),
                method="POST",
                headers={"Idempotency-Key": key, "Content-Type": "application/json"},
            )
            try:
                with urllib.request.urlopen(request, timeout=5) as answer:
                    return answer.status, json.loads(answer.read())
            except urllib.error.HTTPError as error:
                return error.code, dict(error.headers)

        assert post("/_control", {"fail_next": 1, "fail_status": 429, "retry_after": 7})[0] == 200
        status, headers = post("/sms", {"phone": "13800138000"})
        assert status == 429 and headers["Retry-After"] == "7"
        status, answer = post("/sms", {"phone": "13800138000"})
        assert status == 200 and answer["message_id"] == "fg-1"
        with urllib.request.urlopen(url + "/_requests", timeout=5) as response:
            recorded = json.loads(response.read())
        assert [r["answer"] for r in recorded if r["path"] == "/sms"] == [429, 200]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)
    assert server.returncode == 0
