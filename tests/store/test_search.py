"""Case and location search through the text search indexes (FTS5 trigrams on SQLite,
pg_trgm on PostgreSQL): what they find, what they take literally, staying in step with
their tables, the migration that builds them, and who may find what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from alembic import command
from sqlalchemy import Engine, column, delete, event, insert, inspect, table, text, update
from sqlmodel import col

from activities.records import RecordActivities
from domain.cases import Recusal
from domain.enums import Stage
from store import cases
from store.db import alembic_config, session_scope
from store.locations import search_locations
from store.supplier_lists import new_location
from store.tables import CaseRow, LocationSourcing, Organisation, ProductionLocation
from store.tables.search import SEARCH_TABLES, SEARCH_TRIGGERS, TRIGRAM_INDEXES
from tests.factories import FILED, Database, case_state, complainant, migrated, project_state

DAY = timedelta(days=1)
SUBJECTS = {
    "GT-2026-0101": "Unpaid overtime at Xinxing Footwear",
    "GT-2026-0102": "Dismissal of union members at RUPALI Knit",
    "GT-2026-0103": "কারখানায় তিন মাসের মজুরি বকেয়া",  # three months' wages owed
    "GT-2026-0104": "工厂拖欠工人三个月工资",  # the factory owes the workers three months' wages
    "GT-2026-0105": 'Workers told to sign "voluntary" overtime (AND NEAR) - 100% *unpaid*',
    "GT-2026-0106": "Blocked fire exits at Sri_Lakshmi",
}


def engine_with_cases(database: Database) -> Engine:
    """A migrated database with the cases above, filed a day apart (the last newest)."""
    engine = migrated(database)
    records = RecordActivities(engine)
    for number, (reference, subject) in enumerate(SUBJECTS.items()):
        project_state(
            records, case_state(reference, subject=subject, filed_at=FILED + number * DAY)
        )
    return engine


def found(engine: Engine, q: str, **filters: object) -> set[str]:
    """References of the cases a search finds (all of them: the total agrees)."""
    with session_scope(engine) as session:
        where = cases.CaseFilter(q=q, **filters)  # type: ignore[arg-type]
        rows, total = cases.list_cases(session=session, where=where, page_size=100)
    assert total == len(rows)
    return {row.reference for row in rows}


@pytest.fixture(params=["index-led", "order-led"])
def page_plan(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways a page of a search is found: from the cases the index found, or (a word in
    many cases) walking the cases newest first and testing each against them."""
    if request.param == "order-led":
        monkeypatch.setattr(cases, "MANY_FOUND", 0)
    return str(request.param)


def test_finds_words_fragments_and_scripts_case_blind(database: Database, page_plan: str) -> None:
    engine = engine_with_cases(database)
    assert found(engine, "overtime") == {"GT-2026-0101", "GT-2026-0105"}
    assert found(engine, "xinxing") == {"GT-2026-0101"}
    assert found(engine, "nxin") == {"GT-2026-0101"}  # inside a word
    assert found(engine, "Rupali KNIT") == {"GT-2026-0102"}
    assert found(engine, "  rupali  ") == {"GT-2026-0102"}
    assert found(engine, "union members at rupali") == {"GT-2026-0102"}
    assert found(engine, "মজুরি") == {"GT-2026-0103"}  # wages
    assert found(engine, "三个月工资") == {"GT-2026-0104"}
    assert found(engine, "2026-010") == set(SUBJECTS)  # the reference
    assert found(engine, "gt-2026-0103") == {"GT-2026-0103"}
    assert found(engine, "overtime at rupali") == set()  # the words, but not together
    assert found(engine, "no such words") == set()


def test_shorter_than_three_characters_is_scanned_for(database: Database) -> None:
    engine = engine_with_cases(database)
    assert found(engine, "工资") == {"GT-2026-0104"}  # wages: two characters
    assert found(engine, "Sr") == {"GT-2026-0106"}
    assert found(engine, "0") == set(SUBJECTS)
    assert found(engine, "_") == {"GT-2026-0106"}  # a LIKE wildcard, taken literally
    assert found(engine, "%") == {"GT-2026-0105"}
    assert found(engine, "zq") == set()


@pytest.mark.parametrize(
    "query",
    [
        '"voluntary"',
        '"voluntary" overtime',
        "(AND NEAR)",
        "AND",
        "NEAR",
        "- 100%",
        "*unpaid*",
        "100% *",
        'sign "',
    ],
)
def test_search_syntax_is_taken_as_text(database: Database, query: str) -> None:
    engine = engine_with_cases(database)
    assert found(engine, query) == {"GT-2026-0105"}


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "''",
        "a OR b",
        "overtime OR fire",
        "NOT overtime",
        "over*",
        "ov%ime",
        "_at",
        "^unpaid",
        "subject:unpaid",
        "{subject}: overtime",
        "NEAR(unpaid overtime)",
        "\\",
        "at \\S",
    ],
)
def test_search_syntax_finds_only_what_is_written(database: Database, query: str) -> None:
    """Neither FTS5 nor LIKE syntax: an OR finds no union, a wildcard matches nothing else."""
    engine = engine_with_cases(database)
    literal = {ref for ref, subject in SUBJECTS.items() if query.lower() in subject.lower()}
    assert found(engine, query) == literal


def test_a_nul_in_the_text_is_left_out(database: Database) -> None:
    engine = engine_with_cases(database)
    assert found(engine, "over\x00time") == found(engine, "overtime") != set()
    with session_scope(engine) as session:
        assert search_locations(session=session, q="\x00knit\x00") == ([], 0)


def test_the_index_follows_inserts_updates_and_deletes(database: Database) -> None:
    engine = engine_with_cases(database)
    records = RecordActivities(engine)
    project_state(records, case_state("GT-2026-0107", subject="Toxic dye in the river"))
    assert found(engine, "toxic dye") == {"GT-2026-0107"}
    renamed = case_state("GT-2026-0107", subject="Wastewater from the dye house", events=2)
    project_state(records, renamed)
    assert found(engine, "toxic") == set()
    assert found(engine, "wastewater") == {"GT-2026-0107"}
    # A projection that does not change the subject leaves it found once.
    project_state(records, case_state("GT-2026-0107", subject=renamed.subject, events=3))
    assert found(engine, "wastewater") == {"GT-2026-0107"}
    with session_scope(engine) as session:
        session.execute(
            update(CaseRow)
            .where(col(CaseRow.reference) == "GT-2026-0101")
            .values(subject="Wages withheld")
        )
        session.add(bare_case("GT-2026-0199", "Forced labour in a spinning mill"))
    assert found(engine, "xinxing") == set()
    assert found(engine, "withheld") == {"GT-2026-0101"}
    assert found(engine, "spinning") == {"GT-2026-0199"}
    with session_scope(engine) as session:
        session.execute(delete(CaseRow).where(col(CaseRow.reference) == "GT-2026-0199"))
    assert found(engine, "spinning") == set()
    assert found(engine, "0199") == set()


def bare_case(reference: str, subject: str) -> CaseRow:
    """A case row on its own (no events or parties), as a script might write one."""
    state = case_state(reference, subject=subject)
    return CaseRow(
        reference=reference,
        kind="complaint",
        covenant=state.covenant,
        stage="response",
        status="open",
        subject=subject,
        pseudonym=state.pseudonym,
        deciding_body="committee",
        filed_at=FILED,
        respondents_see=True,
        snapshot=state.model_dump_json(),
    )


def test_search_keeps_to_what_the_viewer_may_see(database: Database, page_plan: str) -> None:
    engine = migrated(database)
    records = RecordActivities(engine)
    overtime = "Unpaid overtime at Xinxing Footwear"
    project_state(records, case_state("GT-2026-0201", subject=overtime, respondents=("acme",)))
    project_state(records, case_state("GT-2026-0202", subject=overtime, respondents=("zenith",)))
    unseen = case_state(
        "GT-2026-0203", subject=overtime, respondents=("acme",), stage=Stage.SCREENING
    )
    project_state(records, unseen)
    recused = case_state("GT-2026-0204", subject=overtime, respondents=("acme",))
    recused.recusals = [Recusal(member="chair", reason="worked for acme", at=FILED)]
    project_state(records, recused)
    # A company finds its own cases once they are registered, not another company's.
    assert found(engine, "xinxing", organisation_id="acme") == {"GT-2026-0201", "GT-2026-0204"}
    assert found(engine, "xinxing", organisation_id="zenith") == {"GT-2026-0202"}
    # The complainant's organisation finds the case from the start.
    assert "GT-2026-0203" in found(engine, "xinxing", organisation_id="dhaka-gwu")
    # A recused member finds neither the case nor counts it.
    everything = {"GT-2026-0201", "GT-2026-0202", "GT-2026-0203", "GT-2026-0204"}
    assert found(engine, "xinxing") == everything
    assert found(engine, "xinxing", recused="chair") == everything - {"GT-2026-0204"}
    assert found(engine, "gt-2026-0204", recused="chair") == set()
    assert found(engine, "xi", recused="chair") == everything - {"GT-2026-0204"}
    assert found(engine, "xinxing", covenants=frozenset({"natural-stone"})) == set()


def test_the_complainant_is_not_searched(database: Database) -> None:
    """Only the reference and the subject are: a confidential complainant's name, e-mail or
    organisation finds nothing, for staff as for a company."""
    engine = migrated(database)
    records = RecordActivities(engine)
    project_state(records, case_state("GT-2026-0301", confidential=True, respondents=("acme",)))
    with session_scope(engine) as session:
        session.add(complainant("GT-2026-0301", confidential=True))
    for q in ["Rahima", "akter", "rahima.akter@mail", "Rupali Workers", "+88017"]:
        assert found(engine, q) == set()
        assert found(engine, q, organisation_id="acme") == set()
    assert found(engine, "union members", organisation_id="acme") == {"GT-2026-0301"}


def upgrade_to(engine: Engine, revision: str) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def test_the_migration_indexes_the_rows_already_there(database: Database) -> None:
    engine = database.engine
    upgrade_to(engine, "0011")
    location = new_location("Xínxìng Footwear Co., Ltd.", "No. 8 Industrial Road", "VN")
    with engine.begin() as connection:
        connection.execute(
            insert(CaseRow.__table__),  # type: ignore[arg-type]
            [
                bare_case("GT-2025-0001", "Unpaid overtime at Xinxing Footwear").model_dump(),
                bare_case("GT-2025-0002", "工厂拖欠工人三个月工资").model_dump(),
            ],
        )
        row = location.model_dump(exclude={"confidential"})  # a column since 0013
        connection.execute(
            insert(table("production_locations", *(column(name) for name in row))), [row]
        )
    upgrade_to(engine, "head")
    assert found(engine, "XINXING") == {"GT-2025-0001"}
    assert found(engine, "三个月") == {"GT-2025-0002"}
    with session_scope(engine) as session:
        locations, total = search_locations(session=session, q="xinxing footwear")
        assert total == 1 and [loc.id for loc in locations] == [location.id]
    # Down and up again: the indexes are dropped and rebuilt with what is there.
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0011")
    assert not set(inspect(engine).get_table_names()) & SEARCH_TABLES
    upgrade_to(engine, "head")
    assert found(engine, "overtime") == {"GT-2025-0001"}


def test_the_sqlite_index_is_kept_by_triggers(database: Database) -> None:
    """A migration that rebuilds a searched table (Alembic's batch mode) drops its
    triggers: it must create them again, or searches would miss new and changed rows."""
    engine = migrated(database)
    with engine.connect() as connection:
        if database.backend == "sqlite":
            rows = connection.execute(text("SELECT name FROM sqlite_master WHERE type='trigger'"))
            assert SEARCH_TRIGGERS <= {row.name for row in rows}
        else:
            rows = connection.execute(text("SELECT indexname FROM pg_indexes"))
            assert TRIGRAM_INDEXES <= {row.indexname for row in rows}


def test_searches_go_through_the_index(database: Database) -> None:
    """The search statements can use the text search index (PostgreSQL asked to avoid a
    sequential scan, which it prefers on a table this small)."""
    engine = engine_with_cases(database)
    statements: list[tuple[str, object]] = []

    def keep(
        _conn: object, _cursor: object, statement: str, parameters: object, *_: object
    ) -> None:
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        with session_scope(engine) as session:
            cases.list_cases(session=session, where=cases.CaseFilter(q="overtime"))
            search_locations(session=session, q="xinxing")
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    sqlite = database.backend == "sqlite"
    explain = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
    plans = []
    with engine.begin() as connection:
        if not sqlite:
            connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        for statement, parameters in statements:
            rows = connection.exec_driver_sql(explain + statement, parameters)  # type: ignore[arg-type]
            plans.append(" ".join(str(row[-1] if sqlite else row[0]) for row in rows))
    counts = [
        plan
        for (statement, _), plan in zip(statements, plans, strict=True)
        if "count(" in statement
    ]
    if sqlite:
        assert "case_search VIRTUAL TABLE" in counts[0]
        assert "location_search VIRTUAL TABLE" in counts[1]
    else:
        assert "ix_cases_subject_trgm" in counts[0]
        assert "ix_production_locations_search_trgm" in counts[1]


def locations_found(engine: Engine, q: str, **filters: str) -> set[str]:
    """Names of the locations a registry search finds (the total agrees)."""
    with session_scope(engine) as session:
        rows, total = search_locations(session=session, q=q, page_size=100, **filters)
    assert total == len(rows)
    return {row.name for row in rows}


def test_location_search(database: Database) -> None:
    engine = migrated(database)
    rows = [
        ("Xinxing Footwear Co., Ltd.", "No. 8 Industrial Road, Wenzhou", "CN"),
        ("Rupali Knit Composite Limited", "Plot 12, Ashulia, Dhaka", "BD"),
        ("Sri Lakshmi Knitting Mills (Pvt) Ltd", "Tiruppur 641 604", "IN"),
        ("Ünal Tekstil A.Ş.", "Organize Sanayi Bölgesi, Çorlu", "TR"),
        ('Star "Apex" Garments', "Road 5 - Block *B*, Gazipur", "BD"),
    ]
    with session_scope(engine) as session:
        session.add(Organisation(id="acme", name="Acme", kind="company"))
        for name, address, country in rows:
            session.add(new_location(name, address, country))
    rupali = new_location(*rows[1]).id
    with session_scope(engine) as session:
        session.add(LocationSourcing(location_id=rupali, company_id="acme", covenant="gt"))
    assert locations_found(engine, "xinxing footwear company limited") == {rows[0][0]}
    assert locations_found(engine, "XINXING") == {rows[0][0]}
    assert locations_found(engine, "nxin") == {rows[0][0]}
    assert locations_found(engine, "unal tekstil") == {rows[3][0]}  # accents folded
    assert locations_found(engine, "corlu") == {rows[3][0]}
    assert locations_found(engine, "knit") == {rows[1][0], rows[2][0]}
    assert locations_found(engine, "knit ashulia") == {rows[1][0]}  # every word
    assert locations_found(engine, "knit ti") == {rows[2][0]}  # a short word among them
    assert locations_found(engine, "ti") == {rows[2][0], rows[3][0]}  # only short words
    assert locations_found(engine, "knit", company="acme") == {rows[1][0]}
    assert locations_found(engine, "knit", country="IN") == {rows[2][0]}
    with session_scope(engine) as session:
        pages = [
            search_locations(session=session, q="knit", page=n, page_size=1) for n in (1, 2, 3)
        ]
        assert [(len(rows), total) for rows, total in pages] == [(1, 2), (1, 2), (0, 2)]
        assert pages[0][0][0].name == rows[1][0]  # by name: neither starts with the word
        assert search_locations(session=session, q="no such place") == ([], 0)
    # Punctuation is folded away; words like OR and NEAR are words to find.
    for q in ['"apex"', '"star" "apex"', "block *b*", "(apex)", "- block", "apex*"]:
        assert locations_found(engine, q) == {rows[4][0]}, q
    assert locations_found(engine, "apex OR xinxing") == set()
    assert locations_found(engine, "NEAR apex") == set()
    # The index follows changes to the table.
    with session_scope(engine) as session:
        session.execute(
            update(ProductionLocation)
            .where(col(ProductionLocation.id) == rupali)
            .values(search_text="rupali denim plot 12 ashulia dhaka")
        )
    assert locations_found(engine, "knit") == {rows[2][0]}
    assert locations_found(engine, "denim") == {rows[1][0]}
    with session_scope(engine) as session:
        session.execute(delete(LocationSourcing))
        session.execute(delete(ProductionLocation).where(col(ProductionLocation.id) == rupali))
    assert locations_found(engine, "denim") == set()
    assert locations_found(engine, "dhaka") == set()


def test_a_search_lists_newest_first_in_pages(database: Database, page_plan: str) -> None:
    engine = engine_with_cases(database)
    with session_scope(engine) as session:
        where = cases.CaseFilter(q="2026")
        first, total = cases.list_cases(session=session, where=where, page=1, page_size=4)
        second, _ = cases.list_cases(session=session, where=where, page=2, page_size=4)
        beyond, total_beyond = cases.list_cases(session=session, where=where, page=3, page_size=4)
    newest_first = sorted(SUBJECTS, reverse=True)
    assert total == total_beyond == len(SUBJECTS)
    assert [row.reference for row in first + second] == newest_first
    assert beyond == []


def test_counting_a_recused_members_cases(database: Database) -> None:
    engine = migrated(database)
    records = RecordActivities(engine)
    for number in range(5):
        state = case_state(f"GT-2026-04{number:02d}", filed_at=FILED + number * DAY)
        if number % 2:
            state.recusals = [Recusal(member="chair", reason="conflict", at=FILED)]
        project_state(records, state)
    with session_scope(engine) as session:
        for where, expected in [
            (cases.CaseFilter(recused="chair"), 3),
            (cases.CaseFilter(recused="committee"), 5),
            (cases.CaseFilter(recused="chair", stage="response"), 3),
            (cases.CaseFilter(recused="chair", stage="hearing"), 0),
        ]:
            rows, total = cases.list_cases(session=session, where=where)
            assert total == len(rows) == expected
            assert cases.count_cases(session=session, where=where) == expected


def test_the_same_search_statement_serves_different_words(database: Database) -> None:
    """The search's condition is compiled once per database and cached: each run binds its
    own words."""
    engine = engine_with_cases(database)
    for _ in range(2):
        assert found(engine, "overtime") == {"GT-2026-0101", "GT-2026-0105"}
        assert found(engine, "rupali") == {"GT-2026-0102"}
        assert found(engine, "工资") == {"GT-2026-0104"}
        assert found(engine, "ab") == set()
    with session_scope(engine) as session:
        assert cases.count_cases(session=session) == len(SUBJECTS)
