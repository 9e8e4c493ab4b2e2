"""The server's writes: nothing acknowledged is lost under `kill -9`, and what committing
before answering costs. The long version of tests/durability.rs, and oha's PUT rate against
the same server with its database in a file and in memory."""

import http.client
import os
import random
import tempfile
import threading
import time
import urllib.parse

from .common import LIST_PATH, TOKEN, Server, fail, filesystem_of, oha, put_body, row, summary

# Before issue 14 the server answered a PUT first and wrote its JSON file 200 ms later; the
# bulk row's baseline measured oha's PUT rate against it (2026-11-24 21:47 UTC run).
OLD_PUT_RATE = "2.97e+04 PUT/s"


class Writer(threading.Thread):
    """PUTs a new summary to its own calls, one at a time on one connection, until a request
    fails (the server died). Knows the last summary acknowledged per call, and the one sent
    without an answer when the server died (it may or may not have been committed)."""

    def __init__(self, base, mine, tag):
        super().__init__(daemon=True)
        url = urllib.parse.urlsplit(base)
        self.host, self.port = url.hostname, url.port
        self.mine, self.tag = mine, tag
        self.acked = {}
        self.acks = 0
        self.refused = {}  # status -> count: anything but 2xx is an anomaly here
        self.in_flight = None

    def run(self):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
        for n in range(10**9):
            call = self.mine[n % len(self.mine)]
            uid, summary = call["uid"], f"{self.tag} update {n}"
            self.in_flight = (uid, summary)
            try:
                conn.request("PUT", f"{LIST_PATH}/{uid}", put_body(call, summary), headers)
                resp = conn.getresponse()
                resp.read()
            except (OSError, http.client.HTTPException):
                return
            if 200 <= resp.status < 300:
                self.acked[uid] = summary
                self.acks += 1
                self.in_flight = None
            else:
                # Not acknowledged, which never happens to a healthy server: the row fails.
                self.refused[resp.status] = self.refused.get(resp.status, 0) + 1


def durability(rounds, writers=8, calls=800):
    """`writers` clients PUT to `serve --data FILE` at once; the server is killed (SIGKILL)
    at a random moment and started again on the same file, `rounds` times. After each
    restart, every call must hold its last acknowledged summary (or the one in flight when
    the server died)."""
    path = os.path.join(tempfile.mkdtemp(prefix="cc-bench-durable-"), "calls.sqlite3")
    fs = filesystem_of(path)
    must, may = {}, {}
    acked = lost = 0
    refused = {}
    for rnd in range(rounds + 1):
        server = Server(seed=calls if rnd == 0 else None, data=path)
        stored = server.calls()
        if len(stored) != calls:
            fail(f"durability: after restart {rnd} the database holds {len(stored)} calls, "
                 f"not {calls}")
        now = {c["uid"]: c.get("call_summary") or "" for c in stored}
        lost += sum(now.get(uid) not in (s, may.get(uid)) for uid, s in must.items())
        if rnd == rounds:
            server.stop()
            break
        # What the server holds now was checked: it is what must be there from here on.
        must, may = now, {}
        per = calls // writers
        team = [
            Writer(server.base, stored[i * per : (i + 1) * per], f"round {rnd} writer {i}")
            for i in range(writers)
        ]
        for w in team:
            w.start()
        # The moment: a random time after the first acknowledged write, while every writer
        # has a request out or just answered.
        deadline = time.monotonic() + 30
        while not any(w.acks for w in team):
            if time.monotonic() > deadline:
                fail("durability: no write was acknowledged within 30 s")
            time.sleep(0.001)
        time.sleep(random.uniform(0.05, 1.5))
        server.kill()
        for w in team:
            w.join(timeout=60)
            acked += w.acks
            must.update(w.acked)
            if w.in_flight:
                may[w.in_flight[0]] = w.in_flight[1]
            for status, count in w.refused.items():
                refused[status] = refused.get(status, 0) + count
    text = (
        f"{lost} lost of {acked} acknowledged; {rounds} rounds of {writers} writers and a kill -9, database on {fs}"
    )
    checks = []
    if refused:
        answers = ", ".join(f"{n}× {status}" for status, n in sorted(refused.items()))
        text += f"; not acknowledged: {answers}"
        checks.append((False, "every PUT answered 2xx"))
    r = row(
        "durability",
        "acknowledged updates lost to kill -9 and restart (serve --data FILE)",
        "lost",
        {"median": lost, "p95": lost, "p99": lost, "max": lost, "n": 1},
        None,
        "",
        [("eq", "max", 0)],
    )
    r["app_text"] = text
    r["extra_checks"] = checks
    return r


def writes(reps, n=3000, calls=1000):
    """oha's PUT rate (4 connections, the same body) against `serve --data FILE`, each PUT
    committed to the file (WAL, synchronous = FULL) before its answer, and against the same
    server with its database in memory, alternating."""
    path = os.path.join(tempfile.mkdtemp(prefix="cc-bench-writes-"), "calls.sqlite3")
    fs = filesystem_of(path)
    on_file, in_memory = Server(calls, data=path), Server(calls)
    try:
        rates = {on_file: [], in_memory: []}
        targets = {}
        for server in rates:
            call = server.calls()[0]
            targets[server] = (f"{server.base}{LIST_PATH}/{call['uid']}", put_body(call))
        for _ in range(reps):
            for server, (url, body) in targets.items():
                result = oha(
                    ["-n", str(n), "-c", "4", "-m", "PUT",
                     "-H", f"Authorization: Bearer {TOKEN}", "-T", "application/json",
                     "-d", body, url]
                )
                codes = result.get("statusCodeDistribution", {})
                if set(codes) != {"200"}:
                    fail(f"oha's PUTs were not all accepted: {codes}")
                rates[server].append(result["summary"]["requestsPerSec"])
    finally:
        on_file.stop()
        in_memory.stop()
    return row(
        "writes",
        "server PUT rate, each committed to disk before its answer (serve --data FILE)",
        "PUT/s",
        summary(rates[on_file]),
        summary(rates[in_memory]),
        f"oha: {n} PUTs of the same body, 4 connections, to the same server with its database "
        f"in memory (the file is on {fs}). For information, before issue 14 (answered "
        f"first, the file written 200 ms later) oha measured {OLD_PUT_RATE}",
        [],
    )
