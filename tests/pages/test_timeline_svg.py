"""The timeline picture: stage bars against deadlines, overdue marked, the target line."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

from api.pages.timeline_svg import LABELS, PLOT, rows, timeline_svg
from domain.cases import CaseState
from domain.enums import Audience, DeadlineState
from tests.factories import FILED, case_state, deadline

SVG = "{http://www.w3.org/2000/svg}"
NOW = FILED + timedelta(days=40)
TARGET = FILED + timedelta(days=365)


def sample_state() -> CaseState:
    """Screening met on time, admissibility met late, the response overdue, a target."""
    register = deadline("register", FILED + timedelta(days=7), state=DeadlineState.MET)
    register.closed_at = FILED + timedelta(days=2)
    admissibility = deadline("admissibility", FILED + timedelta(days=10), state=DeadlineState.MET)
    admissibility.opened_at = register.closed_at
    admissibility.closed_at = FILED + timedelta(days=14)
    response = deadline("response", FILED + timedelta(days=30), escalated=True)
    response.opened_at = admissibility.closed_at
    state = case_state(deadlines=[register, admissibility, response])
    state.target_at = TARGET
    return state


def parse(svg: str) -> ET.Element:
    """The picture as XML (it must be well formed)."""
    return ET.fromstring(svg)


def test_each_stage_is_a_labelled_bar_in_order() -> None:
    root = parse(timeline_svg(sample_state(), now=NOW))
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby", "").split()
    assert root.find(f"{SVG}title").get("id") == title_id  # type: ignore[union-attr]
    assert root.find(f"{SVG}desc").get("id") == desc_id  # type: ignore[union-attr]
    groups = [g for g in root.iter(f"{SVG}g") if "row" in (g.get("class") or "").split()]
    labels = [g.findall(f"{SVG}text")[0].text for g in groups]
    assert labels == ["Screening", "Admissibility", "Company response"]
    assert all(g.find(f"{SVG}title") is not None for g in groups)
    assert all(g.find(f"{SVG}rect[@class='allowed']") is not None for g in groups)


def test_overdue_and_late_are_styled_and_said() -> None:
    svg = str(timeline_svg(sample_state(), now=NOW))
    root = parse(svg)
    classes = [g.get("class") for g in root.iter(f"{SVG}g") if g.get("class", "").startswith("row")]
    assert classes == ["row row-met", "row row-late", "row row-overdue"]
    overdue = [g for g in root.iter(f"{SVG}g") if g.get("class") == "row row-overdue"][0]
    texts = [t.text for t in overdue.findall(f"{SVG}text")]
    assert texts[1] == "overdue"
    assert overdue.find(f"{SVG}rect[@class='bar-late-part']") is not None
    assert "due 2026-04-01, overdue" in (root.find(f"{SVG}desc").text or "")  # type: ignore[union-attr]
    on_time = [g for g in root.iter(f"{SVG}g") if g.get("class") == "row row-met"][0]
    assert on_time.find(f"{SVG}rect[@class='bar-late-part']") is None


def test_the_target_line_sits_at_twelve_months() -> None:
    root = parse(timeline_svg(sample_state(), now=NOW))
    target = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "target")
    end = TARGET + (TARGET - FILED) * 0.03  # the axis runs a little past the target
    expected = LABELS + (TARGET - FILED) / (end - FILED) * PLOT
    assert abs(float(target.get("data-x", "0")) - expected) < 0.2
    assert target.find(f"{SVG}text").text == "Target 2027-03-02"  # type: ignore[union-attr]
    today = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "today")
    assert today.find(f"{SVG}text").text == "Today"  # type: ignore[union-attr]


def test_labels_go_through_gettext_and_text_is_escaped() -> None:
    state = sample_state()
    state.reference = "GT-2026-<X>"
    svg = str(timeline_svg(state, now=NOW, gettext=lambda text: f"[{text}]"))
    root = parse(svg)
    assert "[Screening]" in svg and "[Today]" in svg
    assert "<X>" not in svg
    assert root.get("aria-labelledby", "").split()[0].endswith("GT-2026--X-")


def test_orders_have_their_own_rows_and_repeats_share_one() -> None:
    first = deadline("progress_report", FILED + timedelta(days=90), state=DeadlineState.MET)
    first.closed_at = FILED + timedelta(days=80)
    second = deadline("progress_report", FILED + timedelta(days=180))
    second.id, second.opened_at = "progress_report-2", first.closed_at
    order = deadline("order-1", FILED + timedelta(days=60))
    state = case_state(deadlines=[first, second, order])
    found = rows(state, NOW, lambda text: text)
    assert [(r.label, len(r.segments)) for r in found] == [
        ("Order 1", 1),
        ("Progress reports", 2),
    ]


def test_a_case_without_deadlines_still_draws() -> None:
    root = parse(timeline_svg(case_state(), now=NOW))
    assert "No deadlines yet." in (root.find(f"{SVG}desc").text or "")  # type: ignore[union-attr]


def test_each_company_answers_in_its_own_row() -> None:
    first = deadline("response", FILED + timedelta(days=30), owner=Audience.RESPONDENTS)
    second = deadline("response", FILED + timedelta(days=30), owner=Audience.RESPONDENTS)
    first.party, second.party, second.id = "noorderlicht-fashion", "delta-denim", "response-2"
    state = case_state(
        respondents=("noorderlicht-fashion", "delta-denim"), deadlines=[first, second]
    )
    labels = [r.label for r in rows(state, NOW, lambda text: text)]
    assert labels == ["Company response: Noorderlicht Fashion", "Company response: Delta Denim"]
    alone = case_state(deadlines=[first])
    assert [r.label for r in rows(alone, NOW, lambda text: text)] == ["Company response"]
