"""Splitting a case per company: the complaint against one respondent continues on its own.

The split-off case keeps the complainant, the facts and the stage reached; the original
case goes on against the other companies (pure).
"""

from __future__ import annotations

from domain.cases import CaseStart, CaseState, Party, going_on
from domain.effects import Builder
from domain.enums import Audience, CaseKind, DeadlineState, NoticeKind, Stage, Visibility

SPLITTABLE = frozenset(
    {Stage.SCREENING, Stage.ADMISSIBILITY, Stage.RESPONSE, Stage.MEDIATION, Stage.HEARING}
)
# The deadline a split-off case opens for the stage it continues in, and whose it is.
STAGE_DEADLINE = {
    Stage.SCREENING: ("register", Audience.SECRETARIAT),
    Stage.ADMISSIBILITY: ("admissibility", Audience.CHAIR),
    Stage.RESPONSE: ("response", Audience.RESPONDENTS),
    Stage.MEDIATION: ("mediation", Audience.MEDIATOR),
    Stage.HEARING: ("hearing", Audience.SECRETARIAT),
}


def split_refusal(state: CaseState) -> str | None:
    """Why the case cannot be split now, or None."""
    if state.kind is not CaseKind.COMPLAINT or state.stage not in SPLITTABLE:
        return "only a complaint before its decision can be split"
    if len(state.respondents) < 2:
        return "the case has a single respondent"
    return None


def split_off(b: Builder, organisation_id: str) -> CaseStart:
    """Take one respondent out of the case; returns the start of the case that continues."""
    return split_off_several(b, [organisation_id])


def split_off_several(
    b: Builder, organisation_ids: list[str], *, stage: Stage | None = None
) -> CaseStart:
    """Take these respondents out of the case together; returns the start of the case that
    continues against them, in ``stage`` (by default the stage this case has reached)."""
    s = b.s
    taken = set(organisation_ids)
    parties = [p for p in s.respondents if p.organisation_id in taken]
    reference = f"{s.reference}-{len(s.splits) + 2}"
    s.splits.append(reference)
    s.respondents = [p for p in s.respondents if p.organisation_id not in taken]
    for d in s.deadlines:
        if d.state is DeadlineState.OPEN and d.party in taken:
            d.state, d.closed_at = DeadlineState.CANCELLED, b.now
    responded = {k: v for k, v in s.responses.items() if k in taken}
    s.responses = {k: v for k, v in s.responses.items() if k not in taken}
    if s.responses and all(p.organisation_id in s.responses for p in s.respondents):
        s.response_submitted_at = s.response_submitted_at or b.now
    # A company routed to through its confidential list (``Party.disclosed`` false) is not
    # named to the parties; split off alone, only staff hear of it.
    disclosed = [p for p in parties if p.disclosed]
    names = " and ".join(p.name for p in disclosed or parties)
    seen = Visibility.PARTIES if disclosed else Visibility.COMMITTEE
    b.event(
        "split", f"The complaint against {names} continues as case {reference}", visibility=seen
    )
    b.notify(
        NoticeKind.MESSAGE,
        [Audience.COMPLAINANT, Audience.SECRETARIAT] if disclosed else [Audience.SECRETARIAT],
        text=f"The complaint against {names} continues as case {reference}.",
    )
    return going_on(
        s,
        reference=reference,
        respondents=parties,
        split_from=s.reference,
        stage=stage or s.stage,
        responses=responded,
    )


def start_split(b: Builder, start: CaseStart) -> None:
    """A split-off case: it picks up in the stage the original case had reached."""
    assert start.stage is not None and start.split_from is not None
    party: Party = start.respondents[0]
    names = " and ".join(p.name for p in start.respondents)
    b.s.responses = dict(start.responses)
    if start.responses:
        b.s.response_submitted_at = next(iter(start.responses.values()))
    b.event("filed", f"Split off from case {start.split_from}: the complaint against {names}")
    b.enter(start.stage, "Continues in the stage the original case had reached", notify=False)
    name, owner = STAGE_DEADLINE[start.stage]
    if not (name == "response" and start.responses):
        org = party.organisation_id if owner is Audience.RESPONDENTS else None
        b.open(name, owner, party=org)
    b.notify(
        NoticeKind.MESSAGE,
        [Audience.RESPONDENTS, Audience.SECRETARIAT],
        text=f"The complaint concerning {names} continues as case {start.reference}.",
    )
