"""Who may learn of a case and of its complainant: the rules for the API and e-mail (pure)."""

from __future__ import annotations

from domain.cases import CaseState
from domain.enums import CaseKind, Stage

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
