"""Hostile uploads: typed by content, not by name or declared type; bombs, markup and
polyglots refused; bodies stopped at the limit while they stream, on every multipart route.
Each refusal is clear, and nothing is stored or left behind."""

from __future__ import annotations

import io
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from api.pages.cookies import SESSION_COOKIE
from services.uploads import FORM_BYTES, MAX_BYTES
from tests.api.conftest import Filed, Stack
from tests.api.test_documents import registered_case

MB = 2**20


def office(parts: dict[str, bytes]) -> bytes:
    """A zip archive with these parts, compressed but for ``mimetype`` (as ODF wants)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            stored = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=stored)
    return buffer.getvalue()


DOCX = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
HOSTILE = {
    "an executable named .pdf": (
        "evidence.pdf",
        b"\x7fELF\x02\x01\x01" + bytes(200),
        "application/pdf",
    ),
    "a Windows program named .pdf": (
        "evidence.pdf",
        b"MZ\x90\x00\x03" + bytes(200),
        "application/pdf",
    ),
    "a PDF that is also HTML": (
        "report.pdf",
        b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF",
        "application/pdf",
    ),
    "HTML with a PDF inside": (
        "report.pdf",
        b"<!DOCTYPE html><html><script>alert(1)</script>\n%PDF-1.4\n%%EOF",
        "application/pdf",
    ),
    "an HTML page": ("page.html", b"<html><script>alert(1)</script></html>", "text/html"),
    "HTML named .txt": ("notes.txt", b"  <script>alert(1)</script>", "text/plain"),
    "an SVG image": (
        "photo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "image/svg+xml",
    ),
    "a zip bomb named .docx": (
        "contract.docx",
        office({**DOCX, "word/media/padding.bin": bytes(40 * MB)}),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "a plain zip named .docx": ("contract.docx", office({"a.txt": b"x"}), "application/zip"),
    "an empty file": ("empty.pdf", b"", "application/pdf"),
}


def stored_files(stack: Stack) -> set[str]:
    directory = Path(stack.settings.data_dir) / "documents"
    return {p.name for p in directory.iterdir()} if directory.is_dir() else set()


@pytest.mark.parametrize("what", HOSTILE)
async def test_hostile_files_are_refused_and_nothing_is_kept(
    stack: Stack, file_complaint: Filed, what: str
) -> None:
    ref = await registered_case(stack, file_complaint)
    before = stored_files(stack)
    name, content, declared = HOSTILE[what]
    answer = await stack.http.post(
        f"/api/v1/cases/{ref}/documents",
        headers=await stack.headers("company"),
        files={"file": (name, content, declared)},
        data={"visibility": "parties"},
    )
    assert answer.status_code == 415, (what, answer.text)
    assert "which is not accepted; accepted are PDF" in answer.json()["detail"]
    after = stored_files(stack)
    assert after == before and not [f for f in after if f.startswith(".upload-")]
    case = await stack.case(ref, "secretariat")
    assert case.json()["documents"] == []


ACCEPTED = {
    "image/webp": ("photo.bin", b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(64)),
    "image/heic": ("photo.heic", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64)),
    "application/vnd.oasis.opendocument.text": (
        "statement.odt",
        office({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}),
    ),
    "audio/mp4": ("testimony.m4a", b"\x00\x00\x00\x18ftypM4A \x00\x00\x00\x00M4A isom" + bytes(64)),
    "audio/ogg": ("testimony.ogg", b"OggS\x00\x02" + bytes(64)),
    "text/plain": ("নোট.txt", "শ্রমিকদের মজুরি দেওয়া হয়নি। 工资未付。".encode()),
}


@pytest.mark.parametrize("expected", ACCEPTED)
async def test_accepted_files_are_typed_by_their_content(
    stack: Stack, file_complaint: Filed, expected: str
) -> None:
    ref = await registered_case(stack, file_complaint)
    name, content = ACCEPTED[expected]
    answer = await stack.http.post(
        f"/api/v1/cases/{ref}/documents",
        headers=await stack.headers("company"),
        files={"file": (name, content, "application/octet-stream")},  # the declared type lies
        data={"visibility": "parties"},
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["content_type"] == expected


async def _sixty_megabytes(pulled: list[int]) -> AsyncIterator[bytes]:
    yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
    yield b"Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
    for n in range(60):
        pulled.append(n)
        yield bytes(MB)
    yield b"\r\n--b--\r\n"


@pytest.mark.parametrize(
    "path",
    ["/api/v1/cases/{ref}/documents", "/complaint", "/track/{ref}/documents", "/portal/registry"],
)
async def test_a_chunked_body_is_stopped_at_the_limit_on_every_multipart_route(
    stack: Stack, file_complaint: Filed, path: str
) -> None:
    ref = await registered_case(stack, file_complaint)
    before = stored_files(stack)
    pulled: list[int] = []
    bearer = await stack.headers("secretariat")
    token = bearer["Authorization"].removeprefix("Bearer ")
    answer = await stack.http.post(
        path.format(ref=ref),
        headers={
            **bearer,
            "Cookie": f"{SESSION_COOKIE}={token}",  # the pages sign in by cookie
            "Content-Type": "multipart/form-data; boundary=b",
        },
        content=_sixty_megabytes(pulled),
    )
    assert answer.status_code == 413, answer.text
    limit_mb = FORM_BYTES.get(path, MAX_BYTES) // MB
    assert len(pulled) <= limit_mb + 2  # stopped while streaming, not after 60 MB
    assert stored_files(stack) == before


async def test_the_company_sees_the_complainants_files_by_neutral_names(
    stack: Stack, file_complaint: Filed
) -> None:
    ref = (await file_complaint(as_user="union"))["reference"]
    await stack.act(ref, "secretariat", action="register")
    pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF"
    for who, name in (("union", "Nasrin_Sultana_dismissal.pdf"), ("company", "Audit 2026.PDF")):
        made = await stack.http.post(
            f"/api/v1/cases/{ref}/documents",
            headers=await stack.headers(who),
            files={"file": (name, pdf, "application/pdf")},
            data={"visibility": "parties"},
        )
        assert made.status_code == 201, made.text
    seen = {who: (await stack.case(ref, who)).json() for who in ("union", "company", "secretariat")}
    names = {who: [d["filename"] for d in case["documents"]] for who, case in seen.items()}
    assert names == {
        "union": ["Nasrin_Sultana_dismissal.pdf", "Audit 2026.PDF"],
        "company": ["Document 1.pdf", "Audit 2026.PDF"],
        "secretariat": ["Nasrin_Sultana_dismissal.pdf", "Audit 2026.PDF"],
    }
    company_view = str(seen["company"])
    assert "Nasrin" not in company_view and "Document added: Document 1.pdf" in company_view
    first = seen["company"]["documents"][0]
    download = await stack.http.get(first["url"], headers=await stack.headers("company"))
    assert download.status_code == 200 and "Document%201.pdf" in download.headers[
        "content-disposition"
    ].replace(" ", "%20")
    assert "Nasrin" not in download.headers["content-disposition"]
