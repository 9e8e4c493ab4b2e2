"""The console in a pseudo-terminal this script drives; it never answers terminal queries."""

import fcntl
import os
import select
import shutil
import struct
import subprocess
import tempfile
import termios
import time

from .common import APP, COLS, ROWS, TOKEN, PER_PAGE, clean_env

class Pty:
    """A program in a pseudo-terminal of ROWS×COLS; the output is read as it comes."""

    def __init__(self, argv, env):
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        self.started = time.time()
        self.t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
        )
        os.close(slave)
        self.out = bytearray()

    def read_some(self, timeout):
        r, _, _ = select.select([self.master], [], [], timeout)
        if not r:
            return b""
        try:
            chunk = os.read(self.master, 1 << 16)
        except OSError:
            chunk = b""
        self.out += chunk
        return chunk

    def wait_for(self, needle, start, timeout=10.0):
        """Reads until `needle` appears after offset `start`; returns perf_counter() then."""
        deadline = time.perf_counter() + timeout
        while True:
            if self.out.find(needle, start) >= 0:
                return time.perf_counter()
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"no {needle!r} within {timeout}s")
            if not self.read_some(left) and self.proc.poll() is not None:
                raise RuntimeError(f"the program exited: {self.tail()}")

    def pump_until(self, predicate, timeout):
        """Keeps the output drained until predicate() holds."""
        deadline = time.perf_counter() + timeout
        while not predicate():
            if time.perf_counter() > deadline:
                raise TimeoutError("timed out")
            self.read_some(0.02)

    def drain(self, quiet=0.05):
        """Reads until the output has been quiet for `quiet` seconds, or for at most `quiet`
        plus 2 s: the console's clock redraws every second, so it is never quiet for long."""
        deadline = time.perf_counter() + quiet + 2.0
        while self.read_some(quiet) and time.perf_counter() < deadline:
            pass

    def send(self, data):
        os.write(self.master, data)

    def tail(self):
        return bytes(self.out[-300:]).decode(errors="replace")

    def stop(self, quit_keys=(b"q",)):
        try:
            for key in quit_keys:
                self.send(key)
                self.drain(0.05)
            deadline = time.time() + 5
            while self.proc.poll() is None and time.time() < deadline:
                self.read_some(0.05)
        except OSError:
            pass
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        os.close(self.master)


class Console:
    """The console against `server`, in a fresh home, with its timing marks on."""

    def __init__(self, server, extra_config=""):
        self.home = tempfile.mkdtemp(prefix="cc-bench-home-")
        self.marks_path = os.path.join(self.home, "marks.log")
        self._marks, self._marks_read = [], 0
        config = os.path.join(self.home, "config.toml")
        with open(config, "w") as f:
            f.write(
                f'base_url = "{server.base}"\npage_size = {PER_PAGE}\nrefresh_secs = 0\n'
                f"{extra_config}"
            )
        os.chmod(config, 0o600)
        env = clean_env(self.home)
        env.update(
            CALLCONSOLE_TOKEN=TOKEN,
            CALLCONSOLE_CONFIG=config,
            CALLCONSOLE_BENCH_LOG=self.marks_path,
        )
        self.pty = Pty([APP], env)

    def marks(self):
        """Every mark so far. Only what was appended since the last call is read: the file
        holds a line per loop turn, and reading it whole at every poll cost this script 80 ms
        of CPU during a bulk of 1 000 (20 ms now), on the cores the console shares."""
        try:
            with open(self.marks_path, "rb") as f:
                f.seek(self._marks_read)
                new = f.read()
        except FileNotFoundError:
            return self._marks
        end = new.rfind(b"\n") + 1  # a line still being written waits for the next call
        self._marks_read += end
        for line in new[:end].decode().splitlines():
            parts = line.split()
            if len(parts) == 3:
                self._marks.append((int(parts[0]) / 1e6, parts[1], int(parts[2])))
        return self._marks

    def mark(self, event, after=0.0):
        return next(((t, v) for t, e, v in self.marks() if e == event and t >= after), None)

    def wait_mark(self, event, after=0.0, timeout=120.0):
        self.pty.pump_until(lambda: self.mark(event, after) is not None, timeout)
        return self.mark(event, after)

    def turns(self, start, end):
        return [v / 1000 for t, e, v in self.marks() if e == "turn" and start <= t <= end]

    def cpu_ns(self):
        """CPU time of every thread so far, from schedstat (nanoseconds)."""
        total = 0
        task_dir = f"/proc/{self.pty.proc.pid}/task"
        for tid in os.listdir(task_dir):
            try:
                with open(f"{task_dir}/{tid}/schedstat") as f:
                    total += int(f.read().split()[0])
            except (FileNotFoundError, ProcessLookupError):
                pass
        return total

    def rss_kb(self):
        with open(f"/proc/{self.pty.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def stop(self):
        self.pty.stop((b"\x1b", b"q"))
        shutil.rmtree(self.home, ignore_errors=True)

