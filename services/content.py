"""What an uploaded file really is, from its bytes (``filetype``), never from the name or
the type the client declares; office files and archives are checked for decompression
bombs. Only the types evidence and testimonies come in are accepted."""

from __future__ import annotations

import codecs
import re
import zipfile
from typing import BinaryIO

import filetype

from domain.problems import Problem, Unsupported

# Detected type → the type the file is stored and served as.
ACCEPTED: dict[str, str] = {
    "application/pdf": "application/pdf",
    "image/jpeg": "image/jpeg",
    "image/png": "image/png",
    "image/webp": "image/webp",
    "image/heic": "image/heic",
    "image/heif": "image/heif",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
    "application/vnd.oasis.opendocument.text": "application/vnd.oasis.opendocument.text",
    "audio/mpeg": "audio/mpeg",
    "audio/mp4": "audio/mp4",
    "audio/ogg": "audio/ogg",
    "audio/x-wav": "audio/wav",
    "audio/amr": "audio/amr",
    "audio/aac": "audio/aac",
    "video/mp4": "video/mp4",
    "video/webm": "video/webm",
    "video/quicktime": "video/quicktime",
    "video/3gpp": "video/3gpp",
}
TEXT = "text/plain"
ACCEPTED_NAMES = (
    "PDF, JPEG, PNG, WebP, HEIC, Word (.docx), Excel (.xlsx), OpenDocument text (.odt), "
    "plain text, MP3, M4A, Ogg, WAV, AMR, AAC, MP4, WebM, MOV or 3GP"
)
ZIPPED = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.text",
    }
)
HEAD = 8192
# An office file expands to at most this much, over at most this many parts, and no part
# more than RATIO times its compressed size once it is large.
MAX_EXPANDED = 256 * 1024 * 1024
MAX_PARTS = 5000
RATIO = 200
MARKUP = re.compile(rb"<\s*(!doctype|html|svg|script|\?xml|body|iframe)", re.IGNORECASE)


def refusal(reason: str) -> Problem:
    """``Unsupported``, naming what was found and what is accepted."""
    return Unsupported(f"{reason}, which is not accepted; accepted are {ACCEPTED_NAMES}")


def detect(source: BinaryIO) -> str:
    """The accepted media type of the file's content; ``Unsupported`` otherwise. The file
    is read from the start and left at the start."""
    source.seek(0)
    head = source.read(HEAD)
    source.seek(0)
    if not head:
        raise refusal("the file is empty")
    found = filetype.guess(head)
    if found is None:
        return _text(head)
    mime = str(found.mime)
    if mime not in ACCEPTED:
        raise refusal(f"the file's content is {found.extension.upper()} ({mime})")
    if mime == "application/pdf" and MARKUP.search(head[:1024]):
        raise refusal("the PDF also carries HTML or SVG (a polyglot)")
    if mime in ZIPPED:
        _no_bomb(source)
    return ACCEPTED[mime]


def _text(head: bytes) -> str:
    """Plain text in UTF-8 or UTF-16 without markup; ``Unsupported`` for anything else."""
    encoding = "utf-16" if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else None
    try:
        # The head may cut a character in two: decode incrementally, without the final flush.
        text = codecs.getincrementaldecoder(encoding or "utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        raise refusal("the file's type is not recognised") from None
    if any(ord(ch) < 32 and ch not in "\t\n\r\f" for ch in text):
        raise refusal("the file's type is not recognised")
    if MARKUP.search(head if encoding is None else text.encode()):
        raise refusal("HTML, SVG and XML files are not accepted")
    return TEXT


def _no_bomb(source: BinaryIO) -> None:
    """``Unsupported`` when an office file (a zip archive) would expand beyond reason."""
    try:
        with zipfile.ZipFile(source) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise refusal("the office file is damaged") from None
    finally:
        source.seek(0)
    if len(parts) > MAX_PARTS:
        raise refusal(f"the office file holds {len(parts)} parts")
    expanded = sum(p.file_size for p in parts)
    if expanded > MAX_EXPANDED:
        raise refusal(f"the office file would expand to {expanded // 2**20} MB")
    for part in parts:
        if part.file_size > 10 * 2**20 and part.file_size > RATIO * max(part.compress_size, 1):
            raise refusal("the office file is a decompression bomb")
