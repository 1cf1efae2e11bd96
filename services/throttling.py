"""Throttling with the ``limits`` library over sliding window counters every API process
shares (``store.rate_counters``): past a limit, ``TooMany`` with the seconds to wait. Guesses
(passwords, access codes) are counted when they fail, in tiers whose windows grow, so the
wait grows with them. A burst at the end of a window still counts at the start of the next,
so no edge lets twice the rate through."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

from limits import RateLimitItem, parse_many
from limits.strategies import SlidingWindowCounterRateLimiter
from sqlalchemy import Engine

from core.settings import Settings
from domain.problems import TooMany
from store.rate_counters import SqlStorage


@dataclass(frozen=True)
class Rule:
    """Limits on one kind of attempt, keyed by what is counted (account, address …)."""

    name: str
    limits: str  # in the ``limits`` notation: "5/minute;10/15 minutes"
    refusal: str

    @cached_property
    def items(self) -> list[RateLimitItem]:
        """The parsed tiers."""
        return parse_many(self.limits)


SIGN_IN_ACCOUNT = Rule(
    "sign-in-account",
    "5/minute;10/15 minutes;30/day",
    "too many failed sign-ins to this account",
)
SIGN_IN_ADDRESS = Rule(
    "sign-in-address", "20/minute;100/hour", "too many failed sign-ins from this address"
)
CODE_CASE = Rule(
    "code-case", "5/minute;20/hour;50/day", "too many wrong access codes for this case"
)
CODE_ADDRESS = Rule(
    "code-address", "20/minute;100/hour", "too many wrong access codes from this address"
)
UPLOAD = Rule("upload", "30/minute;300/day", "too many uploads")
SEARCH = Rule("search", "120/minute", "too many searches from this address")


def filing(settings: Settings) -> Rule:
    """Anonymous filings per address (``REDRESS_COMPLAINT_RATE_PER_HOUR``)."""
    return Rule(
        "filing", f"{settings.complaint_rate_per_hour}/hour", "too many filings from this address"
    )


class Throttle:
    """Counts attempts and refuses them past a rule's limits."""

    def __init__(self, engine: Engine) -> None:
        self.storage = SqlStorage(engine=engine)
        self.limiter = SlidingWindowCounterRateLimiter(self.storage)

    def refuse_if_spent(self, rule: Rule, key: str) -> None:
        """429 with Retry-After when any tier of the rule is used up for this key."""
        wait = 0
        for item in rule.items:
            if not self.limiter.test(item, rule.name, key):
                wait = max(wait, math.ceil(self._wait(item, rule.name, key)), 1)
        if wait > 0:
            raise TooMany(f"{rule.refusal}; try again in {wait} seconds", retry_after=wait)

    def _wait(self, item: RateLimitItem, *identifiers: str) -> float:
        """Seconds until one more attempt fits the tier: until the previous window weighs
        little enough, or, when the current window alone is full, into the next window
        until this one weighs little enough. (``limits``' own reset time is when the count
        first drops, which may still be too high.)"""
        window = self.storage.get_sliding_window(item.key_for(*identifiers), item.get_expiry())
        previous, _, current, current_ttl = window
        expiry, limit = item.get_expiry(), item.amount
        left = current_ttl - expiry  # of the current window
        if current < limit:
            # previous * (left - t) / expiry + current < limit
            return left - (limit - current) * expiry / previous if previous else 0.0
        # current * (expiry - t) / expiry < limit, t seconds into the next window
        return left + expiry * (1 - limit / current)

    def count(self, rule: Rule, key: str) -> None:
        """Count one attempt against every tier of the rule."""
        for item in rule.items:
            self.limiter.hit(item, rule.name, key)

    def take(self, rule: Rule, key: str) -> None:
        """Refuse when spent, else count this attempt (for attempts counted whether or
        not they succeed: filings, uploads, searches)."""
        self.refuse_if_spent(rule, key)
        self.count(rule, key)
