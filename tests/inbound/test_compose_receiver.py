"""The production stack's reply receiver and IMAP fetcher: opt-in profiles of
docker-compose.yml, running the receiver's commands with the shared settings."""

from __future__ import annotations

import re
from typing import Any

import yaml

from tests.test_deployment import _compose


def test_the_receiver_and_the_fetcher_are_opt_in_profiles() -> None:
    result = _compose("config")
    assert result.returncode == 0, result.stderr
    services: dict[str, Any] = yaml.safe_load(result.stdout)["services"]
    receiver, fetcher = services["mail-receiver"], services["mail-fetcher"]
    # Not run unless asked for (COMPOSE_PROFILES=replies, or imap).
    assert (receiver["profiles"], fetcher["profiles"]) == (["replies"], ["imap"])
    assert receiver["command"] == ["receive-mail"] and fetcher["command"] == ["fetch-mail"]
    assert receiver["environment"]["REDRESS_INBOUND_SMTP_HOST"] == "0.0.0.0"
    (published,) = receiver["ports"]
    assert re.fullmatch(r"127\.0\.0\.1:2525:2525(/tcp)?", published), published
    for service in (receiver, fetcher):
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        # The same settings as the worker, whose notices carry the reply addresses.
        assert "REDRESS_REPLY_DOMAIN" in service["environment"]
    assert "REDRESS_REPLY_DOMAIN" in services["worker"]["environment"]
