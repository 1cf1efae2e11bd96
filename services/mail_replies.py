"""Reading an inbound RFC 5322 message (pure): its sender, its Message-ID, whether it is an
automatic reply or failed the receiving server's authentication checks, its text and its
attached files."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses
from html.parser import HTMLParser

MAX_FILES = 10  # attachments beyond these are left out (and said so on the case)
# Precedence values that mark mail no person wrote (RFC 3834 recommends honouring these).
AUTOMATIC_PRECEDENCE = frozenset({"auto_reply", "bulk", "junk"})
# Subjects of out-of-office replies from systems that set none of the headers, in the
# languages the notices are written in and the common defaults of mail systems.
OUT_OF_OFFICE = re.compile(
    r"out of (the )?office|automatic reply|auto(matic)?[- ]?(reply|response)|autoreply"
    r"|on vacation|vacation reply|abwesenheit|afwezig|automatisch antwoord|niet aanwezig"
    r"|otomatik (yanıt|cevap)|ofis dışında|izindeyim"
    r"|স্বয়ংক্রিয় (উত্তর|জবাব)|অফিসের বাইরে"
    r"|自动回复|自動回覆|不在办公室|外出",
    re.IGNORECASE,
)
# ``dkim=fail``, ``spf=fail``, ``dmarc=fail`` in an Authentication-Results header (RFC 8601);
# ``policy.`` properties and comments aside, the result follows the method and ``=``.
FAILED_CHECK = re.compile(r"(?<![\w.-])(dkim|spf|dmarc)\s*=\s*fail\b", re.IGNORECASE)
# HTML elements that end a line of text, and those whose content is not the reply's.
_BLOCKS = frozenset({"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "table", "pre"})
_SKIPPED = frozenset({"blockquote", "style", "script", "head", "title"})
_VOID = frozenset({"br", "img", "meta", "link", "hr", "input", "wbr", "col", "area", "source"})


@dataclass(frozen=True)
class MailFile:
    """One attached file as the message carries it."""

    filename: str | None
    content: bytes


def parse(raw: bytes) -> EmailMessage:
    """The message parsed with the modern policy (headers decoded, folded lines joined)."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    return message


def message_key(message: EmailMessage, raw: bytes) -> str:
    """A short stable key of the message: of its Message-ID, else of its bytes (so that a
    redelivery, which keeps both, has the same key)."""
    found = str(message.get("Message-ID", "")).strip()
    material = found.encode() if found else raw
    return hashlib.sha256(material).hexdigest()[:40]


def sender(message: EmailMessage) -> str | None:
    """The one address of the From header, lower-cased; None when there is none or several."""
    values = [str(v) for v in message.get_all("From", [])]
    found = [address for _, address in getaddresses(values) if "@" in address]
    if len(found) != 1:
        return None
    return found[0].strip().lower()


def sender_name(message: EmailMessage) -> str:
    """The display name of the From header (how the sender's mail program names them)."""
    header = message.get("From")
    addresses: tuple[Address, ...] = getattr(header, "addresses", ())
    return addresses[0].display_name if len(addresses) == 1 else ""


def automatic(message: EmailMessage) -> str | None:
    """Why the message is an automatic one (an out-of-office reply, a bounce, a list's
    mail), which is ignored; None for mail a person sent."""
    submitted = str(message.get("Auto-Submitted", "")).strip().lower()
    if submitted and submitted.split(";")[0].strip() != "no":
        return "auto-submitted"
    if message.get("X-Autoreply") is not None or message.get("X-Autorespond") is not None:
        return "x-autoreply"
    if str(message.get("Precedence", "")).strip().lower() in AUTOMATIC_PRECEDENCE:
        return "precedence"
    if message.get_content_type() == "multipart/report":
        return "delivery report"
    if OUT_OF_OFFICE.search(str(message.get("Subject", ""))):
        return "out-of-office subject"
    return None


def authentication_failure(message: EmailMessage, authserv_id: str = "") -> str | None:
    """The first check the receiving server recorded as failed (``dkim=fail`` …) in an
    Authentication-Results header (only those of ``authserv_id`` when given: a sender can add
    headers of its own, but cannot remove ours); None when none failed or none is present."""
    for value in message.get_all("Authentication-Results", []):
        text = " ".join(str(value).split())
        server = text.split(";", 1)[0].strip().split(" ")[0].lower()
        if authserv_id and server != authserv_id.strip().lower():
            continue
        failed = FAILED_CHECK.search(text)
        if failed:
            return f"{failed.group(1).lower()}=fail"
    return None


class _TextOfHtml(HTMLParser):
    """The visible text of an HTML body, without what it quotes (``blockquote``) or styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = dict(attrs).get("class") or ""
        if tag in _SKIPPED or "gmail_quote" in classes or self.skipping:
            self.skipping += tag not in _VOID  # a void element has no end tag to count
            return
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.skipping and tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            self.skipping -= tag not in _VOID
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The readable text of an HTML body (quoted parts left out)."""
    reader = _TextOfHtml()
    reader.feed(html)
    reader.close()
    lines = [" ".join(line.split()) for line in "".join(reader.parts).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _content(part: Message) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
    except (LookupError, ValueError):  # an unknown charset: the bytes, decoded leniently
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    return str(content)


def body_text(message: EmailMessage) -> str:
    """The message's text: its plain-text body, else its HTML body as text."""
    plain = message.get_body(preferencelist=("plain",))
    if plain is not None:
        return _content(plain)
    html = message.get_body(preferencelist=("html",))
    return html_to_text(_content(html)) if html is not None else ""


def attachments(message: EmailMessage) -> list[MailFile]:
    """The files attached, in order; images a mail program embedded in the HTML body (a
    signature's logo: inline, with a Content-ID) are not files someone attached."""
    found: list[MailFile] = []
    for part in message.iter_attachments():
        disposition = part.get_content_disposition()
        if disposition != "attachment" and part.get("Content-ID") is not None:
            continue
        if part.get_content_maintype() == "multipart":
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            found.append(MailFile(part.get_filename(), payload))
    return found
