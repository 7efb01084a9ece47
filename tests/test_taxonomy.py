"""The shipped field taxonomy and field inference from title and organisation.

What we measured (top-1 accuracy of ``infer_fields`` on the labelled cases below, all 40 fields):

- CORPUS (158 cases, written alongside the taxonomy): 157 right before the organisation-phrase
  cap was added, all right after; it is not an independent measure.
- CORPUS_LATER (70 messier cases, written after the taxonomy): 61 right (0.871) before tuning.
- CORPUS_HELD_OUT (56 cases written after all tuning, never tuned against): 53 right (0.946).
- All 284 together: 0.989 (3 misses, all in the held-out set).

``pytest tests/test_taxonomy.py -q -rP`` prints the figure and the misses.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netfolio.core.taxonomy import (
    LINKEDIN_ROOTS,
    Field,
    Inference,
    field_by_slug,
    infer_fields,
    resolve_field,
    taxonomy,
    taxonomy_version,
    words_of,
)
from netfolio.errors import ValidationError

SLUGS = {f.slug for f in taxonomy()}

# (title, organisation, expected slug): realistic, anonymised titles and organisations as they
# appear on LinkedIn profiles, at least one per field, with the tricky ones the rules must handle.
CORPUS: list[tuple[str, str | None, str]] = [
    # software
    ("Senior Software Engineer", "Brightline Payments", "software"),
    ("CTO", "Quillstack", "software"),
    ("Site Reliability Engineer", "Northwind Cloud", "software"),
    ("IT Support Technician", "Harbour Valley Council", "software"),
    ("Frontend Developer (React)", "Pixelgrove Digital", "software"),
    # data_ai
    ("Data Scientist", "Meridian Bank", "data_ai"),
    ("Machine Learning Engineer", "Corvid AI", "data_ai"),
    ("Head of Data & Analytics", "Fernway Retail Group", "data_ai"),
    # hardware_electronics
    ("Firmware Engineer", "Lumen Devices", "hardware_electronics"),
    ("ASIC Design Verification Engineer", "Tessera Semiconductor", "hardware_electronics"),
    ("Engineer", "Halcyon Microelectronics", "hardware_electronics"),
    # design
    ("Senior Product Designer", "Loop Health", "design"),
    ("Art Director", "Copper & Ink", "design"),
    ("UX/UI Designer", "Freelance", "design"),
    # product
    ("Product Manager", "Tidewater Software", "product"),
    ("Senior Product Owner", "Cobalt Insurance", "product"),
    ("Head of Product", "Sprout", "product"),
    # marketing
    ("Marketing Manager", "Kestrel Foods", "marketing"),
    ("Head of Communications", "Arden Housing Trust", "marketing"),
    ("SEO & Content Marketing Lead", "Mapleleaf Digital", "marketing"),
    ("PR Account Executive", "Bright Spark PR Agency", "marketing"),
    # sales
    ("Account Executive", "Cloudberry Software", "sales"),
    ("Business Development Manager", "Granite Logistics", "sales"),
    ("Customer Success Manager", "Ledgerly", "sales"),
    # finance
    ("Partner", "Northwind Ventures", "finance"),
    ("Associate", "Highgate Capital Partners", "finance"),
    ("CFO", "Rivermill Brewing Co.", "finance"),
    ("Portfolio Manager", "Stonebridge Asset Management", "finance"),
    ("Financial Analyst", "Orion Manufacturing", "finance"),
    # banking
    ("Senior Associate", "First Meridian Bank", "banking"),
    ("Investment Banking Analyst", "Calder & Finch", "banking"),
    ("Personal Banker", "Lakeshore Credit Union", "banking"),
    ("Vice President", "Banco Atlántico", "banking"),
    # insurance
    ("Underwriter", "Harbour Mutual", "insurance"),
    ("Claims Handler", "Direct Shield Insurance", "insurance"),
    ("Actuarial Analyst", "Pinecrest Life & Pensions", "insurance"),
    # accounting
    ("Audit Senior", "Marsh Wilder Chartered Accountants", "accounting"),
    ("Tax Manager", "KPMG", "accounting"),
    ("Bookkeeper", "Self-employed", "accounting"),
    ("Financial Controller", "Oakridge Hotels", "accounting"),
    # consulting
    ("Management Consultant", "Alder & Grey", "consulting"),
    ("Consultant", "Brightpath Consulting", "consulting"),
    ("Engagement Manager", "McKinsey & Company", "consulting"),
    # law
    ("Partner", "Hale, Morrow & Finch LLP", "law"),
    ("Senior Associate", "Carrow Law", "law"),
    ("General Counsel", "Vantage Robotics", "law"),
    ("Paralegal", "Ward & Sons Solicitors", "law"),
    ("Trainee Solicitor", "Penrose Legal", "law"),
    # medicine
    ("Consultant", "Royal Eastbank Hospital", "medicine"),
    ("Consultant Cardiologist", "NHS Greater Westshire Trust", "medicine"),
    ("Engineer", "St. Catherine's Hospital", "medicine"),
    ("Resident Physician", "Lakeside Medical Center", "medicine"),
    ("Dentist", "Smile Street Dental", "medicine"),
    ("GP Partner", "Oak Lane Surgery", "medicine"),
    # nursing_allied_health
    ("Registered Nurse", "St. Mary's Hospital", "nursing_allied_health"),
    ("Physiotherapist", "Active Recovery Clinic", "nursing_allied_health"),
    ("Clinical Pharmacist", "Northfield NHS Foundation Trust", "nursing_allied_health"),
    ("Paramedic", "Eastern Ambulance Service", "nursing_allied_health"),
    ("Midwife", "City Maternity Unit", "nursing_allied_health"),
    # public_health
    ("Epidemiologist", "County Health Department", "public_health"),
    ("Social Worker", "Westbrook Children's Services", "public_health"),
    ("Global Health Programme Lead", "Tropical Health Partners", "public_health"),
    # biotech_pharma
    ("Clinical Research Associate", "Vireo Pharma", "biotech_pharma"),
    ("Scientist II", "Helix Therapeutics", "biotech_pharma"),
    ("Medicinal Chemist", "Arbor Biosciences", "biotech_pharma"),
    ("Regulatory Affairs Manager", "Novamed Medical Devices", "biotech_pharma"),
    # academia
    ("Associate Professor", "University of Northbridge", "academia"),
    ("Postdoctoral Researcher", "Institute for Marine Biology", "academia"),
    ("PhD Candidate", "Technische Universität Kernstadt", "academia"),
    ("Lecturer in Sociology", "Eastfield University", "academia"),
    ("Research Assistant", "Kingsgate College London", "academia"),
    # teaching
    ("Year 4 Teacher", "Meadowbank Primary School", "teaching"),
    ("Head of Maths", "Riverside Academy", "teaching"),
    ("High School Science Teacher", "Lincoln Unified School District", "teaching"),
    ("Teaching Assistant", "St. Anne's C of E Primary School", "teaching"),
    # arts_music
    ("Violinist", "City Philharmonic Orchestra", "arts_music"),
    ("Freelance Photographer", None, "arts_music"),
    ("Curator", "Harbour Museum of Modern Art", "arts_music"),
    ("Singer-Songwriter", "Independent", "arts_music"),
    ("Actor", "Spotlight", "arts_music"),
    # film_media
    ("Director of Photography", "Blue Fern Pictures", "film_media"),
    ("Reporter", "The Evening Gazette", "film_media"),
    ("Producer", "Northlight Productions", "film_media"),
    ("Video Editor", "Freelance", "film_media"),
    ("Editor", "The Daily Courier", "film_media"),
    # writing_publishing
    ("Author", "Self-employed", "writing_publishing"),
    ("Commissioning Editor", "Harrow & Lane Publishers", "writing_publishing"),
    ("Technical Writer", "Skyforge Software", "writing_publishing"),
    ("Librarian", "Eastfield Public Library", "writing_publishing"),
    ("Editor", "Marlowe Books", "writing_publishing"),
    # architecture
    ("Architect", "Foster Lane Architects", "architecture"),
    ("Landscape Architect", "Greenline Studio", "architecture"),
    ("Urban Planner", "Metro Planning Partnership", "architecture"),
    # engineering
    ("Civil Engineer", "Granite Infrastructure", "engineering"),
    ("Engineer", "Harbourline Bridge & Tunnel Co.", "engineering"),
    ("Structural Engineer", "Arup", "engineering"),
    ("Mechanical Design Engineer", "Talon Aerospace", "engineering"),
    # trades
    ("Master Electrician", "Spark Bros Electrical", "trades"),
    ("Plumber", "Self-employed", "trades"),
    ("Carpenter", "Hartwood Joinery", "trades"),
    ("Site Manager", "Barratt & Cole Construction", "trades"),
    # manufacturing
    ("Plant Manager", "Ridgeway Plastics", "manufacturing"),
    ("CNC Machinist", "Precision Parts Ltd", "manufacturing"),
    ("Process Engineer", "Alpine Foods Manufacturing", "manufacturing"),
    ("Quality Inspector", "Midland Steel Works", "manufacturing"),
    # energy_climate
    ("Sustainability Manager", "Greystone Retail", "energy_climate"),
    ("Wind Turbine Technician", "Northsea Renewables", "energy_climate"),
    ("Petroleum Engineer", "Redrock Oil & Gas", "energy_climate"),
    ("Analyst", "Solar Horizons Energy", "energy_climate"),
    # agriculture_food
    ("Farm Manager", "Hillside Dairy Farm", "agriculture_food"),
    ("Agronomist", "GreenAcre Agri", "agriculture_food"),
    ("Winemaker", "Stonewall Vineyards", "agriculture_food"),
    # hospitality
    ("Head Chef", "The Olive Tree Restaurant", "hospitality"),
    ("Front Desk Manager", "Harbourview Hotel", "hospitality"),
    ("Barista", "Bean There Coffee", "hospitality"),
    ("Event Planner", "Golden Hour Events", "hospitality"),
    # retail
    ("Store Manager", "Fernway Supermarkets", "retail"),
    ("Sales Associate", "Urban Threads Clothing", "retail"),
    ("Buyer", "Hollis & Grant Department Store", "retail"),
    # logistics_transport
    ("Warehouse Manager", "Swift Logistics", "logistics_transport"),
    ("HGV Driver", "Northern Haulage", "logistics_transport"),
    ("First Officer", "Atlantic Airways", "logistics_transport"),
    ("Supply Chain Analyst", "Corvale Foods", "logistics_transport"),
    # real_estate
    ("Realtor", "Keystone Realty", "real_estate"),
    ("Property Manager", "Highrise Residential", "real_estate"),
    ("Estate Agent", "Thompson & Bell Estate Agents", "real_estate"),
    # government
    ("Police Officer", "Metropolitan Police Service", "government"),
    ("Senior Civil Servant", "Department for Transport", "government"),
    ("Firefighter", "Westshire Fire and Rescue Service", "government"),
    ("Planning Manager", "City of Springfield", "government"),
    # policy_politics
    ("Policy Advisor", "Centre for Economic Renewal", "policy_politics"),
    ("Legislative Assistant", "U.S. House of Representatives", "policy_politics"),
    ("Public Affairs Manager", "Brightwater Energy", "policy_politics"),
    ("Member of Parliament", "House of Commons", "policy_politics"),
    # military_defence
    ("Captain", "British Army", "military_defence"),
    ("Staff Sergeant", "U.S. Marine Corps", "military_defence"),
    ("Intelligence Analyst", "Ministry of Defence", "military_defence"),
    ("Lieutenant Commander", "Royal Navy", "military_defence"),
    # nonprofit
    ("Fundraising Manager", "Hope for Children Foundation", "nonprofit"),
    ("Programme Officer", "Clearwater Charitable Trust", "nonprofit"),
    ("Executive Director", "Riverside Food Bank", "nonprofit"),
    ("Volunteer Coordinator", "Red Cross", "nonprofit"),
    # hr_recruiting
    ("Technical Recruiter", "Hireloop", "hr_recruiting"),
    ("HR Business Partner", "Calloway Foods", "hr_recruiting"),
    ("Talent Acquisition Lead", "Brightline Payments", "hr_recruiting"),
    ("Senior Consultant", "Apex Recruitment", "hr_recruiting"),
    # sports_fitness
    ("Head Coach", "Riverside FC", "sports_fitness"),
    ("Personal Trainer", "PureGym", "sports_fitness"),
    ("Professional Footballer", "Northbridge Athletic", "sports_fitness"),
    ("Yoga Teacher", "Self-employed", "sports_fitness"),
    # religion_community
    ("Senior Pastor", "Grace Community Church", "religion_community"),
    ("Rabbi", "Beth Shalom Synagogue", "religion_community"),
    ("Youth Worker", "St. Luke's Parish", "religion_community"),
    ("Minister", "Wesley Methodist Church", "religion_community"),
    # entrepreneurship
    ("Founder", "Stealth Startup", "entrepreneurship"),
    ("Co-Founder & CEO", "Loomly", "entrepreneurship"),
    ("Entrepreneur in Residence", "Forge Accelerator", "entrepreneurship"),
    ("Owner", "Self-employed", "entrepreneurship"),
]

# Written after the taxonomy, messier, and measured before any tuning: 61 of 70 right (0.871).
# The taxonomy was then improved for general causes of the misses (e.g. 'swe', 'solutions
# engineer', a few large law firms and banks, ties going to the role named first).
CORPUS_LATER: list[tuple[str, str | None, str]] = [
    ('Helping founders tell their story | Brand Strategist', 'Self-employed', 'marketing'),
    ('Sr. SWE @ Fintech startup', None, 'software'),
    ('Staff Nurse - ICU', 'Northgate General', 'nursing_allied_health'),
    ('Ops Manager', 'DHL Supply Chain', 'logistics_transport'),
    ('Lead Software Engineer – Payments', 'Monzo Bank', 'software'),
    ('Sous Chef', 'Dishoom', 'hospitality'),
    ('Senior Solicitor – Family Law', 'Harper & Co', 'law'),
    ('Assistant Headteacher', 'Oakfield Academy Trust', 'teaching'),
    ('Postgraduate Researcher', 'University of Bristol', 'academia'),
    ('Physio', 'Peak Performance Physiotherapy', 'nursing_allied_health'),
    ('Retired', 'Royal Air Force', 'military_defence'),
    ('Veteran | Transitioning to Project Management', None, 'military_defence'),
    ('Barrister', '3 Temple Gardens', 'law'),
    ('Principal', 'Hollow Creek Elementary School', 'teaching'),
    ('Principal', 'Greyhawk Capital', 'finance'),
    ('Principal Engineer', 'Mott Lane Consulting Engineers', 'engineering'),
    ('Graduate Engineer', 'Balfour Construction', 'engineering'),
    ('Research Scientist', 'DeepMind', 'data_ai'),
    ('Software Engineer II', 'Epic Systems', 'software'),
    ('Nurse Practitioner', 'Family Health Clinic', 'nursing_allied_health'),
    ('Program Manager', 'Gates Foundation', 'nonprofit'),
    ('Operations Director', 'Oxfam', 'nonprofit'),
    ('Head of Growth', 'Fintrack', 'marketing'),
    ('Independent Consultant', None, 'consulting'),
    ('Lead UX Researcher', 'Spotify', 'design'),
    ('Clinical Lead', 'Mindwell Therapy', 'nursing_allied_health'),
    ('Machine Operator', 'Kellerman Packaging', 'manufacturing'),
    ('Delivery Driver', 'Amazon', 'logistics_transport'),
    ('Shift Manager', "McDonald's", 'hospitality'),
    ('Cashier', 'Tesco', 'retail'),
    ('Electrical Apprentice', 'Brightwire Electrical', 'trades'),
    ('Teacher of English', 'Kingsmead School', 'teaching'),
    ('Associate', 'Clifford Chance', 'law'),
    ('Analyst', 'Goldman Sachs', 'banking'),
    ('Journalist', 'Freelance', 'film_media'),
    ('Curate', "St John's Church", 'religion_community'),
    ('Campaigns Officer', 'Greenpeace', 'nonprofit'),
    ('Country Director', 'Save the Children', 'nonprofit'),
    ('Head of People', 'Deliveroo', 'hr_recruiting'),
    ('Talent Partner', 'Monzo', 'hr_recruiting'),
    ('Product Marketing Manager', 'Canva', 'marketing'),
    ('Solicitor', 'Crown Prosecution Service', 'law'),
    ('Councillor', 'Leeds City Council', 'policy_politics'),
    ('Pharmacist', 'Boots', 'nursing_allied_health'),
    ('Vet', 'Companion Care Vets', 'medicine'),
    ('Store Assistant', 'Lidl', 'retail'),
    ('Research Associate', 'Francis Crick Institute', 'academia'),
    ('Data Engineer', 'Shell', 'data_ai'),
    ('Geologist', 'Rio Tinto', 'energy_climate'),
    ('Site Engineer', 'Kier Group', 'engineering'),
    ('Quantity Surveyor', 'Mace', 'trades'),
    ('Trustee', 'Local Food Bank', 'nonprofit'),
    ('Army Reservist', 'British Army Reserve', 'military_defence'),
    ('Flight Attendant', 'Emirates', 'logistics_transport'),
    ('Sommelier', 'The Ledbury', 'hospitality'),
    ('Choreographer', 'Freelance', 'arts_music'),
    ('Paralegal', 'Allen & Overy', 'law'),
    ('Investment Associate', 'Seedcamp', 'finance'),
    ('Managing Director', 'Lazard', 'banking'),
    ('Software Engineering Intern', 'Stripe', 'software'),
    ('Registered Manager', 'Sunrise Care Home', 'nursing_allied_health'),
    ('Chaplain', 'Royal Infirmary', 'religion_community'),
    ('Ward Clerk', 'NHS', 'medicine'),
    ('Audit Manager', 'Mazars', 'accounting'),
    ('Senior Manager, Tax & Advisory', 'Haines Watts', 'accounting'),
    ('Bid Writer', 'Kier Group', 'writing_publishing'),
    ('Solutions Engineer', 'Datadog', 'sales'),
    ('Director of Finance & Operations', 'Riverside Hospice', 'finance'),
    ('MSc Student', 'Imperial College London', 'academia'),
    ('Store Manager', 'Waterstones', 'retail'),
]

# Held out: written after all tuning and never tuned against: 53 of 56 right (0.946).
CORPUS_HELD_OUT: list[tuple[str, str | None, str]] = [
    ('Senior Backend Engineer (Go, Kubernetes)', 'Parcelwise', 'software'),
    ('Quant Researcher', 'Two Rivers Trading', 'finance'),
    ('Director, Credit Risk', 'Northern Rock Building Society', 'banking'),
    ('Claims Team Leader', 'Aviva', 'insurance'),
    ('Associate, Corporate', 'Hartley Pemberton Solicitors', 'law'),
    ('Specialty Registrar in Anaesthetics', 'Leeds Teaching Hospitals NHS Trust', 'medicine'),
    ('Band 6 Staff Nurse', 'Royal Free London NHS Foundation Trust', 'nursing_allied_health'),
    ('Occupational Therapist', 'Bridgeview Council', 'nursing_allied_health'),
    ('Health Improvement Practitioner', 'City Council Public Health Team', 'public_health'),
    ('Senior Scientist, Protein Engineering', 'Amberlyn Bio', 'biotech_pharma'),
    ('Reader in Physics', 'University of Glasgow', 'academia'),
    ('Maths Teacher & Head of Year 9', 'Hillcrest High School', 'teaching'),
    ('Freelance Cellist', None, 'arts_music'),
    ('Broadcast Journalist', 'BBC News', 'film_media'),
    ('Senior Copy Editor', 'Oxford University Press', 'writing_publishing'),
    ('Associate Director', 'Hawkins\\Brown Architects', 'architecture'),
    ('Senior Structural Engineer', 'Price & Myers', 'engineering'),
    ('Self-employed Plasterer', None, 'trades'),
    ('Production Supervisor', 'Kingfisher Bottling Plant', 'manufacturing'),
    ('Offshore Wind Project Manager', 'Ørsted', 'energy_climate'),
    ('Dairy Farmer', 'Self-employed', 'agriculture_food'),
    ('General Manager', 'The Grand Harbour Hotel', 'hospitality'),
    ('Visual Merchandiser', 'Selfridges', 'retail'),
    ('Fleet Manager', 'Greenline Buses', 'logistics_transport'),
    ('Lettings Negotiator', 'Foxtons', 'real_estate'),
    ('Higher Executive Officer', 'HM Revenue & Customs', 'government'),
    ('Parliamentary Researcher', 'Office of Jane Doe MP', 'policy_politics'),
    ('Lance Corporal', 'Royal Logistic Corps', 'military_defence'),
    ('Community Fundraiser', 'Macmillan Cancer Support', 'nonprofit'),
    ('People Partner', 'Octopus Energy', 'hr_recruiting'),
    ('Strength & Conditioning Coach', 'Leicester Tigers', 'sports_fitness'),
    ('Parish Priest', "St Joseph's Catholic Church", 'religion_community'),
    ('Founder', 'Ember & Oak Candles', 'entrepreneurship'),
    ('Head of Partnerships', 'Bloom & Wild', 'sales'),
    ('Staff Product Designer', 'Monzo', 'design'),
    ('Group Product Manager', 'Skyscanner', 'product'),
    ('Senior Data Analyst', 'NHS England', 'data_ai'),
    ('Hardware Engineer', 'Raspberry Pi', 'hardware_electronics'),
    ('Consultant Psychiatrist', 'Oxleas NHS Foundation Trust', 'medicine'),
    ('Strategy Consultant', 'Accenture', 'consulting'),
    ('Sales Assistant', 'Boots', 'retail'),
    ('Graphic Designer', 'Self-employed', 'design'),
    ('Trainee Accountant', 'Sage & Co Chartered Accountants', 'accounting'),
    ('Legal Counsel', 'Rolls-Royce', 'law'),
    ('Locum GP', None, 'medicine'),
    ('Chef de Partie', 'Hawksmoor', 'hospitality'),
    ('Apprentice Electrician', 'J. Smith Electrical Contractors', 'trades'),
    ('Teaching Fellow in Law', 'University of Kent', 'academia'),
    ('Dentist', 'Bupa Dental Care', 'medicine'),
    ('Interim CFO', 'Various', 'finance'),
    ('Angel Investor & Advisor', None, 'finance'),
    ('Software Developer', 'Lloyds Banking Group', 'software'),
    ('Youth Pastor', 'Hope Church', 'religion_community'),
    ('Town Planner', 'Lichfields', 'architecture'),
    ('Head of Sustainability', 'Marks & Spencer', 'energy_climate'),
    ('Translator (German > English)', 'Self-employed', 'writing_publishing'),
]

ALL_CASES = CORPUS + CORPUS_LATER + CORPUS_HELD_OUT


def _top(title: str | None, org: str | None) -> str | None:
    found = infer_fields(title, org, limit=1)
    return found[0].slug if found else None


# --- the taxonomy --------------------------------------------------------------------------


def test_taxonomy_size_and_version() -> None:
    assert 34 <= len(taxonomy()) <= 40
    assert isinstance(taxonomy_version(), int) and taxonomy_version() >= 1


def test_slugs_unique_and_snake_case() -> None:
    slugs = [f.slug for f in taxonomy()]
    assert len(slugs) == len(set(slugs))
    for slug in slugs:
        assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", slug), slug


def test_every_field_is_complete() -> None:
    names = [f.name for f in taxonomy()]
    assert len(names) == len(set(names))
    for f in taxonomy():
        assert isinstance(f, Field)
        assert f.keywords, f.slug
        assert f.name and f.description and "\n" not in f.description
        assert f.linkedin in LINKEDIN_ROOTS, (f.slug, f.linkedin)
        for phrase in (*f.keywords, *f.org_hints, *f.generic, *f.exclude):
            assert words_of(phrase), (f.slug, phrase)


def test_docs_table_matches_the_taxonomy() -> None:
    doc = (Path(__file__).parents[1] / "docs" / "fields.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z0-9_]+)` \| (.+?) \| (.+?) \| (.+?) \|$", doc, re.MULTILINE)
    assert rows == [(f.slug, f.name, f.linkedin, f.description) for f in taxonomy()]
    assert f"taxonomy version {taxonomy_version()}" in doc


def test_taxonomy_is_loaded_once() -> None:
    assert taxonomy() is taxonomy()


def test_corpus_covers_every_field() -> None:
    assert len(CORPUS) >= 80
    assert {slug for _, _, slug in CORPUS} == SLUGS
    assert {slug for _, _, slug in ALL_CASES} == SLUGS


# --- inference -----------------------------------------------------------------------------


def _accuracy(cases: list[tuple[str, str | None, str]]) -> tuple[float, list[tuple[object, ...]]]:
    misses: list[tuple[object, ...]] = [
        (title, org, want, _top(title, org))
        for title, org, want in cases
        if _top(title, org) != want
    ]
    return 1 - len(misses) / len(cases), misses


def test_corpus_accuracy() -> None:
    accuracy, misses = _accuracy(ALL_CASES)
    held_out, _ = _accuracy(CORPUS_HELD_OUT)
    report = (
        f"top-1 accuracy {accuracy:.3f} on {len(ALL_CASES)} cases "
        f"({held_out:.3f} on the {len(CORPUS_HELD_OUT)} held out); misses: {misses}"
    )
    print(report)
    assert accuracy >= 0.85, report
    assert held_out >= 0.85, report


@pytest.mark.parametrize(
    ("title", "org", "want"),
    [
        ("Partner", "Hale, Morrow & Finch LLP", "law"),
        ("Partner", "Northwind Ventures", "finance"),
        ("Engineer", "St. Catherine's Hospital", "medicine"),
        ("Engineer", "Harbourline Bridge & Tunnel Co.", "engineering"),
        ("Director of Photography", None, "film_media"),
        ("CTO", None, "software"),
        ("Associate Professor", None, "academia"),
        ("Registered Nurse", None, "nursing_allied_health"),
        ("Master Electrician", None, "trades"),
        ("Senior Associate", "First Meridian Bank", "banking"),
    ],
)
def test_tricky_cases(title: str, org: str | None, want: str) -> None:
    assert _top(title, org) == want


def test_no_evidence_means_no_guess() -> None:
    assert infer_fields(None, None) == []
    assert infer_fields("", "") == []
    assert infer_fields("Director", "Acme Ltd") == []
    assert infer_fields("Partner", None) == []
    assert infer_fields("Senior Associate", "Zephyr") == []


def test_whole_words_only() -> None:
    # "cto" is inside "director", "art" inside "partner", "ai" inside "retail" and "maintenance"
    assert infer_fields("Director", None) == []
    assert infer_fields("Partner", None) == []
    assert infer_fields("Managing Partner", "Detail Maintainers") == []
    assert _top("CTO", None) == "software"
    assert _top("Art", None) == "arts_music"


def test_longer_phrase_beats_its_parts() -> None:
    found = infer_fields("Software Engineer", None)
    assert [i.slug for i in found] == ["software"]
    assert found[0].reasons == ("title contains 'software engineer'",)
    assert infer_fields("Civil Engineer", None)[0].slug == "engineering"
    assert _top("Art Director", None) == "design"


def test_reasons_explain_title_and_organisation() -> None:
    found = infer_fields("Registered Nurse", "Harbour Nursing Home")
    assert found[0].slug == "nursing_allied_health"
    assert found[0].reasons == (
        "title contains 'registered nurse'",
        "organisation contains 'nursing home'",
    )
    assert infer_fields("Engineer", None)[0].reasons == ("title contains 'engineer' (generic)",)


def test_title_outweighs_organisation() -> None:
    assert _top("Data Scientist", "Meridian Bank") == "data_ai"
    assert _top("Nurse", "Eastbank Hospital") == "nursing_allied_health"


def test_exclude_vetoes() -> None:
    assert "banking" not in {i.slug for i in infer_fields("Volunteer", "Riverside Food Bank")}
    assert _top("Captain", "The Salvation Army") != "military_defence"
    assert "arts_music" not in {i.slug for i in infer_fields("State of the Art Labs", None)}
    assert _top("Instructor", "Kingston Martial Arts") == "sports_fitness"


def test_accents_case_and_punctuation_fold() -> None:
    assert words_of("Ingénieure LOGICIEL, Zürich") == ["ingenieure", "logiciel", "zurich"]
    assert words_of("St. Mary's Hospital") == ["st", "marys", "hospital"]
    assert _top("SOFTWARE  ENGINEER", None) == "software"
    assert _top("Data-Scientist", None) == "data_ai"
    assert _top("Lecturer", "Universität Wien") == "academia"
    assert _top("Consultant", "Hôpital Sainte-Anne") == "medicine"
    assert _top("Phlébotomist", None) == "nursing_allied_health"


def test_limit_and_runner_up() -> None:
    found = infer_fields("Co-Founder & CTO", "Loomly", limit=2)
    assert [i.slug for i in found] == ["entrepreneurship", "software"]
    assert len(infer_fields("Co-Founder & CTO", "Loomly", limit=1)) == 1
    # a runner-up with less than half the evidence of the best is not returned
    assert [i.slug for i in infer_fields("Software Engineer", "City Hospital")] == ["software"]
    with pytest.raises(ValidationError):
        infer_fields("Engineer", None, limit=0)


def test_ties_break_deterministically() -> None:
    # software, finance and entrepreneurship score 1.0 each: the one named first leads
    found = infer_fields("Sr. SWE @ Fintech startup", None, limit=3)
    assert [(i.slug, i.score) for i in found] == [
        ("software", 1.0),
        ("finance", 1.0),
        ("entrepreneurship", 1.0),
    ]
    # named at the same place too (one phrase that hints at two fields): by slug
    found = infer_fields(None, "Deloitte", limit=2)
    assert [i.slug for i in found] == ["accounting", "consulting"]
    # otherwise the field named first in the organisation leads
    assert _top(None, "Catholic University") == "religion_community"


def test_inference_is_fast() -> None:
    # distinct texts, so that no inference is served from the cache; a generous bound that
    # catches a pathological slowdown without being flaky on a busy machine
    pairs = [(f"{t} {n}", f"{o} {n}") for n in range(40) for t, o, _ in ALL_CASES]
    start = time.process_time()
    for title, org in pairs:
        infer_fields(title, org)
    elapsed = time.process_time() - start
    assert elapsed < 2.0, f"{len(pairs)} inferences took {elapsed:.2f}s"


@settings(max_examples=300, deadline=None)
@given(
    title=st.one_of(st.none(), st.text(max_size=80)),
    org=st.one_of(st.none(), st.text(max_size=80)),
    limit=st.integers(min_value=1, max_value=5),
)
def test_inference_never_raises(title: str | None, org: str | None, limit: int) -> None:
    found = infer_fields(title, org, limit=limit)
    assert len(found) <= limit
    assert all(isinstance(i, Inference) and i.slug in SLUGS and i.reasons for i in found)
    scores = [i.score for i in found]
    assert scores == sorted(scores, reverse=True)
    assert len({i.slug for i in found}) == len(found)


_KEYWORDS = sorted({p for f in taxonomy() for p in f.keywords})
_ORG_HINTS = sorted({p for f in taxonomy() for p in f.org_hints})


@settings(max_examples=200, deadline=None)
@given(
    title=st.lists(st.sampled_from(_KEYWORDS), max_size=4).map(" ".join),
    org=st.lists(st.sampled_from(_ORG_HINTS), max_size=3).map(" / ".join),
    limit=st.integers(min_value=1, max_value=4),
)
def test_inference_on_known_phrases(title: str, org: str, limit: int) -> None:
    found = infer_fields(title, org, limit=limit)
    assert (title + org).strip() == "" or found or _all_vetoed(title, org)
    assert len(found) <= limit and all(i.slug in SLUGS for i in found)
    scores = [i.score for i in found]
    assert scores == sorted(scores, reverse=True)


def _all_vetoed(title: str, org: str) -> bool:
    """True when some exclude phrase is present: then every piece of evidence may be vetoed."""
    text = " " + " ".join(words_of(title) + words_of(org)) + " "
    return any(
        " " + " ".join(words_of(p)) + " " in text for f in taxonomy() for p in f.exclude
    )


# --- resolving a field the user names ------------------------------------------------------


def test_resolve_by_slug_and_name() -> None:
    assert resolve_field("data_ai").slug == "data_ai"
    assert resolve_field("Data, AI and Analytics").slug == "data_ai"
    assert resolve_field("  SOFTWARE AND IT ").slug == "software"
    assert resolve_field("software").slug == "software"
    assert resolve_field("Teaching (K-12)").slug == "teaching"
    assert resolve_field("Nursing and allied health").slug == "nursing_allied_health"


def test_field_by_slug() -> None:
    assert field_by_slug("medicine").name == "Medicine and Clinical Care"
    with pytest.raises(ValidationError, match="did you mean: medicine"):
        field_by_slug("medicin")


def test_unknown_field_suggests() -> None:
    with pytest.raises(ValidationError, match=r"unknown field 'sofware'; did you mean: software"):
        resolve_field("sofware")
    with pytest.raises(ValidationError, match="medicine"):
        resolve_field("doctor")  # not a field, but its words point at one
    with pytest.raises(ValidationError):
        resolve_field("   ")
