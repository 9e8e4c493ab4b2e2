"""Rows for a real network: the console against `serve --fault latency=100ms` (every answer
100 ms late, as the real API is 50–150 ms away), each figure set against the bound the round
trip allows at the console's concurrency, the round trip measured in the same run through
the same fault."""

import math
import subprocess
import time

from .bulk import run_bulk, unhandled_calls_file
from .common import PER_PAGE, TOKEN, Server, fail, oha, row, summary
from .console import Console
from .report import fmt

LATENCY = "latency=100ms"
IN_FLIGHT = 4  # the default max_in_flight, written in the console's config
SELECT_ALL = 3000
BULK = 200
# Seeded calls for about 2 900 waiting in Needs follow-up (the example), grouped.
GROUPED_SEED = 31_000


def round_trip_ms(server, reps):
    """One GET of one page through the fault, one at a time on one connection (oha): the
    round trip every bound is counted in."""
    result = oha(["-n", str(reps), "-c", "1", "-H", f"Authorization: Bearer {TOKEN}",
                  server.page_url()])
    codes = result.get("statusCodeDistribution", {})
    if set(codes) != {"200"}:
        fail(f"round trip: oha's GETs were not all answered 200: {codes}")
    return result["summary"]["average"] * 1000


def config():
    return f"max_in_flight = {IN_FLIGHT}\n"


def first_page(reps):
    """Spawn → the first page on screen, against curl fetching the same page through the
    same latency (its spawn included, as the console's is)."""
    server = Server(SELECT_ALL, faults=[LATENCY])
    app, base = [], []
    try:
        for _ in range(reps):
            c = Console(server, config())
            t, _ = c.wait_mark("first_page", timeout=30)
            app.append((t - c.pty.started) * 1000)
            c.stop()
            t0 = time.perf_counter()
            subprocess.run(
                ["curl", "-sf", "-o", "/dev/null", "-H", f"Authorization: Bearer {TOKEN}",
                 server.page_url()],
                check=True,
            )
            base.append((time.perf_counter() - t0) * 1000)
    finally:
        server.stop()
    return row(
        "net_first_page",
        "first page on screen, 100 ms round trip (serve --fault latency=100ms)",
        "ms",
        summary(app),
        summary(base),
        "curl GET of the same page through the same latency",
        [("ratio", "median", 1.3)],
    )


def select_all(reps):
    """All, then `V` on 3 000 calls: every page after the first, against
    ⌈pages / in-flight⌉ round trips measured through the same latency."""
    server = Server(SELECT_ALL, faults=[LATENCY])
    # Pages 2 to 30, and the empty page 31 that says the view ends there.
    pages = SELECT_ALL // PER_PAGE
    app, bound = [], []
    try:
        for _ in range(reps):
            c = Console(server, config())
            c.wait_mark("first_page", timeout=30)
            c.pty.send(b"2")
            c.wait_mark("first_page", timeout=30)
            c.pty.drain(0.3)
            t0 = time.time()
            c.pty.send(b"V")
            t, count = c.wait_mark("complete", after=t0, timeout=120)
            if count < SELECT_ALL:
                fail(f"select all ended at {count} calls, not {SELECT_ALL}")
            app.append((t - t0) * 1000)
            c.stop()
            bound.append(math.ceil(pages / IN_FLIGHT) * round_trip_ms(server, 10))
    finally:
        server.stop()
    return row(
        "net_select_all",
        f"select all of {SELECT_ALL} calls, 100 ms round trip ({pages} pages of {PER_PAGE}, "
        f"{IN_FLIGHT} out at a time)",
        "ms",
        summary(app),
        summary(bound),
        f"⌈{pages} pages / {IN_FLIGHT}⌉ round trips, one measured with oha through the latency",
        [("ratio", "median", 1.3)],
    )


def to_end(reps):
    """All, then `G` on 3 000 calls: the view's oldest call on screen (its far end, asked
    for in the reversed order beside the pages in between), against one round trip measured
    through the same latency. The whole view's load is in the note."""
    server = Server(SELECT_ALL, faults=[LATENCY])
    pages = SELECT_ALL // PER_PAGE
    app, bound, whole = [], [], []
    try:
        for _ in range(reps):
            c = Console(server, config())
            c.wait_mark("first_page", timeout=30)
            c.pty.send(b"2")
            c.pty.drain(0.5)
            t0 = time.time()
            c.pty.send(b"G")
            t, shown = c.wait_mark("far_end", after=t0, timeout=30)
            if shown < 1:
                fail("G showed no call of the view's far end")
            app.append((t - t0) * 1000)
            t, count = c.wait_mark("complete", after=t0, timeout=120)
            if count < SELECT_ALL:
                fail(f"G's load ended at {count} calls, not {SELECT_ALL}")
            whole.append((t - t0) * 1000)
            c.stop()
            bound.append(round_trip_ms(server, 10))
    finally:
        server.stop()
    r = row(
        "net_to_end",
        f"G: oldest call on screen, 100 ms round trip ({SELECT_ALL} calls, {pages} pages of "
        f"{PER_PAGE}; target 2 round trips + 30%)",
        "ms",
        summary(app),
        summary(bound),
        "one round trip, measured with oha through the latency",
        [("ratio", "median", 2.6)],
    )
    # For information: the whole view, ⌈pages after the first / in-flight⌉ round trips.
    trips = math.ceil((pages - 1) / IN_FLIGHT)
    shown, waiting, grouped_whole = to_end_grouped(reps)
    rt = r["baseline"]["median"]
    g_trips = math.ceil((math.ceil(waiting / PER_PAGE) - 1) / IN_FLIGHT)
    r["app_text"] = (
        f"{fmt(r['app'], 'ms')}; the whole view in {summary(whole)['median']:.0f} ms "
        f"({trips} round trips at {IN_FLIGHT} in flight). One row per caller (Needs "
        f"follow-up, {waiting} waiting calls): the far end in "
        f"{summary(shown)['median']:.0f} ms ({summary(shown)['median'] / rt:.2f}× a round "
        f"trip), the whole view in {summary(grouped_whole)['median']:.0f} ms ({g_trips} round "
        f"trips)"
    )
    return r


def to_end_grouped(reps):
    """Needs follow-up shown one row per caller (the default, the view the console opens
    on), `G`: the far end's callers on screen after the gap, and the whole view, in ms from
    the key; and how many waiting calls the view holds."""
    server = Server(GROUPED_SEED, faults=[LATENCY])
    shown, whole, waiting = [], [], 0
    try:
        for _ in range(reps):
            c = Console(server, config())
            c.wait_mark("first_page", timeout=60)
            c.pty.drain(0.5)
            t0 = time.time()
            c.pty.send(b"G")
            t, _ = c.wait_mark("far_end", after=t0, timeout=30)
            shown.append((t - t0) * 1000)
            t, waiting = c.wait_mark("complete", after=t0, timeout=120)
            whole.append((t - t0) * 1000)
            c.stop()
    finally:
        server.stop()
    return shown, waiting, whole


def bulk(reps):
    """Needs follow-up, select all 200 waiting calls, `h`, confirm: each call read, checked
    and saved (a GET and a PUT), against ⌈200 / in-flight⌉ × 2 round trips."""
    app, bound = [], []
    for _ in range(reps):
        server = Server(data=unhandled_calls_file(BULK), faults=[LATENCY])
        try:
            app.append(run_bulk(server, BULK, config()) * 1000)
            bound.append(math.ceil(BULK / IN_FLIGHT) * 2 * round_trip_ms(server, 10))
        finally:
            server.stop()
    return row(
        "net_bulk",
        f"bulk handled of {BULK} calls, 100 ms round trip ({IN_FLIGHT} at a time; a GET and "
        "a PUT each)",
        "ms",
        summary(app),
        summary(bound),
        f"⌈{BULK} / {IN_FLIGHT}⌉ × 2 round trips, one measured with oha through the latency",
        [("ratio", "median", 1.3)],
    )
