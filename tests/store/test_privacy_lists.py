"""An organisation's case list agrees with what opening each case shows it
(``services.access.standing``): a case split off against companies routed to through their
confidential lists alone is not in the complainant's list, and the list's next due date and
overdue flag leave out an undisclosed company's deadlines but for that company's own list."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from activities.records import RecordActivities
from domain.cases import CaseState, Party
from domain.enums import Audience, Role
from services.access import Standing, Viewer, standing
from store import cases
from store.cases import CaseFilter
from store.tables import CaseRow
from tests.factories import FILED, Database, case_state, deadline, migrated, project_state

UNION = "dhaka-gwu"
SEEN = Party(organisation_id="acme", name="Acme Apparel B.V.")
UNSEEN = Party(organisation_id="hansa", name="Hansa Textil GmbH", disclosed=False)
SOON = FILED + timedelta(days=10)
LATER = FILED + timedelta(days=40)


def with_parties(state: CaseState, *parties: Party) -> CaseState:
    state.respondents = list(parties)
    return state


def listed(engine: Engine, **filters: object) -> dict[str, CaseRow]:
    with Session(engine) as session:
        where = CaseFilter(**filters)  # type: ignore[arg-type]
        rows, total = cases.list_cases(session=session, where=where, page_size=100)
    assert total == len(rows)
    return {row.reference: row for row in rows}


def projected(database: Database) -> Engine:
    """Three cases of the union: one against Acme and, undisclosed, Hansa, whose response
    is due first and overdue; one split off from it against Hansa alone; one split off
    against Acme."""
    engine = migrated(database)
    records = RecordActivities(engine)
    hansa_due = deadline("response", SOON, owner=Audience.RESPONDENTS, escalated=True)
    acme_due = deadline("response", LATER, owner=Audience.RESPONDENTS)
    both = with_parties(
        case_state(
            "GT-2026-0501",
            deadlines=[
                hansa_due.model_copy(update={"id": "response-1", "party": "hansa"}),
                acme_due.model_copy(update={"id": "response-2", "party": "acme"}),
            ],
        ),
        SEEN,
        UNSEEN,
    )
    project_state(records, both)
    alone = with_parties(case_state("GT-2026-0502", deadlines=[hansa_due]), UNSEEN)
    alone.split_from = "GT-2026-0501"
    project_state(records, alone)
    split = with_parties(case_state("GT-2026-0503"), SEEN)
    split.split_from = "GT-2026-0501"
    project_state(records, split)
    return engine


def test_a_case_split_off_for_undisclosed_companies_alone_is_not_in_the_unions_list(
    database: Database,
) -> None:
    engine = projected(database)
    mine = listed(engine, organisation_id=UNION)
    assert set(mine) == {"GT-2026-0501", "GT-2026-0503"}
    assert listed(engine, organisation_id=UNION, q="GT-2026-0502") == {}
    # The list agrees with opening each case.
    union = Viewer(user_id=1, role=Role.UNION, organisation_id=UNION)
    with Session(engine) as session:
        for reference in ("GT-2026-0501", "GT-2026-0502", "GT-2026-0503"):
            row = cases.get_case(session=session, reference=reference)
            assert row is not None
            state = CaseState.model_validate_json(row.snapshot)
            expected = Standing.COMPLAINANT if reference in mine else None
            assert standing(union, state) is expected, reference
    # The undisclosed company finds both of its cases, the other company its own.
    assert set(listed(engine, organisation_id="hansa")) == {"GT-2026-0501", "GT-2026-0502"}
    assert set(listed(engine, organisation_id="acme")) == {"GT-2026-0501", "GT-2026-0503"}


def test_the_next_due_date_is_not_an_undisclosed_companys_but_for_itself(
    database: Database,
) -> None:
    engine = projected(database)
    for organisation in (UNION, "acme"):
        line = listed(engine, organisation_id=organisation)["GT-2026-0501"]
        assert (line.next_due, line.overdue) == (LATER, False), organisation
        assert listed(engine, organisation_id=organisation, overdue=True) == {}
        assert set(listed(engine, organisation_id=organisation, overdue=False)) >= {"GT-2026-0501"}
        assert listed(engine, organisation_id=organisation, due_before=SOON + timedelta(1)) == {}
    own = listed(engine, organisation_id="hansa")["GT-2026-0501"]
    assert (own.next_due, own.overdue) == (SOON, True)
    assert set(listed(engine, organisation_id="hansa", overdue=True)) == {
        "GT-2026-0501",
        "GT-2026-0502",
    }
    # Staff see every deadline; the stored row is left as projected.
    staff = listed(engine)["GT-2026-0501"]
    assert (staff.next_due, staff.overdue) == (SOON, True)
    assert set(listed(engine, overdue=True)) == {"GT-2026-0501", "GT-2026-0502"}
