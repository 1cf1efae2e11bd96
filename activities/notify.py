"""Sends a case's notices by e-mail: audiences to people, identity masked, sent at most once."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy import Engine, update
from sqlmodel import Session, col
from temporalio import activity
from temporalio.exceptions import ApplicationError

from domain.cases import CaseState, Notice, NoticeRequest
from domain.enums import Audience, DeadlineState, NoticeKind, Role
from domain.privacy import identity_visible
from notifications.mailer import Mailer, MailRejected, OutgoingMail, message_id
from notifications.render import NoticeContext, render
from redress.links import portal_url, tracking_url
from redress.settings import Settings
from store import case_content, queries
from store.db import session_scope
from store.tables import Complainant, Outbox, User

# The mechanism's own people: like the complainant, they may know who complains.
STAFF_AUDIENCES = frozenset(
    {Audience.SECRETARIAT, Audience.CHAIR, Audience.COMMITTEE, Audience.MEDIATOR}
)
STAFF_AUDIENCE_ROLES = {
    Audience.SECRETARIAT: Role.SECRETARIAT,
    Audience.CHAIR: Role.CHAIR,
    Audience.COMMITTEE: Role.COMMITTEE,
}
STEERING_GROUP_LANGUAGE = "nl"  # the covenants' steering groups sit in the Netherlands

__all__ = ["NoticeRequest", "NotifyActivities", "Recipient", "resolve_recipients"]


@dataclass(frozen=True)
class Recipient:
    """One address to write to, and as whom."""

    address: str
    name: str
    language: str
    audience: Audience
    # The complainant's own contact address: the only one that gets the access code.
    is_complainant_contact: bool = False


@dataclass(frozen=True)
class PreparedMail:
    mail: OutgoingMail
    is_complainant_contact: bool


def may_know_identity(audience: Audience, confidential: bool) -> bool:
    """Whether this audience may learn who the complainant is (``domain.privacy``'s rule)."""
    return identity_visible(
        confidential=confidential,
        to_staff=audience in STAFF_AUDIENCES,
        to_complainant=audience is Audience.COMPLAINANT,
    )


def complainant_display(
    state: CaseState,
    complainant: Complainant | None,
    organisation_name: str | None,
    audience: Audience,
) -> str:
    """How the complainant is named to this audience: the pseudonym unless it may know."""
    if not may_know_identity(audience, state.confidential):
        return state.pseudonym
    if complainant is not None:
        if complainant.organisation:
            return f"{complainant.name} ({complainant.organisation})"
        return complainant.name
    return organisation_name or state.pseudonym


def _users(users: list[User], audience: Audience, exclude: set[str]) -> list[Recipient]:
    return [
        Recipient(u.email, u.display_name, u.language, audience)
        for u in users
        if u.email and u.username not in exclude
    ]


def _assigned_mediator(session: Session, state: CaseState) -> User | None:
    """The case's mediator if that name is an active user with the mediator role."""
    if not state.mediator:
        return None
    user = queries.find_user(session=session, username=state.mediator)
    if user is None or not user.active or user.role != Role.MEDIATOR:
        return None
    return user


def resolve_recipients(
    *, session: Session, state: CaseState, complainant: Complainant | None, notice: Notice
) -> list[Recipient]:
    """The people each audience of the notice stands for, one entry per address."""
    recused = {r.member for r in state.recusals}
    found: list[Recipient] = []
    for audience in notice.audiences:
        if audience is Audience.COMPLAINANT:
            if complainant is not None and complainant.email:
                found.append(
                    Recipient(
                        complainant.email,
                        complainant.name,
                        complainant.language,
                        audience,
                        is_complainant_contact=True,
                    )
                )
            if state.complainant_organisation_id:
                users = queries.users_of_organisation(
                    session=session, organisation_id=state.complainant_organisation_id
                )
                found += _users(users, audience, set())
        elif audience is Audience.RESPONDENTS:
            # A notice about one company's own deadline goes to that company alone.
            parties = [p for p in state.respondents if notice.party in (None, p.organisation_id)]
            for party in parties:
                users = queries.users_of_organisation(
                    session=session, organisation_id=party.organisation_id
                )
                found += _users(users, audience, set())
                org = queries.get_organisation(
                    session=session, organisation_id=party.organisation_id
                )
                if org is not None and org.email:
                    found.append(Recipient(org.email, org.name, org.language, audience))
        elif audience in STAFF_AUDIENCE_ROLES:
            users = queries.users_with_role(session=session, role=STAFF_AUDIENCE_ROLES[audience])
            found += _users(users, audience, recused)
        elif audience is Audience.MEDIATOR:
            mediator = _assigned_mediator(session, state)
            reached = _users([mediator], audience, recused) if mediator is not None else []
            if not reached:
                # Never all mediators: a case not assigned to them is confidential to them.
                users = queries.users_with_role(session=session, role=Role.SECRETARIAT)
                reached = _users(users, Audience.SECRETARIAT, recused)
            found += reached
        elif audience is Audience.STEERING_GROUP:
            covenant = queries.latest_covenant(session=session, slug=state.covenant)
            if covenant is not None and covenant.steering_group_email:
                name = f"Steering group, {state.covenant_name}"
                found.append(
                    Recipient(
                        covenant.steering_group_email, name, STEERING_GROUP_LANGUAGE, audience
                    )
                )
    return _deduplicate(found, state.confidential)


def _deduplicate(recipients: list[Recipient], confidential: bool) -> list[Recipient]:
    """One entry per address (case-blind); if any entry must not see the identity, none does."""
    by_address: dict[str, Recipient] = {}
    for recipient in recipients:
        key = recipient.address.strip().lower()
        kept = by_address.get(key)
        if kept is None:
            by_address[key] = recipient
        elif (
            not may_know_identity(recipient.audience, confidential)
            and not kept.is_complainant_contact
        ):
            by_address[key] = replace(kept, audience=recipient.audience)
    return list(by_address.values())


def _deadline_label(state: CaseState, notice: Notice) -> str | None:
    if notice.deadline is None:
        return None
    # A notice for one company names that company's own deadline (each has its own label).
    matching = [
        d
        for d in state.deadlines
        if d.name == notice.deadline and (notice.party is None or d.party in (None, notice.party))
    ]
    open_first = sorted(matching, key=lambda d: d.state is not DeadlineState.OPEN)
    return open_first[0].label if open_first else notice.deadline.replace("_", " ")


class NotifyActivities:
    """The notification activity; engine, mailer and settings are injected by the worker."""

    def __init__(self, engine: Engine, mailer: Mailer, settings: Settings) -> None:
        self.engine = engine
        self.mailer = mailer
        self.settings = settings

    def prepare(self, request: NoticeRequest) -> list[PreparedMail]:
        """Render the notice per recipient and record each in the outbox; unsent ones back."""
        notice = request.notice
        now = datetime.now(UTC)
        with session_scope(self.engine) as session:
            state = case_content.load_state(
                session=session, reference=request.reference, content=False
            )
            if state is None:
                # The projection runs before the notice; retry until it is there.
                raise ApplicationError(f"case {request.reference} is not projected yet")
            complainant = queries.get_complainant(session=session, reference=request.reference)
            organisation = (
                queries.get_organisation(
                    session=session, organisation_id=state.complainant_organisation_id
                )
                if state.complainant_organisation_id
                else None
            )
            recipients = resolve_recipients(
                session=session, state=state, complainant=complainant, notice=notice
            )
            prepared: list[PreparedMail] = []
            for recipient in recipients:
                mid = message_id(notice.key, recipient.address, self.settings.mail_domain)
                row = session.get(Outbox, mid)
                if row is not None and (row.sent_at is not None or row.failed_at is not None):
                    continue  # sent, or refused for good, by an earlier attempt
                access_code = None
                if notice.kind is NoticeKind.RECEIPT and recipient.is_complainant_contact:
                    access_code = complainant.receipt_code if complainant else None
                context = NoticeContext(
                    reference=state.reference,
                    covenant_name=state.covenant_name,
                    subject=state.subject,
                    stage=notice.stage,
                    audience=recipient.audience,
                    recipient_name=recipient.name,
                    complainant_display=complainant_display(
                        state,
                        complainant,
                        organisation.name if organisation else None,
                        recipient.audience,
                    ),
                    deadline_label=_deadline_label(state, notice),
                    due=notice.due,
                    text=notice.text,
                    status_url=(tracking_url if recipient.is_complainant_contact else portal_url)(
                        self.settings, state.reference
                    ),
                    access_code=access_code,
                    timezone=state.procedure.timezone,
                    case_kind=state.kind.value,
                )
                message = render(notice.kind, recipient.language, context)
                if row is None:
                    session.add(
                        Outbox(
                            message_id=mid,
                            reference=state.reference,
                            notice_key=notice.key,
                            recipient=recipient.address,
                            subject=message.subject[:500],
                            language=message.language,
                            created_at=now,
                        )
                    )
                mail = OutgoingMail(
                    message_id=mid,
                    sender=self.settings.mail_from,
                    to=recipient.address,
                    subject=message.subject,
                    text=message.text,
                    html=message.html,
                    language=message.language,
                )
                prepared.append(PreparedMail(mail, recipient.is_complainant_contact))
        return prepared

    def mark_sent(self, message_id: str, reference: str, clear_receipt_code: bool) -> None:
        """Record that the mailer accepted the mail (and drop a receipt's plaintext code)."""
        with session_scope(self.engine) as session:
            session.execute(
                update(Outbox)
                .where(col(Outbox.message_id) == message_id)
                .values(sent_at=datetime.now(UTC))
            )
            if clear_receipt_code:
                self.clear_receipt_code(session, reference)

    def mark_failed(self, message_id: str, error: str) -> None:
        """Record that the server refused the mail for good, so no retry sends it again."""
        with session_scope(self.engine) as session:
            session.execute(
                update(Outbox)
                .where(col(Outbox.message_id) == message_id)
                .values(failed_at=datetime.now(UTC), error=error[:500])
            )

    @staticmethod
    def clear_receipt_code(session: Session, reference: str) -> None:
        """Forget the plaintext access code kept for the receipt."""
        session.execute(
            update(Complainant)
            .where(col(Complainant.reference) == reference)
            .values(receipt_code=None)
        )

    def _finish_receipt(self, reference: str) -> None:
        with session_scope(self.engine) as session:
            self.clear_receipt_code(session, reference)

    @activity.defn(name="send_notice")
    async def send_notice(self, request: NoticeRequest) -> int:
        """Send the notice to everyone it concerns; returns how many mails went out now."""
        prepared = await asyncio.to_thread(self.prepare, request)
        key, reference = request.notice.key, request.reference
        is_receipt = request.notice.kind is NoticeKind.RECEIPT
        sent = refused = 0
        for item in prepared:
            try:
                await self.mailer.send(item.mail)
            except MailRejected as rejection:
                # One bad address must not hold up this notice, nor the case's later ones
                # (the workflow sends them in order). Transient errors still raise: retried.
                # Logged by Message-ID and code only: the address is personal data.
                activity.logger.warning(
                    "notice %s of %s: mail %s refused for good (SMTP %d); not retried",
                    key,
                    reference,
                    item.mail.message_id,
                    rejection.code,
                )
                await asyncio.to_thread(self.mark_failed, item.mail.message_id, str(rejection))
                refused += 1
                continue
            await asyncio.to_thread(
                self.mark_sent,
                item.mail.message_id,
                reference,
                is_receipt and item.is_complainant_contact,
            )
            sent += 1
        if is_receipt:
            # Also when there was no address to send the code to: it must not linger.
            await asyncio.to_thread(self._finish_receipt, reference)
        activity.logger.info(
            "notice %s of %s: %d mail(s) sent, %d refused", key, reference, sent, refused
        )
        return sent
