"""Who may learn of a case and of its complainant: the rules for the API and e-mail (pure)."""

from __future__ import annotations

from pathlib import PurePosixPath

from domain.cases import CaseState
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


def with_neutral_names(state: CaseState) -> CaseState:
    """The case as a respondent company sees it: a file the complainant's side uploaded is
    named "Document N.ext" (a name like "Rahima_Akter_dismissal.pdf" can tell who complains,
    or which worker spoke), in the document list and in the timeline."""
    renamed: dict[tuple[str, object], str] = {}
    documents = []
    for number, document in enumerate(state.documents, start=1):
        if document.by_side is not Side.COMPLAINANT:
            documents.append(document)
            continue
        shown = neutral_name(number, document.filename)
        renamed[(f"Document added: {document.filename}", document.at)] = f"Document added: {shown}"
        documents.append(document.model_copy(update={"filename": shown}))
    events = [
        e.model_copy(update={"summary": renamed[(e.summary, e.at)]})
        if e.type == "document_added" and (e.summary, e.at) in renamed
        else e
        for e in state.events
    ]
    return state.model_copy(update={"documents": documents, "events": events})
