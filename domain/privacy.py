"""Who may learn of a case and of its complainant: the rules for the API and e-mail (pure)."""

from __future__ import annotations

from pathlib import PurePosixPath

from domain.cases import CaseState, Event
from domain.enums import CaseKind, Side, Stage

# Stages in which a complaint or signal is the mechanism's alone: screened for reprisal
# risks before any company hears of it.
UNSEEN_STAGES = frozenset({Stage.RECEIVED, Stage.SCREENING, Stage.SIGNAL})
# Deadlines a case may have had without being registered or passed on.
BEFORE_REGISTRATION = frozenset({"register", "information"})


def shown_to_respondents(state: CaseState) -> bool:
    """Whether the respondent companies may know of the case (API.md).

    A complaint once the secretariat has registered it, a signal once it is passed on; a
    dispute from the start (it is brought against them). A case closed in screening (referred
    out, withdrawn) never was.
    """
    if state.kind is CaseKind.DISPUTE or state.forwarded_at is not None:
        return True
    if state.stage is Stage.CLOSED:
        return any(d.name not in BEFORE_REGISTRATION for d in state.deadlines)
    return state.stage not in UNSEEN_STAGES


def identity_visible(*, confidential: bool, to_staff: bool, to_complainant: bool) -> bool:
    """Whether the complainant's name, organisation and contact may be shown to this reader.

    Staff of the mechanism and the complainant themselves always see it; anyone else (the
    respondent company, a steering group, the public) only when the case is not confidential.
    ``confidential`` is the case's own flag (``CaseState.confidential``).
    """
    return to_staff or to_complainant or not confidential


def neutral_name(number: int, filename: str) -> str:
    """The name a document is shown by to those who may not see its own: "Document 3.pdf"."""
    suffix = PurePosixPath(filename).suffix.lower()
    suffix = suffix if suffix[1:].isalnum() and len(suffix) <= 6 else ""
    return f"Document {number}{suffix}"


def neutral_names(state: CaseState) -> dict[str, str]:
    """The name a respondent company sees for each file the complainant's side uploaded
    ("Document N.ext"; a name like "Rahima_Akter_dismissal.pdf" can tell who complains, or
    which worker spoke), by document id."""
    return {
        d.id: neutral_name(number, d.filename)
        for number, d in enumerate(state.documents, start=1)
        if d.by_side is Side.COMPLAINANT
    }


def renamed_events(events: list[Event], state: CaseState) -> list[Event]:
    """The events with the neutral names of ``neutral_names`` in their document entries."""
    shown = neutral_names(state)
    # A document and its timeline entry share the moment of the step that added them.
    renamed = {d.at: f"Document added: {shown[d.id]}" for d in state.documents if d.id in shown}
    return [
        e.model_copy(update={"summary": renamed[e.at]})
        if e.type == "document_added" and e.at in renamed
        else e
        for e in events
    ]


def with_neutral_names(state: CaseState) -> CaseState:
    """The case as a respondent company sees it: ``neutral_names`` in the document list and
    in the timeline."""
    shown = neutral_names(state)
    documents = [
        d.model_copy(update={"filename": shown[d.id]}) if d.id in shown else d
        for d in state.documents
    ]
    events = renamed_events(state.events, state)
    return state.model_copy(update={"documents": documents, "events": events})
