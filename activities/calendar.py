"""The deadline computation activity: business days need the holiday calendar."""

from __future__ import annotations

from temporalio import activity

from domain.schedule import Schedule, ScheduleInput, plan


@activity.defn
async def compute_schedule(request: ScheduleInput) -> Schedule:
    """Open, shift and extend a case's deadlines on the seat's business-day calendar."""
    return plan(request)
