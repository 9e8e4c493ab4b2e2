"""BENCHMARKS.md: the table, its verdicts, and merging rows measured on their own into it."""

import os
import platform

TABLE_HEAD = [
    "| metric | app | baseline | ratio (median) | target | result |",
    "|---|---|---|---|---|---|",
]
ALONE_START = "Rows measured on their own since"
ALONE_INTRO = (
    f"{ALONE_START} (`scripts/bench --only`); the load average counts the bench's own "
    "processes too:"
)


def load_average():
    """The 1-minute load average: how busy the machine was (2 cores here; another job
    compiling shows as 1 or more)."""
    return os.getloadavg()[0]


def load_text(load):
    """`load` is the load average when the rows started and when they ended."""
    return f"load average {load[0]:.2f} when the rows started, {load[1]:.2f} when they ended"


def check(r, target):
    kind, stat, limit = target
    value = r["app"].get(stat, r["app"]["p99"])
    if kind in ("ratio", "ratio_min"):
        base = r["baseline"].get(stat, r["baseline"]["p99"])
        value = value / base if base else float("inf")
        ok = value >= limit if kind == "ratio_min" else value <= limit
        sign = "≥" if kind == "ratio_min" else "≤"
        return ok, f"{stat} ratio {value:.2f} {sign} {limit}"
    if kind == "eq":
        return value == limit, f"{r['unit']} = {limit:g}"
    ok = value <= limit
    return ok, f"{stat} {value:.3g} ≤ {limit:g} {r['unit']}"


def fmt(s, unit):
    if not s:
        return "—"
    if s["n"] == 1:
        return f"{s['median']:.3g} {unit}"
    return f"{s['median']:.3g} / {s['p95']:.3g} / {s['p99']:.3g} {unit} (n={s['n']})"


def table_line(r, extra_ratio):
    """One row of the table, and its verdict: pass, **FAIL** or (reference)."""
    ratio = "—"
    if r["baseline"]:
        b = r["baseline"]["median"]
        ratio = f"{r['app']['median'] / b:.2f}×" if b else "—"
    checks = [check(r, t) for t in r["targets"]] + list(r.get("extra_checks", []))
    extra = extra_ratio.get(r["row"])
    if extra:
        checks.append(extra)
    verdict = "pass" if all(ok for ok, _ in checks) else "**FAIL**"
    if not checks:
        verdict = "(reference)"
    base = fmt(r["baseline"], r["unit"])
    if r["baseline_label"]:
        base += f" — {r['baseline_label']}"
    app = r.get("app_text") or fmt(r["app"], r["unit"])
    line = (
        f"| {r['label']} | {app} | {base} | {ratio} | "
        f"{'; '.join(t for _, t in checks) or '—'} | {verdict} |"
    )
    return line, verdict


def verdict_of(line):
    return line.rstrip().rstrip("|").rsplit("|", 1)[-1].strip()


def label_of(line):
    return line[2:].split(" | ", 1)[0]


def tail(table, notes_path):
    """The count of rows meeting their targets, then the notes (benches/NOTES.md)."""
    failed = sum(verdict_of(line) == "**FAIL**" for line in table)
    lines = ["", f"{len(table) - failed} of {len(table)} rows meet their targets.", ""]
    if os.path.exists(notes_path):
        with open(notes_path) as f:
            lines += [f.read().rstrip(), ""]
    return lines, failed


def report(rows, extra_ratio, notes_path, started, invocation, load):
    """The whole of BENCHMARKS.md from one run's rows."""
    lines = [
        "# Benchmarks",
        "",
        f"Written by `{invocation}` on {started:%Y-%m-%d %H:%M} UTC, "
        f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"{load_text(load)}. "
        "Every figure is median / p95 / p99 over n samples; app and baseline repetitions "
        "alternate in the same run. Do not edit by hand: run the script again.",
        "",
        *TABLE_HEAD,
    ]
    table = [table_line(r, extra_ratio)[0] for r in rows]
    end, failed = tail(table, notes_path)
    return "\n".join(lines + table + end), failed


def merge(old, rows, extra_ratio, notes_path, started, invocation, load):
    """`old` (BENCHMARKS.md) with these rows put in place of the rows of the same metric, or
    added at the end of the table; the other rows stay as they were. A list under the header
    says which rows were measured on their own, when, and how busy the machine was.
    None when `old` has no table to merge into."""
    lines = old.splitlines()
    try:
        head = lines.index(TABLE_HEAD[0])
    except ValueError:
        return None
    end = head + 2
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    table = lines[head + 2 : end]
    preamble = lines[:head]
    for r in rows:
        line, _ = table_line(r, extra_ratio)
        at = [i for i, old_line in enumerate(table) if label_of(old_line) == r["label"]]
        if at:
            table[at[0]] = line
        else:
            table.append(line)
    # The list of rows measured alone: one line per metric, the newest measurement.
    start = next((i for i, line in enumerate(preamble) if line.startswith(ALONE_START)), None)
    if start is not None:
        stop = start + 1
        while stop < len(preamble) and preamble[stop].startswith("- "):
            stop += 1
        alone = preamble[start + 1 : stop]
        preamble = preamble[:start] + preamble[stop:]
    else:
        alone = []
    while preamble and not preamble[-1].strip():
        preamble.pop()
    for r in rows:
        alone = [a for a in alone if not a.startswith(f"- {r['label']}: ")]
        alone.append(
            f"- {r['label']}: `{invocation}` on {started:%Y-%m-%d %H:%M} UTC, "
            f"{load_text(load)}."
        )
    preamble += ["", ALONE_INTRO, *alone, ""]
    end_lines, failed = tail(table, notes_path)
    return "\n".join(preamble + TABLE_HEAD + table + end_lines), failed
