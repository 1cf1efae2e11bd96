"""Compression (api/compression.py) and the static files under hashed names
(api/static_files.py), each on a small app of its own: what is compressed, in which
encoding, what is left alone, and how long a browser may keep each file."""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator
from pathlib import Path

import brotli
import pytest
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse, Response, StreamingResponse
from fastapi.testclient import TestClient

from api.compression import Compression, accepted
from api.static_files import IMMUTABLE, Assets, minify_css, minify_js

PAGE = "<p>" + "A complaint about harm in a supply chain. " * 40 + "</p>"


def small_app() -> TestClient:
    app = FastAPI()

    @app.get("/page")
    def page() -> Response:
        return Response(PAGE, media_type="text/html", headers={"ETag": '"v1"'})

    @app.get("/tiny")
    def tiny() -> PlainTextResponse:
        return PlainTextResponse("ok")

    @app.get("/pdf")
    def pdf() -> Response:
        return Response(PAGE.encode(), media_type="application/pdf")

    @app.get("/json")
    def json() -> dict[str, str]:
        return {"text": PAGE}

    @app.get("/stream")
    def stream() -> StreamingResponse:
        async def parts() -> AsyncIterator[bytes]:
            for _ in range(3):
                yield PAGE.encode()

        return StreamingResponse(parts(), media_type="text/plain")

    app.add_middleware(Compression)
    return TestClient(app)


@pytest.mark.parametrize(
    ("header", "encoding"),
    [
        ("br, gzip", "br"),
        ("gzip, deflate, br;q=0", "gzip"),
        ("gzip;q=0.5, br;q=1.0", "br"),
        ("*", "br"),
        ("identity", None),
        ("", None),
        ("br;q=0, gzip;q=0", None),
    ],
)
def test_the_encoding_is_the_one_the_client_takes(header: str, encoding: str | None) -> None:
    assert accepted(header) == encoding


def test_a_page_is_brotli_for_who_takes_it_else_gzip_else_plain() -> None:
    http = small_app()
    br = http.get("/page", headers={"Accept-Encoding": "br, gzip"})
    assert br.headers["content-encoding"] == "br" and br.headers["vary"] == "Accept-Encoding"
    assert br.text == PAGE  # the client decodes it
    assert br.num_bytes_downloaded == int(br.headers["content-length"]) < len(PAGE) // 5
    assert br.headers["etag"] == 'W/"v1"'  # no longer the very bytes the ETag named
    gz = http.get("/page", headers={"Accept-Encoding": "gzip"})
    assert gz.headers["content-encoding"] == "gzip" and gz.text == PAGE
    plain = http.get("/page", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.content == PAGE.encode()
    assert plain.headers["vary"] == "Accept-Encoding"  # a cache must not mix them up


def test_json_is_compressed_and_the_compressed_bytes_are_stable() -> None:
    http = small_app()
    first = http.get("/json", headers={"Accept-Encoding": "gzip"})
    assert first.headers["content-encoding"] == "gzip" and first.json() == {"text": PAGE}
    again = http.get("/json", headers={"Accept-Encoding": "gzip"})
    assert first.num_bytes_downloaded == again.num_bytes_downloaded


def test_tiny_bodies_compressed_types_and_streams_pass_as_they_are() -> None:
    http = small_app()
    for path in ("/tiny", "/pdf", "/stream"):
        answer = http.get(path, headers={"Accept-Encoding": "br, gzip"})
        assert answer.status_code == 200
        assert "content-encoding" not in answer.headers, path
    stream = http.get("/stream", headers={"Accept-Encoding": "br, gzip"})
    assert stream.text == PAGE * 3


def served_files(tmp_path: Path) -> tuple[TestClient, Assets]:
    (tmp_path / "site.css").write_text(
        "/* a comment */\nbody { margin: 0;  color: #123; }\n" + ".a > .b { padding: 1px; }\n" * 60
    )
    (tmp_path / "icon.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    files = Assets(tmp_path)
    app = FastAPI()
    app.mount("/static", files)
    app.add_middleware(Compression)
    return TestClient(app), files


def test_static_files_answer_under_their_hashed_name_for_a_year(tmp_path: Path) -> None:
    http, files = served_files(tmp_path)
    url = files.url("site.css")
    assert url.startswith("/static/site.") and url.endswith(".css") and len(url) == 27
    answer = http.get(url, headers={"Accept-Encoding": "br, gzip"})
    assert answer.status_code == 200 and answer.headers["cache-control"] == IMMUTABLE
    assert (
        answer.headers["content-encoding"] == "br" and answer.headers["vary"] == "Accept-Encoding"
    )
    css = files.by_name["site.css"].body
    assert brotli.decompress(files.by_name["site.css"].encoded["br"]) == css
    assert gzip.decompress(files.by_name["site.css"].encoded["gzip"]) == css
    assert answer.content == css and css.startswith(b"body{margin:0;color:#123}.a>.b{")
    plain = http.get("/static/site.css", headers={"Accept-Encoding": "identity"})
    assert plain.content == css and "content-encoding" not in plain.headers
    assert plain.headers["cache-control"] == "public, max-age=600"  # an old page's link
    kept = http.get("/static/site.css", headers={"If-None-Match": plain.headers["etag"]})
    assert kept.status_code == 304 and kept.content == b""
    icon = http.get(files.url("icon.svg"), headers={"Accept-Encoding": "br, gzip"})
    assert icon.headers["cache-control"] == IMMUTABLE and "content-encoding" not in icon.headers
    assert http.get("/static/site.0000000000.css").status_code == 404
    assert http.get("/static/nothing.css").status_code == 404
    assert http.post(url).status_code == 405


def test_a_changed_file_gets_a_new_name(tmp_path: Path) -> None:
    _, before = served_files(tmp_path)
    (tmp_path / "site.css").write_text("body { margin: 1px; }")
    after = Assets(tmp_path)
    assert after.url("site.css") != before.url("site.css")
    assert after.url("icon.svg") == before.url("icon.svg")


def test_minifying_keeps_what_the_rules_say() -> None:
    css = "a :hover { clip: rect(0 0 0 0); width: calc(1px + 2px); }\n@media (max-width: 3em) {}"
    assert (
        minify_css(css)
        == "a :hover{clip:rect(0 0 0 0);width:calc(1px + 2px)}@media (max-width:3em){}"
    )


def test_minifying_a_script_keeps_its_lines_and_leaves_risky_ones_whole() -> None:
    script = "// why\n(function () {\n  var a = 1;  // one\n\n  return a;\n})();\n"
    assert minify_js(script) == "(function () {\nvar a = 1;  // one\nreturn a;\n})();\n"
    for risky in ("var s = `a\n  b`;\n", 'var s = "a\\\n  b";\n'):
        assert minify_js(risky) == risky
