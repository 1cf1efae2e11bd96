"""The statistics as rows, CSV and an XLSX workbook, and whose figures a caller may read.

Every figure is a count or a duration: no case, complainant or text appears in an export.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook
from pydantic import BaseModel

from domain.enums import Role
from services.access import ALL_CASES_ROLES, Viewer, list_scope
from services.statistics import Statistics
from store.cases import ALL_CASES, CaseFilter

HEADER = ("figure", "key", "measure", "value")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Who reads statistics: the mechanism's staff, the steering group, and the admin.
STATISTICS_ROLES = ALL_CASES_ROLES | {Role.STEERING_GROUP, Role.ADMIN}
Row = tuple[str, str, str, Any]


def may_read(viewer: Viewer) -> bool:
    """Whether the caller may read statistics."""
    return viewer.role in STATISTICS_ROLES


def statistics_scope(viewer: Viewer) -> CaseFilter | None:
    """The cases a caller's figures count: the admin all; the steering group its covenants;
    the secretariat, chair and committee the cases their list holds (their covenants, less
    the cases they are recused from). None: no figures for this caller."""
    if viewer.role is Role.ADMIN:
        return ALL_CASES
    if viewer.role is Role.STEERING_GROUP:
        return CaseFilter(covenants=viewer.covenants)
    if viewer.role in ALL_CASES_ROLES:
        scope = list_scope(viewer)
        # Staff of no covenant yet read figures of no case.
        return CaseFilter(covenants=frozenset()) if scope.nothing else scope.case_filter
    return None


def rows(figures: Statistics) -> list[Row]:
    """Every figure as (figure, key, measure, value): ``("by_stage", "closed", "", 12)``,
    ``("durations", "mediation", "median_days", 41.5)``, ``("orders", "", "late", 3)``."""
    found: list[Row] = []
    for name, value in figures.model_dump(mode="json", by_alias=True).items():
        if isinstance(value, dict):
            for key, inner in value.items():
                found.extend(_inner(name, key, inner, value_is_model=_is_model(figures, name)))
        elif isinstance(value, list):
            for item in value:
                for measure, v in item.items():
                    if measure != "id":
                        found.append((name, str(item["id"]), measure, v))
        else:
            found.append((name, "", "", value))
    return found


def _is_model(figures: Statistics, name: str) -> bool:
    """Whether the field is one model (``orders``) rather than a mapping (``by_stage``)."""
    return isinstance(getattr(figures, name), BaseModel)


def _inner(name: str, key: str, inner: Any, *, value_is_model: bool) -> list[Row]:
    if value_is_model and isinstance(inner, dict):  # e.g. decisions.by_finding
        return [(name, k, key, v) for k, v in inner.items()]
    if value_is_model:
        return [(name, "", key, inner)]
    if isinstance(inner, dict):  # e.g. durations.mediation
        return [(name, key, measure, v) for measure, v in inner.items()]
    return [(name, key, "", inner)]


def _cell(value: Any) -> Any:
    """A value safe in a spreadsheet: text that would start a formula is quoted."""
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + value
    return "" if value is None else value


def to_csv(figures: Statistics) -> str:
    """The figures as CSV, one figure a line, with a header."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(tuple(_cell(v) for v in row) for row in rows(figures))
    return out.getvalue()


def to_xlsx(figures: Statistics) -> bytes:
    """The figures as an XLSX workbook: one sheet, the CSV's rows."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Statistics"
    sheet.append(list(HEADER))
    for row in rows(figures):
        sheet.append([_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download(figures: Statistics, kind: str) -> tuple[bytes, str, dict[str, str]]:
    """The figures as a file to download (``kind``: csv or xlsx): its bytes, media type and
    headers, alike for the API and the statistics page."""
    if kind == "csv":
        content, media_type = to_csv(figures).encode(), "text/csv; charset=utf-8"
    else:
        content, media_type = to_xlsx(figures), XLSX_TYPE
    disposition = {"Content-Disposition": f'attachment; filename="statistics.{kind}"'}
    return content, media_type, disposition
