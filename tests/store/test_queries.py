"""Read queries: case lists and visibility, parties, covenants, deadlines, tokens, documents."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from activities.records import RecordActivities
from domain.enums import Role, Stage
from store import case_content, cases, covenants, organisations, people
from store import deadlines as deadline_store
from store.covenants import load_covenant_files, sync_covenants
from store.db import session_scope
from store.documents import add_document, get_document, list_documents
from store.locations import search_locations
from store.people import add_token, purge_expired, revoke_token, signed_in
from store.seed import seed_session
from store.tables import CovenantVersion, Document
from tests.factories import FILED, Database, case_state, deadline, migrated, project_state

DAY = timedelta(days=1)


def seeded_engine(database: Database) -> Engine:
    engine = migrated(database)
    with session_scope(engine) as session:
        seed_session(session=session, mail_domain="redress.localhost")
    return engine


def project_cases(engine: Engine) -> None:
    records = RecordActivities(engine)
    project_state(
        records,
        case_state(
            "GT-2026-0001",
            stage=Stage.RESPONSE,
            deadlines=[deadline("response", FILED + 30 * DAY, escalated=True)],
            filed_at=FILED,
        ),
    )
    project_state(
        records,
        case_state(
            "GT-2026-0002",
            stage=Stage.SCREENING,
            respondents=("delta-denim",),
            complainant_organisation_id="tiruppur-ttu",
            subject="Unpaid overtime at Sri Lakshmi Knitting",
            deadlines=[deadline("register", FILED + 5 * DAY)],
            filed_at=FILED + DAY,
            mediator="mediator",
        ),
    )
    project_state(
        records,
        case_state(
            "NS-2026-0001",
            stage=Stage.ADMISSIBILITY,
            covenant_slug="natural-stone",
            respondents=("stonebridge-stone",),
            complainant_organisation_id="eerlijke-steen",
            subject="Child labour in a granite quarry",
            filed_at=FILED + 2 * DAY,
        ),
    )
    project_state(
        records,
        case_state(
            "GT-2026-0003",
            stage=Stage.HEARING,
            respondents=("noorderlicht-fashion", "delta-denim"),
            complainant_organisation_id=None,
            subject="Blocked fire exits at RUPALI",
            filed_at=FILED + 3 * DAY,
        ),
    )


def case_refs(engine: Engine, **filters: object) -> list[str]:
    with session_scope(engine) as session:
        where = cases.CaseFilter(**filters)  # type: ignore[arg-type]
        rows, total = cases.list_cases(session=session, where=where)
        assert total >= len(rows)
        return [row.reference for row in rows]


def test_list_cases_filters(database: Database) -> None:
    engine = seeded_engine(database)
    project_cases(engine)
    assert case_refs(engine) == ["GT-2026-0003", "NS-2026-0001", "GT-2026-0002", "GT-2026-0001"]
    assert case_refs(engine, covenant="natural-stone") == ["NS-2026-0001"]
    assert case_refs(engine, stage="response") == ["GT-2026-0001"]
    assert case_refs(engine, overdue=True) == ["GT-2026-0001"]
    assert "GT-2026-0001" not in case_refs(engine, overdue=False)
    assert case_refs(engine, q="rupali") == ["GT-2026-0003", "GT-2026-0001"]
    assert case_refs(engine, q="ns-2026") == ["NS-2026-0001"]
    assert case_refs(engine, q="100%") == []
    assert case_refs(engine, mediator="mediator") == ["GT-2026-0002"]
    assert case_refs(engine, covenant="garments-textile", stage="screening") == ["GT-2026-0002"]


def test_list_cases_organisation_visibility(database: Database) -> None:
    engine = seeded_engine(database)
    project_cases(engine)
    # Respondent of two cases, one of them jointly with another company.
    assert case_refs(engine, organisation_id="noorderlicht-fashion") == [
        "GT-2026-0003",
        "GT-2026-0001",
    ]
    # GT-2026-0002 is in screening: not yet its respondent's to see.
    assert case_refs(engine, organisation_id="delta-denim") == ["GT-2026-0003"]
    assert case_refs(engine, organisation_id="tiruppur-ttu") == ["GT-2026-0002"]
    # Complainant organisation.
    assert case_refs(engine, organisation_id="dhaka-gwu") == ["GT-2026-0001"]
    assert case_refs(engine, organisation_id="eerlijke-steen") == ["NS-2026-0001"]
    assert case_refs(engine, organisation_id="nobody") == []


def test_list_cases_pages(database: Database) -> None:
    engine = seeded_engine(database)
    project_cases(engine)
    with session_scope(engine) as session:
        first, total = cases.list_cases(session=session, page=1, page_size=3)
        second, total2 = cases.list_cases(session=session, page=2, page_size=3)
    assert total == total2 == 4
    assert len(first) == 3 and len(second) == 1
    assert {r.reference for r in first}.isdisjoint({r.reference for r in second})


def test_case_reads(database: Database) -> None:
    engine = seeded_engine(database)
    project_cases(engine)
    with session_scope(engine) as session:
        row = cases.get_case(session=session, reference="GT-2026-0001")
        assert row is not None and row.overdue and row.next_deadline_name == "response"
        state = case_content.load_state(session=session, reference="GT-2026-0001")
        assert state is not None and state.stage is Stage.RESPONSE
        assert cases.get_case(session=session, reference="XX-0") is None
        assert case_content.load_state(session=session, reference="XX-0") is None
        respondents = cases.case_respondent_ids(session=session, reference="GT-2026-0003")
        assert sorted(respondents) == ["delta-denim", "noorderlicht-fashion"]
        assert [
            e.seq for e in case_content.case_events(session=session, reference="GT-2026-0001")
        ] == [1]


def test_open_deadlines_before(database: Database) -> None:
    engine = seeded_engine(database)
    project_cases(engine)
    with session_scope(engine) as session:
        everything = deadline_store.open_deadlines(session=session)
        assert [d.name for d in everything] == ["register", "response"]
        soon = deadline_store.open_deadlines(session=session, before=FILED + 10 * DAY)
        assert [(d.reference, d.name) for d in soon] == [("GT-2026-0002", "register")]


def test_users_and_organisations(database: Database) -> None:
    engine = seeded_engine(database)
    with session_scope(engine) as session:
        assert [u.username for u in people.users_with_role(session=session, role=Role.CHAIR)] == [
            "chair"
        ]
        companies = people.users_of_organisation(
            session=session, organisation_id="noorderlicht-fashion"
        )
        assert [u.username for u in companies] == ["company"]
        user = people.find_user(session=session, username="union")
        assert user is not None and user.id is not None
        assert people.get_user(session=session, user_id=user.id) == user
        assert people.find_user(session=session, username="nobody") is None
        by_id = organisations.find_organisation(session=session, key="delta-denim")
        by_name = organisations.find_organisation(session=session, key="  delta DENIM n.v. ")
        assert by_id is not None and by_name is not None and by_id.id == by_name.id
        assert organisations.find_organisation(session=session, key="Delta") is None


def test_covenant_versions(database: Database) -> None:
    engine = seeded_engine(database)
    shipped = {c.slug: c for c in load_covenant_files()}
    current = shipped["garments-textile"].procedure.version
    with session_scope(engine) as session:
        latest = covenants.latest_covenant(session=session, slug="garments-textile")
        assert latest == shipped["garments-textile"]
        assert covenants.latest_covenant(session=session, slug="cocoa") is None
        newer = shipped["garments-textile"].procedure.model_copy(update={"version": current + 1})
        session.add(
            CovenantVersion(
                slug="garments-textile",
                version=current + 1,
                name="Garments next",
                procedure_json=newer.model_dump_json(),
            )
        )
    with session_scope(engine) as session:
        assert sync_covenants(session=session) == []  # the shipped one is stored; newer untouched
        latest = covenants.latest_covenant(session=session, slug="garments-textile")
        assert latest is not None and latest.procedure.version == current + 1
        assert latest.name == "Garments next"
        listed = {c.slug: c.procedure.version for c in covenants.list_covenants(session=session)}
        assert listed == {
            **{slug: c.procedure.version for slug, c in shipped.items()},
            "garments-textile": current + 1,
        }
        old = covenants.covenant_version(session=session, slug="garments-textile", version=current)
        assert old == shipped["garments-textile"]


def test_tokens(database: Database) -> None:
    engine = seeded_engine(database)
    now = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    with session_scope(engine) as session:
        user = people.find_user(session=session, username="company")
        assert user is not None and user.id is not None
        add_token(
            session=session,
            token_hash="a" * 64,
            user_id=user.id,
            created_at=now,
            expires_at=now + timedelta(hours=12),
        )
        add_token(
            session=session,
            token_hash="b" * 64,
            user_id=user.id,
            created_at=now,
            expires_at=now - timedelta(hours=1),
        )
    with session_scope(engine) as session:
        found = signed_in(session=session, token_hash="a" * 64, now=now)
        assert found is not None and found[0].username == "company" and not found[1]
        assert signed_in(session=session, token_hash="b" * 64, now=now) is None
        assert signed_in(session=session, token_hash="c" * 64, now=now) is None
        purged = purge_expired(session=session, now=now, keys_before=now)
        assert purged["bearer tokens"] == 1
        revoke_token(session=session, token_hash="a" * 64)
    with session_scope(engine) as session:
        assert signed_in(session=session, token_hash="a" * 64, now=now) is None


def test_documents(database: Database) -> None:
    engine = seeded_engine(database)
    with session_scope(engine) as session:
        for i, visibility in enumerate(["committee", "parties", "public"]):
            add_document(
                session=session,
                document=Document(
                    id=f"doc-{i}",
                    reference="GT-2026-0001",
                    filename=f"{i}.pdf",
                    content_type="application/pdf",
                    size=10,
                    sha256="0" * 64,
                    storage_path=f"documents/{i}",
                    visibility=visibility,
                    uploaded_by="secretariat",
                    uploaded_at=FILED + i * DAY,
                ),
            )
    with session_scope(engine) as session:
        assert get_document(session=session, reference="GT-2026-0001", document_id="doc-1")
        assert get_document(session=session, reference="GT-2026-0002", document_id="doc-1") is None
        visible = list_documents(
            session=session, reference="GT-2026-0001", visibilities=["parties", "public"]
        )
        assert [d.id for d in visible] == ["doc-1", "doc-2"]
        assert len(list_documents(session=session, reference="GT-2026-0001")) == 3


def test_search_locations(database: Database) -> None:
    engine = seeded_engine(database)
    with session_scope(engine) as session:
        bd, total = search_locations(session=session, country="bd")
        assert total == 2 and {loc.country for loc in bd} == {"BD"}
        quarry, _ = search_locations(session=session, q="QUARRY")
        assert {loc.id for loc in quarry} == {"demo-in-karimnagar", "demo-tr-afyon"}
        delta, _ = search_locations(session=session, company="delta-denim")
        assert {loc.id for loc in delta} == {"demo-bd-rupali", "demo-in-lakshmi"}


def test_active_user_with_role(database: Database) -> None:
    engine = seeded_engine(database)
    with session_scope(engine) as session:
        found = people.active_user_with_role(
            session=session, username=" mediator ", roles=[Role.MEDIATOR]
        )
        assert found is not None and found.username == "mediator"
        assert (
            people.active_user_with_role(session=session, username="chair", roles=[Role.MEDIATOR])
            is None
        )
        both = [Role.CHAIR, Role.COMMITTEE]
        assert people.active_user_with_role(session=session, username="committee", roles=both)
        user = people.find_user(session=session, username="committee")
        assert user is not None
        user.active = False
    with session_scope(engine) as session:
        assert (
            people.active_user_with_role(session=session, username="committee", roles=both) is None
        )


def test_covenant_party_by_id_or_name_within_the_covenant(database: Database) -> None:
    engine = seeded_engine(database)
    with session_scope(engine) as session:

        def party(key: str, covenant: str = "garments-textile", kind: str | None = None) -> str:
            found = organisations.covenant_party(
                session=session, covenant=covenant, key=key, kind=kind
            )
            return found.id if found is not None else "-"

        assert party("delta-denim") == "delta-denim"
        assert party("  delta DENIM n.v. ") == "delta-denim"
        assert party("Delta") == "-"
        assert party("Stonebridge Natural Stone B.V.") == "-"  # a party to another covenant
        assert party("stonebridge-stone", covenant="natural-stone") == "stonebridge-stone"
        assert party("dhaka-gwu") == "dhaka-gwu"
        assert party("dhaka-gwu", kind="company") == "-"
        assert party("Noorderlicht Fashion B.V.", kind="company") == "noorderlicht-fashion"
        assert party("100%") == "-"
