"""The pure parts: what each standing sees of a complainant, and the rate limiter."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from activities.recipients import may_know_identity
from domain.actions import ActionName
from domain.cases import CaseState, Party, Recusal
from domain.enums import Audience, CaseKind, DecidingBody, Role, Stage
from domain.privacy import identity_visible, shown_to_respondents
from domain.rules import who_may
from services.access import Standing, Viewer, list_scope, sees_identity, standing
from services.case_views import Identity, complainant_view
from store.covenants import load_covenant_files

GARMENTS = frozenset({"garments-textile"})

IDENTITY = Identity(
    name="Nasrin", organisation="Circle", represents="Knitters", email="n@x.example", phone="1"
)


def state(
    *, confidential: bool, mediator: str | None = None, stage: Stage = Stage.ADMISSIBILITY
) -> CaseState:
    """A minimal registered case against Noorderlicht, filed by the Dhaka union."""
    procedure = load_covenant_files()[0].procedure
    return CaseState(
        reference="GT-2026-AAAAA",
        kind=CaseKind.COMPLAINT,
        covenant="garments-textile",
        covenant_name="Garments",
        procedure=procedure,
        deciding_body=DecidingBody.COMMITTEE,
        stage=stage,
        confidential=confidential,
        pseudonym="Complainant ABCDEF",
        complainant_organisation_id="dhaka-gwu",
        respondents=[Party(organisation_id="noorderlicht-fashion", name="Noorderlicht")],
        subject="Subject",
        description="Description",
        filed_at=datetime(2026, 1, 5, tzinfo=UTC),
        mediator=mediator,
    )


@pytest.mark.parametrize("confidential", [True, False])
def test_only_a_confidential_case_hides_the_complainant_from_the_company(
    confidential: bool,
) -> None:
    case = state(confidential=confidential)
    company = complainant_view(case, Standing.RESPONDENT, IDENTITY).model_dump()
    if confidential:
        assert company == {"pseudonym": "Complainant ABCDEF", "confidential": True}
    else:
        assert company["name"] == "Nasrin" and "email" not in company
    for own_or_staff in (Standing.STAFF, Standing.COMPLAINANT):
        full = complainant_view(case, own_or_staff, IDENTITY).model_dump()
        assert full["name"] == "Nasrin" and full["email"] == "n@x.example"


@pytest.mark.parametrize("confidential", [True, False])
def test_the_api_and_email_apply_one_identity_rule(confidential: bool) -> None:
    assert identity_visible(confidential=confidential, to_staff=True, to_complainant=False)
    assert identity_visible(confidential=confidential, to_staff=False, to_complainant=True)
    others = identity_visible(confidential=confidential, to_staff=False, to_complainant=False)
    assert others is not confidential
    pairs = [
        (Standing.STAFF, Audience.SECRETARIAT),
        (Standing.STAFF, Audience.MEDIATOR),
        (Standing.COMPLAINANT, Audience.COMPLAINANT),
        (Standing.RESPONDENT, Audience.RESPONDENTS),
    ]
    for standing_, audience in pairs:
        assert sees_identity(standing_, confidential) is may_know_identity(audience, confidential)
    assert may_know_identity(Audience.STEERING_GROUP, confidential) is others


def test_standing_follows_role_organisation_assignment_and_code() -> None:
    case = state(confidential=True, mediator="joost")
    company = Viewer(
        user_id=1, username="c", role=Role.COMPANY, organisation_id="noorderlicht-fashion"
    )
    other = Viewer(user_id=2, username="d", role=Role.COMPANY, organisation_id="delta-denim")
    union = Viewer(user_id=3, username="u", role=Role.UNION, organisation_id="dhaka-gwu")
    assert standing(company, case) is Standing.RESPONDENT
    assert standing(other, case) is None
    assert standing(union, case) is Standing.COMPLAINANT
    assert standing(Viewer(code_for=case.reference), case) is Standing.COMPLAINANT
    assert standing(Viewer(code_for="GT-2026-BBBBB"), case) is None
    joost = Viewer(user_id=4, username="joost", role=Role.MEDIATOR, covenants=GARMENTS)
    assert standing(joost, case) is Standing.STAFF
    assert standing(Viewer(user_id=5, username="anna", role=Role.MEDIATOR), case) is None


@pytest.mark.parametrize("stage", [Stage.RECEIVED, Stage.SCREENING, Stage.CLOSED])
def test_the_company_does_not_know_of_a_complaint_before_registration(stage: Stage) -> None:
    company = Viewer(
        user_id=1, username="c", role=Role.COMPANY, organisation_id="noorderlicht-fashion"
    )
    union = Viewer(user_id=3, username="u", role=Role.UNION, organisation_id="dhaka-gwu")
    unregistered = state(confidential=False, stage=stage)  # closed in screening: referred
    assert standing(company, unregistered) is None
    assert standing(union, unregistered) is Standing.COMPLAINANT
    assert not shown_to_respondents(unregistered)
    signal = unregistered.model_copy(update={"kind": CaseKind.SIGNAL, "stage": Stage.SIGNAL})
    assert standing(company, signal) is None
    forwarded = signal.model_copy(update={"forwarded_at": signal.filed_at})
    assert standing(company, forwarded) is Standing.RESPONDENT
    dispute = unregistered.model_copy(update={"kind": CaseKind.DISPUTE, "stage": Stage.DIALOGUE})
    assert standing(company, dispute) is Standing.RESPONDENT
    assert (
        list_scope(Viewer()).nothing
        and list_scope(company).organisation_id == "noorderlicht-fashion"
    )


def test_a_recused_member_and_the_admin_see_no_case() -> None:
    case = state(confidential=True)
    committee = Viewer(user_id=6, username="committee", role=Role.COMMITTEE, covenants=GARMENTS)
    assert standing(committee, case) is Standing.STAFF
    recused = case.model_copy(
        update={"recusals": [Recusal(member="committee", reason="Conflict", at=case.filed_at)]}
    )
    assert standing(committee, recused) is None
    chair = Viewer(user_id=7, username="chair", role=Role.CHAIR, covenants=GARMENTS)
    assert standing(chair, recused) is Standing.STAFF
    admin = Viewer(user_id=8, username="admin", role=Role.ADMIN)
    assert standing(admin, case) is None and list_scope(admin).nothing


def test_staff_see_only_their_covenants_cases() -> None:
    case = state(confidential=True)  # a garments case
    stone = frozenset({"natural-stone"})
    for role in (Role.SECRETARIAT, Role.CHAIR, Role.COMMITTEE):
        ours = Viewer(user_id=1, username="a", role=role, covenants=GARMENTS | stone)
        theirs = Viewer(user_id=2, username="b", role=role, covenants=stone)
        nobody = Viewer(user_id=3, username="c", role=role)
        assert standing(ours, case) is Standing.STAFF
        assert standing(theirs, case) is None and standing(nobody, case) is None
        assert list_scope(theirs).covenants == stone and list_scope(nobody).nothing


def test_a_steering_group_sees_the_disputes_it_decides_and_nothing_else() -> None:
    stone = frozenset({"natural-stone"})
    member = Viewer(user_id=9, username="karin", role=Role.STEERING_GROUP, covenants=stone)
    complaint = state(confidential=False).model_copy(update={"covenant": "natural-stone"})
    dispute = complaint.model_copy(
        update={"kind": CaseKind.DISPUTE, "deciding_body": DecidingBody.STEERING_GROUP}
    )
    by_committee = dispute.model_copy(update={"deciding_body": DecidingBody.COMMITTEE})
    assert standing(member, dispute) is Standing.STAFF
    assert standing(member, complaint) is None and standing(member, by_committee) is None
    elsewhere = dispute.model_copy(update={"covenant": "garments-textile"})
    assert standing(member, elsewhere) is None
    scope = list_scope(member)
    assert scope.steering_group and scope.covenants == stone
    assert Role.STEERING_GROUP in who_may(dispute, ActionName.ISSUE_DECISION)
    assert Role.STEERING_GROUP not in who_may(by_committee, ActionName.ISSUE_DECISION)
