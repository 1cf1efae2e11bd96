"""The receiver's one SMTP answer for a message to one or more recipients."""

from __future__ import annotations

from redress.mail_receiver import ACCEPTED, LATER, REFUSED, smtp_answer
from services.inbound_mail import Handled, Outcome

POSTED = Handled(Outcome.POSTED)
SILENT = Handled(Outcome.REFUSED, "forged token")
TOLD = Handled(Outcome.REFUSED, "no longer", told="this address no longer reaches the case")


def test_one_answer_for_all_recipients() -> None:
    assert smtp_answer([POSTED]) == ACCEPTED
    assert smtp_answer([Handled(Outcome.IGNORED)]) == ACCEPTED
    assert smtp_answer([POSTED, SILENT]) == ACCEPTED  # posted once: a bounce would lie
    assert smtp_answer([POSTED, Handled(Outcome.RETRY)]) == LATER  # the redelivery posts once
    assert smtp_answer([SILENT]) == REFUSED  # a forger learns nothing
    assert smtp_answer([SILENT, TOLD]) == f"{REFUSED}: this address no longer reaches the case"
    assert smtp_answer([]) == ACCEPTED
