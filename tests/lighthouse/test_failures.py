"""What counts as a failed audit in a Lighthouse report (tests/lighthouse/audits.py), on a
report built by hand: no browser needed."""

from __future__ import annotations

from typing import Any

from tests.lighthouse.audits import failures


def _audit(mode: str, score: float | None, title: str, **more: Any) -> dict[str, Any]:
    return {"scoreDisplayMode": mode, "score": score, "title": title, **more}


def _report(audits: dict[str, tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """A report whose categories hold the given audits (id -> (category, audit))."""
    categories: dict[str, Any] = {
        name: {"auditRefs": []}
        for name in ("performance", "accessibility", "best-practices", "seo")
    }
    for audit_id, (category, _) in audits.items():
        categories[category]["auditRefs"].append({"id": audit_id})
    return {"categories": categories, "audits": {k: a for k, (_, a) in audits.items()}}


def test_failed_binary_numeric_and_errored_audits_are_listed_with_where() -> None:
    contrast = _audit(
        "binary",
        0,
        "Background and foreground colors do not have a sufficient contrast ratio.",
        details={"items": [{"node": {"snippet": '<a class="pale">'}}]},
    )
    report = _report(
        {
            "color-contrast": ("accessibility", contrast),
            "tap-targets": ("seo", _audit("numeric", 0.89, "Tap targets are too small")),
            "errors-in-console": ("best-practices", _audit("error", None, "Console errors")),
            "viewport": ("best-practices", _audit("metricSavings", 0.5, "Viewport not set")),
            "document-title": ("seo", _audit("binary", 1, "Document has a title")),
            "font-size": ("seo", _audit("numeric", 0.9, "Legible font sizes")),
            "structured-data": ("seo", _audit("manual", None, "Structured data is valid")),
            "hreflang": ("seo", _audit("notApplicable", None, "Valid hreflang")),
            "render-blocking": ("performance", _audit("metricSavings", 0, "Render blocking")),
        }
    )
    found = failures(report)
    assert len(found) == 4, found
    assert found[0].startswith("accessibility: Background and foreground colors")
    assert "[color-contrast]" in found[0] and '<a class="pale">' in found[0]
    assert any("[tap-targets]" in f for f in found)
    assert any("[errors-in-console]" in f and "did not run" in f for f in found)
    assert any("[viewport]" in f for f in found)
    assert not any("render-blocking" in f for f in found)  # performance is not checked


def test_a_page_s_expected_failure_is_left_out_and_a_page_that_did_not_load_fails() -> None:
    report = _report({"is-crawlable": ("seo", _audit("binary", 0, "Page is blocked"))})
    assert failures(report) == ["seo: Page is blocked [is-crawlable]"]
    assert failures(report, expected={"is-crawlable": "robots.txt, on purpose"}) == []
    broken = {"runtimeError": {"code": "ERRORED_DOCUMENT_REQUEST", "message": "Status 500"}}
    assert failures(broken) == ["the page did not load: Status 500"]
