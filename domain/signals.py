"""Signals: a report passed on to the companies that source there, before any complaint (pure).

The secretariat forwards the signal; each company does its due diligence by its own date
and reports on it; the secretariat closes the signal or turns it into a formal complaint.
"""

from __future__ import annotations

from typing import assert_never

from domain import actions as a
from domain.cases import Actor
from domain.effects import Builder
from domain.enums import Audience, CaseKind, DeadlineState, NoticeKind, Stage

FORWARD_LABEL = "Pass the signal on to the companies"


def start_signal(b: Builder) -> None:
    """A new signal waits for the secretariat to pass it on, by a register-like deadline."""
    b.event("filed", "Signal received")
    b.notify(NoticeKind.RECEIPT, [Audience.COMPLAINANT])
    b.enter(Stage.SIGNAL, "Signal: the secretariat passes it on to the companies", notify=False)
    b.open("register", Audience.SECRETARIAT, label=FORWARD_LABEL)
    b.notify(NoticeKind.STAGE_CHANGED, [Audience.SECRETARIAT], deadline="register")


def apply_signal(b: Builder, actor: Actor, action: a.SignalAction) -> None:
    """The effect of a signal action that ``rules.check`` accepted."""
    s = b.s
    match action:
        case a.ForwardSignal(note=note):
            s.forwarded_at = b.now
            b.meet("register")
            # Named to every party: the companies it may know of (``Party.disclosed``).
            shown = [p for p in s.respondents if p.disclosed] or s.respondents
            names = ", ".join(p.name for p in shown)
            seq = b.event("signal_forwarded", f"Passed on to {names}", text=note or None)
            for party in s.respondents:  # each company answers for itself, by its own date
                org = party.organisation_id
                label = f"Due diligence and remediation by {party.name}"
                b.open("due_diligence", Audience.RESPONDENTS, label=label, party=org)
                # The template asks for due diligence; ``text`` is the secretariat's own note.
                b.notify(
                    NoticeKind.SIGNAL_NOTICE,
                    [Audience.RESPONDENTS],
                    deadline="due_diligence",
                    quote=seq if note else None,
                    party=org,
                )
            # The reporter is not told of a company routed to through its confidential list
            # (``Party.disclosed``): the count is of the others (one at least: it went somewhere).
            count = max(1, sum(p.disclosed for p in s.respondents))
            companies = "company that sources" if count == 1 else f"{count} companies that source"
            b.notify(
                NoticeKind.MESSAGE,
                [Audience.COMPLAINANT],
                text=f"Your report was passed on to the {companies} from the location, "
                "with a request for due diligence and remediation.",
            )
        case a.ReportDueDiligence(text=text):
            org = actor.organisation_id or ""
            s.due_diligence[org] = b.now
            b.meet("due_diligence", party=org)
            company = next((p for p in s.respondents if p.organisation_id == org), None)
            name = company.name if company is not None else "The company"
            # An undisclosed company's report is for staff and itself (``Party.disclosed``).
            told = company is None or company.disclosed
            summary = f"{name} reported on its due diligence"
            b.event("due_diligence_reported", summary, text=text, party=None if told else org)
            b.notify(
                NoticeKind.MESSAGE,
                [Audience.COMPLAINANT, Audience.SECRETARIAT] if told else [Audience.SECRETARIAT],
                text=f"{name} has reported on its due diligence and remediation.",
            )
        case a.ConvertToComplaint(reason=reason):
            forwarded = s.forwarded_at is not None
            b.meet(state=DeadlineState.CANCELLED)  # the signal's own deadlines end here
            s.kind, s.converted_at = CaseKind.COMPLAINT, b.now
            seq = b.event("converted_to_complaint", "Turned into a formal complaint", text=reason)
            b.enter(Stage.SCREENING, "Screening by the secretariat", notify=False)
            b.open("register", Audience.SECRETARIAT)
            b.notify(NoticeKind.STAGE_CHANGED, [Audience.SECRETARIAT], deadline="register")
            b.notify(
                NoticeKind.STAGE_CHANGED,
                [Audience.COMPLAINANT],
                text="Your report is now handled as a formal complaint.",
                quote=seq,
            )
            if forwarded:  # companies that never heard of the signal learn of it at registration
                b.notify(
                    NoticeKind.MESSAGE,
                    [Audience.RESPONDENTS],
                    text="The signal passed on to your company is now handled as a formal "
                    "complaint (same reference). The committee will tell you what is asked "
                    "of you and by when.",
                )
        case _:
            assert_never(action)
