"""Who may learn a complainant's identity: the one rule for the API and for e-mail (pure)."""

from __future__ import annotations


def identity_visible(*, confidential: bool, to_staff: bool, to_complainant: bool) -> bool:
    """Whether the complainant's name, organisation and contact may be shown to this reader.

    Staff of the mechanism and the complainant themselves always see it; anyone else (the
    respondent company, a steering group, the public) only when the case is not confidential.
    ``confidential`` is the case's own flag (``CaseState.confidential``).
    """
    return to_staff or to_complainant or not confidential
