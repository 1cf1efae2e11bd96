"""What the list queries share: the largest page, and case-blind text matching."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, or_

# The largest page any list answers; the API refuses larger ``page_size`` values.
MAX_PAGE_SIZE = 100


def contains_text(columns: Sequence[Any], text: str) -> ColumnElement[bool]:
    """Any of the columns contains ``text`` (case-blind; LIKE wildcards are taken literally)."""
    wanted = text.strip().lower()
    return or_(*(func.lower(column).contains(wanted, autoescape=True) for column in columns))


def page_bounds(page: int, page_size: int) -> tuple[int, int]:
    """(offset, limit) of a page, the page at least 1 and its size within 1..MAX_PAGE_SIZE."""
    page = max(page, 1)
    page_size = min(max(page_size, 1), MAX_PAGE_SIZE)
    return (page - 1) * page_size, page_size
