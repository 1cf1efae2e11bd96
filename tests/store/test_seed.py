"""The demo data: complete, and idempotent."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import SQLModel, select

from core.security import verify_password
from core.settings import Settings
from domain.enums import Role
from store import organisations, people
from store.db import prepare, session_scope
from store.locations import (
    confidential_listings,
    get_location,
    location_companies,
    search_locations,
)
from store.seed import seed_demo
from store.tables import (
    CovenantMembership,
    CovenantVersion,
    LocationSourcing,
    Organisation,
    ProductionLocation,
    User,
)
from tests.factories import Database

GT = "garments-textile"

SEEDED: list[type[SQLModel]] = [
    Organisation,
    CovenantMembership,
    CovenantVersion,
    User,
    ProductionLocation,
    LocationSourcing,
]


def _counts(database: Database) -> dict[str, int]:
    with session_scope(database.engine) as session:
        return {
            model.__name__: session.exec(select(func.count()).select_from(model)).one()
            for model in SEEDED
        }


def test_seeding_twice_changes_nothing(database: Database) -> None:
    settings = Settings(database_url=database.url)
    prepare(settings)
    seed_demo(settings)
    first = _counts(database)
    with session_scope(database.engine) as session:
        hashes = {u.username: u.password_hash for u in session.exec(select(User)).all()}
    seed_demo(settings)
    assert _counts(database) == first
    assert all(count > 0 for count in first.values())
    with session_scope(database.engine) as session:
        assert {u.username: u.password_hash for u in session.exec(select(User)).all()} == hashes


def test_demo_organisations_users_and_locations(database: Database) -> None:
    prepare(database.engine)
    seed_demo(Settings(database_url=database.url))
    with session_scope(database.engine) as session:
        usernames = {u.username for u in session.exec(select(User)).all()}
        assert usernames >= {
            "secretariat",
            "chair",
            "committee",
            "mediator",
            "company",
            "union",
            "admin",
            "company2",
            "stone",
            "ngo",
        }
        chair = people.find_user(session=session, username="chair")
        assert chair is not None and chair.is_demo and chair.role == Role.CHAIR
        assert chair.email == "chair@redress.localhost"
        assert verify_password("demo", chair.password_hash)
        assert not verify_password("wrong", chair.password_hash)
        company = people.find_user(session=session, username="company")
        assert company is not None and company.organisation_id == "noorderlicht-fashion"
        ngo = people.find_user(session=session, username="ngo")
        assert ngo is not None and (ngo.role, ngo.organisation_id) == ("union", "eerlijke-steen")

        dhaka = organisations.find_organisation(session=session, key="Dhaka Garment Workers Union")
        assert dhaka is not None and dhaka.language == "bn"
        garment_parties = organisations.covenant_parties(
            session=session, covenant="garments-textile"
        )
        assert {o.id for o in garment_parties} == {
            "noorderlicht-fashion",
            "delta-denim",
            "dhaka-gwu",
            "tiruppur-ttu",
            "nordwind-textil",  # an associate member, its list confidential
        }
        stone_parties = organisations.covenant_parties(session=session, covenant="natural-stone")
        assert {o.id for o in stone_parties} == {"stonebridge-stone", "eerlijke-steen"}
        for covenant, parties in {
            "banking": {"polderbank", "geldwijzer"},
            "gold": {"gouden-keten", "mijnwerkers-solidair"},
            "forest": {"houtland-timber", "woud-alliantie"},
        }.items():
            found = organisations.covenant_parties(session=session, covenant=covenant)
            assert {o.id for o in found} == parties, covenant
            assert all(o.kind in {"company", "ngo"} for o in found)
        steering = people.find_user(session=session, username="steering-finance")
        assert steering is not None and steering.role == Role.STEERING_GROUP
        # The associate member's listing is in the registry, but not in public search.
        assert get_location(session=session, location_id="demo-bd-jamuna") is None
        assert [c.id for c, _ in confidential_listings(session=session, covenant=GT)] == [
            "nordwind-textil"
        ]

        locations, total = search_locations(session=session, page_size=100)
        assert {loc.country for loc in locations} == {"BD", "IN", "TR"}
        shared = [
            loc
            for loc in locations
            if len(location_companies(session=session, location_id=loc.id)) >= 2
        ]
        assert shared, "one location should be sourced by both garment companies"
        assert total == len(locations)
