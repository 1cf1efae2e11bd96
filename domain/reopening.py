"""Reopening a closed case: the chair sends it back to an open stage, with a reason (pure).

A closed case's workflow has usually finished: the service then starts a new run of it
whose start input carries the closed state and the reopening (``CaseStart.reopening``),
and that run applies it as its first step (``workflows.case``).
"""

from __future__ import annotations

from domain.cases import CaseState
from domain.effects import PARTY_AUDIENCES, Builder
from domain.enums import Audience, CaseKind, CaseStatus, NoticeKind, Outcome, Stage

# The stages a case may be reopened to, with the deadline that stage opens and whose it is.
REOPEN_DEADLINE: dict[Stage, tuple[str, Audience]] = {
    Stage.SCREENING: ("register", Audience.SECRETARIAT),
    Stage.ADMISSIBILITY: ("admissibility", Audience.CHAIR),
    Stage.RESPONSE: ("response", Audience.RESPONDENTS),
    Stage.MEDIATION: ("mediation", Audience.MEDIATOR),
    Stage.DIALOGUE: ("dialogue", Audience.SECRETARIAT),
    Stage.HEARING: ("hearing", Audience.SECRETARIAT),
    Stage.DECISION: ("decision", Audience.CHAIR),
}
COMPLAINT_ONLY = frozenset({Stage.SCREENING, Stage.ADMISSIBILITY, Stage.RESPONSE})
DISPUTE_ONLY = frozenset({Stage.DIALOGUE})


def reopen_refusal(state: CaseState) -> str | None:
    """Why the case cannot be reopened at all, or None."""
    if state.status is not CaseStatus.CLOSED:
        return "only a closed case can be reopened"
    if state.outcome is Outcome.MERGED:
        return f"the case was merged into {state.merged_into}: it goes on there"
    if state.kind is CaseKind.SIGNAL:
        return "a signal is not reopened: file a complaint"
    return None


def stage_refusal(state: CaseState, stage: Stage) -> str | None:
    """Why the case cannot be reopened to that stage, or None."""
    if stage not in REOPEN_DEADLINE:
        names = ", ".join(str(s) for s in REOPEN_DEADLINE)
        return f"a case is reopened to one of: {names}"
    if state.kind is CaseKind.DISPUTE and stage in COMPLAINT_ONLY:
        return f"a dispute has no {stage} stage"
    if state.kind is CaseKind.COMPLAINT and stage in DISPUTE_ONLY:
        return f"a complaint has no {stage} stage"
    return None


def reopen(b: Builder, stage: Stage, reason: str) -> None:
    """Reopen the closed case to ``stage``: its deadline opens again, the parties are told."""
    s = b.s
    s.status, s.outcome, s.closed_at, s.closing_summary = CaseStatus.OPEN, None, None, None
    s.reopened_at = b.now
    b.event("reopened", "Reopened by the chair", text=reason)
    b.enter(stage, "Reopened: the case continues in this stage", notify=False)
    name, owner = REOPEN_DEADLINE[stage]
    if owner is Audience.RESPONDENTS:
        for party in s.respondents:  # each company answers for itself, by its own date
            s.responses.pop(party.organisation_id, None)
            label = f"Response of {party.name}"
            b.open(name, owner, label=label, party=party.organisation_id)
        s.response_submitted_at = None
    else:
        b.open(name, owner)
    audiences = [*PARTY_AUDIENCES, Audience.SECRETARIAT]
    b.notify(NoticeKind.STAGE_CHANGED, audiences, deadline=name)
    # The deadline it names is a company's the complainant may not know of (routed to through
    # its confidential list): the complainant is told of the stage without it. (Only cases
    # with such a company send this second notice: other histories replay alike.)
    told = b.t.notices[-1].audiences
    if Audience.COMPLAINANT not in told and _complainant_may_know(s):
        b.notify(NoticeKind.STAGE_CHANGED, [Audience.COMPLAINANT])


def _complainant_may_know(state: CaseState) -> bool:
    """Whether the complainant may hear of the case (not one split off against companies
    routed to through their confidential lists alone)."""
    return state.split_from is None or any(p.disclosed for p in state.respondents)
