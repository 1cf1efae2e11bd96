"""Demo data for local use: organisations, covenant parties, users (password ``demo``),
production locations. Idempotent: only what is missing is inserted. Expects a database
made ready by ``store.db.prepare`` (schema and covenants)."""

from __future__ import annotations

from typing import NamedTuple

from sqlmodel import Session, SQLModel, select

from core.security import hash_password
from core.settings import Settings
from domain.enums import Role
from store.db import engine_from_settings, session_scope
from store.supplier_lists import new_location
from store.tables import (
    CovenantMembership,
    LocationSourcing,
    Organisation,
    OrganisationContact,
    StaffCovenant,
    User,
)

DEMO_PASSWORD = "demo"
GARMENTS = "garments-textile"
STONE = "natural-stone"
BANKING = "banking"
GOLD = "gold"
FOREST = "forest"

ORGANISATIONS = [
    Organisation(
        id="mechanism",
        name="Complaints and Disputes Secretariat",
        kind="mechanism",
        country="NL",
        email="secretariat@redress.localhost",
        language="en",
    ),
    Organisation(
        id="noorderlicht-fashion",
        name="Noorderlicht Fashion B.V.",
        kind="company",
        country="NL",
        email="csr@noorderlicht-fashion.example",
        language="nl",
    ),
    Organisation(
        id="delta-denim",
        name="Delta Denim N.V.",
        kind="company",
        country="NL",
        email="compliance@delta-denim.example",
        language="en",
    ),
    Organisation(
        id="stonebridge-stone",
        name="Stonebridge Natural Stone B.V.",
        kind="company",
        country="NL",
        email="sourcing@stonebridge-stone.example",
        language="nl",
    ),
    Organisation(
        id="dhaka-gwu",
        name="Dhaka Garment Workers Union",
        kind="union",
        country="BD",
        email="office@dhaka-gwu.example",
        language="bn",
    ),
    Organisation(
        id="tiruppur-ttu",
        name="Tiruppur Textile Workers Union",
        kind="union",
        country="IN",
        email="office@tiruppur-ttu.example",
        language="en",
    ),
    Organisation(
        id="eerlijke-steen",
        name="Stichting Eerlijke Steen",
        kind="ngo",
        country="NL",
        email="info@eerlijke-steen.example",
        language="nl",
    ),
    # An associate member of the garments covenant (recognised through the German
    # Textilbündnis): its supplier list is shared with the secretariat only.
    Organisation(
        id="nordwind-textil",
        name="Nordwind Textil GmbH",
        kind="company",
        country="DE",
        email="sorgfalt@nordwind-textil.example",
        language="en",
    ),
    Organisation(
        id="polderbank",
        name="Polderbank N.V.",
        kind="company",
        country="NL",
        email="human-rights@polderbank.example",
        language="nl",
    ),
    Organisation(
        id="geldwijzer",
        name="Stichting Geldwijzer",
        kind="ngo",
        country="NL",
        email="info@geldwijzer.example",
        language="nl",
    ),
    Organisation(
        id="gouden-keten",
        name="Gouden Keten Refinery B.V.",
        kind="company",
        country="NL",
        email="compliance@gouden-keten.example",
        language="en",
    ),
    Organisation(
        id="mijnwerkers-solidair",
        name="Mijnwerkers Solidair",
        kind="ngo",
        country="NL",
        email="info@mijnwerkers-solidair.example",
        language="nl",
    ),
    Organisation(
        id="houtland-timber",
        name="Houtland Timber B.V.",
        kind="company",
        country="NL",
        email="duurzaam@houtland-timber.example",
        language="nl",
    ),
    Organisation(
        id="woud-alliantie",
        name="Stichting Woud Alliantie",
        kind="ngo",
        country="NL",
        email="info@woud-alliantie.example",
        language="en",
    ),
]

MEMBERSHIPS = [
    (GARMENTS, "noorderlicht-fashion"),
    (GARMENTS, "delta-denim"),
    (GARMENTS, "dhaka-gwu"),
    (GARMENTS, "tiruppur-ttu"),
    (STONE, "stonebridge-stone"),
    (STONE, "eerlijke-steen"),
    (GARMENTS, "nordwind-textil"),
    (BANKING, "polderbank"),
    (BANKING, "geldwijzer"),
    (GOLD, "gouden-keten"),
    (GOLD, "mijnwerkers-solidair"),
    (FOREST, "houtland-timber"),
    (FOREST, "woud-alliantie"),
]


class DemoUser(NamedTuple):
    username: str
    display_name: str
    role: Role
    organisation_id: str | None
    language: str
    covenants: tuple[str, ...] = ()  # staff: the covenants whose cases they work on


BOTH = (GARMENTS, STONE)
# The mechanism's staff work on every covenant's cases.
ALL = (GARMENTS, STONE, BANKING, GOLD, FOREST)
USERS = [
    DemoUser(
        "secretariat", "Sanne de Vries (secretariat)", Role.SECRETARIAT, "mechanism", "en", ALL
    ),
    DemoUser("chair", "Prof. Willem Bakker (chair)", Role.CHAIR, "mechanism", "en", ALL),
    DemoUser("committee", "Dr. Amina Yilmaz (committee)", Role.COMMITTEE, "mechanism", "en", ALL),
    DemoUser("mediator", "Joost Verhoeven (mediator)", Role.MEDIATOR, None, "en", ALL),
    DemoUser(
        "steering",
        "Karin Mulder (steering group, natural stone)",
        Role.STEERING_GROUP,
        None,
        "nl",
        (STONE,),
    ),
    DemoUser(
        "steering-finance",
        "Hans Kok (steering group, banking and gold)",
        Role.STEERING_GROUP,
        None,
        "nl",
        (BANKING, GOLD),
    ),
    DemoUser("admin", "Administrator", Role.ADMIN, "mechanism", "en"),
    DemoUser("company", "Eva Jansen (Noorderlicht)", Role.COMPANY, "noorderlicht-fashion", "nl"),
    DemoUser("company2", "Mark de Boer (Delta Denim)", Role.COMPANY, "delta-denim", "en"),
    DemoUser("stone", "Lotte Smit (Stonebridge)", Role.COMPANY, "stonebridge-stone", "nl"),
    DemoUser("union", "Rahima Akter (DGWU)", Role.UNION, "dhaka-gwu", "bn"),
    DemoUser("ngo", "Pieter Visser (Eerlijke Steen)", Role.UNION, "eerlijke-steen", "nl"),
    DemoUser("associate", "Jonas Weber (Nordwind Textil)", Role.COMPANY, "nordwind-textil", "en"),
    DemoUser("bank", "Iris Vermeulen (Polderbank)", Role.COMPANY, "polderbank", "nl"),
    DemoUser("bank-ngo", "Daan Hoekstra (Geldwijzer)", Role.UNION, "geldwijzer", "nl"),
    DemoUser("gold", "Sophie Lammers (Gouden Keten)", Role.COMPANY, "gouden-keten", "en"),
    DemoUser(
        "gold-ngo", "Ruben de Wit (Mijnwerkers Solidair)", Role.UNION, "mijnwerkers-solidair", "nl"
    ),
    DemoUser("timber", "Bram Kuipers (Houtland Timber)", Role.COMPANY, "houtland-timber", "nl"),
    DemoUser("forest-ngo", "Noor Bos (Woud Alliantie)", Role.UNION, "woud-alliantie", "en"),
]

# (id, name, address, country); demo ids stay stable for the docs and tests.
LOCATIONS = [
    (
        "demo-bd-rupali",
        "Rupali Knit Composite Ltd.",
        "Plot 12, BSCIC Industrial Area, Konabari, Gazipur",
        "BD",
    ),
    ("demo-bd-meghna", "Meghna Apparels Ltd.", "Baipail, Ashulia, Savar, Dhaka", "BD"),
    (
        "demo-in-lakshmi",
        "Sri Lakshmi Knitting Mills",
        "14 Avinashi Road, Tiruppur, Tamil Nadu",
        "IN",
    ),
    ("demo-tr-anatolia", "Anatolia Denim Tekstil A.S.", "Organize Sanayi Bolgesi, Denizli", "TR"),
    ("demo-in-karimnagar", "Karimnagar Granite Quarry", "Kothapally, Karimnagar, Telangana", "IN"),
    ("demo-tr-afyon", "Afyon Marble Quarry", "Iscehisar, Afyonkarahisar", "TR"),
    # Only on Nordwind Textil's confidential list: never in public search.
    (
        "demo-bd-jamuna",
        "Jamuna Knitwear Ltd.",
        "Plot 7, Tongi Industrial Area, Tongi, Gazipur",
        "BD",
    ),
]

SOURCING = [
    ("demo-bd-rupali", "noorderlicht-fashion", GARMENTS),
    ("demo-bd-rupali", "delta-denim", GARMENTS),  # one factory, two buyers
    ("demo-bd-meghna", "noorderlicht-fashion", GARMENTS),
    ("demo-tr-anatolia", "noorderlicht-fashion", GARMENTS),
    ("demo-in-lakshmi", "delta-denim", GARMENTS),
    ("demo-in-karimnagar", "stonebridge-stone", STONE),
    ("demo-tr-afyon", "stonebridge-stone", STONE),
]
# (location, company, covenant) listed on the company's confidential supplier list.
CONFIDENTIAL_SOURCING = [
    ("demo-bd-jamuna", "nordwind-textil", GARMENTS),
]


def _add_missing(session: Session, row: SQLModel, key: object) -> None:
    if session.get(type(row), key) is None:
        # A copy: the module-level templates must never get attached to a session.
        session.add(type(row).model_validate(row.model_dump()))


def seed_session(*, session: Session, mail_domain: str) -> None:
    """Insert whatever demo rows are missing into a prepared database."""
    for organisation in ORGANISATIONS:
        _add_missing(session, organisation, organisation.id)
    session.flush()
    for organisation in ORGANISATIONS:
        if organisation.email:
            contact = OrganisationContact(
                organisation_id=organisation.id,
                email=organisation.email,
                language=organisation.language,
            )
            _add_missing(session, contact, (organisation.id, organisation.email))
    for covenant, organisation_id in MEMBERSHIPS:
        membership = CovenantMembership(covenant=covenant, organisation_id=organisation_id)
        _add_missing(session, membership, (covenant, organisation_id))
    hidden = {location_id for location_id, _, _ in CONFIDENTIAL_SOURCING}
    for location_id, name, address, country in LOCATIONS:
        location = new_location(name, address, country, location_id=location_id)
        location.confidential = location_id in hidden
        _add_missing(session, location, location.id)
    session.flush()
    listings = [(*row, False) for row in SOURCING] + [(*r, True) for r in CONFIDENTIAL_SOURCING]
    for location_id, company_id, covenant, confidential in listings:
        sourcing = LocationSourcing(
            location_id=location_id,
            company_id=company_id,
            covenant=covenant,
            confidential=confidential,
        )
        _add_missing(session, sourcing, (location_id, company_id, covenant))
    existing = set(session.exec(select(User.username)).all())
    missing = [user for user in USERS if user.username not in existing]
    # One Argon2 hash for all: the demo password is public anyway, and hashing is slow.
    password_hash = hash_password(DEMO_PASSWORD) if missing else ""
    for user in missing:
        session.add(
            User(
                username=user.username,
                display_name=user.display_name,
                email=f"{user.username}@{mail_domain}",
                role=user.role.value,
                organisation_id=user.organisation_id,
                language=user.language,
                password_hash=password_hash,
                is_demo=True,
                active=True,
            )
        )
    session.flush()
    ids = {u.username: u.id for u in session.exec(select(User)).all() if u.id is not None}
    for user in USERS:
        for covenant in user.covenants:
            user_id = ids[user.username]
            _add_missing(
                session, StaffCovenant(user_id=user_id, covenant=covenant), (user_id, covenant)
            )
    session.flush()


def seed_demo(settings: Settings) -> None:
    """Insert the demo data into a prepared database; running it again changes nothing."""
    engine = engine_from_settings(settings)
    try:
        with session_scope(engine) as session:
            seed_session(session=session, mail_domain=settings.mail_domain)
    finally:
        engine.dispose()
