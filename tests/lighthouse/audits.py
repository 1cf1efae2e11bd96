"""Lighthouse 12 (npm, tools/lighthouse) on the site's pages, and what in its reports fails.

``reports`` runs tools/lighthouse/audit.mjs: one Chromium for all the pages, each page once
per run, mobile with simulated throttling; a portal page is asked for with the session cookie
given (``cookie``), every other page as an anonymous visitor. ``failures`` lists a report's
failed audits in the accessibility, best-practices and SEO categories. Shared by
tests/lighthouse and bench/lighthouse.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "tools" / "lighthouse"
AUDIT = TOOL / "audit.mjs"
INSTALLED = TOOL / "node_modules" / "lighthouse" / "package.json"
CHROME = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts" / "lighthouse"

CHECKED = ("accessibility", "best-practices", "seo")
ALL = ("performance", *CHECKED)
LANGUAGES = ("en", "bn")
# A numeric audit below this fails (a binary one fails at 0).
PASSING = 0.9


# The pages a signed-in user's session cookie goes with (audit.mjs --cookie-path).
PORTAL = "/portal/"
NOT_FOR_SEARCH = "robots.txt keeps search engines off the portal, on purpose"


@dataclass(frozen=True)
class Page:
    """A page audited: its name in reports, its path, the audits it fails on purpose."""

    name: str
    path: str
    # audit id -> why failing it is right for this page
    expected: tuple[tuple[str, str], ...] = ()

    @property
    def signed_in(self) -> bool:
        """Whether the page is the portal's, seen with a session (``reports``' cookie)."""
        return self.path.startswith(PORTAL)


# The pages seen without a session: the public pages and the portal's sign-in form (also
# bench/page_bytes.py's).
PAGES = (
    Page("home", "/"),
    Page("complaint form", "/complaint"),
    Page(
        "track",
        "/track",
        (("is-crawlable", "robots.txt keeps search engines off tracking pages, on purpose"),),
    ),
    Page("register", "/register"),
    Page("register entry", "/register/GT-2026-0901"),  # published by tests/lighthouse/site.py
    Page("signal form", "/signal"),
    Page("sign-in", "/login"),
)
# A portal page seen signed in: the case page of tests/lighthouse/site.py's open case (CASE),
# as its secretariat (READER) reads it.
SIGNED_IN_PAGES = (
    Page("portal case", "/portal/cases/GT-2026-0001", (("is-crawlable", NOT_FOR_SEARCH),)),
)
# Every page Lighthouse audits.
AUDITED = PAGES + SIGNED_IN_PAGES


def url_of(site: str, page: Page, language: str) -> str:
    """The page's address in ``language`` (the pages take ?lang=, as their language links)."""
    return f"{site}{page.path}?lang={language}"


def missing() -> str | None:
    """What Lighthouse needs that this machine lacks, said as how to get it; None if nothing."""
    if shutil.which("node") is None or not INSTALLED.exists():
        return (
            "Lighthouse is not installed: `scripts/test-env install` installs Node and npm "
            "(Debian) and tools/lighthouse's packages (npm ci)"
        )
    if not Path(CHROME).exists():
        return f"no Chromium at {CHROME}: `scripts/test-env install` installs it"
    return None


def reports(
    urls: list[str],
    out: Path,
    *,
    runs: int = 1,
    categories: tuple[str, ...] = ALL,
    cookie: str | None = None,
) -> list[list[dict[str, Any]]]:
    """Lighthouse's report on each of ``urls``, ``runs`` times each (kept as JSON in ``out``);
    ``cookie`` (``NAME=VALUE``) goes with the requests of the pages under /portal/ only."""
    shutil.rmtree(out, ignore_errors=True)
    node = shutil.which("node") or "node"
    command = [node, str(AUDIT), "--out", str(out), "--runs", str(runs)]
    if cookie:
        command += ["--cookie", cookie, "--cookie-path", PORTAL]
    command += ["--categories", ",".join(categories), *urls]
    done = subprocess.run(
        command,
        cwd=TOOL,
        env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", CHROME)},
        capture_output=True,
        text=True,
        timeout=120 + 60 * runs * len(urls),
        check=False,
    )
    found = [
        [_read(out / f"{page}-{run}.json") for run in range(runs)] for page in range(len(urls))
    ]
    if done.returncode != 0 and any(None in runs_of for runs_of in found):
        raise RuntimeError(f"Lighthouse failed ({done.returncode}): {done.stderr[-2000:]}")
    return [[report for report in runs_of if report is not None] for runs_of in found]


def _read(path: Path) -> dict[str, Any] | None:
    if not path.exists():
        return None
    report: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return report


def failures(report: dict[str, Any], *, expected: dict[str, str] | None = None) -> list[str]:
    """Each failed audit of the checked categories: its category, id, title and where (the
    page's own ``expected`` failures left out); a page that did not load is one failure."""
    if report.get("runtimeError"):
        return [f"the page did not load: {report['runtimeError'].get('message')}"]
    expected = expected or {}
    found = []
    for category in CHECKED:
        for ref in report["categories"][category]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["id"] in expected or not _failed(audit):
                continue
            found.append(f"{category}: {audit['title']} [{ref['id']}]{_where(audit)}")
    return found


def _failed(audit: dict[str, Any]) -> bool:
    mode, score = audit["scoreDisplayMode"], audit.get("score")
    if mode == "error":
        return True
    if mode == "binary":
        return score is not None and score < 1
    if mode in ("numeric", "metricSavings"):
        return score is not None and score < PASSING
    return False  # manual, informative, not applicable: nothing measured to fail


def _where(audit: dict[str, Any]) -> str:
    """The first few elements or resources an audit names, or its error."""
    if audit["scoreDisplayMode"] == "error":
        return f": {audit.get('errorMessage', 'the audit did not run')}"
    items = (audit.get("details") or {}).get("items") or []
    named = []
    for item in items[:3]:
        node = item.get("node") or {}
        source = item.get("source") or {}
        what = node.get("snippet") or item.get("url") or source.get("url") or item.get("label")
        if what:
            named.append(str(what)[:160])
    more = f" (+{len(items) - 3} more)" if len(items) > 3 else ""
    return f": {'; '.join(named)}{more}" if named else ""
