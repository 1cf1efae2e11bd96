"""Merging a complaint into another case about the same matter (pure).

The merged (source) case closes with the outcome ``merged`` and points to the case that
goes on (``merged_into``); that case records it (``merged_from``) and gains the source's
complainants as complainants of its own, each with its own access code, language and
confidentiality (their intake records are copied by the ``copy_intake`` activity; no
identity passes through the workflows).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from domain.cases import CaseState
from domain.effects import Builder, Transition
from domain.enums import Audience, CaseKind, CaseStatus, NoticeKind, Stage
from domain.errors import ActionRefused, InvalidAction, WrongStage

MERGEABLE = frozenset({Stage.SCREENING, Stage.ADMISSIBILITY, Stage.RESPONSE})
# The signal the source's workflow sends the target's (``CaseWorkflow.absorb``).
ABSORB_SIGNAL = "absorb"


class MergeIn(BaseModel):
    """What the case merged into another tells that other case's workflow."""

    source: str
    pseudonym: str  # the source complainant's pseudonym: what companies call it
    confidential: bool
    complainant_organisation_id: str | None = None
    # How many complainants the merged case brings (its records are copied in that order),
    # and which of them (numbered there) had withdrawn. None in a signal recorded before
    # complainants were counted: the case it joins then goes on as it did (one complainant
    # withdrawing withdraws the case), so that its history replays unchanged.
    complainants: int | None = None
    withdrawn: list[int] = Field(default_factory=list)


def remaining_complainants(state: CaseState) -> list[int]:
    """The numbers of the case's complainants that have not withdrawn from it."""
    gone = set(state.withdrawn_complainants)
    return [n for n in range(1, state.complainants + 1) if n not in gone]


def several_complainants(state: CaseState) -> bool:
    """Whether each complainant acts for itself: more than one was counted into the case."""
    return state.complainants > 1


def merge_refusal(state: CaseState) -> str | None:
    """Why this case cannot be merged into another now, or None."""
    if state.kind is not CaseKind.COMPLAINT:
        return "only a complaint can be merged into another case"
    if state.merged_into is not None:
        return f"the case was already merged into {state.merged_into}"
    return None


def target_refusal(
    source: CaseState, target: CaseState | None, reference: str
) -> ActionRefused | None:
    """Why ``source`` cannot be merged into the case ``reference`` (``target``, as the read
    model holds it, None if unknown): 422 for a case that does not fit, 409 for one that
    cannot take it now."""
    if reference == source.reference:
        return InvalidAction("a case cannot be merged into itself", field="target")
    if target is None or target.kind is not CaseKind.COMPLAINT:
        return InvalidAction(f"there is no complaint {reference}", field="target")
    if target.covenant != source.covenant:
        return InvalidAction(
            f"case {reference} is under another covenant ({target.covenant})", field="target"
        )
    if target.merged_into is not None:
        return WrongStage(f"case {reference} was itself merged into {target.merged_into}")
    if target.status is CaseStatus.CLOSED:
        return WrongStage(f"case {reference} is closed")
    if source.reference in target.merged_from:
        return WrongStage(f"the case was already merged into {reference}")
    return None


def merge_in_of(state: CaseState) -> MergeIn:
    """The message the merged case sends the case it was merged into."""
    return MergeIn(
        source=state.reference,
        pseudonym=state.pseudonym,
        confidential=state.confidential,
        complainant_organisation_id=state.complainant_organisation_id,
        complainants=state.complainants,
        withdrawn=list(state.withdrawn_complainants),
    )


def absorb(state: CaseState, merge: MergeIn, now: datetime) -> Transition | None:
    """The case a complaint was merged into takes it on; None when it already has (a retry)
    or can no longer (closed meanwhile)."""
    if merge.source in state.merged_from or state.status is CaseStatus.CLOSED:
        return None
    b = Builder(state, now, None)
    b.s.merged_from.append(merge.source)
    joining = merge.complainant_organisation_id
    if joining and joining != state.complainant_organisation_id:
        if joining not in b.s.joined_organisations:
            b.s.joined_organisations.append(joining)
    if merge.complainants is not None:
        # Its records are numbered after this case's (``activities.intake.copy_merged``).
        offset = b.s.complainants
        b.s.complainants += merge.complainants
        b.s.withdrawn_complainants += [offset + n for n in merge.withdrawn]
    summary = f"Case {merge.source} was merged into this case; its complainant joins this one"
    b.event("merged_from", summary)
    b.notify(
        NoticeKind.MESSAGE,
        [Audience.COMPLAINANT, Audience.RESPONDENTS, Audience.SECRETARIAT],
        text=f"Case {merge.source} about the same matter was merged into this case.",
    )
    return b.t
