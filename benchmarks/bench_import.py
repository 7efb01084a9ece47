"""Importing LinkedIn connections and vCards, against plain sqlite3 doing the least it could.

Generates realistic files (a ``Connections.csv`` with the export's preamble, varied names,
organisations, positions and dates, about half the rows without an email; a phone's vCard
file), imports each into a fresh ledger in a child process (so that its peak memory is its
own), and measures in the same run the baseline: parsing the same CSV with the ``csv``
module and ``executemany``-ing its rows into one equivalent table of a fresh SQLite file.

    python -m benchmarks import            # 30,000 and 100,000 rows, 10,000 vCards
    python -m benchmarks import --quick    # 5,000 and 15,000 rows, 2,000 vCards
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import Result, python, run_child

FIRST = (
    "Ana", "José", "Li", "María", "John", "Fatima", "Olivia", "Noah", "Chen", "Priya", "Lukas",
    "Sofía", "Ahmed", "Emma", "Kenji", "Aisha", "Mateo", "Chloé", "Wei", "Ingrid", "Tomás",
    "Zanele", "Raj", "Hannah", "Yusuf", "Elena", "Kwame", "Mei", "Oliver", "Leila", "Pierre",
    "Sara", "Daniel", "Nadia", "Hiroshi", "Amara", "Jonas", "Lucía", "Arjun", "Freya", "Diego",
    "Ngozi", "Sven", "Isabel", "Omar", "Camille", "Erik", "Yara", "Luca", "Mariam", "Pedro",
    "Anna", "Sipho", "Julia", "Ravi", "Greta", "Hugo", "Ayesha", "Matteo", "Selin", "Kofi",
    "Élodie", "Björn", "Dara", "Felipe", "Nia", "Stefan", "Valentina", "Tariq", "Lena", "Marco",
    "Chiara", "Andrés", "Ines", "Jakub", "Aiko", "Samuel", "Zoe", "Rafael", "Maya", "Viktor",
)
LAST = (
    "Núñez", "Smith", "García", "Wang", "Müller", "Khan", "Rossi", "Dubois", "Kowalski", "Okafor",
    "Tanaka", "Silva", "Jensen", "Brown", "Nguyen", "Ivanova", "Haddad", "Schmidt", "Kim", "Costa",
    "O'Brien", "Papadopoulos", "Mensah", "Fernández", "Larsen", "Yilmaz", "Chen", "Patel", "Moreau",
    "Novak", "Sato", "Andersson", "Romero", "Adeyemi", "Becker", "Lopez", "Hughes", "Ferrari",
    "Kaur", "Horvath", "Lindqvist", "Mazur", "Santos", "Fischer", "Dimitriou", "Bianchi", "Ali",
    "de Vries", "Van den Berg", "Murphy", "Kovač", "Svoboda", "Nakamura", "Gupta", "Eriksen",
    "Oliveira", "Petrov", "Lambert", "Rahman", "Walker", "Mohammed", "Suzuki", "Hernández",
    "Ibrahim", "Kariuki", "Popescu", "Nielsen", "Aydın", "Bauer", "Chowdhury", "Torres", "Zhou",
)
ORG_A = ("Blue", "North", "Bright", "Silver", "Open", "Green", "Red", "Quantum", "Summit", "Atlas",
         "Harbor", "Nova", "Pine", "Cedar", "Lumen", "Apex", "Clear", "Iron", "Golden", "Swift")
ORG_B = ("Robotics", "Health", "Analytics", "Capital", "Labs", "Foods", "Energy", "Logistics",
         "Studio", "Systems", "Bank", "Clinic", "Media", "Partners", "Networks", "Biotech")
ORG_C = ("", " Inc.", " GmbH", " Ltd", " S.A.", " Group", " AB")
BIG = ("Google", "Microsoft", "Amazon", "Deloitte", "Accenture", "IBM", "Siemens", "Unilever",
       "NHS", "Self-employed")
SENIORITY = ("", "", "Senior ", "Lead ", "Principal ", "Junior ", "Head of ", "VP ")
ROLES = ("Software Engineer", "Data Scientist", "Product Manager", "Cardiologist", "Lawyer",
         "Teacher", "Designer", "Account Executive", "Recruiter", "Financial Analyst", "Nurse",
         "Marketing Manager", "Founder", "CEO", "Architect", "Research Scientist", "Consultant",
         "Operations Manager", "Sales Director", "UX Researcher", "Civil Engineer", "Journalist")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
PREAMBLE = (
    'Notes:\n"When exporting your connection data, you may notice that some of the email '
    "addresses are missing. You will only see email addresses for connections who have allowed "
    "their connections to see or download their email address using this setting "
    'https://www.linkedin.com/psettings/privacy/email. You can learn more here '
    'https://www.linkedin.com/help/linkedin/answer/261"\n\n'
)
HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]


def _ascii(text: str) -> str:
    import unicodedata

    folded = unicodedata.normalize("NFKD", text)
    return "".join(c for c in folded if c.isascii() and (c.isalnum() or c in " -")).lower()


def _organisation(rng: random.Random) -> str:
    if rng.random() < 0.15:
        return rng.choice(BIG)
    return f"{rng.choice(ORG_A)} {rng.choice(ORG_B)}{rng.choice(ORG_C)}"


def connections_csv(rows: int, seed: int = 7) -> bytes:
    """A realistic Connections.csv: preamble, BOM, about half of the rows without an email."""
    rng = random.Random(seed)
    out = io.StringIO()
    out.write("\ufeff" + PREAMBLE)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for i in range(rows):
        if rng.random() < 0.002:
            writer.writerow(["", "", "", "", "", "", f"07 Jun {rng.randint(2015, 2026)}"])
            continue
        first, last = rng.choice(FIRST), rng.choice(LAST)
        slug = f"{_ascii(first)}-{_ascii(last).replace(' ', '-')}-{i:x}{rng.randint(0, 4095):03x}"
        email = (f"{_ascii(first)}.{_ascii(last).replace(' ', '')}{i}@example.com"
                 if rng.random() < 0.5 else "")
        writer.writerow([
            first, last, f"https://www.linkedin.com/in/{slug}", email, _organisation(rng),
            rng.choice(SENIORITY) + rng.choice(ROLES),
            f"{rng.randint(1, 28):02d} {rng.choice(MONTHS)} {rng.randint(2008, 2026)}",
        ])
    return out.getvalue().encode("utf-8")


def vcards(count: int, seed: int = 11) -> bytes:
    """A phone's contacts as vCard 3.0: names, emails, phones, organisations, a few extras."""
    rng = random.Random(seed)
    parts = []
    for i in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        if rng.random() < 0.5:
            first += " " + rng.choice(FIRST)  # middle names
        if rng.random() < 0.5:
            last += " " + rng.choice(LAST)  # second surnames, double-barrelled names
        lines = ["BEGIN:VCARD", "VERSION:3.0", f"N:{last};{first};;;", f"FN:{first} {last}"]
        if rng.random() < 0.8:
            lines.append(f"EMAIL;TYPE=INTERNET;TYPE=HOME:{_ascii(first)}.{i}@mail.example")
        if rng.random() < 0.7:
            lines.append(f"TEL;TYPE=CELL:+1 {rng.randint(201, 989)} 555 {i % 10000:04d}")
        if rng.random() < 0.6:
            lines += [f"ORG:{_organisation(rng)}", f"TITLE:{rng.choice(ROLES)}"]
        if rng.random() < 0.2:
            lines.append(f"BDAY:--{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
        if rng.random() < 0.1:
            lines.append("NOTE:Met at a conference\\, follow up about the project")
        lines.append("END:VCARD")
        parts.append("\r\n".join(lines) + "\r\n")
    return "".join(parts).encode("utf-8")


def baseline(data: bytes, tmp: Path, repeat: int = 3) -> float:
    """Parse the CSV with the csv module and executemany its rows into one table."""
    times = []
    for n in range(repeat):
        path = tmp / f"baseline-{n}.db"
        start = time.perf_counter()
        text = data.decode("utf-8-sig")
        lines = io.StringIO(text, newline="")
        for line in lines:
            if line.startswith("First Name,"):
                break
        rows = [r for r in csv.reader(lines) if any(r)]
        con = sqlite3.connect(path)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("CREATE TABLE connection (id INTEGER PRIMARY KEY, first_name TEXT, "
                    "last_name TEXT, url TEXT, email TEXT, company TEXT, position TEXT, "
                    "connected_on TEXT)")
        with con:
            con.executemany("INSERT INTO connection (first_name, last_name, url, email, company, "
                            "position, connected_on) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        con.close()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


class _StageClock:
    """A progress callback that adds up the time spent until each stage reports."""

    def __init__(self) -> None:
        self.stages: dict[str, float] = {}
        self.last = time.perf_counter()

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        self.stages[stage] = self.stages.get(stage, 0.0) + now - self.last
        self.last = now


def _child(args: list[str]) -> None:
    """In a fresh process: import each file in turn into one new ledger; print the figures."""
    import resource

    from netfolio.network import Network

    if os.environ.get("NETFOLIO_BENCH_GC") == "default":  # the comparison: no raised threshold
        import contextlib

        from netfolio.io import garbage

        garbage.fewer_collections = lambda *_: contextlib.nullcontext()
    db, files = args[0], args[1:]
    net = Network(db)
    net.count()  # create the ledger before timing
    figures: list[dict[str, Any]] = []
    for file in files:
        clock = _StageClock()
        start, cpu = time.perf_counter(), time.process_time()
        report = net.import_file(file, progress=clock)
        figures.append({"seconds": time.perf_counter() - start, "summary": report.summary,
                        "cpu": time.process_time() - cpu, "read": clock.stages.get("read", 0.0)})
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    net.close()
    print(json.dumps({"runs": figures, "peak_mb": peak}))


def _imports(tmp: Path, name: str, files: list[Path], gc: str = "raised") -> dict[str, Any]:
    out = run_child(
        [python(), "-m", "benchmarks.bench_import", "child", str(tmp / f"{name}.db"),
         *map(str, files)],
        env={"NETFOLIO_BENCH_GC": gc},
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def run(quick: bool = False) -> list[Result]:
    small, large, cards = (5_000, 15_000, 2_000) if quick else (30_000, 100_000, 10_000)
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        small_csv, large_csv, card_file = (tmp / "Connections.csv", tmp / "Large/Connections.csv",
                                           tmp / "contacts.vcf")
        large_csv.parent.mkdir()
        data = connections_csv(small)
        small_csv.write_bytes(data)
        large_data = connections_csv(large, seed=8)
        large_csv.write_bytes(large_data)
        card_file.write_bytes(vcards(cards))

        base = baseline(data, tmp)
        first = _imports(tmp, "small", [small_csv, small_csv])
        (imp, again), peak_small = first["runs"], first["peak_mb"]
        results.append(Result(
            f"import {small:,}-row Connections.csv", imp["seconds"],
            "sqlite3 parse + executemany, one table", base,
            target="≤ 3x and < 3 s", note=f"{imp['summary']}; read+parse {imp['read']:.2f} s; "
            f"CPU {imp['cpu']:.2f} s",
        ))
        results.append(Result(
            f"re-import the unchanged {small:,} rows", again["seconds"],
            "sqlite3 parse + executemany, one table", base, target="< 3 s",
            note=f"{again['summary']}; CPU {again['cpu']:.2f} s",
        ))
        default_gc = _imports(tmp, "small-default-gc", [small_csv], gc="default")["runs"][0]
        results.append(Result(
            f"import {small:,}-row Connections.csv, CPU", imp["cpu"],
            "the same with the collector's default thresholds", default_gc["cpu"],
            target="< 1x", note="netfolio.io.garbage: young threshold 50,000 during imports",
        ))
        big = _imports(tmp, "large", [large_csv])
        (big_run,) = big["runs"]
        results.append(Result(
            f"import {large:,}-row Connections.csv", big_run["seconds"],
            f"the {small:,}-row import x {large / small:.2f}", imp["seconds"] * large / small,
            target=f"≤ 4x the {small:,}-row time ({4 * imp['seconds']:.2f} s)",
            note=f"{big_run['seconds'] / imp['seconds']:.2f}x the {small:,}-row time",
        ))
        vcf = _imports(tmp, "cards", [card_file])
        (vcf_run,) = vcf["runs"]
        results.append(Result(
            f"import {cards:,} vCards", vcf_run["seconds"],
            "sqlite3 parse + executemany, same rows", base * cards / small, target="< 10 s",
            note=vcf_run["summary"],
        ))
        results.append(Result(
            f"peak memory, {large:,}-row import (whole process)", big["peak_mb"], "limit", 300.0,
            unit="MB", target="< 300 MB", note=f"{small:,}-row import and re-import: "
            f"{peak_small:.0f} MB",
        ))
    return results


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        _child(sys.argv[2:])
    else:
        for result in run(quick="--quick" in sys.argv):
            print(result.row(), result.note)
