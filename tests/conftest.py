"""The suite's "today" (``--today`` or REDRESS_TEST_TODAY): see tests/clock.py."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests import clock

_traveller: Any = None


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--today",
        default=os.environ.get(clock.ENV),
        help=f"run the suite as if today were this date (ISO 8601, not in the past; {clock.ENV})",
    )


def pytest_configure(config: pytest.Config) -> None:
    global _traveller
    try:
        day = clock.parse_today(config.getoption("--today"))
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None
    if day is not None:
        _traveller = clock.travel_to(day)


def pytest_report_header(config: pytest.Config) -> str:
    return f"today: {clock.today()}"


def pytest_unconfigure(config: pytest.Config) -> None:
    if _traveller is not None:
        _traveller.stop()
