"""Identity: are imported records joined into the right people, no more and no fewer?

Generates people with known identities and writes what a user's exports would hold as real
files: a LinkedIn ``Connections.csv``, a phone's vCards, Google and Outlook CSV exports, an
``.ics`` calendar and an mbox. The adversarial cases are built in: an office's switchboard
number on every Outlook card of that office and an ``info@`` address on some, namesakes at
different organisations, people who appear under a nickname, without accents, with given
and family name swapped or with a typo, and people known by a work and a personal address.

Some people also reply from their other address in the same mail thread. All files are
imported as one run into a fresh ledger; then every identity key the files hold (profile
URL, work and personal email, mobile) is looked up in the ledger:

- pairwise precision and recall of the automatic merges, over pairs of identity keys;
- people split, two ways: among people whose records the data joins (:func:`joined`: a
  shared key, or the same full name with the same organisation or thread; the target), and
  among all people with two or more keys (the harder figure, kept for comparison); with the
  share of record pairs that agree only on an exact name and are one person (what merging on
  a name alone would get right);
- review coverage: the share of split people whose plausible parts (:func:`plausible`) are
  linked by review entries, and of adversarial pairs (namesakes; two people alone sharing a
  number) on the review list; and the size of the list;
- the same figures for the simple baseline the pipeline used to be close to: any shared key
  (URL, email, any phone) is one person;
- the time of the import; the same files imported again (nothing may change, by a digest of
  the people, their keys, interactions and review pairs); then, after ten review pairs merged
  and three people split, again; and everything undone (an empty ledger).

    python -m benchmarks identity              # 1,000 and 10,000 people
    python -m benchmarks identity --quick      # 1,000 people
    python -m benchmarks identity_full         # 1,000, 10,000 and 100,000 people
    python -m benchmarks.bench_identity 10000 --examples=20   # and print split people
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
#: The share of threads with someone who has two addresses where they also reply from the
#: other one (the phone's personal account).
REPLIES_FROM_OTHER = 0.3
ME = "me@home.example"
OUTLOOK = ["First Name", "Last Name", "Company", "Job Title", "Business Phone", "Mobile Phone",
           "E-mail Address", "E-mail 2 Address"]
GOOGLE = ["First Name", "Last Name", "Organization Name", "Labels", "E-mail 1 - Label",
          "E-mail 1 - Value", "Phone 1 - Label", "Phone 1 - Value"]


@dataclass
class Fact:
    """One record of a person as a file holds it: its identity keys, the name as written, the
    organisation (when the record gives one), its addresses and the conversation it is in."""

    keys: list[str]
    name: str
    org: str | None
    emails: list[str]
    conversation: str | None = None


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
    facts: list[Fact] = field(default_factory=list)

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
    # a valid London number per office (020 7xxx xxxx): an invalid one would be left out by
    # the importer and the adversarial case would never reach the matcher
    switchboards = {org: f"+44 20 7{i % 1000:03d} {rng.randint(1000, 9999)}"
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
            p.facts.append(Fact(p.records[-1], f"{g} {f}", p.org, [email] if email else []))
        if rng.random() < 0.35:
            g, f = _variant(rng, p, swapped_ok=True)
            lines = ["BEGIN:VCARD", "VERSION:3.0", f"N:{f};{g};;;", f"FN:{g} {f}",
                     f"TEL;TYPE=CELL:{p.mobile}"]
            card_org = None
            p.keys.add("phone:" + p.mobile)
            if p.personal and rng.random() < 0.6:
                lines.append(f"EMAIL;TYPE=HOME:{p.personal}")
                p.keys.add("email:" + p.personal)
            if rng.random() < 0.5:
                lines.append(f"ORG:{p.org}")
                card_org = p.org
            cards.append("\r\n".join([*lines, "END:VCARD"]) + "\r\n")
            p.records.append([k for k in ("phone:" + p.mobile, *(
                ["email:" + p.personal] if any(p.personal and p.personal in x for x in lines)
                else [])) if k])
            p.facts.append(Fact(p.records[-1], f"{g} {f}", card_org,
                                [k[6:] for k in p.records[-1] if k.startswith("email:")]))
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
            p.facts.append(Fact(p.records[-1], f"{g} {f}", p.org, [email] if email else []))
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
            p.facts.append(Fact(["email:" + p.work], f"{g} {f}", p.org, [p.work]))
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
                        p.facts.append(Fact(["email:" + email], shown, None, [email],
                                            f"e{p.n}-{k}"))
                    else:
                        mails.append((p.n, k, day, shown, email, None))
                        p.facts.append(Fact(["email:" + email], shown, None, [email],
                                            f"m{p.n}-{k}"))
                        other = p.personal if email == p.work else p.work
                        if other and k % 2 == 0 and rng.random() < REPLIES_FROM_OTHER:
                            # a reply in the same thread from the other address (the phone)
                            g2, f2 = _variant(rng, p)
                            mails.append((p.n, k + 10, day, f"{g2} {f2}", other,
                                          f"m{p.n}-{k}@bench"))
                            p.keys.add("email:" + other)
                            p.records.append(["email:" + other])
                            p.facts.append(Fact(["email:" + other], f"{g2} {f2}", None, [other],
                                                f"m{p.n}-{k}"))
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
    for n, k, day, shown, email, replying_to in mails:
        hour = 9 if replying_to is None else 10
        stamp = time.strftime(f"%a, %d %b %Y {hour:02d}:00:00 +0000",
                              time.gmtime(1_600_000_000 + day * 86400))
        sender, to = (f'"{shown}" <{email}>', ME) if k % 2 == 0 else (ME, f'"{shown}" <{email}>')
        thread = (f"In-Reply-To: <{replying_to}>\nReferences: <{replying_to}>\n"
                  if replying_to else "")
        box.append(f"From bench {time.asctime(time.gmtime(1_600_000_000 + day * 86400))}\n"
                   f"Message-ID: <m{n}-{k}@bench>\n{thread}Date: {stamp}\nFrom: {sender}\n"
                   f"To: {to}\nSubject: Hello\n\nBody\n")
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
    #: share of identities with two or more keys whose records the data joins (see
    #: ``joined``) that were split anyway
    split_joinable: float = 0.0
    #: share of split identities whose plausible parts (see ``plausible``) are all linked by
    #: review entries
    plausible_reviewed: float = 1.0
    #: share of adversarial pairs (namesakes; two people sharing a number) on the review list
    adversarial_reviewed: float = 1.0
    adversarial: int = 0
    #: pairs of records that agree only on an exact full name, and the share of them that
    #: are one person (what merging on a name alone would get right)
    name_only_pairs: int = 0
    name_only_same: float = 0.0


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def _letters(text: str) -> str:
    return "".join(c for c in _strip_accents(text).lower() if c.isalpha())


def _full(name: str) -> str:
    """A written name folded: accents and case, spaces collapsed."""
    return " ".join(_strip_accents(name).lower().split())


def _spells(email: str, name: str) -> bool:
    parts = _full(name).split()
    local = _letters(email.split("@", 1)[0])
    return len(parts) >= 2 and local in (_letters("".join(parts)),
                                         _letters("".join(parts[1:] + parts[:1])))


def _names_agree(a: Fact, b: Fact) -> bool:
    """The same full name (accents and case aside), or an address spelling the other's."""
    if len(_full(a.name).split()) >= 2 and _full(a.name) == _full(b.name):
        return True
    return any(_spells(e, b.name) for e in a.emails) or any(_spells(e, a.name) for e in b.emails)


def _orgs_agree(a: Fact, b: Fact) -> bool:
    """The same organisation, or an address at the domain the other's organisation has."""
    if a.org and b.org and _letters(a.org) == _letters(b.org):
        return True
    return any(b.org and _letters(e.split("@", 1)[1].split(".")[0]) == _letters(b.org)
               for e in a.emails) or any(
        a.org and _letters(e.split("@", 1)[1].split(".")[0]) == _letters(a.org)
        for e in b.emails)


def joined(a: Fact, b: Fact) -> bool:
    """Evidence in the data that two records are one person, strong enough to merge at the
    precision target: a shared profile, personal address or mobile; or the same full name
    (or an address spelling it) together with the same organisation (or an address at its
    domain) or the same mail thread. An exact name alone is not: 6% of people share one."""
    if set(a.keys) & set(b.keys):
        return True
    if not _names_agree(a, b):
        return False
    return _orgs_agree(a, b) or bool(a.conversation and a.conversation == b.conversation)


def _canonical_given(word: str) -> str:
    return {v.lower(): k.lower() for k, v in NICKNAMED.items()}.get(word, word)


def plausible(a: Fact, b: Fact) -> bool:
    """Two records a user would want to be asked about: joined, or full names that agree up
    to accents, a nickname, the order or a typo (a given name alone with a webmail address
    is nobody in particular)."""
    if joined(a, b) or _names_agree(a, b):
        return True
    pa, pb = _full(a.name).split(), _full(b.name).split()
    if len(pa) < 2 or len(pb) < 2:
        return False
    pa[0], pb[0] = _canonical_given(pa[0]), _canonical_given(pb[0])
    if sorted(pa) == sorted(pb):
        return True
    from rapidfuzz import fuzz

    return fuzz.ratio(" ".join(pa), " ".join(pb)) >= 85


def _components(n: int, edges: list[tuple[int, int]]) -> list[int]:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        parent[find(a)] = find(b)
    return [find(i) for i in range(n)]


def score(ids: list[Identity], owner_of: dict[str, list[int]],
          reviewed: set[tuple[int, int]] | None = None) -> Scores:
    """Pairwise precision and recall over identity keys, given where each key ended up; the
    split and review figures over the records each identity has."""
    by_person: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    split = split_reviewed = several = 0
    joinable_several = joinable_split = plausible_split = plausible_covered = 0
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
        if len(p.keys) < 2:
            continue
        several += 1
        facts = [f for f in p.facts if f.keys]
        home_of = [next(iter(owner_of.get(f.keys[0], [])), None) for f in facts]
        pairs = [(i, j) for i in range(len(facts)) for j in range(i + 1, len(facts))]
        components = _components(len(facts), [(i, j) for i, j in pairs
                                              if joined(facts[i], facts[j])])
        if any(components[i] != i for i in range(len(facts))):
            joinable_several += 1
        if any(components[i] == components[j] and home_of[i] != home_of[j] for i, j in pairs):
            joinable_split += 1
        if len(homes) <= 1:
            continue
        split += 1
        parts = sorted(homes)
        if reviewed is not None and any(
            (a, b) in reviewed for i, a in enumerate(parts) for b in parts[i + 1:]
        ):
            split_reviewed += 1
        wanted = [(home_of[i], home_of[j]) for i, j in pairs
                  if home_of[i] != home_of[j] and None not in (home_of[i], home_of[j])
                  and plausible(facts[i], facts[j])]
        if wanted:
            plausible_split += 1
            index = {h: k for k, h in enumerate(parts)}
            linked = _components(len(parts), [
                (index[a], index[b]) for a, b in (reviewed or set())
                if a in index and b in index
            ]) if reviewed is not None else list(range(len(parts)))
            if all(linked[index[a]] == linked[index[b]] for a, b in wanted if a in index
                   and b in index):
                plausible_covered += 1
    predicted = correct = wrong = 0
    for counts in by_person.values():
        predicted += _pairs(sum(counts.values()))
        correct += sum(_pairs(k) for k in counts.values())
        wrong += len(counts) > 1
    adversarial, adversarial_reviewed = _adversarial(ids, owner_of, reviewed)
    name_only, name_only_same = _name_only(ids)
    return Scores(
        precision=correct / predicted if predicted else 1.0,
        recall=correct / true_pairs if true_pairs else 1.0,
        split=split / several if several else 0.0,
        split_reviewed=split_reviewed / split if split else 1.0,
        wrong_merges=wrong,
        split_joinable=joinable_split / joinable_several if joinable_several else 0.0,
        plausible_reviewed=plausible_covered / plausible_split if plausible_split else 1.0,
        adversarial_reviewed=adversarial_reviewed / adversarial if adversarial else 1.0,
        adversarial=adversarial,
        name_only_pairs=name_only,
        name_only_same=name_only_same,
    )


def _adversarial(ids: list[Identity], owner_of: dict[str, list[int]],
                 reviewed: set[tuple[int, int]] | None) -> tuple[int, int]:
    """The adversarial pairs of different people and how many are on the review list (or
    wrongly merged, which precision counts): namesakes (unless both are known by a LinkedIn
    profile: two profiles are two people) and two people who are the only ones sharing a
    number (a household, a two-person office)."""
    if reviewed is None:
        return 0, 0

    def homes(p: Identity) -> set[int]:
        return {h for k in p.keys for h in owner_of.get(k, [])[:1]}

    by_name: dict[str, list[Identity]] = defaultdict(list)
    by_number: dict[str, set[int]] = defaultdict(set)
    for p in ids:
        by_name[_full(p.name)].append(p)
        for record in p.records:
            for k in record:
                if k.startswith("shared:+"):
                    by_number[k].add(p.n)
    pairs: set[tuple[int, int]] = set()
    for group in by_name.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                if not (any(k.startswith("url:") for k in a.keys)
                        and any(k.startswith("url:") for k in b.keys)):
                    pairs.add((a.n, b.n))
    for holders in by_number.values():
        if len(holders) == 2:
            a_n, b_n = sorted(holders)
            if _full(ids[a_n].name) != _full(ids[b_n].name):
                pairs.add((a_n, b_n))
    covered = total = 0
    for a_n, b_n in pairs:
        ha, hb = homes(ids[a_n]), homes(ids[b_n])
        if not ha or not hb:
            continue  # one of them is in no file: not a pair the import sees
        total += 1
        if ha & hb or any((min(x, y), max(x, y)) in reviewed for x in ha for y in hb):
            covered += 1
    return total, covered


def _name_only(ids: list[Identity]) -> tuple[int, float]:
    """Pairs of records that share an exact full name and nothing else the data could join
    them by, and the share of them that are one person: the precision a matcher merging on a
    name alone would have."""
    by_name: dict[str, list[tuple[int, Fact]]] = defaultdict(list)
    for p in ids:
        for f in p.facts:
            if len(_full(f.name).split()) >= 2:
                by_name[_full(f.name)].append((p.n, f))
    total = same = 0
    for group in by_name.values():
        for i, (a_n, a) in enumerate(group):
            for b_n, b in group[i + 1:]:
                if joined(a, b) or (a.org and b.org and _letters(a.org) != _letters(b.org)):
                    continue
                total += 1
                same += a_n == b_n
    return total, same / total if total else 1.0


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


#: What must not change when the same files are imported again (ids, keys, names, links).
DIGEST_QUERIES = (
    "SELECT id, display_name, name_key, organisation, title, linkedin_url FROM person",
    "SELECT person_id, email FROM person_email",
    "SELECT person_id, e164, kind FROM person_phone",
    "SELECT interaction_id, person_id FROM interaction_person",
    "SELECT id, source_key, at FROM interaction",
    "SELECT a_id, b_id, status FROM possible_duplicate",
)


def ledger_digest(db: Path) -> tuple[int, str]:
    """The ledger's people, their keys and interactions, as a count and a hash: equal digests
    mean a re-import added nothing and moved nothing."""
    import hashlib

    con = sqlite3.connect(db)
    h = hashlib.sha256()
    rows = 0
    for query in DIGEST_QUERIES:
        for row in sorted(con.execute(query), key=repr):
            h.update(repr(row).encode())
            rows += 1
    con.close()
    return rows, h.hexdigest()


def edit_like_a_user(net: object, merges: int = 10, splits: int = 3) -> int:
    """Merge the first review pairs and split a few people (an address, a phone, the
    LinkedIn profile), as a user would; the number of edits made."""
    from netfolio.network import Network

    assert isinstance(net, Network)
    edits = 0
    for _ in range(merges):
        open_pairs = net.duplicates()  # a merge closes the other pairs of the one merged away
        if not open_pairs:
            break
        net.resolve_duplicate(open_pairs[0].id, "merge")
        edits += 1
    chosen = [p for p in net.people() if len(p.emails) >= 2][:1]
    chosen += [p for p in net.people() if p.phones and p.linkedin_url][: splits - 1]
    for k, person in enumerate(chosen[:splits]):
        if k == 0:
            net.split(person.id, emails=person.emails[1:2])
        elif k == 1:
            net.split(person.id, linkedin=True)
        else:
            net.split(person.id, phones=person.phones[:1])
        edits += 1
    return edits


def measure(count: int, seed: int, examples: int = 0) -> dict[str, object]:
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
        if examples:
            print_split_examples(ids, owners, reviewed, db, examples)
        # The same files again, untouched: nothing may change.
        before = ledger_digest(db)
        again = net.import_file(files, me=[ME])
        plain_idempotent = ledger_digest(db) == before and again.new == again.updated == 0
        # Review pairs merged and people split the way a user would, then the same files
        # again: nothing may change; then everything undone: an empty ledger.
        edits = edit_like_a_user(net)
        before = ledger_digest(db)
        again = net.import_file(files, me=[ME])
        idempotent = (ledger_digest(db) == before and again.new == 0 and again.updated == 0
                      and again.interactions_added == 0)
        for _ in range(edits + 3):
            net.import_undo()
        undone = net.count() == 0 and ledger_digest(db)[0] == 0
        net.close()
    return {"count": count, "seconds": seconds, "ours": ours, "baseline": base,
            "summary": report.summary, "idempotent": idempotent and plain_idempotent,
            "undone": undone, "review": len(reviewed), "edits": edits}


def print_split_examples(ids: list[Identity], owners: dict[str, list[int]],
                         reviewed: set[tuple[int, int]], db: Path, limit: int) -> None:
    """The first split people whose records the data joins: each part as the ledger has it."""
    con = sqlite3.connect(db)
    shown = 0
    for p in ids:
        facts = [f for f in p.facts if f.keys]
        home_of = [next(iter(owners.get(f.keys[0], [])), None) for f in facts]
        bad = [(facts[i], facts[j]) for i in range(len(facts)) for j in range(i + 1, len(facts))
               if home_of[i] != home_of[j] and joined(facts[i], facts[j])]
        if not bad:
            continue
        print(f"== {p.name} ({p.org}): {bad[0][0].name!r} / {bad[0][1].name!r}")
        for home in dict.fromkeys(home_of):
            row = con.execute("SELECT display_name, organisation, linkedin_url, source FROM "
                              "person WHERE id = ?", (home,)).fetchone()
            emails = [e for (e,) in con.execute(
                "SELECT email FROM person_email WHERE person_id = ?", (home,))]
            print(f"   #{home} {row} {emails}")
        shown += 1
        if shown >= limit:
            break
    con.close()


def run(quick: bool = False, sizes: tuple[int, ...] | None = None,
        examples: int = 0) -> list[Result]:
    sizes = sizes or ((1_000,) if quick else (1_000, 10_000))
    results: list[Result] = []
    timings: dict[int, float] = {}
    for count in sizes:
        m = measure(count, seed=20_000 + count, examples=examples)
        ours, base = m["ours"], m["baseline"]
        assert isinstance(ours, Scores) and isinstance(base, Scores)
        seconds = float(m["seconds"])  # type: ignore[arg-type]
        timings[count] = seconds
        checks = (f"re-import idempotent (also after {m['edits']} merges and splits): "
                  f"{m['idempotent']}; undo exact: {m['undone']}")
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
            f"identity {count:,}: people split (records the data joins)", ours.split_joinable,
            "any shared key is one person", base.split_joinable, unit="", target="≤ 0.01",
            note=f"a name alone does not join: of {ours.name_only_pairs:,} record pairs with "
            f"only an exact name in common, {ours.name_only_same:.1%} are one person",
        ))
        results.append(Result(
            f"identity {count:,}: people split (any two records)", ours.split,
            "any shared key is one person", base.split, unit="", target="",
            note=f"{ours.split_reviewed:.0%} of split people have a review entry; {checks}",
        ))
        results.append(Result(
            f"identity {count:,}: plausible split pairs on the review list",
            ours.plausible_reviewed, "split people with any review entry",
            ours.split_reviewed, unit="", target="1.0",
            note=f"adversarial pairs reviewed: {ours.adversarial_reviewed:.1%} of "
            f"{ours.adversarial:,}; review list {m['review']:,} pairs",
        ))
        smallest = min(timings)
        results.append(Result(
            f"identity {count:,}: import all six files", seconds,
            f"the {smallest:,}-person import x {count / smallest:g}",
            timings[smallest] * count / smallest,
            target="100k ≤ 12x the 10k time" if count > 10_000 else "",
            note=(f"{seconds / timings[10_000]:.1f}x the 10,000-person time"
                  if count > 10_000 and 10_000 in timings else ""),
        ))
    return results


if __name__ == "__main__":
    chosen = tuple(int(a) for a in sys.argv[1:] if a.isdigit()) or None
    shown = next((int(a.split("=", 1)[1]) for a in sys.argv if a.startswith("--examples=")), 0)
    for result in run(quick="--quick" in sys.argv, sizes=chosen, examples=shown):
        print(result.row(), result.note)
