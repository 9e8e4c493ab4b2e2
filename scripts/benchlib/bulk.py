"""Bulk mark-handled: the console marks 1 000 calls handled, against oha's PUTs."""

import json
import os
import subprocess
import tempfile
import time

from .common import LIST_PATH, TOKEN, Server, fail, oha, put_body, row, summary
from .console import Console


def unhandled_calls_file(n):
    """A data file of n calls, every one a missed call nobody has handled yet: the calls of
    an in-memory seeder, changed and written in the older JSON layout, which `serve --data`
    imports into its database."""
    path = os.path.join(tempfile.mkdtemp(prefix="cc-bench-data-"), "calls.json")
    seeder = Server(n)
    data = {"version": 1, "calls": seeder.calls()}
    seeder.stop()
    for call in data["calls"]:
        call.update(
            status="MISSED", direction="INBOUND", handled_by_staff_uid=None, handled_at=None
        )
    with open(path, "w") as f:
        json.dump(data, f)
    return path


# Who handles the calls, and the fields the API never sends back, so `h` asks nothing.
HANDLER_CONFIG = (
    'staff_uid = "bench-staff"\n[defaults]\nrate = "0"\nprice = "0"\n'
    'provider = "VONAGE"\nrecording_id = "none"\n'
)


def run_bulk(server, n, config=""):
    """The console on `server` (Needs follow-up: n waiting calls): `V`, `h`, confirm. Returns
    the seconds from the confirmation to the batch's end; fails unless all n were handled."""
    c = Console(server, config + HANDLER_CONFIG)
    try:
        c.wait_mark("first_page", timeout=30)
        c.pty.drain(0.3)
        t0 = time.time()
        c.pty.send(b"V")
        c.wait_mark("complete", after=t0, timeout=60)
        c.pty.drain(0.3)
        c.pty.send(b"h")
        c.pty.drain(0.3)
        t0 = time.time()
        c.pty.send(b"y")
        t, done = c.wait_mark("batch_done", after=t0, timeout=300)
        if done < n:
            fail(f"bulk handled {done} of {n}")
        return t - t0
    finally:
        c.stop()


def bulk(reps):
    """Needs follow-up, select all 1 000, `h`, confirm: calls marked per second, against
    oha sending the same PUT at the same concurrency (4) — and, since every call is read
    before it is saved (the conflict check), against a GET + PUT pair per call as well."""
    app, base, pairs = [], [], []
    n = 1000
    for _ in range(reps):
        server = Server(data=unhandled_calls_file(n))
        seconds = run_bulk(server, n)
        app.append(n / seconds)
        uid, body = handled_body(server)
        result = oha(
            [
                "-n",
                str(n),
                "-c",
                "4",
                "-m",
                "PUT",
                "-H",
                f"Authorization: Bearer {TOKEN}",
                "-T",
                "application/json",
                "-d",
                body,
                f"{server.base}{LIST_PATH}/{uid}",
            ]
        )
        codes = result.get("statusCodeDistribution", {})
        if set(codes) != {"200"}:
            fail(f"oha's PUTs were not all accepted: {codes}")
        put_rate = result["summary"]["requestsPerSec"]
        base.append(put_rate)
        result = oha(
            ["-n", str(n), "-c", "4", "-H", f"Authorization: Bearer {TOKEN}",
             f"{server.base}{LIST_PATH}/{uid}"]
        )
        get_rate = result["summary"]["requestsPerSec"]
        pairs.append(1 / (1 / get_rate + 1 / put_rate))
        server.stop()
    return row(
        "bulk",
        f"bulk mark-handled of {n} calls (4 at a time; each read, checked, then saved)",
        "calls/s",
        summary(app),
        summary(base),
        "oha: the same PUT, 4 connections",
        [("ratio_min", "median", 0.7)],
    ), row(
        "bulk_pairs",
        f"the same bulk, against what a GET + PUT per call allows",
        "calls/s",
        summary(app),
        summary(pairs),
        "oha: GET rate and PUT rate at 4 connections, combined (1 / (1/get + 1/put))",
        [("ratio_min", "median", 0.7)],
    )


def handled_body(server):
    """A call as the console just saved it, sent back as the PUT body it came from."""
    out = subprocess.run(
        ["curl", "-sf", "-H", f"Authorization: Bearer {TOKEN}", server.page_url(per_page=1)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    call = json.loads(out)["data"]["voice_calls"][0]
    return call["uid"], put_body(call)
