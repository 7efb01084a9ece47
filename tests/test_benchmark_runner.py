"""The benchmark runner measures children truthfully: their own peak memory, on this
interpreter, with this netfolio."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from benchmarks.common import child_env, python, run_child

import netfolio


def test_children_run_this_interpreter_and_this_netfolio() -> None:
    assert python() == sys.executable  # a venv's own interpreter, not the base one
    out = run_child([python(), "-c", "import json, sys, netfolio; "
                     "print(json.dumps([sys.executable, netfolio.__file__]))"]).stdout
    executable, package = json.loads(out)
    assert executable == sys.executable
    assert Path(package).resolve() == Path(netfolio.__file__).resolve()
    assert "PYTHONDONTWRITEBYTECODE" not in child_env()


def test_a_childs_peak_memory_is_its_own() -> None:
    """A runner holding 300 MB starts a child that uses a few MB: the child's peak is small
    (Linux would report at least the runner's 300 MB for a child forked straight from it)."""
    code = (
        "import json, resource, subprocess, sys\n"
        "from benchmarks.common import run_child\n"
        "ballast = bytearray(300 * 1024 * 1024)\n"
        "for i in range(0, len(ballast), 4096): ballast[i] = 1\n"
        "small = run_child([sys.executable, '-c', 'pass'])\n"
        "big = run_child([sys.executable, '-c', 'b = bytearray(200 * 1024 * 1024); "
        "b[::4096] = bytes(len(b[::4096]))'])\n"
        "print(json.dumps([small.peak_mb, big.peak_mb]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=child_env(), check=True, timeout=120)
    small, big = json.loads(done.stdout)
    assert small < 60, small  # python -c pass: about 10 MB, not the runner's 300 MB
    assert 200 <= big < 280, big  # its own 200 MB, counted
    assert run_child([python(), "-c", "pass"]).wall > 0
