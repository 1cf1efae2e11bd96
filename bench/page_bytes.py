"""Bytes on the wire of each public page, in English and Bengali: a first visit (the page and
every stylesheet and script it links, empty cache) and a repeat visit (the page again; the
files are kept a year), uncompressed (``identity``, as before issue 23), gzip and brotli.

The pages Lighthouse audits (tests/lighthouse/audits.py), the receipt after filing and a
case's tracking page, on the app over a seeded SQLite file (a case projected as the
workflow would, no Temporal), counted as Starlette's TestClient receives them: each
response's status line, headers and body as sent (tests/pages/wire.py). Requests going up
are not in the figures (a browser sends about 0.5 kB a request; "requests" says how many).
The figures are the same every run (the receipt's within a byte: its cookie is sealed with a
random nonce).

Usage: ``python -m bench.page_bytes [--languages en,bn]``.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from tests.lighthouse.audits import PAGES as AUDITED
from tests.pages.wire import (
    BROWSER,
    IDENTITY,
    Visit,
    add_tracked_case,
    first_visit,
    light_settings,
    light_site,
    repeat_visit,
)

ENCODINGS = {"identity": IDENTITY, "gzip": {"Accept-Encoding": "gzip"}, "br": BROWSER}
RECEIPT = ("receipt", "/complaint/filed")
CASE = ("case (tracking)", "/track/{reference}")


def row(cells: list[str]) -> str:
    """A Markdown table row."""
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    """Print one table: a row per page and language."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--languages", default="en,bn", help="comma-separated page languages")
    args = parser.parse_args()
    pages = [(page.name, page.path) for page in AUDITED] + [RECEIPT, CASE]
    with tempfile.TemporaryDirectory() as folder:
        settings = light_settings(Path(folder))
        tracked = add_tracked_case(settings)
        with light_site(Path(folder), settings) as http:
            print("Bytes to the browser (headers and bodies), first visit / repeat visit")
            print(
                row(
                    ["page", "lang", "requests"]
                    + [f"first {name}" for name in ENCODINGS]
                    + [f"repeat {name}" for name in ENCODINGS]
                )
            )
            print(row(["---"] * 2 + ["---:"] * (1 + 2 * len(ENCODINGS))))
            totals = [0] * (2 * len(ENCODINGS))
            for name, template in pages:
                path = template.format(reference=tracked.reference)
                # Only the receipt and the case page are seen with the case's cookies.
                cookies = tracked.cookies if (name, template) in (RECEIPT, CASE) else None
                for language in args.languages.split(","):
                    firsts: list[Visit] = []
                    repeats: list[Visit] = []
                    for encoding in ENCODINGS.values():
                        headers = {**encoding, "Accept-Language": language}
                        first = first_visit(http, path, headers, cookies)
                        firsts.append(first)
                        repeats.append(repeat_visit(http, path, headers, first))
                    figures = [visit.bytes for visit in (*firsts, *repeats)]
                    totals = [total + figure for total, figure in zip(totals, figures, strict=True)]
                    requests = f"{len(firsts[-1].answers)} / {len(repeats[-1].answers)}"
                    print(row([name, language, requests] + [f"{f:,}" for f in figures]))
            print(row(["all", "", ""] + [f"**{total:,}**" for total in totals]))


if __name__ == "__main__":
    main()
