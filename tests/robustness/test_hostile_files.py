"""Bounded work on every input: each hostile file finishes or is refused in one line,
within 10 s and 300 MB, whatever it says.

The corpus (:mod:`hostile_files`) runs through the real CLI in a child process under an
address-space cap; a hypothesis test feeds generated runaway rules, oversized cards and
tables to the parsers, each case in a forked child with a memory and CPU limit.
"""

from __future__ import annotations

import os
import resource
import signal
import time
from pathlib import Path

import pytest
from hostile_files import _ICS_HEAD, _ICS_TAIL, CORPUS, _card, _event
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from limits import run_limited

SECONDS = 10.0
PEAK_MB = 300.0


@pytest.fixture(scope="module")
def startup(tmp_path_factory: pytest.TempPathFactory) -> float:
    """The seconds an import of a one-card file takes here (Python and netfolio starting,
    the ledger created): measured in the same run, as the machine's load varies."""
    folder = tmp_path_factory.mktemp("baseline")
    card = folder / "one.vcf"
    card.write_text(_card("EMAIL:ana@example.org\r\n"))
    took = run_limited(["--db", str(folder / "l.db"), "import", str(card)], seconds=120,
                       memory_mb=2048)
    assert took.returncode == 0, took.stderr
    return took.seconds


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CORPUS))
def test_hostile_file_finishes_or_is_refused_in_bounds(
    name: str, tmp_path: Path, startup: float,
) -> None:
    path = CORPUS[name](tmp_path)
    done = run_limited(["--db", str(tmp_path / "l.db"), "import", str(path)],
                       seconds=startup + 60, memory_mb=2048)
    print(f"\n{name}: exit {done.returncode}, {done.seconds:.1f} s (an import of one card: "
          f"{startup:.1f} s), peak {done.peak_mb:.0f} MB: "
          f"{done.stderr.strip()[:160] or 'imported'}")
    assert not done.timed_out, f"{name}: still running after {done.seconds:.0f} s"
    assert "Traceback" not in done.stderr
    if done.returncode != 0:
        errors = done.stderr.strip().splitlines()
        assert done.returncode == 1 and len(errors) == 1 and errors[0].startswith("Error: "), \
            done.stderr[-500:]
    assert done.seconds - startup <= SECONDS, f"{name}: {done.seconds:.1f} s ({startup:.1f})"
    assert done.peak_mb <= PEAK_MB, f"{name}: {done.peak_mb:.0f} MB"


# -- fuzzing: generated runaway inputs, each parsed in a child under limits -------------------

_CHILD_MEMORY = 768 * 1024 * 1024
OK, REFUSED, CRASHED = 0, 3, 4


def _address_space() -> int:
    """This process's virtual size in bytes (the child inherits it when forked)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * resource.getpagesize()


def _parse_in_child(format: str, data: bytes) -> int:
    """Parse ``data`` in a forked child limited to 768 MB more than it was forked with and
    10 CPU seconds; its exit code: OK, REFUSED (an ImportError_), CRASHED (any other
    exception), or -signal when the limits killed it."""
    cap = _address_space() + _CHILD_MEMORY
    pid = os.fork()
    if pid == 0:  # the child
        code = CRASHED
        try:
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
            resource.setrlimit(resource.RLIMIT_CPU, (int(SECONDS), int(SECONDS) + 1))
            from netfolio.errors import ImportError_
            from netfolio.io.formats import FORMATS

            try:
                FORMATS[format].parse(data, filename=f"fuzz.{format}",
                                      me_emails=["me@example.org"])
                code = OK
            except ImportError_:
                code = REFUSED
        finally:
            os._exit(code)
    deadline = time.monotonic() + 120  # CPU time is capped; wall time waits for the CPU
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return -signal.SIGKILL
        time.sleep(0.05)


_rule_parts = st.fixed_dictionaries(
    {"FREQ": st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY", "HOURLY", "MINUTELY"])},
    optional={
        "INTERVAL": st.integers(-1, 5).map(str),
        "COUNT": st.integers(0, 10**9).map(str),
        "BYDAY": st.lists(st.sampled_from(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]),
                          min_size=1, max_size=7, unique=True).map(",".join),
        "BYHOUR": st.lists(st.integers(0, 23), min_size=1, max_size=24, unique=True)
        .map(lambda xs: ",".join(map(str, xs))),
        "BYMINUTE": st.lists(st.integers(0, 59), min_size=1, max_size=60, unique=True)
        .map(lambda xs: ",".join(map(str, xs))),
        "BYMONTHDAY": st.lists(st.integers(1, 31), min_size=1, max_size=31, unique=True)
        .map(lambda xs: ",".join(map(str, xs))),
        "UNTIL": st.sampled_from(["20991231T000000Z", "19000101T000000Z", "20240101"]),
    },
)


@st.composite
def calendars(draw: st.DrawFn) -> bytes:
    events = []
    for i in range(draw(st.integers(1, 30))):
        rule = draw(_rule_parts)
        line = "RRULE:" + ";".join(f"{k}={v}" for k, v in rule.items()) + "\r\n"
        start = draw(st.sampled_from(["19700101T090000Z", "20000101T090000Z",
                                      "20250101T090000Z"]))
        events.append(_event(f"e{i}", line, start=start))
    return (_ICS_HEAD + "".join(events) + _ICS_TAIL).encode()


@st.composite
def cards(draw: st.DrawFn) -> bytes:
    lines = draw(st.sampled_from(["EMAIL:p{i}@example.org", "TEL:+1 202 555 {i:04d}",
                                  "EMAIL:same@example.org", "NOTE:{i}", "X-CUSTOM:{i}"]))
    count = draw(st.sampled_from([1, 100, 1_999, 2_001, 30_000]))
    repeat = draw(st.integers(1, 3))
    body = "".join(lines.format(i=i % 10_000) + "\r\n" for i in range(count))
    return (_card(body) * repeat).encode()


@st.composite
def tables(draw: st.DrawFn) -> bytes:
    rows = draw(st.sampled_from([0, 10, 100_001, 130_000]))
    extra = draw(st.sampled_from([0, 10, 5_000]))
    header = "Name,Given Name,E-mail 1 - Value" + "".join(f",X{i}" for i in range(extra))
    body = "".join(f"P{i},P{i},p{i}@example.org\n" for i in range(rows))
    return (header + "\n" + body).encode()


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.one_of(calendars().map(lambda d: ("ical", d)),
                      cards().map(lambda d: ("vcard", d)),
                      tables().map(lambda d: ("google", d))))
def test_generated_runaway_inputs_stay_in_bounds(data: tuple[str, bytes]) -> None:
    format, payload = data
    assert _parse_in_child(format, payload) in (OK, REFUSED)


def test_the_peak_is_the_child_own_not_its_parent() -> None:
    """A large parent (a pytest worker that grew) does not inflate the child's peak: Linux
    records the parent's memory for a forked child, so the harness reads the child's own
    high-water mark."""
    ballast = bytearray(400 * 1024 * 1024)
    ballast[::4096] = b"\1" * len(range(0, len(ballast), 4096))  # touch every page
    done = run_limited(["--version"], seconds=60, memory_mb=1500)
    assert done.returncode == 0, done.stderr
    assert 0 < done.peak_mb < 200, f"{done.peak_mb:.0f} MB for netfolio --version"
    del ballast
