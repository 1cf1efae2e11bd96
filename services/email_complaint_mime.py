"""Reading an e-mailed complaint: what is intake-specific. The message is read as every
inbound message is (``services.mail_replies``: its one sender, its key, its body and its
files); here are the limits a filing sets on subject, name and text, and a guess at the
language it is written in. Unlike a reply's, the body keeps what an HTML message quotes: a
complaint is often a forwarded message."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.message import EmailMessage

from services.mail_replies import (
    MailFile,
    attachments,
    body_text,
    message_key,
    parse,
    sender,
    sender_name,
)

MAX_SUBJECT = 300  # as a filing allows
MAX_NAME = 200
MAX_TEXT = 20_000  # a complaint's description, as a filing allows


@dataclass(frozen=True)
class EmailedComplaint:
    """What an e-mailed complaint says, and the key that makes a redelivery find it again.
    ``sender``: the one address of the From (None when it names none or several)."""

    message_key: str
    sender: str | None
    name: str
    subject: str
    text: str
    attachments: list[MailFile] = field(default_factory=list)


def _one_line(value: object, limit: int) -> str:
    return " ".join(str(value or "").split())[:limit]


def read_complaint(message: EmailMessage, raw: bytes) -> EmailedComplaint:
    """What the parsed message (and its bytes, for its key) says."""
    return EmailedComplaint(
        message_key=message_key(message, raw),
        sender=sender(message),
        name=_one_line(sender_name(message), MAX_NAME),
        subject=_one_line(message.get("Subject", ""), MAX_SUBJECT),
        text=body_text(message, quotes=True).strip()[:MAX_TEXT],
        attachments=attachments(message),
    )


def parse_complaint(raw: bytes) -> EmailedComplaint:
    """What the raw message says (RFC 5322 bytes)."""
    return read_complaint(parse(raw), raw)


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
