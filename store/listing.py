"""What the list queries share: the largest page, case-blind text matching, and searching
through the text search indexes (store/tables/search.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Boolean, ColumnElement, func, literal_column, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import TableClause
from sqlalchemy.sql.visitors import InternalTraversal

# The largest page any list answers; the API refuses larger ``page_size`` values.
MAX_PAGE_SIZE = 100
# The trigram indexes find text of three characters or more; shorter text is scanned for.
INDEXED_LENGTH = 3


def contains_text(columns: Sequence[Any], text: str) -> ColumnElement[bool]:
    """Any of the columns contains ``text`` (case-blind; LIKE wildcards are taken literally)."""
    wanted = text.strip().lower()
    return or_(*(func.lower(column).contains(wanted, autoescape=True) for column in columns))


def like_pattern(text: str) -> str:
    """A LIKE pattern for text anywhere, its wildcards escaped with PostgreSQL's default
    escape character (a backslash), which ``pg_trgm`` reads too."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def fts_phrase(text: str) -> str:
    """An FTS5 query that matches ``text`` as it is: one quoted string, so that quotes,
    ``*``, ``-``, parentheses, AND, OR, NOT and NEAR are characters to find, not syntax.
    With the trigram tokenizer, a string matches wherever it occurs inside the text."""
    return '"' + text.replace('"', '""') + '"'


def fts_match(fts: TableClause, query: str, column: str | None = None) -> ColumnElement[bool]:
    """The FTS5 table's rows matching ``query`` (in one of its columns, or in any)."""
    target = fts.c[column] if column else literal_column(fts.name)
    return target.op("MATCH", is_comparison=True)(query)


class ByDialect(ColumnElement[bool]):
    """A condition written one way for SQLite and another for PostgreSQL: the search reaches
    each database's own index. Decided when the statement is compiled for its database."""

    inherit_cache = True
    type = Boolean()
    _is_implicitly_boolean = True  # a condition, not a value to compare with true
    _traverse_internals = [
        ("sqlite", InternalTraversal.dp_clauseelement),
        ("other", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, *, sqlite: ColumnElement[bool], other: ColumnElement[bool]) -> None:
        self.sqlite = sqlite
        self.other = other


@compiles(ByDialect)
def _compile_other(element: ByDialect, compiler: SQLCompiler, **kw: Any) -> str:
    return f"({compiler.process(element.other, **kw)})"


@compiles(ByDialect, "sqlite")
def _compile_sqlite(element: ByDialect, compiler: SQLCompiler, **kw: Any) -> str:
    return f"({compiler.process(element.sqlite, **kw)})"


def page_bounds(page: int, page_size: int) -> tuple[int, int]:
    """(offset, limit) of a page, the page at least 1 and its size within 1..MAX_PAGE_SIZE."""
    page = max(page, 1)
    page_size = min(max(page_size, 1), MAX_PAGE_SIZE)
    return (page - 1) * page_size, page_size
