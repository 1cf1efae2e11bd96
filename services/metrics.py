"""A Prometheus collector of the read model's counts, computed at each scrape.

The counts come from the database every process shares, so they need no multiprocess
handling: whichever API process answers the scrape reports the same figures.
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import Engine

from store.db import session_scope
from store.metrics import read_model_counts


class ReadModelCollector(Collector):
    """Cases by stage and status, overdue deadlines and notices by state; labels never carry
    a reference, an identity or a text."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """One read of the counts, as three gauge families."""
        with session_scope(self.engine) as session:
            counts = read_model_counts(session=session)
        cases = GaugeMetricFamily(
            "redress_cases",
            "Cases in the read model by stage and status",
            labels=["stage", "status"],
        )
        for (stage, status), n in sorted(counts.cases.items()):
            cases.add_metric([stage, status], n)
        yield cases
        yield GaugeMetricFamily(
            "redress_deadlines_overdue",
            "Open deadlines past their due moment",
            value=counts.overdue_deadlines,
        )
        notices = GaugeMetricFamily(
            "redress_notices",
            "E-mail notices by state: queued, sent, failed (refused for good), parked",
            labels=["state"],
        )
        for state, n in counts.notices.items():
            notices.add_metric([state], n)
        yield notices
