"""The small verbs every transition is built from, and the Transition they produce."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from domain.cases import (
    Actor,
    CaseStart,
    CaseState,
    DocumentRef,
    Event,
    Order,
    OrderInput,
    Plan,
)
from domain.deadlines import DeadlineRequest
from domain.enums import (
    Audience,
    CaseStatus,
    DeadlineState,
    NoticeKind,
    Outcome,
    Side,
    Stage,
    Visibility,
)
from domain.notices import Notice
from domain.words import DEADLINES

PARTY_AUDIENCES = [Audience.COMPLAINANT, Audience.RESPONDENTS]
SIDE_AUDIENCE = {Side.COMPLAINANT: Audience.COMPLAINANT, Side.RESPONDENT: Audience.RESPONDENTS}


def order_respondent(state: CaseState, order: OrderInput) -> str | None:
    """The organisation an order binds as recorded: on a per-company case with one
    respondent that company when the order names none; on an older case what it names."""
    if order.respondent is not None or not state.per_company:
        return order.respondent
    return state.respondents[0].organisation_id


@dataclass
class Transition:
    """A case after an action: its new state, the events and documents it added, the
    deadlines to open or move and the e-mails to send."""

    state: CaseState
    events: list[Event] = field(default_factory=list)
    documents: list[DocumentRef] = field(default_factory=list)
    opens: list[DeadlineRequest] = field(default_factory=list)
    resumed_from: datetime | None = None
    extend: tuple[str, datetime, str] | None = None
    notices: list[Notice] = field(default_factory=list)
    spawn: CaseStart | None = None  # a case split off, to start


class Builder:
    """Accumulates a transition; every change goes through one of its small verbs."""

    def __init__(self, state: CaseState, now: datetime, actor: Actor | None) -> None:
        self.t = Transition(state=state.model_copy(deep=True))
        self.s = self.t.state
        self.now = now
        self.actor = actor
        self.channel = actor.channel if actor else None  # recorded on each event it adds

    def event(
        self,
        type_: str,
        summary: str,
        *,
        visibility: Visibility = Visibility.PARTIES,
        text: str | None = None,
        party: str | None = None,
    ) -> int:
        """Append a timeline event (about one respondent only, with ``party``); its number."""
        seq = self.s.seq = self.s.last_seq + 1
        role = self.actor.side or self.actor.role if self.actor else None
        self.t.events.append(
            Event(
                seq=seq,
                at=self.now,
                type=type_,
                summary=summary,
                visibility=visibility,
                actor_role=str(role) if role else "system",
                text=text,
                party=party,
                channel=self.channel,
            )
        )
        return seq

    def notify(
        self,
        kind: NoticeKind,
        audiences: list[Audience],
        *,
        deadline: str | None = None,
        text: str | None = None,
        quote: int | None = None,
        party: str | None = None,
    ) -> None:
        """Queue an e-mail about the latest event (to one respondent only, with ``party``);
        ``quote`` is the event whose text it carries after ``text``."""
        key = f"{self.s.reference}/{self.s.last_seq}/{kind}/{len(self.t.notices)}"
        self.t.notices.append(
            Notice(
                key=key,
                kind=kind,
                audiences=self._told(
                    audiences, text=text, quote=quote, party=party, deadline=deadline
                ),
                stage=self.s.stage,
                deadline=deadline,
                text=text,
                quote=quote,
                party=party,
            )
        )

    def _told(
        self,
        audiences: list[Audience],
        *,
        text: str | None,
        quote: int | None,
        party: str | None,
        deadline: str | None,
    ) -> list[Audience]:
        """The audiences a notice may reach: one about a company routed to through its
        confidential list (``Party.disclosed`` false: its own deadline, or a lead or quoted
        event naming it) reaches neither the complainant nor the other companies; a case
        split off against such companies alone never writes to the complainant. The notice
        stays queued (to no one, at worst): the workflow's commands are the same either way."""
        hidden = {p.organisation_id: p.name for p in self.s.respondents if not p.disclosed}
        if not hidden:
            return audiences
        if self.s.split_from is not None and len(hidden) == len(self.s.respondents):
            audiences = [a for a in audiences if a is not Audience.COMPLAINANT]
        quoted = next((e for e in self.t.events if e.seq == quote), None) if quote else None
        texts = [text, quoted.summary, quoted.text] if quoted else [text]
        named = {o for o, name in hidden.items() if any(t and name in t for t in texts)}
        # The deadline the e-mail names, when no party narrows it: the first open by that name.
        parties = [d.party for d in self.s.open_deadlines() if d.name == deadline]
        parties += [r.party for r in self.t.opens if r.name == deadline]
        first = parties[0] if parties and party is None else None
        named |= {o for o in (party, quoted.party if quoted else None, first) if o in hidden}
        if not named:
            return audiences
        # The companies it would reach must all be among those it is about.
        reached = {
            p.organisation_id for p in self.s.respondents if party in (None, p.organisation_id)
        }
        return [
            a
            for a in audiences
            if a is not Audience.COMPLAINANT and (a is not Audience.RESPONDENTS or reached <= named)
        ]

    def open(
        self,
        name: str,
        owner: Audience,
        *,
        label: str | None = None,
        due_date: date | None = None,
        party: str | None = None,
    ) -> None:
        """Open a deadline: a procedure period from now, or the end of a given day."""
        self.t.opens.append(
            DeadlineRequest(
                name=name,
                label=label or DEADLINES[name],
                owner=owner,
                start=self.now,
                period=None if due_date else name,
                due_date=due_date,
                party=party,
            )
        )

    def meet(
        self, *names: str, state: DeadlineState = DeadlineState.MET, party: str | None = None
    ) -> None:
        """Mark the open deadlines with these names (and party) as met, or cancelled."""
        for d in self.s.deadlines:
            named = d.name in names or not names
            # A deadline without a party (cases filed before per-company deadlines) is everyone's.
            ours = party is None or d.party in (None, party)
            if d.state is DeadlineState.OPEN and named and ours:
                d.state, d.closed_at = state, self.now

    def enter(
        self,
        stage: Stage,
        summary: str,
        *,
        notify: bool = True,
        text: str | None = None,
        visibility: Visibility = Visibility.PARTIES,
    ) -> None:
        """Move to another stage (with the actor's note or reasons, if any); tell the parties."""
        self.s.stage = stage
        self.event("stage_changed", summary, text=text or None, visibility=visibility)
        if notify:
            self.notify(NoticeKind.STAGE_CHANGED, [Audience.COMPLAINANT])

    def close(self, outcome: Outcome, summary: str, text: str) -> None:
        """Close the case: every deadline is cancelled, the parties are told."""
        self.meet(state=DeadlineState.CANCELLED)
        self.s.stage, self.s.status, self.s.outcome = Stage.CLOSED, CaseStatus.CLOSED, outcome
        self.s.closed_at, self.s.closing_summary = self.now, text
        self.s.suspended_at = self.s.information_request = None
        seq = self.event("closed", summary, text=text)
        audiences = [*PARTY_AUDIENCES, Audience.SECRETARIAT]
        self.notify(NoticeKind.CLOSED, audiences, quote=seq)

    def orders(self, orders: list[OrderInput]) -> None:
        """Record remediation orders, each due at the end of its day (and, per company, the
        deadline that company's)."""
        for i, order in enumerate(orders, start=len(self.s.orders) + 1):
            binds = order_respondent(self.s, order)
            self.s.orders.append(Order(number=i, text=order.text, due=order.due, respondent=binds))
            label = f"Order {i}: {order.text[:80]}"
            party = binds if self.s.per_company else None
            self.open(
                f"order-{i}", Audience.RESPONDENTS, label=label, due_date=order.due, party=party
            )

    def remediation(self, orders: list[OrderInput]) -> None:
        """Enter remediation: orders recorded, a plan asked of the company (of each company
        an order binds, on a case filed since plans are per company)."""
        if not self.s.per_company:
            self.s.plan = Plan()
            self.enter(Stage.REMEDIATION, "Remediation: the company is to submit a plan")
            self.orders(orders)
            self.open("remediation_plan", Audience.RESPONDENTS)
            self.notify(
                NoticeKind.COMPANY_NOTICE, [Audience.RESPONDENTS], deadline="remediation_plan"
            )
            return
        self.enter(Stage.REMEDIATION, "Remediation: each company is to submit its plan")
        self.orders(orders)
        bound = {o.respondent for o in self.s.orders}
        companies = [p for p in self.s.respondents if not bound or p.organisation_id in bound]
        for party in companies:
            org = party.organisation_id
            self.s.plans[org] = Plan()
            self.open(
                "remediation_plan",
                Audience.RESPONDENTS,
                label=f"Remediation plan of {party.name}",
                party=org,
            )
            self.notify(
                NoticeKind.COMPANY_NOTICE,
                [Audience.RESPONDENTS],
                deadline="remediation_plan",
                party=org,
            )

    def hearing(self, summary: str) -> None:
        """Send the case to a hearing before the deciding body."""
        self.enter(Stage.HEARING, summary)
        self.open("hearing", Audience.SECRETARIAT)
        self.notify(NoticeKind.STAGE_CHANGED, [Audience.RESPONDENTS, Audience.SECRETARIAT])
