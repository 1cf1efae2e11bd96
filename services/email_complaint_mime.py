"""Reading an e-mailed complaint: its sender, subject, text (plain text preferred, HTML
turned into text) and attachments, and a guess at the language it is written in."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses
from html.parser import HTMLParser

MAX_SUBJECT = 300  # as a filing allows
MAX_NAME = 200
MAX_TEXT = 20_000  # a complaint's description, as a filing allows
# Tags after which the text breaks its line; the contents of the others are not text.
BLOCKS = frozenset(
    {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table"}
)
HIDDEN = frozenset({"script", "style", "head", "title"})


@dataclass(frozen=True)
class Attachment:
    """A file the e-mail carried, as its sender named it."""

    filename: str
    content: bytes


@dataclass(frozen=True)
class EmailedComplaint:
    """What an e-mailed complaint says, and the key that makes a redelivery find it again."""

    message_key: str
    sender: str | None
    name: str
    subject: str
    text: str
    attachments: list[Attachment] = field(default_factory=list)


class _TextOf(HTMLParser):
    """The visible text of an HTML body, a line per block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN:
            self.hidden += 1
        elif tag in BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The text an HTML body shows: tags, scripts and styles dropped, one line per block."""
    reader = _TextOf()
    reader.feed(html)
    reader.close()
    lines = (" ".join(line.split()) for line in "".join(reader.parts).splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def message_key(message_id: str | None, raw: bytes) -> str:
    """A redelivery's key: the Message-ID's hash, else the whole message's."""
    if message_id and message_id.strip():
        return hashlib.sha256(f"mid\0{message_id.strip().lower()}".encode()).hexdigest()
    return hashlib.sha256(b"raw\0" + raw).hexdigest()


def _text_of(part: Message) -> str:
    assert isinstance(part, EmailMessage)
    try:
        content = part.get_content()
    except (LookupError, UnicodeError):  # an unknown or wrong charset: read what we can
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    return content if isinstance(content, str) else ""


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = _text_of(part)
    return html_to_text(text) if part.get_content_subtype() == "html" else text.strip()


def _attachments(message: EmailMessage) -> list[Attachment]:
    found = []
    for part in message.iter_attachments():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            found.append(Attachment(filename=part.get_filename() or "", content=payload))
    return found


def _one_line(value: object, limit: int) -> str:
    return " ".join(str(value or "").split())[:limit]


def parse_complaint(raw: bytes) -> EmailedComplaint:
    """What the raw message says (RFC 5322 bytes)."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    senders = [(n, a) for n, a in getaddresses([str(message.get("From", ""))]) if "@" in a]
    name, sender = senders[0] if senders else ("", None)
    return EmailedComplaint(
        message_key=message_key(str(message.get("Message-ID", "")), raw),
        sender=sender.strip() if sender else None,
        name=_one_line(name, MAX_NAME),
        subject=_one_line(message.get("Subject", ""), MAX_SUBJECT),
        text=_body(message)[:MAX_TEXT],
        attachments=_attachments(message),
    )


# Scripts that tell the language alone, and words frequent in Dutch and Turkish text.
SCRIPTS = (("bn", re.compile(r"[\u0980-\u09ff]")), ("zh", re.compile(r"[\u4e00-\u9fff]")))
TURKISH_LETTERS = re.compile(r"[ğışİĞŞ]")
WORDS = {
    "nl": frozenset("de het een en van niet wij zijn is dat op voor met ook geen".split()),
    "tr": frozenset("ve bir bu için ile da de çok olarak ama değil biz şirket".split()),
}


def guess_language(text: str, default: str = "en") -> str:
    """The language the text is most likely in, of those the e-mails are written in
    (English, Dutch, Bengali, Turkish, Chinese); ``default`` when nothing tells."""
    for language, script in SCRIPTS:
        if len(script.findall(text)) >= 5:
            return language
    words = re.findall(r"\w+", text.lower())
    counts = {lang: sum(w in common for w in words) for lang, common in WORDS.items()}
    if TURKISH_LETTERS.search(text):
        counts["tr"] += 3
    english = sum(w in {"the", "and", "of", "we", "is", "are", "not", "to"} for w in words)
    best = max(counts, key=lambda lang: counts[lang])
    if counts[best] >= 3 and counts[best] > english:
        return best
    return "en" if english >= 3 else default
