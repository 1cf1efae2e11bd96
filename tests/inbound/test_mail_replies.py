"""Reading an inbound message: sender, key, automatic replies, failed checks, text, files."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from services import mail_replies

PDF = b"%PDF-1.4\n%%EOF\n"


def message(**headers: str) -> EmailMessage:
    found = EmailMessage()
    found["From"] = "Eva Jansen <Eva@Noorderlicht.Example>"
    found["To"] = "reply+x@reply.redress.test"
    found["Subject"] = "Re: Case GT-2026-0001"
    for name, value in headers.items():
        found[name.replace("_", "-")] = value
    found.set_content("Hello.")
    return found


def raw(found: EmailMessage) -> bytes:
    return found.as_bytes()


def test_the_sender_is_the_one_from_address_lower_cased() -> None:
    parsed = mail_replies.parse(raw(message()))
    assert mail_replies.sender(parsed) == "eva@noorderlicht.example"
    assert mail_replies.sender_name(parsed) == "Eva Jansen"
    two = message()
    two.replace_header("From", "a@example.org, b@example.org")
    assert mail_replies.sender(mail_replies.parse(raw(two))) is None
    none = message()
    del none["From"]
    assert mail_replies.sender(mail_replies.parse(raw(none))) is None


def test_the_key_is_the_message_ids_else_the_contents() -> None:
    with_id = message(Message_ID="<abc@mail.example>")
    again = message(Message_ID="<abc@mail.example>")
    again.set_content("Other words, same message id.")
    first = mail_replies.message_key(mail_replies.parse(raw(with_id)), raw(with_id))
    assert first == mail_replies.message_key(mail_replies.parse(raw(again)), raw(again))
    plain = message()
    key = mail_replies.message_key(mail_replies.parse(raw(plain)), raw(plain))
    assert key != first and len(key) == 40


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"Auto_Submitted": "auto-replied"}, "auto-submitted"),
        ({"Auto_Submitted": "auto-generated; owner-email=x@example.org"}, "auto-submitted"),
        ({"X_Autoreply": "yes"}, "x-autoreply"),
        ({"Precedence": "auto_reply"}, "precedence"),
        ({"Precedence": "Bulk"}, "precedence"),
        ({"Precedence": "junk"}, "precedence"),
        ({"Subject": "Automatisch antwoord: afwezig"}, "out-of-office subject"),
        ({"Subject": "Out of Office: Re: Case GT-2026-0001"}, "out-of-office subject"),
        ({"Subject": "自动回复: Case GT-2026-0001"}, "out-of-office subject"),
        ({"Subject": "Otomatik yanıt: Case GT-2026-0001"}, "out-of-office subject"),
    ],
)
def test_automatic_replies_are_recognised(headers: dict[str, str], reason: str) -> None:
    found = message()
    for name, value in headers.items():
        header = name.replace("_", "-")
        if header in found:
            found.replace_header(header, value)
        else:
            found[header] = value
    assert mail_replies.automatic(mail_replies.parse(raw(found))) == reason


def test_a_person_writing_is_not_automatic() -> None:
    assert mail_replies.automatic(mail_replies.parse(raw(message()))) is None
    explicit = message(Auto_Submitted="no", Precedence="list")
    assert mail_replies.automatic(mail_replies.parse(raw(explicit))) is None


def test_a_delivery_report_is_automatic() -> None:
    report = EmailMessage()
    report["From"] = "MAILER-DAEMON@mail.example"
    report["Subject"] = "Undelivered Mail Returned to Sender"
    report.set_content("It bounced.")
    report.make_mixed()
    report.replace_header("Content-Type", 'multipart/report; report-type="delivery-status"')
    assert mail_replies.automatic(mail_replies.parse(raw(report))) == "delivery report"


@pytest.mark.parametrize(
    ("results", "authserv_id", "failed"),
    [
        ("mx.redress.test; spf=pass smtp.mailfrom=x; dkim=pass; dmarc=pass", "", None),
        ("mx.redress.test; dkim=fail (bad signature) header.d=example.org", "", "dkim=fail"),
        ("mx.redress.test; spf=fail smtp.mailfrom=example.org", "", "spf=fail"),
        ("mx.redress.test; dmarc=FAIL (p=reject) header.from=example.org", "", "dmarc=fail"),
        ("mx.redress.test; spf=softfail; dkim=none", "", None),
        # Only our own server's verdict counts when it is named: a sender's header does not.
        ("evil.example; dkim=fail", "mx.redress.test", None),
        ("mx.redress.test 1; dkim=fail", "mx.redress.test", "dkim=fail"),
    ],
)
def test_failed_authentication_checks_are_found(
    results: str, authserv_id: str, failed: str | None
) -> None:
    found = mail_replies.parse(raw(message(Authentication_Results=results)))
    assert mail_replies.authentication_failure(found, authserv_id) == failed


def test_no_authentication_results_is_no_failure() -> None:
    assert mail_replies.authentication_failure(mail_replies.parse(raw(message()))) is None


def test_a_folded_authentication_results_header_is_read_whole() -> None:
    folded = (
        b"Authentication-Results: mx.redress.test;\r\n\tspf=pass smtp.mailfrom=example.org;"
        b"\r\n\tdmarc=fail (p=reject) header.from=example.org\r\n" + raw(message())
    )
    found = mail_replies.parse(folded)
    assert mail_replies.authentication_failure(found, "mx.redress.test") == "dmarc=fail"


MX = "mx.redress.test"


@pytest.mark.parametrize(
    ("results", "verified"),
    [
        (f"{MX}; dkim=pass header.d=noorderlicht.example header.s=s1", True),
        (f"{MX}; spf=pass smtp.mailfrom=eva@noorderlicht.example", True),
        (f"{MX}; spf=pass (sender SPF authorized) smtp.mailfrom=noorderlicht.example", True),
        (f"{MX}; dmarc=pass header.from=noorderlicht.example", True),
        (f"{MX}; dkim=pass header.d=mail.noorderlicht.example", True),  # relaxed alignment
        (f'{MX}; dkim=pass header.i="@noorderlicht.example"', True),
        (f"{MX} 1; dkim=none; spf=PASS smtp.mailfrom=noorderlicht.example", True),
        # A pass for someone else's domain, a bare top-level domain, no pass, no domain:
        (f"{MX}; dkim=pass header.d=spammer.example", False),
        (f"{MX}; dkim=pass header.d=example", False),
        (f"{MX}; spf=pass smtp.mailfrom=bounce@other.example", False),
        (f"{MX}; dkim=none; spf=softfail smtp.mailfrom=noorderlicht.example", False),
        (f"{MX}; dkim=pass", False),
        (f"{MX}; dkim=neutral (header.d=noorderlicht.example)", False),
        (f"{MX}; none", False),
        # The sender's own header (another authserv-id) vouches for nothing.
        ("mx.spammer.example; dkim=pass header.d=noorderlicht.example", False),
    ],
)
def test_the_receiving_server_vouches_for_the_sender(results: str, verified: bool) -> None:
    found = mail_replies.parse(raw(message(Authentication_Results=results)))
    assert mail_replies.verified_sender(found, MX) is verified


def test_without_results_or_an_authserv_id_no_sender_is_verified() -> None:
    assert not mail_replies.verified_sender(mail_replies.parse(raw(message())), MX)
    vouched = message(Authentication_Results=f"{MX}; dkim=pass header.d=noorderlicht.example")
    assert mail_replies.verified_sender(mail_replies.parse(raw(vouched)), MX)
    # Without the server's id anyone's header would count: none does.
    assert not mail_replies.verified_sender(mail_replies.parse(raw(vouched)), "")
    two = message(Authentication_Results=f"{MX}; dkim=pass header.d=noorderlicht.example")
    two.replace_header("From", "eva@noorderlicht.example, other@noorderlicht.example")
    assert not mail_replies.verified_sender(mail_replies.parse(raw(two)), MX)


def test_an_html_body_keeps_its_quote_when_asked() -> None:
    forwarded = (
        "<p>Forwarded from a worker:</p>"
        '<div class="gmail_quote"><blockquote>We were not paid.</blockquote></div>'
    )
    assert mail_replies.html_to_text(forwarded) == "Forwarded from a worker:"
    assert mail_replies.html_to_text(forwarded, quotes=True) == (
        "Forwarded from a worker:\n\nWe were not paid."
    )


def test_an_html_only_body_is_read_without_its_quote_or_styles() -> None:
    found = message()
    found.set_content(
        "<html><head><style>p{color:red}</style></head><body><p>We agree.</p>"
        "<div>Second&nbsp;line<br>third</div>"
        '<div class="gmail_quote">On Sat, Redress wrote:<blockquote>quoted<br/>more'
        "</blockquote></div><p>After the quote.</p></body></html>",
        subtype="html",
    )
    text = mail_replies.body_text(mail_replies.parse(raw(found)))
    assert text == "We agree.\n\nSecond line\nthird\n\nAfter the quote."


def test_the_plain_text_body_is_preferred() -> None:
    found = message()
    found.add_alternative("<p>HTML version</p>", subtype="html")
    assert mail_replies.body_text(mail_replies.parse(raw(found))).strip() == "Hello."


def test_attached_files_are_found_but_not_a_signatures_embedded_logo() -> None:
    found = message()
    found.add_related(b"\x89PNG logo", maintype="image", subtype="png", cid="<logo@x>")
    found.add_attachment(PDF, maintype="application", subtype="pdf", filename="report.pdf")
    found.add_attachment(b"notes", maintype="text", subtype="plain", filename="notes.txt")
    files = mail_replies.attachments(mail_replies.parse(raw(found)))
    assert [(f.filename, f.content) for f in files] == [
        ("report.pdf", PDF),
        ("notes.txt", b"notes"),
    ]
