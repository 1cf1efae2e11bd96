"""Lighthouse's performance figures for the pages tests/lighthouse audits (the public pages,
a register entry, the sign-in page and a portal page signed in: an open case's page as the
secretariat reads it), in English and Bengali, as a phone on a slow connection sees them:
Lighthouse 12 (tools/lighthouse), mobile, simulated slow 4G.

Each figure is the median of ``--runs`` runs (3 by default) of each page, with one Chromium:
the performance score (0-100), first and largest contentful paint and total blocking time
(simulated, ms), cumulative layout shift, and the bytes the page moved (total byte weight: on
the wire, so compressed where the server compresses). The site is served from SQLite without
Temporal (tests/lighthouse/site.py); the portal page is asked for with a demo account's
session cookie, every other page as a first visit without one. Simulated figures scale with
the machine's speed, which Lighthouse measures as its benchmark index, printed with them.

Usage: ``python -m bench.lighthouse [--runs 3] [--languages en,bn]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.measure import machine
from tests.lighthouse.audits import AUDITED, LANGUAGES, missing, reports, url_of
from tests.lighthouse.site import served_site, session_cookie

Report = dict[str, Any]


def _audit(name: str) -> Callable[[Report], float]:
    return lambda report: float(report["audits"][name]["numericValue"])


# (column heading, its value in a report, how it is printed)
FIGURES: list[tuple[str, Callable[[Report], float], str]] = [
    ("score", lambda report: 100 * float(report["categories"]["performance"]["score"]), "{:.0f}"),
    ("FCP ms", _audit("first-contentful-paint"), "{:,.0f}"),
    ("LCP ms", _audit("largest-contentful-paint"), "{:,.0f}"),
    ("TBT ms", _audit("total-blocking-time"), "{:,.0f}"),
    ("CLS", _audit("cumulative-layout-shift"), "{:.3f}"),
    ("bytes", _audit("total-byte-weight"), "{:,.0f}"),
]


def problem(url: str, runs: list[Report]) -> str | None:
    """Why the runs measured no page or another one (a portal page without its session is the
    sign-in form); None if each measured the page asked for."""
    if not runs:
        return "no report"
    for report in runs:
        if report.get("runtimeError"):
            return str(report["runtimeError"]["code"])
        if report["finalDisplayedUrl"] != url:
            return f"measured {urlsplit(report['finalDisplayedUrl']).path} instead"
    return None


def row(name: str, language: str, url: str, runs: list[Report]) -> str:
    """The page's line of the table: each figure's median over the runs, or why there is none."""
    trouble = problem(url, runs)
    if trouble:
        return f"| {name} | {language} | {trouble} |" + " |" * (len(FIGURES) - 1)
    cells = [fmt.format(statistics.median(value(r) for r in runs)) for _, value, fmt in FIGURES]
    return f"| {name} | {language} | " + " | ".join(cells) + " |"


def main() -> int:
    """Measure every page in every language asked for and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--languages", default=",".join(LANGUAGES))
    args = parser.parse_args()
    lacking = missing()
    if lacking:
        print(lacking, file=sys.stderr)
        return 1
    pairs = [(page, lang) for page in AUDITED for lang in args.languages.split(",")]
    began = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "site"
        folder.mkdir()
        with served_site(folder) as site:
            urls = [url_of(site, page, lang) for page, lang in pairs]
            found = reports(
                urls,
                Path(tmp) / "reports",
                runs=args.runs,
                categories=("performance",),
                cookie=session_cookie(site),
            )
    first = next((r for runs in found for r in runs if not r.get("runtimeError")), None)
    print(machine())
    if first is not None:
        environment, settings = first["environment"], first["configSettings"]
        print(
            f"Lighthouse {first['lighthouseVersion']}, {environment['hostUserAgent']}; "
            f"benchmark index {environment['benchmarkIndex']:.0f}; "
            f"{settings['formFactor']}, {settings['throttlingMethod']} throttling"
        )
    each = f"medians of {args.runs} runs" if args.runs > 1 else "one run"
    print(f"\nEach page: {each} ({time.monotonic() - began:.0f} s in all)")
    print("| page | language | " + " | ".join(heading for heading, _, _ in FIGURES) + " |")
    print("|---|---|" + "---:|" * len(FIGURES))
    for (page, lang), url, runs in zip(pairs, urls, found, strict=True):
        print(row(f"{page.name} ({page.path})", lang, url, runs))
    failed = any(problem(url, runs) for url, runs in zip(urls, found, strict=True))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
