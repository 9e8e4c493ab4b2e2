"""What every row of scripts/bench shares: paths, numbers, the server, oha."""

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
RELEASE = os.path.join(TARGET, "release")
APP = os.path.join(RELEASE, "callconsole")
HELLO = os.path.join(RELEASE, "examples", "bench-hello")
ECHO = os.path.join(RELEASE, "examples", "bench-echo")
DECODE = os.path.join(RELEASE, "examples", "bench-decode")
ROWS, COLS = 50, 200
TOKEN = "bench-token-0000"
SEED = 100_000
PER_PAGE = 100
ESU = b"\x1b[?2026l"  # end of a synchronized update: one whole frame written
LIST_PATH = "/v3/communication/voice_calls"


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def fail(msg):
    log(f"bench: {msg}")
    sys.exit(1)


# ---------------------------------------------------------------- numbers


def pct(values, p):
    """The p-th percentile (nearest rank) of values."""
    s = sorted(values)
    if not s:
        return float("nan")
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))
    return s[k]


def summary(values):
    return {
        "median": statistics.median(values),
        "p95": pct(values, 95),
        "p99": pct(values, 99),
        "max": max(values),
        "n": len(values),
    }


# ---------------------------------------------------------------- processes


class Server:
    """`callconsole serve` on a free port: in memory, or on the database `data` names."""

    def __init__(self, seed=None, data=None, faults=()):
        source = (["--seed-count", str(seed)] if seed else []) + (["--data", data] if data else [])
        source += [arg for spec in faults for arg in ("--fault", spec)]
        self.proc = subprocess.Popen(
            [APP, "serve", "--port", "0", "--token", TOKEN, *source],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=clean_env(tempfile.mkdtemp(prefix="cc-bench-serve-")),
        )
        line = self.proc.stdout.readline().decode()
        m = re.search(r"listening on (\S+)", line)
        if not m:
            fail(f"serve did not start: {line!r}")
        self.base = m.group(1).rstrip("/")
        # Keep the pipe drained.
        self._drain = subprocess.Popen(["cat"], stdin=self.proc.stdout, stdout=subprocess.DEVNULL)

    def page_url(self, page=1, per_page=PER_PAGE):
        return f"{self.base}{LIST_PATH}?page={page}&per_page={per_page}&sort=created_at:desc"

    def calls(self):
        """Every call the server holds, page by page (newest first)."""
        out = []
        for page in range(1, 1_000_000):
            req = urllib.request.Request(
                self.page_url(page, 100), headers={"Authorization": f"Bearer {TOKEN}"}
            )
            with urllib.request.urlopen(req, timeout=30) as resp:
                got = json.load(resp)["data"]["voice_calls"]
            if not got:
                return out
            out += got
        return out

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=5)
        self._drain.wait(timeout=5)

    def kill(self):
        """SIGKILL: nothing of the server's own runs, as when the machine loses power under
        it (minus the disk cache, which the kernel still writes)."""
        self.proc.kill()
        self.proc.wait(timeout=5)
        self._drain.wait(timeout=5)


def clean_env(home):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CALLCONSOLE_") and k not in ("NO_COLOR", "RUST_LOG")
    }
    env.update(
        HOME=home,
        XDG_CONFIG_HOME=os.path.join(home, "config"),
        XDG_DATA_HOME=os.path.join(home, "data"),
        XDG_CACHE_HOME=os.path.join(home, "cache"),
        TERM="xterm-256color",
    )
    return env



def row(rid, label, unit, app, baseline, baseline_label, targets, note=""):
    return {
        "row": rid,
        "label": label,
        "unit": unit,
        "app": app,
        "baseline": baseline,
        "baseline_label": baseline_label,
        "targets": targets,
        "note": note,
    }


def oha(args):
    out = subprocess.run(
        ["oha", "--no-tui", "--output-format", "json", *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)

def put_body(call, summary=None):
    """The PUT body that keeps `call` as it is (every field the contract requires; the ones
    the API does not send back at fixed values), with `summary` as its summary if given."""
    text = ("staff_uid", "client_uid", "from_number", "to_number", "direction", "status",
            "source_id", "call_summary", "external_app_url", "external_app_name",
            "external_uuid")
    body = {k: call.get(k) or "" for k in text}
    body["handled_by_staff_uid"] = call.get("handled_by_staff_uid") or None  # null: nobody
    body.update(duration=call.get("duration") or 0, rate="0", price="0", provider="VONAGE",
                recording_id="none")
    if summary is not None:
        body["call_summary"] = summary
    return json.dumps(body)


def filesystem_of(path):
    """The type of the filesystem `path` is on (ext4, tmpfs, …): a commit's cost depends on
    it, and on tmpfs an fsync costs nothing."""
    path = os.path.realpath(path)
    best, kind = "", "unknown"
    with open("/proc/mounts") as f:
        for line in f:
            parts = line.split()
            mount = parts[1]
            inside = path == mount or path.startswith(mount.rstrip("/") + "/")
            if inside and len(mount) >= len(best):
                best, kind = mount, parts[2]
    return kind
