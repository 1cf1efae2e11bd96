"""The static files under content-hashed names (``/static/site.3f2a9c1b0d.css``), kept a
year by browsers and proxies (``immutable``: a changed file is a new name); the plain name
still answers, cached briefly, for pages a browser kept from before. Read, minified (CSS,
JavaScript) and compressed once at start; pages name the files through the ``static_url``
Jinja global."""

from __future__ import annotations

import hashlib
import mimetypes
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fastapi import FastAPI
from markupsafe import Markup
from starlette._utils import get_route_path
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from api.compression import MIN_BYTES, accepted, compress
from api.pages.templating import environment

STATIC = Path(__file__).resolve().parent / "static"
IMMUTABLE = "public, max-age=31536000, immutable"
BRIEF = "public, max-age=600"  # the plain name: a stale page's stylesheet, re-checked soon
HASH_CHARS = 10
MEDIA_TYPES = {".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml"}
COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
SPACE = re.compile(r"\s+")
AROUND = re.compile(r" ?([{};,>]) ?")


def minify_css(text: str) -> str:
    """The stylesheet without comments and needless white space (the same rules it wrote).
    Its quoted strings are font names: a string holding ``{};,>`` or ``: `` would change."""
    text = SPACE.sub(" ", COMMENT.sub("", text))
    text = AROUND.sub(r"\1", text).replace(": ", ":").replace(";}", "}")
    return text.strip()


def minify_js(text: str) -> str:
    """The script without indentation, blank lines and whole-line ``//`` comments; lines stay
    lines (no semicolon is inserted or lost). Left whole when a line break could be inside a
    string (a template literal, a continued line): only there would the spaces matter."""
    if "`" in text or any(line.endswith("\\") for line in text.splitlines()):
        return text
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//")) + "\n"


@dataclass(frozen=True)
class Asset:
    """One static file as served: its bytes, their compressed forms and its hashed name."""

    name: str
    hashed: str
    media_type: str
    body: bytes
    encoded: dict[str, bytes]  # "br", "gzip": only where smaller than the body

    @property
    def etag(self) -> str:
        """The validator of the plain name's answer: the content's hash."""
        return f'"{self.hashed.split(".")[-2]}"'


def load_asset(path: Path) -> Asset:
    """A file read from disk, minified if a stylesheet, hashed and compressed."""
    body = path.read_bytes()
    if path.suffix == ".css":
        body = minify_css(body.decode("utf-8")).encode("utf-8")
    elif path.suffix == ".js":
        body = minify_js(body.decode("utf-8")).encode("utf-8")
    digest = hashlib.sha256(body).hexdigest()[:HASH_CHARS]
    media_type = MEDIA_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0]
    media_type = media_type or "application/octet-stream"
    if media_type.startswith("text/") or media_type.endswith("+xml"):
        media_type += "; charset=utf-8"
    encoded: dict[str, bytes] = {}
    if len(body) >= MIN_BYTES:
        for encoding in ("br", "gzip"):
            smaller = compress(body, encoding, brotli_quality=11)  # once: the best there is
            if len(smaller) < len(body):
                encoded[encoding] = smaller
    return Asset(path.name, f"{path.stem}.{digest}{path.suffix}", media_type, body, encoded)


class Assets:
    """Every file of a directory by its plain and its hashed name (an ASGI app for /static)."""

    def __init__(self, directory: Path) -> None:
        self.by_name = {
            path.name: load_asset(path) for path in sorted(directory.iterdir()) if path.is_file()
        }
        self.by_hashed = {asset.hashed: asset for asset in self.by_name.values()}

    def url(self, name: str) -> str:
        """The file's address under its hashed name (KeyError for a file that is not there:
        a template naming a missing file fails where it is rendered, not in a browser)."""
        return f"/static/{self.by_name[name].hashed}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer a GET or HEAD of one file, compressed as the client accepts."""
        if scope["method"] not in ("GET", "HEAD"):
            raise HTTPException(status_code=405, headers={"Allow": "GET, HEAD"})
        name = get_route_path(scope).lstrip("/")
        asset = self.by_hashed.get(name)
        immutable = asset is not None
        asset = asset or self.by_name.get(name)
        if asset is None:
            raise HTTPException(status_code=404)
        request = Headers(scope=scope)
        # A hashed name is never asked again, so never revalidated: no ETag to send.
        headers = {"Cache-Control": IMMUTABLE} if immutable else {"Cache-Control": BRIEF}
        if not immutable:
            headers["ETag"] = asset.etag
        if asset.encoded:
            headers["Vary"] = "Accept-Encoding"
        if asset.etag in request.get("if-none-match", ""):
            await Response(status_code=304, headers=headers)(scope, receive, send)
            return
        body = asset.body
        encoding = accepted(request.get("accept-encoding", ""))
        if encoding in asset.encoded:
            body = asset.encoded[encoding]
            headers["Content-Encoding"] = encoding
        headers["Content-Length"] = str(len(body))
        content = b"" if scope["method"] == "HEAD" else body
        response = Response(content, headers=headers, media_type=asset.media_type)
        await response(scope, receive, send)


@cache
def assets() -> Assets:
    """The application's static files, read once."""
    return Assets(STATIC)


def inline_url(name: str) -> Markup:
    """A small file of api/static as a ``data:`` address (the templates' ``inline_url``): the
    site's icon rides in the page (150 bytes compressed) instead of a request of its own
    (420 bytes of answer and a round trip on a first visit; browsers then ask for no
    /favicon.ico either). SVG only: its text needs no base64."""
    asset = assets().by_name[name]
    assert asset.media_type.startswith("image/svg+xml"), name
    text = asset.body.decode("utf-8").strip()
    escapes = [("%", "%25"), ("#", "%23"), ("<", "%3C"), (">", "%3E"), ("&", "%26")]
    # Its attributes' quotes become single (shorter than %22), unless it has single ones.
    escapes.append(('"', "%22") if "'" in text else ('"', "'"))
    for character, escaped in escapes:
        text = text.replace(character, escaped)
    # Safe in a double-quoted attribute: no " < > & left (escaping ' would cost 5 bytes each).
    return Markup(f"data:image/svg+xml,{text}")


def static_url(name: str) -> str:
    """``/static/<hashed name>`` of a file in api/static (the templates' ``static_url``)."""
    return assets().url(name)


def install_static(app: FastAPI) -> None:
    """Serve /static from the files read at start, and let templates name them. Install it
    before the pages: the first /static mount answers."""
    environment.globals["static_url"] = static_url
    environment.globals["inline_url"] = inline_url
    app.mount("/static", assets(), name="static")
