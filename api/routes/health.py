"""``GET /healthz``: 200 only when the database and Temporal both answer."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import Engine, text
from temporalio.api.workflowservice.v1 import GetSystemInfoRequest

from api.deps import get_client, get_engine
from api.schemas import HealthOut

router = APIRouter(tags=["health"])
TIMEOUT = timedelta(seconds=3)


def _database_answers(engine: Engine) -> bool:
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT 1")).scalar() == 1
    except Exception:
        return False


async def _temporal_answers(request: Request) -> bool:
    client = request.app.state.temporal
    if client is None:
        # Down at startup: try once more, so /healthz recovers without a restart.
        try:
            client = await get_client(request)
        except Exception:
            return False
    try:
        await client.workflow_service.get_system_info(GetSystemInfoRequest(), timeout=TIMEOUT)
        return True
    except Exception:
        return False


@router.get(
    "/healthz",
    response_model=HealthOut,
    responses={503: {"model": HealthOut, "description": "the database or Temporal is down"}},
)
async def check_health(request: Request) -> HealthOut | JSONResponse:
    """Report whether the database and Temporal answer; 503 naming what is down."""
    database_ok = await asyncio.to_thread(_database_answers, get_engine(request))
    temporal_ok = await _temporal_answers(request)
    db: Literal["ok", "down"] = "ok" if database_ok else "down"
    temporal: Literal["ok", "down"] = "ok" if temporal_ok else "down"
    if database_ok and temporal_ok:
        return HealthOut(status="ok", database=db, temporal=temporal)
    down = [name for name, ok in (("database", database_ok), ("Temporal", temporal_ok)) if not ok]
    body = HealthOut(
        status="unavailable", database=db, temporal=temporal, detail=f"down: {', '.join(down)}"
    )
    return JSONResponse(status_code=503, content=body.model_dump())
