"""Compressed answers (ASGI middleware): brotli when the client accepts it, else gzip, for
pages, JSON and text; ``Vary: Accept-Encoding`` on every answer large enough to compress.

Left as they are: bodies too small to gain (the headers would outweigh the saving), types
already compressed (images but SVG, PDF, XLSX, archives), answers already encoded (the
static files carry their own, compressed once at start), partial content, and a body sent
in several parts (a stream or a large file: compressing it whole would hold it back)."""

from __future__ import annotations

import gzip

import brotli
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MIN_BYTES = 512
# Quality 5 compresses a 15 kB page in well under a millisecond; 11 takes 20 times as long
# for a tenth less (measured): that is for the static files, compressed once at start.
BROTLI_QUALITY = 5
GZIP_LEVEL = 6
TEXT_TYPES = frozenset(
    {
        "application/json",
        "application/problem+json",
        "application/javascript",
        "application/xml",
        "application/atom+xml",
        "application/rss+xml",
        "image/svg+xml",
    }
)
# Statuses whose body is not the resource (206: a range of it) or that have none.
UNTOUCHED_STATUS = frozenset({204, 206, 304})


def compressible(media_type: str) -> bool:
    """Whether a body of this Content-Type gains by compression."""
    bare = media_type.split(";", 1)[0].strip().lower()
    return bare.startswith("text/") or bare in TEXT_TYPES or bare.endswith(("+json", "+xml"))


def accepted(accept_encoding: str) -> str | None:
    """The encoding to answer in: ``br`` if the client takes it, else ``gzip``, else None."""
    weights: dict[str, float] = {}
    for part in accept_encoding.lower().split(","):
        name, _, params = part.strip().partition(";")
        weight = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if name:
            weights[name.strip()] = weight
    for encoding in ("br", "gzip"):
        if weights.get(encoding, weights.get("*", 0.0)) > 0:
            return encoding
    return None


def compress(body: bytes, encoding: str, *, brotli_quality: int = BROTLI_QUALITY) -> bytes:
    """The body in that encoding (``br`` or ``gzip``), the same bytes every time."""
    if encoding == "br":
        compressed: bytes = brotli.compress(body, quality=brotli_quality)
        return compressed
    return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)


class Compression:
    """Compress the single-part bodies of the wrapped app in the encoding the client prefers."""

    def __init__(self, app: ASGIApp, *, minimum: int = MIN_BYTES) -> None:
        self.app = app
        self.minimum = minimum

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Hold the response's start until its first body part says whether to compress."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        encoding = accepted(Headers(scope=scope).get("accept-encoding", ""))
        held: Message | None = None
        passing = False

        async def compressing(message: Message) -> None:
            nonlocal held, passing
            if passing:
                await send(message)
                return
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if (
                    message["status"] in UNTOUCHED_STATUS
                    or "content-encoding" in headers
                    or not compressible(headers.get("content-type", ""))
                ):
                    passing = True
                    await send(message)
                    return
                held = message
                return
            assert held is not None, "a body before the response started"
            passing = True
            body = message.get("body", b"") if message["type"] == "http.response.body" else b""
            whole = message["type"] == "http.response.body" and not message.get("more_body")
            if whole and len(body) >= self.minimum:
                headers = MutableHeaders(scope=held)
                if "accept-encoding" not in headers.get("vary", "").lower():
                    headers.add_vary_header("Accept-Encoding")  # another client, another body
                compressed = compress(body, encoding) if encoding is not None else body
                if encoding is not None and len(compressed) < len(body):
                    headers["Content-Encoding"] = encoding
                    headers["Content-Length"] = str(len(compressed))
                    etag = headers.get("etag")
                    if etag and not etag.startswith("W/"):  # no longer these very bytes
                        headers["ETag"] = f"W/{etag}"
                    message = {"type": "http.response.body", "body": compressed}
            await send(held)
            await send(message)

        await self.app(scope, receive, compressing)
