"""Identity: are imported records joined into the right people, no more and no fewer?

Generates people with known identities and writes what a user's exports would hold as real
files: a LinkedIn ``Connections.csv``, a phone's vCards, Google and Outlook CSV exports, an
``.ics`` calendar and an mbox. The adversarial cases are built in: an office's switchboard
number on every Outlook card of that office and an ``info@`` address on some, namesakes at
different organisations, people who appear under a nickname, without accents, with given
and family name swapped or with a typo, and people known by a work and a personal address.

All files are imported as one run into a fresh ledger; then every identity key the files
hold (profile URL, work and personal email, mobile) is looked up in the ledger:

- pairwise precision and recall of the automatic merges, over pairs of identity keys;
- people split: the share of identities whose keys ended up on two or more people, and how
  many of those split pairs are on the review list;
- the same figures for the simple baseline the pipeline used to be close to: any shared key
  (URL, email, any phone) is one person;
- the time of the import; and, after ten review pairs merged and one person split, the
  same files imported again (nothing may change) and everything undone (an empty ledger).

    python -m benchmarks identity              # 1,000 and 10,000 people
    python -m benchmarks identity --quick      # 1,000 people
    python -m benchmarks identity_full         # 1,000, 10,000 and 100,000 people
"""

from __future__ import annotations

import csv
import io
import random
import sqlite3
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.bench_import import BIG, FIRST, LAST, ORG_A, ORG_B, ROLES, _ascii
from benchmarks.common import Result

#: Given names with common nicknames (the nickname is used on some cards and in some mail).
NICKNAMED = {"Robert": "Bob", "William": "Bill", "Elizabeth": "Liz", "Katherine": "Kate",
             "Michael": "Mike", "James": "Jim", "Margaret": "Peggy", "Thomas": "Tom",
             "Alexander": "Alex", "Jennifer": "Jen", "Richard": "Rick", "Susan": "Sue"}
GIVEN = (*FIRST, *NICKNAMED)
#: The share of people who have the full name of someone else in the network (about 6% in
#: a real 400-person network that was measured when this benchmark was written).
NAMESAKES = 0.06
ME = "me@home.example"
OUTLOOK = ["First Name", "Last Name", "Company", "Job Title", "Business Phone", "Mobile Phone",
           "E-mail Address", "E-mail 2 Address"]
GOOGLE = ["First Name", "Last Name", "Organization Name", "Labels", "E-mail 1 - Label",
          "E-mail 1 - Value", "Phone 1 - Label", "Phone 1 - Value"]


@dataclass
class Identity:
    """One real person, and every key of theirs a file may carry."""

    n: int
    given: str
    family: str
    org: str
    domain: str | None
    slug: str
    work: str | None
    personal: str | None
    mobile: str
    switchboard: str | None
    keys: set[str] = field(default_factory=set)  # the keys the files hold, for the evaluation
    #: each record's keys as written (shared ones too: a switchboard, an info@ address)
    records: list[list[str]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.given} {self.family}"


def _strip_accents(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def people(count: int, seed: int) -> list[Identity]:
    rng = random.Random(seed)
    orgs = [(f"{a} {b}", f"{_ascii(a + b).replace(' ', '')}.example") for a in ORG_A
            for b in ORG_B]
    switchboards = {org: f"+44 20 7{i // 1000 % 10}{i % 1000:03d} {rng.randint(1000, 9999)}"
                    for i, (org, _) in enumerate(orgs)}
    found: list[Identity] = []
    taken: set[tuple[str, str]] = set()
    for n in range(count):
        if found and rng.random() < NAMESAKES:
            twin = rng.choice(found)  # a namesake (at another organisation, mostly)
            given, family = twin.given, twin.family
        else:
            while True:
                given = rng.choice(GIVEN)
                family = rng.choice(LAST)
                if rng.random() < 0.5:
                    family = f"{family} {rng.choice(LAST)}"
                if (given, family) not in taken:
                    break
        taken.add((given, family))
        if rng.random() < 0.1:
            org, domain, board = rng.choice(BIG), None, None
        else:
            org, domain = rng.choice(orgs)
            board = switchboards[org]
        local = f"{_ascii(given)}.{_ascii(family).replace(' ', '')}"
        found.append(Identity(
            n, given, family, org, domain,
            slug=f"{local.replace('.', '-')}-{n:x}",
            work=f"{local}{n}@{domain}" if domain else None,
            personal=f"{_ascii(given)}{n}@mail.example" if rng.random() < 0.5 else None,
            mobile=f"+1 415 {n // 10000:03d} {n % 10000:04d}",
            switchboard=board,
        ))
    return found


def _variant(rng: random.Random, p: Identity, swapped_ok: bool = False) -> tuple[str, str]:
    """The name as one source writes it: mostly as is, sometimes not."""
    given, family = p.given, p.family
    roll = rng.random()
    if roll < 0.08:
        given, family = _strip_accents(given), _strip_accents(family)
    elif roll < 0.12 and given in NICKNAMED:
        given = NICKNAMED[given]
    elif roll < 0.14:
        family = _typo(rng, family)
    elif roll < 0.16 and swapped_ok:
        given, family = family, given
    return given, family


def write_files(ids: list[Identity], folder: Path, seed: int) -> list[Path]:
    """The exports of a user who knows these people, as real files; records each identity's
    keys that some file holds."""
    rng = random.Random(seed + 1)
    linkedin, cards, google, outlook, events, mails = [], [], [], [], [], []
    for p in ids:
        if rng.random() < 0.6:
            g, f = _variant(rng, p)
            email = p.work if p.work and rng.random() < 0.25 else ""
            linkedin.append([g, f, f"https://www.linkedin.com/in/{p.slug}", email, p.org,
                             rng.choice(ROLES), "08 Feb 2024"])
            p.keys.add("url:" + p.slug)
            if email:
                p.keys.add("email:" + email)
            p.records.append(["url:" + p.slug, *(["email:" + email] if email else [])])
        if rng.random() < 0.35:
            g, f = _variant(rng, p, swapped_ok=True)
            lines = ["BEGIN:VCARD", "VERSION:3.0", f"N:{f};{g};;;", f"FN:{g} {f}",
                     f"TEL;TYPE=CELL:{p.mobile}"]
            p.keys.add("phone:" + p.mobile)
            if p.personal and rng.random() < 0.6:
                lines.append(f"EMAIL;TYPE=HOME:{p.personal}")
                p.keys.add("email:" + p.personal)
            if rng.random() < 0.5:
                lines.append(f"ORG:{p.org}")
            cards.append("\r\n".join([*lines, "END:VCARD"]) + "\r\n")
            p.records.append([k for k in ("phone:" + p.mobile, *(
                ["email:" + p.personal] if any(p.personal and p.personal in x for x in lines)
                else [])) if k])
        if rng.random() < 0.2:
            g, f = _variant(rng, p)
            email = p.personal or p.work
            row = {"First Name": g, "Last Name": f, "Organization Name": p.org,
                   "Phone 1 - Label": "Mobile", "Phone 1 - Value": p.mobile}
            p.keys.add("phone:" + p.mobile)
            if email:
                row.update({"E-mail 1 - Label": "* Other", "E-mail 1 - Value": email})
                p.keys.add("email:" + email)
            google.append(row)
            p.records.append(["phone:" + p.mobile, *(["email:" + email] if email else [])])
        if rng.random() < 0.2 and p.work:
            g, f = _variant(rng, p)
            row = {"First Name": g, "Last Name": f, "Company": p.org, "Job Title":
                   rng.choice(ROLES), "Business Phone": p.switchboard or "",
                   "E-mail Address": p.work}
            p.keys.add("email:" + p.work)
            if rng.random() < 0.2:
                row["E-mail 2 Address"] = f"info@{p.domain}"
            outlook.append(row)
            p.records.append(["email:" + p.work, *(
                ["shared:" + v for v in (row["Business Phone"], row.get("E-mail 2 Address"))
                 if v])])
        if rng.random() < 0.3:
            email = p.work if p.work and rng.random() < 0.7 else p.personal
            if email:
                p.keys.add("email:" + email)
                p.records.append(["email:" + email])
                g, f = _variant(rng, p)
                shown = g if rng.random() < 0.1 else f"{g} {f}"
                for k in range(rng.randint(1, 3)):
                    day = 1 + (p.n * 7 + k * 31) % 700
                    if rng.random() < 0.5:
                        events.append((p.n, k, day, shown, email))
                    else:
                        mails.append((p.n, k, day, shown, email))
    files = []

    def put(name: str, text: str) -> None:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        files.append(path)

    out = io.StringIO()
    out.write("\ufeffNotes:\n\"Connections\"\n\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["First Name", "Last Name", "URL", "Email Address", "Company", "Position",
                     "Connected On"])
    writer.writerows(linkedin)
    put("Connections.csv", out.getvalue())
    put("contacts.vcf", "".join(cards))
    for name, columns, rows in (("google.csv", GOOGLE, google), ("outlook.csv", OUTLOOK,
                                                                   outlook)):
        out = io.StringIO()
        dict_writer = csv.DictWriter(out, columns, lineterminator="\r\n")
        dict_writer.writeheader()
        dict_writer.writerows({c: r.get(c, "") for c in columns} for r in rows)
        put(name, out.getvalue())
    cal = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//EN"]
    for n, k, day, shown, email in events:
        start = time.strftime("%Y%m%dT100000Z", time.gmtime(1_600_000_000 + day * 86400))
        cal += ["BEGIN:VEVENT", f"UID:e{n}-{k}@bench", f"DTSTART:{start}",
                f"DTEND:{start[:9]}110000Z", "SUMMARY:Coffee",
                f"ORGANIZER;CN=Me:mailto:{ME}",
                f"ATTENDEE;PARTSTAT=ACCEPTED;CN={shown}:mailto:{email}", "END:VEVENT"]
    put("calendar.ics", "\r\n".join([*cal, "END:VCALENDAR"]) + "\r\n")
    box = []
    for n, k, day, shown, email in mails:
        stamp = time.strftime("%a, %d %b %Y 09:00:00 +0000",
                              time.gmtime(1_600_000_000 + day * 86400))
        sender, to = (f'"{shown}" <{email}>', ME) if k % 2 == 0 else (ME, f'"{shown}" <{email}>')
        box.append(f"From bench {time.asctime(time.gmtime(1_600_000_000 + day * 86400))}\n"
                   f"Message-ID: <m{n}-{k}@bench>\nDate: {stamp}\nFrom: {sender}\nTo: {to}\n"
                   f"Subject: Hello\n\nBody\n")
    put("mail.mbox", "\n".join(box))
    return files


# --- the evaluation ---------------------------------------------------------------------------


@dataclass
class Scores:
    precision: float
    recall: float
    split: float  # share of identities (with two or more keys) split over several people
    split_reviewed: float  # share of split identities with a review entry between the parts
    wrong_merges: int  # people holding keys of two or more identities


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def score(ids: list[Identity], owner_of: dict[str, list[int]],
          reviewed: set[tuple[int, int]] | None = None) -> Scores:
    """Pairwise precision and recall over identity keys, given where each key ended up."""
    by_person: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    split = split_reviewed = several = 0
    true_pairs = 0
    for p in ids:
        homes: dict[int, int] = defaultdict(int)
        for key in p.keys:
            for home in owner_of.get(key, [])[:1]:
                homes[home] += 1
        for home, k in homes.items():
            by_person[home][p.n] += k
        n = sum(homes.values())
        true_pairs += _pairs(n)
        if len(p.keys) >= 2:
            several += 1
            if len(homes) > 1:
                split += 1
                parts = sorted(homes)
                if reviewed is not None and any(
                    (a, b) in reviewed for i, a in enumerate(parts) for b in parts[i + 1:]
                ):
                    split_reviewed += 1
    predicted = correct = wrong = 0
    for counts in by_person.values():
        predicted += _pairs(sum(counts.values()))
        correct += sum(_pairs(k) for k in counts.values())
        wrong += len(counts) > 1
    return Scores(
        precision=correct / predicted if predicted else 1.0,
        recall=correct / true_pairs if true_pairs else 1.0,
        split=split / several if several else 0.0,
        split_reviewed=split_reviewed / split if split else 1.0,
        wrong_merges=wrong,
    )


def ledger_owners(db: Path) -> tuple[dict[str, list[int]], set[tuple[int, int]]]:
    """Where each key is in the ledger, and the pairs on the review list."""
    from netfolio.core.identity import phone_key

    con = sqlite3.connect(db)
    owners: dict[str, list[int]] = defaultdict(list)
    for email, pid in con.execute("SELECT email, person_id FROM person_email"):
        owners["email:" + email].append(pid)
    for url, pid in con.execute("SELECT linkedin_url, id FROM person WHERE linkedin_url "
                                "IS NOT NULL"):
        owners["url:" + url.rsplit("/in/", 1)[-1]].append(pid)
    phones: dict[str, list[int]] = defaultdict(list)
    for e164, pid in con.execute("SELECT e164, person_id FROM person_phone ORDER BY id"):
        phones[e164].append(pid)
    reviewed = {(min(a, b), max(a, b)) for a, b in
                con.execute("SELECT a_id, b_id FROM possible_duplicate")}
    con.close()
    result = dict(owners)
    cache: dict[str, str | None] = {}

    class Phones(dict[str, list[int]]):
        def get(self, key: str, default: list[int] | None = None) -> list[int]:  # type: ignore[override]
            if key.startswith("phone:"):
                raw = key[6:]
                e164 = cache.setdefault(raw, phone_key(raw))
                return phones.get(e164 or "", default or [])
            return result.get(key, default or [])

    return Phones(), reviewed


def baseline_owners(ids: list[Identity]) -> dict[str, list[int]]:
    """The simple rule: records sharing any key (URL, email, any phone, an info@ address)
    are one person. Run on the same records."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in ids:
        for record in p.records:
            for k in record[1:]:
                parent[find(k)] = find(record[0])
    roots: dict[str, int] = {}
    return {k: [roots.setdefault(find(k), len(roots))] for p in ids for k in p.keys}


def measure(count: int, seed: int) -> dict[str, object]:
    from netfolio.network import Network

    ids = people(count, seed)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        files = write_files(ids, tmp, seed)
        db = tmp / "ledger.db"
        net = Network(str(db))
        net.count()
        start = time.perf_counter()
        report = net.import_file(files, me=[ME])
        seconds = time.perf_counter() - start
        owners, reviewed = ledger_owners(db)
        ours = score(ids, owners, reviewed)
        base = score(ids, baseline_owners(ids))
        # Review a few pairs the way a user would (merge them), split one of them again,
        # then import the same files: nothing may change; then undo everything.
        edits = 0
        for dup in net.duplicates()[:10]:
            net.resolve_duplicate(dup.id, "merge")
            edits += 1
        merged = next((p for p in net.people() if len(p.emails) >= 2), None)
        if merged is not None:
            net.split(merged.id, emails=merged.emails[1:2])
            edits += 1
        again = net.import_file(files, me=[ME])
        idempotent = again.new == 0 and again.updated == 0 and again.interactions_added == 0
        for _ in range(edits + 2):
            net.import_undo()
        undone = net.count() == 0
        net.close()
    return {"count": count, "seconds": seconds, "ours": ours, "baseline": base,
            "summary": report.summary, "idempotent": idempotent, "undone": undone}


def run(quick: bool = False, sizes: tuple[int, ...] | None = None) -> list[Result]:
    sizes = sizes or ((1_000,) if quick else (1_000, 10_000))
    results: list[Result] = []
    timings: dict[int, float] = {}
    for count in sizes:
        m = measure(count, seed=20_000 + count)
        ours, base = m["ours"], m["baseline"]
        assert isinstance(ours, Scores) and isinstance(base, Scores)
        seconds = float(m["seconds"])  # type: ignore[arg-type]
        timings[count] = seconds
        checks = f"re-import idempotent: {m['idempotent']}; undo exact: {m['undone']}"
        results.append(Result(
            f"identity {count:,}: merge precision", ours.precision,
            "any shared key is one person", base.precision, unit="", target="≥ 0.999",
            note=f"{ours.wrong_merges} people wrongly merged (baseline {base.wrong_merges}); "
            f"{m['summary']}",
        ))
        results.append(Result(
            f"identity {count:,}: merge recall", ours.recall,
            "any shared key is one person", base.recall, unit="", target="",
        ))
        results.append(Result(
            f"identity {count:,}: people split", ours.split,
            "any shared key is one person", base.split, unit="", target="≤ 0.01",
            note=f"{ours.split_reviewed:.0%} of split people have a review entry; {checks}",
        ))
        smallest = min(timings)
        results.append(Result(
            f"identity {count:,}: import all six files", seconds,
            f"the {smallest:,}-person import x {count / smallest:g}",
            timings[smallest] * count / smallest,
            target="100k ≤ 12x the 10k time" if count > 10_000 else "",
        ))
    return results


if __name__ == "__main__":
    chosen = tuple(int(a) for a in sys.argv[1:] if a.isdigit()) or None
    for result in run(quick="--quick" in sys.argv, sizes=chosen):
        print(result.row(), result.note)
