"""Reading an e-mailed complaint, and whose intake address a message went to."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from core.settings import Settings
from services import mail_replies
from services.email_complaint_mime import guess_language, parse_complaint
from services.email_complaints import intake_address, intake_covenant, sender_verified
from services.mail_replies import html_to_text

SETTINGS = Settings(reply_domain="replies.redress.example")


def test_the_intake_address_names_a_known_covenant() -> None:
    assert intake_address(SETTINGS, "gold") == "complaints+gold@replies.redress.example"
    assert intake_covenant("complaints+gold@replies.redress.example", SETTINGS) == "gold"
    named = "Complaints <Complaints+Garments-Textile@REPLIES.redress.example>"
    assert intake_covenant(named, SETTINGS) == "garments-textile"
    assert intake_covenant("complaints+nothing@replies.redress.example", SETTINGS) is None
    assert intake_covenant("complaints@replies.redress.example", SETTINGS) is None
    assert intake_covenant("complaints+gold@elsewhere.example", SETTINGS) is None
    assert intake_covenant("reply+gold@replies.redress.example", SETTINGS) is None
    assert intake_covenant("complaints+gold@replies.redress.example", Settings()) is None


def test_plain_text_is_preferred_and_attachments_kept() -> None:
    message = EmailMessage()
    message["From"] = "Rahima Akter <rahima@workers.example>"
    message["Subject"] = "Wages   not \t paid"
    message["Message-ID"] = "<one@workers.example>"
    message.set_content("Wages were not paid for three months.")
    message.add_alternative("<p>Wages were <b>not</b> paid.</p>", subtype="html")
    message.add_attachment(b"payslip", maintype="text", subtype="plain", filename="slip.txt")
    found = parse_complaint(message.as_bytes())
    assert (found.sender, found.name) == ("rahima@workers.example", "Rahima Akter")
    assert found.subject == "Wages not paid"
    assert found.text == "Wages were not paid for three months."
    assert [(a.filename, a.content) for a in found.attachments] == [("slip.txt", b"payslip")]
    again = parse_complaint(message.as_bytes().replace(b"three", b"four"))
    assert again.message_key == found.message_key  # the same Message-ID: the same draft


def test_an_html_body_becomes_text_without_scripts() -> None:
    html = "<html><head><style>p{}</style></head><body><p>One</p><script>x()</script>"
    html += "<div>Two &amp; three</div></body></html>"
    assert html_to_text(html) == "One\n\nTwo & three"
    message = EmailMessage()
    message["From"] = "x@workers.example"
    message.set_content(html, subtype="html")
    assert parse_complaint(message.as_bytes()).text == "One\n\nTwo & three"


def test_without_a_message_id_the_bytes_are_the_key() -> None:
    message = EmailMessage()
    message["From"] = "x@workers.example"
    message.set_content("a")
    other = EmailMessage()
    other["From"] = "x@workers.example"
    other.set_content("b")
    assert parse_complaint(message.as_bytes()).message_key != (
        parse_complaint(other.as_bytes()).message_key
    )


def test_a_complaint_is_read_as_a_reply_is() -> None:
    """One reader: the same key as a reply's, exactly one sender, no embedded logo."""
    message = EmailMessage()
    message["From"] = "Rahima Akter <Rahima@Workers.example>"
    message["Message-ID"] = "<two@workers.example>"
    message.set_content("Wages were not paid.")
    message.add_related(b"\x89PNG logo", maintype="image", subtype="png", cid="<logo@x>")
    message.add_attachment(b"payslip", maintype="text", subtype="plain", filename="slip.txt")
    raw = message.as_bytes()
    found = parse_complaint(raw)
    assert found.message_key == mail_replies.message_key(mail_replies.parse(raw), raw)
    assert found.sender == "rahima@workers.example"
    assert [a.filename for a in found.attachments] == ["slip.txt"]  # not the logo
    message.replace_header("From", "a@workers.example, b@workers.example")
    assert parse_complaint(message.as_bytes()).sender is None  # whom to send a receipt?


def test_a_forwarded_html_complaint_keeps_what_it_quotes() -> None:
    message = EmailMessage()
    message["From"] = "organiser@union.example"
    message.set_content(
        '<p>See below.</p><div class="gmail_quote"><blockquote>No pay since May.</blockquote>'
        "</div>",
        subtype="html",
    )
    assert parse_complaint(message.as_bytes()).text == "See below.\n\nNo pay since May."


@pytest.mark.parametrize(
    ("local_mode", "trust", "verified"),
    [(True, True, True), (True, False, False), (False, True, False), (False, False, False)],
)
def test_only_local_mode_told_so_trusts_an_unvouched_sender(
    local_mode: bool, trust: bool, verified: bool
) -> None:
    message = EmailMessage()
    message["From"] = "organiser@union.example"
    message.set_content("No pay.")
    settings = Settings(local_mode=local_mode, intake_trust_local=trust)
    assert sender_verified(mail_replies.parse(message.as_bytes()), settings) is verified


def test_the_language_is_guessed_from_the_text() -> None:
    assert guess_language("আমাদের কারখানায় তিন মাস বেতন দেওয়া হয়নি") == "bn"
    assert guess_language("我们工厂三个月没有发工资") == "zh"
    assert guess_language("Wij zijn niet betaald en de fabriek is dicht voor een week") == "nl"
    assert guess_language("Üç aydır maaş ödenmedi ve şirket bir açıklama yapmadı") == "tr"
    assert guess_language("We are not paid and the factory is closed to the union") == "en"
    assert guess_language("ok", default="nl") == "nl"
