"""Ask mode's relevance: do the people ranked first really help with the need?

A generated network of people whose *roles* are known (a neurologist, an angel investor, a
property solicitor, a recruiter, ...), each written the way real people's records read:
varied titles ("Consultant Neurologist", "Neurology Registrar", "Attending Physician,
Neurology"), organisations, your notes and tags, with look-alikes that share words but not
skills (a "Lease Accounting Analyst", a "Seed Production Agronomist", a "Data Entry Clerk").
Needs are written like real ones ("my dad keeps getting migraines, who should he see?"); a
person is relevant to a need by their role (graded: 2 the right person, 1 a useful one), never
because the need's words were put in their text.

netfolio's ranking (``Network.ask``'s relevance: the need's words, the fields and roles it
points at) against a plain BM25 over the same index with the need's words (stop words
dropped), in the same run: precision at 5 and 10 and NDCG at 10, averaged over the reported
needs. The tuning needs (the issue's four examples, looked at while writing ``needs.toml``)
are reported apart and never mixed in.

``python -m benchmarks ask``
"""

from __future__ import annotations

import math
import random
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.common import Result


@dataclass(frozen=True)
class Role:
    key: str
    titles: tuple[str, ...]
    organisations: tuple[str, ...]
    notes: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


R = Role
ROLES: tuple[Role, ...] = (
    R("neurologist", ("Consultant Neurologist", "Neurology Registrar",
                      "Attending Physician, Neurology", "Stroke Physician",
                      "Epilepsy Specialist", "Neurologist"),
      ("St Mary's Hospital", "Royal Infirmary", "Brain & Spine Institute", "City General"),
      ("runs the headache clinic on Tuesdays", "moved here for the stroke unit",
       "trained in Edinburgh"), ("doctor",)),
    R("cardiologist", ("Consultant Cardiologist", "Interventional Cardiologist",
                       "Cardiology Fellow", "Heart Failure Specialist"),
      ("Heart Centre", "Royal Brompton", "City General", "St Thomas' Hospital"),
      ("does the echo lists", "ran the cardiac rehab programme"), ("doctor",)),
    R("gp", ("General Practitioner", "GP Partner", "Family Physician", "Family Doctor",
             "Salaried GP"),
      ("Riverside Surgery", "Parkview Medical Practice", "Health Centre", "Family Practice"),
      ("my old GP, lovely", "runs the practice's minor surgery"), ("doctor",)),
    R("dentist", ("Dentist", "Dental Surgeon", "Associate Dentist", "Orthodontist",
                  "Endodontist"),
      ("Smile Dental", "Bright Teeth Clinic", "Dental Care Practice"),
      ("fixed my crown in one visit",), ()),
    R("physio", ("Physiotherapist", "Sports Physiotherapist", "Senior Physio",
                 "Musculoskeletal Physiotherapist", "Physical Therapist"),
      ("Active Rehab", "Sports Injury Clinic", "Move Well Physio"),
      ("helped my knee after the marathon", "works with the rugby club"), ("physio",)),
    R("therapist", ("Psychotherapist", "Clinical Psychologist", "Counsellor", "CBT Therapist",
                    "Mental Health Practitioner"),
      ("Mind Matters", "Talking Therapies Service", "Wellbeing Clinic"),
      ("very calm presence",), ("mental health",)),
    R("founder", ("Co-founder & CEO", "Founder", "Founder and CTO", "CEO & Co-Founder",
                  "Co-Founder"),
      ("Stealthy Labs", "Quanta Robotics", "Brightpath", "Loop Health", "Fernweh Travel"),
      ("closed their pre-seed last spring", "backed by two angels and a fund",
       "went through Y Combinator"), ("founder", "startup")),
    R("angel", ("Angel Investor", "Business Angel", "Angel Investor & Advisor",
                "Investor and Board Advisor"),
      ("Self-employed", "Angel Syndicate", "Independent"),
      ("writes first cheques in climate startups", "ex-founder, sold her company in 2019"),
      ("investor",)),
    R("vc", ("Partner", "Principal", "General Partner", "Investment Associate",
             "Venture Partner"),
      ("Northwind Ventures", "Seedcamp Capital", "Atlas Venture Partners", "Blue Yard VC"),
      ("leads pre-seed and seed rounds", "on the board of three of our friends' companies"),
      ("investor",)),
    R("property_lawyer", ("Real Estate Solicitor", "Associate, Property Litigation",
                          "Partner – Commercial Property", "Property Lawyer",
                          "Senior Associate, Real Estate"),
      ("Harbottle & Lewis LLP", "Mishcon Legal", "Clarke Willmott", "Shoosmiths"),
      ("handled the shop's tenancy for my cousin",), ("lawyer",)),
    R("employment_lawyer", ("Employment Solicitor", "Employment Lawyer",
                            "Associate, Employment Law", "Partner, Employment & Pensions"),
      ("Lewis Silkin", "Employment Law Partners", "Doyle Clayton"),
      ("helped a friend with a tribunal",), ("lawyer",)),
    R("immigration_lawyer", ("Immigration Solicitor", "Immigration Attorney",
                             "Immigration Adviser", "Senior Immigration Paralegal"),
      ("Fragomen", "Global Mobility Law", "Kingsley Napley"),
      ("did our friends' spouse visas",), ("lawyer",)),
    R("accountant", ("Chartered Accountant", "Tax Manager", "CPA", "Senior Tax Adviser",
                     "Bookkeeper", "Finance Manager"),
      ("Grant Thornton", "Smith & Co Accountants", "Crowe", "Ledger & Partners"),
      ("does the books for half the freelancers I know",), ("accounts",)),
    R("recruiter", ("Technical Recruiter", "Talent Acquisition Partner", "Head of Talent",
                    "Recruitment Consultant", "Senior Sourcer"),
      ("Hays", "Talent Bridge", "Monzo", "Wise", "Hired Ltd"),
      ("placed three engineers at my last company",), ("recruiting",)),
    R("eng_manager", ("Engineering Manager", "Head of Engineering", "VP Engineering",
                      "Director of Engineering", "Engineering Lead"),
      ("Monzo", "Deliveroo", "Spotify", "Wise", "Ocado Technology"),
      ("grew his team from 4 to 40 in two years", "built the platform team"), ()),
    R("data_scientist", ("Data Scientist", "Machine Learning Engineer", "Head of Data",
                         "Analytics Lead", "Senior Data Engineer", "Applied Scientist"),
      ("Spotify", "Ocado Technology", "Faculty AI", "Tessian", "Monzo"),
      ("built their churn model", "runs the data platform"), ("data",)),
    R("software_engineer", ("Software Engineer", "Senior Backend Developer",
                            "Full Stack Developer", "iOS Developer", "Staff Engineer"),
      ("Deliveroo", "Monzo", "Thoughtworks", "Freelance", "Citymapper"),
      ("writes Rust on weekends",), ("tech",)),
    R("designer", ("Product Designer", "UX Designer", "Brand Designer", "Design Lead",
                   "UI/UX Designer"),
      ("Pentagram", "Studio Koto", "Freelance", "ustwo"),
      ("did the rebrand for a friend's bakery",), ("design",)),
    R("marketer", ("Growth Marketing Lead", "Brand Manager", "CMO", "Head of Marketing",
                   "Content Marketing Manager"),
      ("Gymshark", "Oatly", "Brandwatch", "Freelance"),
      ("grew a newsletter to 100k subscribers",), ("marketing",)),
    R("sales", ("Account Executive", "Enterprise Sales Director", "Head of Sales",
                "Business Development Manager", "Sales Engineer"),
      ("Salesforce", "HubSpot", "Datadog", "Snowflake"),
      ("closed the biggest deal of the year",), ("sales",)),
    R("estate_agent", ("Estate Agent", "Commercial Property Broker", "Lettings Manager",
                       "Realtor", "Property Consultant"),
      ("Foxtons", "Knight Frank", "Savills", "Hamptons"),
      ("found my sister her flat",), ("property",)),
    R("mortgage_broker", ("Mortgage Broker", "Mortgage Adviser", "Independent Mortgage Advisor",
                          "Home Finance Specialist"),
      ("London & Country", "Habito", "Trinity Financial"),
      ("got us a better rate when we remortgaged",), ("mortgages",)),
    R("teacher", ("Secondary School Teacher", "Head of Year 9", "Maths Teacher",
                  "Primary Teacher", "Deputy Headteacher"),
      ("Hampton Academy", "St Anne's School", "Oakwood Primary"),
      ("knows every school in the borough",), ("education",)),
    R("professor", ("Professor of Climate Science", "Associate Professor", "Lecturer in AI",
                    "Reader in Economics", "Postdoctoral Researcher"),
      ("University College London", "Imperial College", "University of Oxford"),
      ("supervises PhD students", "runs a lab on ocean models"), ("academia",)),
    R("editor", ("Commissioning Editor", "Literary Agent", "Senior Editor", "Publisher"),
      ("Penguin Random House", "Faber & Faber", "Curtis Brown"),
      ("champions debut novelists",), ("books",)),
    R("journalist", ("Technology Reporter", "Journalist", "News Editor", "Features Writer",
                     "Correspondent"),
      ("The Guardian", "BBC News", "Financial Times", "Wired"),
      ("covers startups and funding",), ("press",)),
    R("fundraiser", ("Fundraising Manager", "Grants Officer", "Head of Development",
                     "Trusts and Foundations Manager"),
      ("Oxfam", "Shelter", "Crisis", "Local Food Bank"),
      ("writes the best grant applications I have read",), ("charity",)),
    R("architect", ("Architect", "Project Architect", "Architectural Designer",
                    "Associate Director, Architecture"),
      ("Foster + Partners", "Studio Egret West", "Freelance"),
      ("did a lovely loft conversion nearby",), ("architecture",)),
    R("electrician", ("Electrician", "Electrical Contractor", "Approved Electrician"),
      ("Sparks Electrical", "Self-employed", "Bright Spark Ltd"),
      ("rewired my parents' house",), ("trades",)),
    R("pharmacist", ("Pharmacist", "Community Pharmacist", "Clinical Pharmacist",
                     "Pharmacy Manager"),
      ("Boots", "Lloyds Pharmacy", "City General"),
      ("always explains side effects clearly",), ()),
    R("nurse", ("Staff Nurse", "District Nurse", "Ward Sister", "Nurse Practitioner",
                "Community Nurse"),
      ("City General", "NHS Community Services", "Royal Infirmary"),
      ("looked after my grandmother at home",), ()),
    R("chef", ("Head Chef", "Sous Chef", "Chef Patron", "Pastry Chef"),
      ("The Ledbury", "Dishoom", "Padella", "Own restaurant"),
      ("opened her own place last year",), ("food",)),
    R("store_manager", ("Store Manager", "Retail Manager", "Assistant Store Manager",
                        "Area Manager"),
      ("Tesco", "John Lewis", "Waitrose", "Uniqlo"), ("runs the busiest branch",), ()),
    # look-alikes: they share words with needs, not the skills
    R("lease_accountant", ("Lease Accounting Analyst", "Lease Administrator",
                           "Fleet Lease Coordinator"),
      ("Arval", "LeasePlan", "Hertz"), (), ()),
    R("agronomist", ("Seed Production Agronomist", "Plant Breeder", "Farm Manager"),
      ("Greenfield Seeds", "Limagrain", "Home Farm"), ("grows seed potatoes",), ("farming",)),
    R("data_clerk", ("Data Entry Clerk", "Data Administrator", "Records Officer"),
      ("Council Offices", "Capita", "NHS Trust"), (), ()),
    R("events", ("Events Manager", "Venue Coordinator", "Conference Producer"),
      ("Round Table Events", "ExCeL London", "Eventbrite"), ("planned our launch party",), ()),
    R("civil_servant", ("Planning Officer", "Policy Adviser", "Building Control Surveyor"),
      ("Camden Council", "Department for Education", "Local Council"),
      ("knows the planning rules inside out",), ()),
)

# need -> {role: grade}
TUNING: tuple[tuple[str, dict[str, int]], ...] = (
    ("advice on hiring a data team", {"data_scientist": 2, "eng_manager": 2, "recruiter": 1}),
    ("a referral to a neurologist", {"neurologist": 2, "gp": 1}),
    ("someone who has raised a seed round", {"founder": 2, "angel": 2, "vc": 2}),
    ("help reading a commercial lease", {"property_lawyer": 2, "estate_agent": 1}),
    ("a specialist for my son's seizures", {"neurologist": 2, "gp": 1}),
    ("palpitations at night", {"cardiologist": 2, "gp": 1}),
    ("a filling fell out", {"dentist": 2}),
    ("shoulder pain from tennis", {"physio": 2, "gp": 1}),
    ("struggling with burnout", {"therapist": 2, "gp": 1}),
    ("raising our series A", {"vc": 2, "angel": 1, "founder": 1}),
    ("a contract dispute with our landlord", {"property_lawyer": 2}),
    ("my employer cut my pay without notice", {"employment_lawyer": 2}),
    ("a green card application", {"immigration_lawyer": 2}),
    ("my self-assessment tax return", {"accountant": 2}),
    ("hiring our first recruiter", {"recruiter": 2, "eng_manager": 1}),
    ("forecasting demand with data", {"data_scientist": 2}),
    ("a bug in our backend", {"software_engineer": 2}),
    ("improving our website's user experience", {"designer": 2}),
    ("selling our house", {"estate_agent": 2}),
    ("a tutor for GCSE maths", {"teacher": 2}),
    ("finding a literary agent", {"editor": 2}),
    ("fundraising from foundations for our nonprofit", {"fundraiser": 2}),
    ("a new fuse box", {"electrician": 2}),
    ("designing a house extension", {"architect": 2}),
)
REPORTED: tuple[tuple[str, dict[str, int]], ...] = (
    ("my dad keeps getting migraines, who should he see?", {"neurologist": 2, "gp": 1}),
    ("a second opinion on a heart condition", {"cardiologist": 2, "gp": 1}),
    ("finding a good family doctor after moving", {"gp": 2}),
    ("a toothache that won't go away", {"dentist": 2}),
    ("rehab advice after a knee injury", {"physio": 2, "gp": 1}),
    ("someone to talk to about anxiety", {"therapist": 2, "gp": 1}),
    ("pitching to angel investors next month", {"angel": 2, "vc": 2, "founder": 1}),
    ("how to read a term sheet", {"vc": 2, "angel": 2, "founder": 1}),
    ("an intro to a venture capital fund", {"vc": 2, "angel": 1}),
    ("starting a company: what should I know?", {"founder": 2, "angel": 1, "vc": 1}),
    ("my landlord won't return the deposit", {"property_lawyer": 2, "estate_agent": 1}),
    ("unfair dismissal at work", {"employment_lawyer": 2}),
    ("a work visa for my partner", {"immigration_lawyer": 2}),
    ("filing taxes as a freelancer", {"accountant": 2}),
    ("VAT registration for my shop", {"accountant": 2}),
    ("finding senior engineers to hire", {"recruiter": 2, "eng_manager": 2}),
    ("setting up an engineering interview process", {"eng_manager": 2, "recruiter": 2}),
    ("building a machine learning model for churn", {"data_scientist": 2}),
    ("dashboards for our sales numbers", {"data_scientist": 2}),
    ("rebuilding our website", {"software_engineer": 2, "designer": 1}),
    ("our mobile app keeps crashing", {"software_engineer": 2}),
    ("redesigning our app's onboarding", {"designer": 2}),
    ("a new logo and brand identity", {"designer": 2, "marketer": 1}),
    ("go-to-market help for a product launch", {"marketer": 2, "sales": 1}),
    ("growing our newsletter audience", {"marketer": 2, "journalist": 1, "editor": 1}),
    ("selling to large enterprises", {"sales": 2}),
    ("negotiating a big customer contract", {"sales": 2, "property_lawyer": 1}),
    ("buying our first flat", {"estate_agent": 2, "mortgage_broker": 2}),
    ("refinancing our mortgage", {"mortgage_broker": 2}),
    ("renting office space for the team", {"estate_agent": 2, "property_lawyer": 1}),
    ("choosing a secondary school for my daughter", {"teacher": 2}),
    ("applying for a PhD", {"professor": 2}),
    ("getting my novel published", {"editor": 2}),
    ("pitching a story to a newspaper", {"journalist": 2, "editor": 1}),
    ("writing a grant application for our charity", {"fundraiser": 2}),
    ("redesigning our kitchen and adding a loft", {"architect": 2}),
    ("planning permission for an extension", {"architect": 2, "civil_servant": 1}),
    ("rewiring an old house", {"electrician": 2}),
    ("questions about my medication", {"pharmacist": 2, "gp": 1}),
    ("caring for my mother at home after surgery", {"nurse": 2, "gp": 1}),
    ("opening a restaurant", {"chef": 2}),
    ("running a retail shop better", {"store_manager": 2}),
    ("a blood pressure check", {"gp": 2, "cardiologist": 1, "nurse": 1, "pharmacist": 1}),
    ("chest pains when running", {"cardiologist": 2, "gp": 2}),
    ("back pain from sitting all day", {"physio": 2, "gp": 1}),
    ("equity for our first employees", {"founder": 2, "vc": 1, "accountant": 1,
                                        "employment_lawyer": 1}),
    ("setting up payroll for five people", {"accountant": 2}),
    ("recruiting a product designer", {"recruiter": 2, "designer": 1}),
    ("our data pipeline keeps breaking", {"data_scientist": 2, "software_engineer": 1}),
    ("moving to Canada for work", {"immigration_lawyer": 2, "recruiter": 1}),
    ("press coverage for our launch", {"journalist": 2, "marketer": 1}),
    ("teaching kids to code", {"teacher": 2, "software_engineer": 1}),
    ("a research collaboration on climate models", {"professor": 2, "data_scientist": 1}),
)

FIRST = ("Ana", "Ben", "Chloe", "Dev", "Emma", "Femi", "Grace", "Hiro", "Ines", "Jonas",
         "Kemi", "Liam", "Maya", "Noor", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tariq")
LAST = ("Okafor", "Silva", "Novak", "Chen", "Kowalski", "Haddad", "Moreau", "Berg", "Rossi",
        "Patel", "Müller", "Núñez", "Smith", "Tanaka", "Dubois", "Costa")
PER_ROLE = 30


def build(path: Path, seed: int = 7) -> dict[int, str]:
    """Write the network; return each person's role."""
    from netfolio.network import Network

    rng = random.Random(seed)
    roles: dict[int, str] = {}
    with Network(str(path)) as net:
        for role in ROLES:
            for _ in range(PER_ROLE):
                notes = rng.choice(role.notes) if role.notes and rng.random() < 0.5 else None
                info = net.add(f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                               organisation=rng.choice(role.organisations),
                               title=rng.choice(role.titles), notes=notes)
                if role.tags and rng.random() < 0.4:
                    net.tag(info.id, [rng.choice(role.tags)])
                roles[info.id] = role.key
    return roles


def _metrics(ranked: Sequence[int], grades: dict[int, int]) -> tuple[float, float, float]:
    p5 = sum(1 for i in ranked[:5] if grades.get(i, 0) > 0) / 5
    p10 = sum(1 for i in ranked[:10] if grades.get(i, 0) > 0) / 10
    dcg = sum((2 ** grades.get(i, 0) - 1) / math.log2(k + 2) for k, i in enumerate(ranked[:10]))
    ideal = sorted(grades.values(), reverse=True)[:10]
    idcg = sum((2 ** g - 1) / math.log2(k + 2) for k, g in enumerate(ideal))
    return p5, p10, dcg / idcg if idcg else 0.0


def _evaluate(net: Any, roles: dict[int, str], needs: Sequence[tuple[str, dict[str, int]]],
              ) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
    import numpy as np

    from netfolio.core import search
    from netfolio.practice.need import content_words

    snap = net.snapshot()
    names = {f.slug: f.name for f in net.fields()}
    ours, base = [], []
    for text, wanted in needs:
        grades = {pid: wanted.get(role, 0) for pid, role in roles.items()}
        relevance = net._relevance(snap, text, names)
        score = relevance.score
        order = np.lexsort((snap.person_id, -score))
        ranked = [int(snap.person_id[r]) for r in order if score[r] > 0][:10]
        ours.append(_metrics(ranked, grades))
        phrases = [search.Phrase((w,)) for w in content_words(text)]
        with net.session() as s:
            plain = search.rank(db_session=s, phrases=phrases,
                                weights=dict.fromkeys(search.COLUMNS, 1.0), limit=10)
        base.append(_metrics([pid for pid, _ in plain], grades))

    def mean(rows: list[tuple[float, float, float]]) -> tuple[float, float, float]:
        a = np.array(rows)
        return float(a[:, 0].mean()), float(a[:, 1].mean()), float(a[:, 2].mean())

    return mean(ours), mean(base)


def explain(label: str = "tuning") -> None:
    """Print each tuning need's P@10 and top ten roles (to tune with; never the reported)."""
    import numpy as np

    from netfolio.network import Network

    needs = TUNING if label == "tuning" else ()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ask.db"
        roles = build(path)
        with Network(str(path)) as net:
            snap = net.snapshot()
            names = {f.slug: f.name for f in net.fields()}
            for text, wanted in needs:
                score = net._relevance(snap, text, names).score
                order = np.lexsort((snap.person_id, -score))
                top = [roles[int(snap.person_id[r])] for r in order[:10] if score[r] > 0]
                hits = sum(1 for r in top if r in wanted)
                print(f"{hits}/10 {text!r}: {top}")


def _speed(sizes: Sequence[int]) -> list[Result]:
    """Ask on a demo ledger as the web app and the API answer it (the snapshot, the
    portfolio and the ledger facts cached, warm), against the same ask loading them (what
    /ask did per request)."""
    from benchmarks.common import median_time
    from benchmarks.ledgers import demo_ledger
    from netfolio.measures import portfolio
    from netfolio.network import Network

    out = []
    need = "advice on hiring a data team"
    for size in sizes:
        with Network(str(demo_ledger(size))) as net:
            net.ask(need)  # upgrades an older ledger, warms the file cache
            snap = net.snapshot()
            folio = portfolio(snap, net.day(None), net.params())
            facts = net.practice_facts()
            warm = median_time(
                lambda n=net, sn=snap, f=folio, fa=facts: n.ask(need, snapshot=sn, measured=f,
                                                                facts=fa), 5)
            cold = median_time(lambda n=net: n.ask(need), 3)
        out.append(Result(f"ask, web and API (cached snapshot and measures), {size:,} people",
                          warm, "the same ask loading them (the old /ask)", cold,
                          target="≤ 0.1 s warm"))
    return out


def run(*, quick: bool = False) -> list[Result]:
    from netfolio.network import Network

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ask.db"
        roles = build(path)
        with Network(str(path)) as net:
            out = []
            for label, needs in (("reported", REPORTED), ("tuning", TUNING)):
                (p5, p10, ndcg), (b5, b10, bn) = _evaluate(net, roles, needs)
                n = len(needs)
                for metric, ours, base, target in (
                    ("P@5", p5, b5, ""), ("P@10", p10, b10, "≥ 0.8 and ≥ baseline + 0.1"),
                    ("NDCG@10", ndcg, bn, ""),
                ):
                    out.append(Result(
                        f"ask relevance {metric}, {n} {label} needs, {len(roles)} people",
                        ours, "plain BM25", base, unit="", target=target if label ==
                        "reported" else "(tuning set)",
                        note=f"(difference {ours - base:+.3f})"))
    return out + _speed([10_000] if quick else [10_000, 100_000])


if __name__ == "__main__":
    explain()
