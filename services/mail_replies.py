"""Reading an inbound RFC 5322 message (pure): its sender, its Message-ID, whether it is an
automatic reply, failed the receiving server's authentication checks or passed them for its
sender, its text and its attached files. The one reader of inbound mail: replies to notices
(``services.inbound_mail``) and complaints sent to an intake address
(``services.email_complaint_mime``) both read messages through it."""

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
_BLOCKS = frozenset(
    {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "pre"}
)
_HIDDEN = frozenset({"style", "script", "head", "title"})
_QUOTES = frozenset({"blockquote"})
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


# In an Authentication-Results header (RFC 8601): a result ``method=result`` and its
# properties ``ptype.property=value``; comments in parentheses say nothing that counts.
_RESULT = re.compile(r"^\s*([a-z0-9_-]+)\s*=\s*([a-z]+)\b(.*)$", re.IGNORECASE | re.DOTALL)
_PROPERTY = re.compile(r"([a-z]+)\.([a-z0-9_-]+)\s*=\s*(\"[^\"]*\"|[^\s;]+)", re.IGNORECASE)
_COMMENT = re.compile(r"\([^()]*\)")
# What each method's pass must name to vouch for the From's domain.
_VOUCHING = {
    "dkim": ("header.d", "header.i"),
    "spf": ("smtp.mailfrom",),
    "dmarc": ("header.from",),
}


def _aligned(value: str, domain: str) -> bool:
    """Whether a domain (or an address's domain) a check passed for is the sender's, one
    of its subdomains or a parent of it (DMARC's relaxed alignment, without the public
    suffix list: a bare top-level domain never counts)."""
    host = value.strip().rpartition("@")[2].lower().rstrip(".")
    if "." not in host:
        return False
    return host == domain or domain.endswith(f".{host}") or host.endswith(f".{domain}")


def verified_sender(message: EmailMessage, authserv_id: str) -> bool:
    """Whether the receiving server vouches for the From: one of its Authentication-Results
    headers (``authserv_id``'s only; the MTA removes forged ones bearing its id, RFC 8601
    section 5) records ``dkim=pass`` for the From's domain (``header.d``), ``spf=pass`` for it
    (``smtp.mailfrom``) or ``dmarc=pass`` (``header.from``). Never without ``authserv_id``
    (anyone can write such a header), nor without exactly one From address."""
    address = sender(message)
    server_id = authserv_id.strip().lower()
    if address is None or not server_id:
        return False
    domain = address.rpartition("@")[2].rstrip(".")
    for value in message.get_all("Authentication-Results", []):
        server, *results = _COMMENT.sub(" ", " ".join(str(value).split())).split(";")
        if (server.split() or [""])[0].lower() != server_id:
            continue
        for result in results:
            found = _RESULT.match(result)
            if found is None or found.group(2).lower() != "pass":
                continue
            named = {
                f"{ptype.lower()}.{prop.lower()}": value.strip('"')
                for ptype, prop, value in _PROPERTY.findall(found.group(3))
            }
            wanted = _VOUCHING.get(found.group(1).lower(), ())
            if any(_aligned(named.get(name, ""), domain) for name in wanted):
                return True
    return False


class _TextOfHtml(HTMLParser):
    """The visible text of an HTML body, without its styles and scripts, and (unless
    ``quotes``) without what it quotes (``blockquote``, Gmail's ``gmail_quote``)."""

    def __init__(self, *, quotes: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.quotes = quotes

    def _skipped(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        if tag in _HIDDEN:
            return True
        classes = dict(attrs).get("class") or ""
        return not self.quotes and (tag in _QUOTES or "gmail_quote" in classes)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping or self._skipped(tag, attrs):
            self.skipping += tag not in _VOID  # a void element has no end tag to count
            return
        if tag in _BLOCKS or tag in _QUOTES:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.skipping and tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            self.skipping -= tag not in _VOID
        elif tag in _BLOCKS or tag in _QUOTES:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str, *, quotes: bool = False) -> str:
    """The readable text of an HTML body, one line per block; quoted parts left out unless
    ``quotes`` (a complaint may be a forwarded message: what it quotes is the complaint)."""
    reader = _TextOfHtml(quotes=quotes)
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


def body_text(message: EmailMessage, *, quotes: bool = False) -> str:
    """The message's text: its plain-text body, else its HTML body as text (``quotes``: with
    what the HTML quotes; a plain-text body is returned whole either way)."""
    plain = message.get_body(preferencelist=("plain",))
    if plain is not None:
        return _content(plain)
    html = message.get_body(preferencelist=("html",))
    return html_to_text(_content(html), quotes=quotes) if html is not None else ""


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
