"""One case's read model against its workflow's state: each field that differs, by name.

Values are told as stages, statuses, sequence numbers, dates and organisation ids only:
never a text of the case, so a report can be shown to whoever runs the check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from pydantic import ValidationError

from domain.cases import CaseState
from domain.enums import DeadlineState
from store.projected import ProjectedCase

GONE = "no workflow (deleted, or kept no longer than its retention period)"
ABSENT = "absent"
# Content the workflow keeps out of its state: the read model alone holds it.
NOT_IN_STATE = {"events", "documents"}


@dataclass(frozen=True)
class Difference:
    """One field of one case on which the read model and the workflow disagree."""

    reference: str
    field: str
    read_model: str
    workflow: str


@dataclass(frozen=True)
class NoState:
    """Why a case's workflow gave no state: it is gone, or its query failed."""

    reason: str


def _due(moment: datetime | date) -> str:
    if isinstance(moment, datetime):
        return moment.astimezone(UTC).isoformat()
    return moment.isoformat()


def _deadline(name: str, party: str | None, due: datetime) -> str:
    return f"{name}{f' for {party}' if party else ''}, due {_due(due)}"


def compare(
    reference: str, found: ProjectedCase | None, state: CaseState | NoState
) -> list[Difference]:
    """The differences between the case as projected (None: no row) and its workflow."""
    if isinstance(state, NoState):
        if found is None:
            return [Difference(reference, "case", ABSENT, state.reason)]
        held = f"{found.row.stage}, {found.row.status}"
        return [Difference(reference, "workflow", held, state.reason)]
    if found is None:
        return [Difference(reference, "case", ABSENT, f"{state.stage}, {state.status}")]
    out: list[Difference] = []

    def differ(name: str, ours: object, theirs: object) -> None:
        if ours != theirs:
            out.append(Difference(reference, name, str(ours), str(theirs)))

    row = found.row
    differ("stage", row.stage, state.stage.value)
    differ("status", row.status, state.status.value)
    differ("last_seq", row.last_seq, state.last_seq)
    if (found.event_count, found.last_event) != (state.last_seq, state.last_seq):
        out.append(
            Difference(
                reference,
                "events",
                f"{found.event_count} events, the last {found.last_event}",
                f"{state.last_seq} events, the last {state.last_seq}",
            )
        )
    snapshot = _snapshot(row.snapshot)
    out += _deadlines(reference, found, snapshot, state)
    held_orders = {o.number: f"{o.status}, due {_due(o.due)}" for o in found.orders}
    live_orders = {o.number: f"{o.status.value}, due {_due(o.due)}" for o in state.orders}
    for number in sorted(held_orders.keys() | live_orders.keys()):
        differ(f"order {number}", held_orders.get(number, ABSENT), live_orders.get(number, ABSENT))
    differ(
        "respondents",
        ", ".join(sorted(found.respondents)),
        ", ".join(sorted(p.organisation_id for p in state.respondents)),
    )
    differ(
        "recusals",
        ", ".join(sorted(found.recusals)),
        ", ".join(sorted({r.member for r in state.recusals})),
    )
    if snapshot is None:
        out.append(Difference(reference, "snapshot", "unreadable", "the workflow's state"))
    elif changed := _changed_fields(snapshot, state):
        out.append(
            Difference(reference, "snapshot", f"differs in {', '.join(changed)}", "the state")
        )
    return out


def _snapshot(text: str) -> CaseState | None:
    try:
        return CaseState.model_validate_json(text)
    except ValidationError:
        return None


def _deadlines(
    reference: str, found: ProjectedCase, snapshot: CaseState | None, state: CaseState
) -> list[Difference]:
    """Open deadlines by id: name, respondent and due date. The deadline rows carry no
    respondent; the snapshot, written with them, does."""
    parties = {d.id: d.party for d in snapshot.deadlines} if snapshot is not None else {}
    held = {
        d.id: _deadline(d.name, parties.get(d.id), d.due)
        for d in found.deadlines
        if d.state == DeadlineState.OPEN.value
    }
    live = {d.id: _deadline(d.name, d.party, d.due) for d in state.open_deadlines()}
    return [
        Difference(reference, f"deadline {key}", held.get(key, ABSENT), live.get(key, ABSENT))
        for key in sorted(held.keys() | live.keys())
        if held.get(key) != live.get(key)
    ]


def _changed_fields(snapshot: CaseState, state: CaseState) -> list[str]:
    """Names of the state's fields the snapshot holds otherwise (not their values)."""
    ours: dict[str, Any] = snapshot.model_dump(mode="json", exclude=NOT_IN_STATE)
    theirs: dict[str, Any] = state.model_dump(mode="json", exclude=NOT_IN_STATE)
    return sorted(
        name for name in ours.keys() | theirs.keys() if ours.get(name) != theirs.get(name)
    )
