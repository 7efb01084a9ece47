"""Run a command in a child process under a memory and time limit; measure what it took."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

SRC = str(Path(__file__).resolve().parents[2] / "src")


@dataclass
class Outcome:
    returncode: int
    seconds: float
    peak_mb: float
    stdout: str
    stderr: str
    timed_out: bool


#: Runs netfolio's CLI in this process under an address-space cap; reports the peak RSS.
#: The peak is this process's own (``VmHWM``): ``ru_maxrss`` would also count the parent's
#: memory, which Linux records for the child when it was forked (a large pytest worker).
_WRAPPER = """
import resource, runpy, sys
cap = int(sys.argv[1]) * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
sys.argv = ["netfolio", *sys.argv[2:]]

def peak_kb():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

try:
    runpy.run_module("netfolio", run_name="__main__")
finally:
    sys.stderr.write("\\nPEAK_KB=%d\\n" % peak_kb())
"""


def run_limited(args: list[str], *, seconds: float, memory_mb: int) -> Outcome:
    """``python -m netfolio ARGS`` with its address space capped at ``memory_mb`` (so a
    runaway dies of MemoryError instead of taking the machine) and killed after ``seconds``.
    """

    env = dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.pop("NETFOLIO_USER", None)
    start = time.monotonic()
    child = subprocess.Popen(
        [sys.executable, "-c", _WRAPPER, str(memory_mb), *args], stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    timed_out = False
    try:
        out, err = child.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        timed_out = True
        child.kill()
        out, err = child.communicate()
    took = time.monotonic() - start
    peak = 0.0
    lines = err.rstrip("\n").rsplit("\n", 1)
    if lines and lines[-1].startswith("PEAK_KB="):
        peak = int(lines[-1][len("PEAK_KB="):]) / 1024
        err = lines[0] if len(lines) == 2 else ""
    return Outcome(child.returncode, took, peak, out, err, timed_out)
