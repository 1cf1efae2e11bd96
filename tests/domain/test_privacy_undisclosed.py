"""A company routed to through its confidential supplier list (``Party.disclosed`` false) is
never made known to the complainant nor to the other companies by the case's e-mails, its
status e-mail or a case split off against it (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from domain.actions import action_adapter
from domain.cases import Actor, CaseStart, CaseState, Party
from domain.effects import PARTY_AUDIENCES, Builder, Transition
from domain.enums import Audience, CaseKind, NoticeKind, Outcome, Role, Side, Visibility
from domain.notices import Notice
from domain.rules import check
from domain.schedule import ScheduleInput, plan
from domain.status_updates import send_due
from domain.transitions import apply, start_case
from services.access import Standing, Viewer, standing
from services.listing_matches import hide_undisclosed
from tests.workflows.conftest import case_start

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
SECRETARIAT = Actor(user="secretariat", role=Role.SECRETARIAT)
CHAIR = Actor(user="chair", role=Role.CHAIR)
UNION = Actor(user="union", role=Role.UNION, organisation_id="dgwu", side=Side.COMPLAINANT)
ACME = Actor(user="acme", role=Role.COMPANY, organisation_id="acme", side=Side.RESPONDENT)
HIDDEN = Actor(user="hidden", role=Role.COMPANY, organisation_id="hidden", side=Side.RESPONDENT)
DISCLOSED = Party(organisation_id="acme", name="Acme Apparel B.V.")
UNDISCLOSED = Party(organisation_id="hidden", name="Hansa Textil GmbH", disclosed=False)
SOON = (NOW + timedelta(days=100)).date().isoformat()


class Case:
    """A case against Acme and, undisclosed, Hansa, through the real rules and planner."""

    def __init__(self, start: CaseStart | None = None) -> None:
        start = start or case_start(respondents=[DISCLOSED, UNDISCLOSED])
        start = start.model_copy(update={"filed_at": NOW - timedelta(days=30), "per_company": True})
        self.at = start.filed_at
        self.last = self._planned(start_case(start))
        self.state: CaseState = self.last.state

    def _planned(self, t: Transition) -> Transition:
        if t.opens:
            t.state.deadlines = plan(
                ScheduleInput(
                    procedure=t.state.procedure,
                    now=self.at,
                    deadlines=t.state.deadlines,
                    opens=t.opens,
                )
            ).deadlines
        return t

    def act(self, actor: Actor, **payload: Any) -> CaseState:
        self.at += timedelta(minutes=1)
        action = action_adapter.validate_python(payload)
        check(self.state, actor, action, self.at)
        self.last = self._planned(apply(self.state, actor, action, self.at))
        self.state = self.last.state
        return self.state

    def to_response(self) -> Case:
        self.act(SECRETARIAT, action="register")
        self.act(CHAIR, action="declare_admissible")
        return self

    def to_mediation(self) -> Case:
        self.to_response()
        self.act(ACME, action="submit_response", text="Our answer")
        self.act(HIDDEN, action="submit_response", text="Hansa Textil GmbH answers")
        self.act(SECRETARIAT, action="propose_mediation")
        return self

    def to_remediation(self) -> Case:
        self.to_mediation()
        self.act(SECRETARIAT, action="send_to_hearing", reason="Too far apart")
        self.act(SECRETARIAT, action="schedule_hearing", at=f"{SOON}T10:00:00Z")
        self.act(CHAIR, action="record_hearing", minutes="Heard")
        orders = [
            {"text": "Reinstate the leaders", "due": SOON, "respondent": "acme"},
            {"text": "Pay the wages owed", "due": SOON, "respondent": "hidden"},
        ]
        decision = {"action": "issue_decision", "finding": "founded", "reasons": "Founded"}
        self.act(CHAIR, **decision, orders=orders)
        return self

    def notices(self) -> list[Notice]:
        return self.last.notices


def reaches_complainant(notices: list[Notice]) -> list[Notice]:
    return [n for n in notices if Audience.COMPLAINANT in n.audiences]


def test_the_undisclosed_companys_response_is_not_told_to_the_complainant() -> None:
    case = Case().to_response()
    case.act(ACME, action="submit_response", text="Our answer")
    assert [n.text for n in reaches_complainant(case.notices())] == [
        "Acme Apparel B.V. has submitted its response."
    ]
    case.act(HIDDEN, action="submit_response", text="Our answer")
    (notice,) = [n for n in case.notices() if n.kind is NoticeKind.MESSAGE]
    assert notice.audiences == [Audience.SECRETARIAT]
    # Its response is its own and staff's, whatever its text says.
    (response,) = [e for e in case.last.events if e.type == "response_submitted"]
    assert response.party == "hidden"


def test_a_signal_passed_on_counts_only_the_companies_the_reporter_may_know() -> None:
    start = case_start(kind=CaseKind.SIGNAL, respondents=[DISCLOSED, UNDISCLOSED])
    case = Case(start)
    case.act(SECRETARIAT, action="forward_signal", note="")
    (told,) = reaches_complainant(case.notices())
    assert told.text is not None and "to the company that sources" in told.text
    assert "2 companies" not in told.text
    # Its due diligence report is the secretariat's to read, not the reporter's.
    case.act(HIDDEN, action="report_due_diligence", text="We audited the factory")
    assert reaches_complainant(case.notices()) == []
    (report,) = case.last.events
    assert report.party == "hidden"


def test_the_undisclosed_companys_plan_order_and_non_compliance_reach_no_other_party() -> None:
    case = Case().to_remediation()
    case.act(HIDDEN, action="submit_remediation_plan", text="Our plan")
    assert reaches_complainant(case.notices()) == []
    case.act(ACME, action="submit_remediation_plan", text="Our plan")
    assert len(reaches_complainant(case.notices())) == 1  # a disclosed company's plan is told
    case.act(SECRETARIAT, action="approve_remediation_plan", respondent="hidden")
    case.act(SECRETARIAT, action="approve_remediation_plan", respondent="acme")
    case.act(SECRETARIAT, action="verify_order", order=2, note="Paid")
    (verified,) = [n for n in case.notices() if n.text and "Order 2" in n.text]
    assert verified.audiences == [Audience.RESPONDENTS, Audience.CHAIR]
    assert verified.party == "hidden"  # to that company alone of the companies


def test_a_finding_against_the_undisclosed_company_is_not_told_to_the_complainant() -> None:
    case = Case().to_remediation()
    case.at = datetime.fromisoformat(f"{SOON}T23:59:00+00:00") + timedelta(days=2)
    case.act(CHAIR, action="find_non_compliance", order=2, reasons="The wages are unpaid")
    (finding,) = case.notices()
    assert finding.audiences == [Audience.RESPONDENTS, Audience.SECRETARIAT]
    assert finding.party == "hidden"


def test_an_extension_of_the_undisclosed_companys_deadline_is_told_to_it_alone() -> None:
    case = Case().to_response()
    response = next(d for d in case.state.open_deadlines() if d.party == "hidden")
    until = (response.due + timedelta(days=10)).isoformat()
    case.act(HIDDEN, action="request_extension", deadline=response.id, until=until, reasons="Busy")
    case.act(CHAIR, action="grant_extension", request="extension-1", reason="Fair")
    (granted,) = case.notices()
    assert granted.text is not None and "Hansa Textil GmbH" in granted.text  # its label
    assert granted.audiences == [Audience.RESPONDENTS]
    assert granted.party == "hidden"


def test_an_undisclosed_company_asking_more_time_for_mediation_is_seen_by_itself() -> None:
    case = Case().to_mediation()
    mediation = case.state.deadline("mediation")
    assert mediation is not None
    until = (mediation.due + timedelta(days=10)).isoformat()
    case.act(
        HIDDEN,
        action="request_extension",
        deadline=mediation.id,
        until=until,
        reasons="Our audit is late",
    )
    (asked,) = case.last.events
    assert asked.party == "hidden" and asked.visibility is Visibility.PARTIES
    case.act(
        ACME,
        action="request_extension",
        deadline=mediation.id,
        until=until,
        reasons="We need time too",
    )
    (asked,) = case.last.events
    assert asked.party is None  # a disclosed company's request on a shared period: seen by all


def test_the_undisclosed_company_declining_mediation_is_split_off_unseen() -> None:
    case = Case().to_mediation()
    case.act(ACME, action="consent_to_mediation")
    case.act(HIDDEN, action="decline_mediation", reason="No")
    case.act(UNION, action="consent_to_mediation")
    spawn = case.last.spawn
    assert spawn is not None and spawn.respondents == [UNDISCLOSED]
    split = next(e for e in case.last.events if e.type == "split")
    assert split.visibility is Visibility.COMMITTEE
    told = [n for n in case.notices() if n.text and spawn.reference in n.text]
    assert [n.audiences for n in told] == [[Audience.SECRETARIAT]]
    # The case split off: the complainant's code and its union open nothing, and no e-mail
    # of it reaches the complainant.
    hearing = start_case(spawn).state
    assert standing(Viewer(code_for=spawn.reference, complainant=1), hearing) is None
    union = Viewer(user_id=1, role=Role.UNION, organisation_id="dgwu")
    assert standing(union, hearing) is None
    hidden = Viewer(user_id=2, role=Role.COMPANY, organisation_id="hidden")
    assert standing(hidden, hearing) is Standing.RESPONDENT
    b = Builder(hearing, NOW, SECRETARIAT)
    b.close(Outcome.WITHDRAWN, "Closed", "Withdrawn")
    (closed,) = b.t.notices
    assert Audience.COMPLAINANT not in closed.audiences
    # The case that goes on is the complainant's as before.
    assert standing(Viewer(code_for=case.state.reference, complainant=1), case.state) is not None


def test_a_disclosed_company_split_off_with_an_undisclosed_one_is_named_alone() -> None:
    third = Party(organisation_id="bolt", name="Bolt Denim N.V.")
    case = Case(case_start(respondents=[DISCLOSED, third, UNDISCLOSED])).to_response()
    for actor in (ACME, HIDDEN):
        case.act(actor, action="submit_response", text="Our answer")
    bolt = Actor(user="bolt", role=Role.COMPANY, organisation_id="bolt", side=Side.RESPONDENT)
    case.act(bolt, action="submit_response", text="Our answer")
    case.act(SECRETARIAT, action="propose_mediation")
    case.act(ACME, action="consent_to_mediation")
    case.act(bolt, action="decline_mediation")
    case.act(HIDDEN, action="decline_mediation")
    case.act(UNION, action="consent_to_mediation")
    split = next(e for e in case.last.events if e.type == "split")
    assert "Bolt Denim N.V." in split.summary and "Hansa" not in split.summary
    assert split.visibility is Visibility.PARTIES
    (told,) = [n for n in reaches_complainant(case.notices()) if n.text and "continues" in n.text]
    assert told.text is not None and "Hansa" not in told.text
    # The split-off case has a disclosed company: the complainant follows it.
    assert case.last.spawn is not None
    hearing = start_case(case.last.spawn).state
    code = Viewer(code_for=hearing.reference, complainant=1)
    assert standing(code, hearing) is Standing.COMPLAINANT


def test_the_status_emails_next_due_date_is_not_the_undisclosed_companys() -> None:
    state = Case().to_response().state.model_copy(deep=True)
    for d in state.deadlines:
        if d.party == "hidden":
            d.due -= timedelta(days=5)  # the earliest open deadline
    b = Builder(state, NOW + timedelta(days=200), None)
    send_due(b)
    (status,) = b.t.notices
    assert status.kind is NoticeKind.STATUS_UPDATE
    assert (status.deadline, status.party) == ("response", "acme")


def test_the_chair_extending_a_companys_deadline_tells_that_company_alone() -> None:
    case = Case().to_response()
    for org, told in (("hidden", {Audience.RESPONDENTS}), ("acme", set(PARTY_AUDIENCES))):
        response = next(d for d in case.state.open_deadlines() if d.party == org)
        until = (response.due + timedelta(days=10)).isoformat()
        case.act(
            CHAIR, action="extend_deadline", deadline=response.id, until=until, reason="Fair enough"
        )
        (extended,) = case.notices()
        (event,) = case.last.events
        assert extended.party == event.party == org
        assert set(extended.audiences) == told


def test_a_notice_naming_the_undisclosed_companys_deadline_reaches_it_and_staff() -> None:
    state = Case(case_start(respondents=[UNDISCLOSED])).state
    b = Builder(state, NOW, CHAIR)
    b.open("response", Audience.RESPONDENTS, label="Response of Hansa Textil GmbH", party="hidden")
    audiences = [*PARTY_AUDIENCES, Audience.SECRETARIAT]
    b.notify(NoticeKind.STAGE_CHANGED, audiences, deadline="response")
    b.notify(NoticeKind.MESSAGE, audiences, text="The case has resumed.")
    told, resumed = b.t.notices
    assert told.audiences == [Audience.RESPONDENTS, Audience.SECRETARIAT]
    assert resumed.audiences == audiences  # about no company: as before


def test_the_reporter_sees_the_signal_passed_on_to_the_companies_it_may_know() -> None:
    start = case_start(kind=CaseKind.SIGNAL, respondents=[DISCLOSED, UNDISCLOSED])
    case = Case(start)
    case.act(SECRETARIAT, action="forward_signal", note="")
    (forwarded,) = [e for e in case.last.events if e.type == "signal_forwarded"]
    assert forwarded.summary == "Passed on to Acme Apparel B.V."
    # The read model's case, as the reporter and the other companies see it.
    seen = hide_undisclosed(case.state.model_copy(update={"events": case.last.events}), None)
    assert [e.summary for e in seen.events if e.type == "signal_forwarded"] == [forwarded.summary]


def test_what_the_undisclosed_company_writes_is_for_staff_and_itself() -> None:
    case = Case().to_response()
    case.act(HIDDEN, action="add_message", text="We will look into it", visibility="parties")
    (message,) = case.last.events
    (notice,) = case.notices()
    assert message.party == notice.party == "hidden"
    assert notice.audiences == [Audience.SECRETARIAT]
    case.act(
        HIDDEN,
        action="add_document",
        document_id="d1",
        filename="audit.pdf",
        visibility="parties",
    )
    (document,) = case.last.documents
    assert document.party == case.last.events[0].party == "hidden"
    # A disclosed company writes to the complainant as before.
    case.act(ACME, action="add_message", text="We will look into it", visibility="parties")
    (notice,) = case.notices()
    assert notice.party is None and Audience.COMPLAINANT in notice.audiences


def test_the_undisclosed_companys_answer_to_a_question_is_for_staff_and_itself() -> None:
    case = Case().to_response()
    question = "Which buyers source from the factory?"
    case.act(SECRETARIAT, action="request_information", **{"from": "respondent"}, question=question)
    case.act(HIDDEN, action="provide_information", text="We source there since 2019")
    (answer,) = [e for e in case.last.events if e.type == "information_provided"]
    assert answer.party == "hidden"
