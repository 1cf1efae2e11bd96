"""Replies by e-mail, end to end over real SMTP: the worker mails a notice to the mail sink,
its recipient answers the Reply-To through the inbound receiver, and the reply lands on the
case as that person's message (and documents), or is refused with nothing posted. Mail to a
covenant's intake address goes through the same receiver to the e-mailed complaints."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

import aiosmtplib
import pytest
from sqlmodel import Session, col, select

from core.reply_tokens import ID_CHARS, new_token_id, reply_address
from services.inbound_mail import (
    FORGED,
    NOT_AUTHENTIC,
    REVOKED,
    TOLD_NO_LONGER,
    UNKNOWN,
    WRONG_SENDER,
)
from store import reply_addresses
from store.tables import CaseEvent, Document, EmailDraft, OrganisationContact
from tests.inbound.conftest import (
    AUTHSERV_ID,
    COMPLAINANT_EMAIL,
    INBOUND_MAX_BYTES,
    MailStack,
    complaint,
)

COMPANY = "company@redress.localhost"  # the demo company's user
# The smallest file the upload checks take for a PDF.
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
QUOTE_HEADER = "On Sat, 5 Dec 2026 at 12:00, Redress <no-reply@redress.localhost> wrote:"


def header(notice: dict[str, Any], name: str) -> str:
    """One header of a mail as the sink's JSON view lists them."""
    values = [value for key, value in notice["headers"] if key.lower() == name.lower()]
    assert len(values) == 1, (name, notice["headers"])
    return str(values[0])


def answer(
    notice: dict[str, Any],
    *,
    sender: str,
    text: str,
    files: dict[str, bytes] | None = None,
    headers: dict[str, str] | None = None,
    to: str | None = None,
) -> EmailMessage:
    """A reply to the notice as a mail program writes it: the new text on top, the notice
    quoted below, files attached."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to or header(notice, "Reply-To")
    message["Subject"] = f"Re: {notice['subject']}"
    message["Message-ID"] = make_msgid(domain="mail.example")
    message["In-Reply-To"] = notice["message_id"]
    for name, value in (headers or {}).items():
        message[name] = value
    quoted = "\n".join(f"> {line}" for line in (notice["text"] or "").splitlines())
    message.set_content(f"{text}\n\n{QUOTE_HEADER}\n{quoted}\n")
    for filename, content in (files or {}).items():
        message.add_attachment(
            content, maintype="application", subtype="octet-stream", filename=filename
        )
    return message


def messages(stack: MailStack, reference: str) -> list[CaseEvent]:
    """The case's message events as the read model holds them."""
    with Session(stack.engine) as session:
        return list(
            session.exec(
                select(CaseEvent)
                .where(col(CaseEvent.reference) == reference, col(CaseEvent.type) == "message")
                .order_by(col(CaseEvent.seq))
            ).all()
        )


def documents(stack: MailStack, reference: str) -> list[Document]:
    with Session(stack.engine) as session:
        return list(
            session.exec(select(Document).where(col(Document.reference) == reference)).all()
        )


async def registered_case(stack: MailStack, **complainant: Any) -> tuple[str, dict[str, Any]]:
    """A registered case and the company user's notice of it."""
    reference = await stack.file(**complainant)
    await stack.register(reference)
    return reference, await stack.notice(COMPANY, reference)


async def test_a_company_reply_with_a_file_lands_on_the_case_as_the_company(
    mail_stack: MailStack,
) -> None:
    reference, notice = await registered_case(mail_stack)
    reply_to = header(notice, "Reply-To")
    assert reply_to.startswith("reply+") and reply_to.endswith("@reply.redress.test")

    reply = answer(
        notice,
        sender=f"Eva Jansen <{COMPANY}>",
        text="We are looking into the dismissals.\nOur audit report follows.\n\n"
        "Kind regards,\nEva Jansen",
        files={"audit.pdf": PDF},
    )
    await mail_stack.send(reply)

    (message,) = messages(mail_stack, reference)
    assert message.text == "We are looking into the dismissals.\nOur audit report follows."
    assert (message.actor_role, message.visibility, message.channel) == (
        "respondent",
        "parties",
        "email",
    )
    (document,) = documents(mail_stack, reference)
    assert (document.filename, document.content_type, document.side) == (
        "audit.pdf",
        "application/pdf",
        "respondent",
    )
    assert document.recorded_at is not None  # on the case, not only stored
    with Session(mail_stack.engine) as session:
        added = session.exec(
            select(CaseEvent).where(
                col(CaseEvent.reference) == reference, col(CaseEvent.type) == "document_added"
            )
        ).one()
    assert (added.actor_role, added.channel) == ("respondent", "email")

    # The complainant reads the company's message on the case (it is the parties').
    response = await mail_stack.http.get(
        f"/api/v1/cases/{reference}", headers=await mail_stack.headers("secretariat")
    )
    assert "We are looking into the dismissals." in response.text

    # The same message delivered again (same Message-ID) is posted once.
    await mail_stack.send(reply)
    assert len(messages(mail_stack, reference)) == 1
    assert len(documents(mail_stack, reference)) == 1


async def test_refused_and_ignored_replies_post_nothing(
    mail_stack: MailStack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="redress.inbound_mail")
    reference, notice = await registered_case(mail_stack)
    reply_to = header(notice, "Reply-To")
    local, domain = reply_to.split("@")
    last = local[-1]
    forged = f"{local[:-1]}{'a' if last != 'a' else 'b'}@{domain}"

    # A forged token is refused when the recipient is named (RCPT), before any data.
    with pytest.raises(aiosmtplib.SMTPRecipientsRefused) as rcpt:
        await mail_stack.send(answer(notice, sender=COMPANY, text="Forged.", to=forged))
    assert rcpt.value.recipients[0].code == 550
    # So is any address of ours that is not a reply address.
    with pytest.raises(aiosmtplib.SMTPRecipientsRefused):
        await mail_stack.send(
            answer(notice, sender=COMPANY, text="Hi.", to="someone@reply.redress.test")
        )

    # A genuine token that was never issued.
    never = reply_address(mail_stack.settings, new_token_id())
    with pytest.raises(aiosmtplib.SMTPDataError):
        await mail_stack.send(answer(notice, sender=COMPANY, text="Unknown.", to=never))

    # A From other than the address the notice went to.
    with pytest.raises(aiosmtplib.SMTPDataError) as data:
        await mail_stack.send(answer(notice, sender="eva@elsewhere.example", text="Not me."))
    assert data.value.code == 550

    # The receiving server's checks failed (DMARC), though the From is right.
    failed = {"Authentication-Results": "mx.redress.test; spf=pass; dkim=fail; dmarc=fail"}
    with pytest.raises(aiosmtplib.SMTPDataError):
        await mail_stack.send(answer(notice, sender=COMPANY, text="Spoofed.", headers=failed))

    # Over the size limit: refused by the server (552) before it is handed over.
    big = {"big.pdf": PDF + b"0" * INBOUND_MAX_BYTES}
    with pytest.raises(aiosmtplib.SMTPResponseException) as size:
        await mail_stack.send(answer(notice, sender=COMPANY, text="Big.", files=big))
    assert size.value.code == 552

    # Automatic replies are accepted and dropped: headers, or an out-of-office subject.
    await mail_stack.send(
        answer(notice, sender=COMPANY, text="Away.", headers={"Auto-Submitted": "auto-replied"})
    )
    await mail_stack.send(
        answer(notice, sender=COMPANY, text="Away.", headers={"Precedence": "bulk"})
    )
    away = answer(notice, sender=COMPANY, text="I am away until Monday.")
    away.replace_header("Subject", "Out of Office: back on Monday")
    await mail_stack.send(away)

    # A revoked address stops working.
    with Session(mail_stack.engine) as session:
        reply_addresses.revoke_reply_addresses(
            session=session, now=datetime.now(UTC), reference=reference, email=COMPANY
        )
        session.commit()
    with pytest.raises(aiosmtplib.SMTPDataError):
        await mail_stack.send(answer(notice, sender=COMPANY, text="After revocation."))

    assert messages(mail_stack, reference) == []
    assert documents(mail_stack, reference) == []

    # Each refusal is logged with the token id and the reason, and nothing personal.
    logged = [r.getMessage() for r in caplog.records if r.name == "redress.inbound_mail"]
    token_id = local.removeprefix("reply+")[:ID_CHARS]
    for reason in (FORGED, UNKNOWN, WRONG_SENDER, NOT_AUTHENTIC, REVOKED):
        assert any(reason in line for line in logged), (reason, logged)
    assert f"reply refused: token {token_id}: {WRONG_SENDER}" in logged
    assert sum("automatic" in line for line in logged) == 3
    for line in logged:
        assert "@" not in line and "Eva" not in line and "elsewhere" not in line


async def test_a_confidential_complainants_reply_reaches_the_company_without_identity(
    mail_stack: MailStack,
) -> None:
    reference = await mail_stack.file(confidential=True)
    receipt = await mail_stack.notice(COMPLAINANT_EMAIL, reference)
    await mail_stack.register(reference)
    await mail_stack.notice(COMPANY, reference)

    # A phone's mail program signs with the name and the organisation, without "regards".
    reply = answer(
        receipt,
        sender=f"Rahima Khatun <{COMPLAINANT_EMAIL}>",
        text="The dismissed organisers are still without pay.\n"
        "Rahima Khatun, Rupali Workers Committee, rahima@workers.example",
        files={"payslips.pdf": PDF},
    )
    await mail_stack.send(reply)

    (message,) = messages(mail_stack, reference)
    assert (message.actor_role, message.channel) == ("complainant", "email")
    # Its name, organisation and address are taken out of what it wrote.
    assert message.text == "The dismissed organisers are still without pay.\n[…], […], […]"
    response = await mail_stack.http.get(
        f"/api/v1/cases/{reference}", headers=await mail_stack.headers("company")
    )
    assert response.status_code == 200, response.text
    assert "The dismissed organisers are still without pay." in response.text
    for identity in ("Rahima", "Khatun", "Rupali Workers", "workers.example", "1711"):
        assert identity not in response.text
    # The complainant's file reaches the company by a neutral name.
    assert "payslips" not in response.text
    assert len(documents(mail_stack, reference)) == 1


async def test_a_complaint_to_an_intake_address_becomes_a_draft_and_its_sender_a_receipt(
    mail_stack: MailStack,
) -> None:
    intake = "complaints+garments-textile@reply.redress.test"
    sender = "shirin@union.example"
    complaint = EmailMessage()
    complaint["From"] = f"Shirin Akter <{sender}>"
    complaint["To"] = intake
    complaint["Subject"] = "Unpaid overtime at Meghna Apparel"
    complaint["Message-ID"] = make_msgid(domain="union.example")
    # The receiving server vouches for the sender: the receipt may go to it.
    complaint["Authentication-Results"] = (
        f"{AUTHSERV_ID}; dkim=pass header.d=union.example; spf=pass smtp.mailfrom={sender}"
    )
    complaint.set_content("Forty workers were not paid for overtime in November.")
    await mail_stack.send(complaint)
    await mail_stack.send(complaint)  # redelivered: one draft, one receipt

    with Session(mail_stack.engine) as session:
        (draft,) = session.exec(
            select(EmailDraft).where(col(EmailDraft.sender_email) == sender)
        ).all()
    assert (draft.covenant, draft.subject) == ("garments-textile", complaint["Subject"])
    assert draft.sender_verified
    receipt = await mail_stack.notice(sender, draft.reference)
    assert draft.reference in receipt["subject"]

    # Intake mail is screened like a reply: an automatic one is dropped, a failed check
    # refused; another covenant's name that does not exist is no address of ours.
    away = EmailMessage()
    away["From"] = "bot@union.example"
    away["To"] = intake
    away["Subject"] = "Automatic reply: on leave"
    away.set_content("Away.")
    await mail_stack.send(away)
    failed = EmailMessage()
    failed["From"] = "spoof@union.example"
    failed["To"] = intake
    failed["Subject"] = "Complaint"
    failed["Authentication-Results"] = "mx.redress.test; dmarc=fail header.from=union.example"
    failed.set_content("Spoofed.")
    with pytest.raises(aiosmtplib.SMTPDataError):
        await mail_stack.send(failed)
    unknown = EmailMessage()
    unknown["From"] = sender
    unknown["To"] = "complaints+no-such-covenant@reply.redress.test"
    unknown["Subject"] = "Complaint"
    unknown.set_content("Text.")
    with pytest.raises(aiosmtplib.SMTPRecipientsRefused):
        await mail_stack.send(unknown)
    with Session(mail_stack.engine) as session:
        senders = session.exec(select(EmailDraft.sender_email)).all()
    assert "bot@union.example" not in senders and "spoof@union.example" not in senders


async def test_a_contact_removed_since_the_notice_is_told_the_address_no_longer_works(
    mail_stack: MailStack,
) -> None:
    reference, _ = await registered_case(mail_stack)
    contact = "csr@noorderlicht-fashion.example"  # the demo company's contact address
    notice = await mail_stack.notice(contact, reference)
    with Session(mail_stack.engine) as session:
        row = session.get(OrganisationContact, ("noorderlicht-fashion", contact))
        assert row is not None
        kept = row.model_dump()
        session.delete(row)
        session.commit()
    try:
        with pytest.raises(aiosmtplib.SMTPDataError) as refused:
            await mail_stack.send(answer(notice, sender=contact, text="Still us."))
    finally:
        with Session(mail_stack.engine) as session:
            session.add(OrganisationContact(**kept))
            session.commit()
    assert refused.value.code == 550
    assert TOLD_NO_LONGER in refused.value.message  # the sender is told, in words naming no one
    assert messages(mail_stack, reference) == []


async def test_a_unions_user_and_the_secretariat_answer_as_themselves(
    mail_stack: MailStack,
) -> None:
    union = "union@redress.localhost"
    response = await mail_stack.http.post(
        "/api/v1/complaints", json=complaint(), headers=await mail_stack.headers("union")
    )
    assert response.status_code == 201, response.text
    reference = response.json()["reference"]
    await mail_stack.register(reference)
    # The union's user hears of the registration as the complainant; the secretariat of the
    # filing.
    to_union = await mail_stack.notice(union, reference)
    to_staff = await mail_stack.notice("secretariat@redress.localhost", reference)

    await mail_stack.send(answer(to_union, sender=union, text="We will bring witnesses."))
    await mail_stack.send(
        answer(to_staff, sender="secretariat@redress.localhost", text="Check the location.")
    )
    found = {m.text: m for m in messages(mail_stack, reference)}
    party = found["We will bring witnesses."]
    assert (party.actor_role, party.visibility, party.channel) == (
        "complainant",
        "parties",
        "email",
    )
    staff = found["Check the location."]
    # The mechanism's own people answer for the committee's eyes only.
    assert (staff.actor_role, staff.visibility, staff.channel) == (
        "secretariat",
        "committee",
        "email",
    )
    seen_by_company = await mail_stack.http.get(
        f"/api/v1/cases/{reference}", headers=await mail_stack.headers("company")
    )
    assert "We will bring witnesses." in seen_by_company.text
    assert "Check the location." not in seen_by_company.text
