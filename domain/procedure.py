"""Covenants and their procedures: stage deadlines, reminders, escalation, deciding body."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from domain.enums import DecidingBody, DurationUnit


class Duration(BaseModel):
    """An amount of time in one unit, e.g. 30 business days or 48 hours."""

    model_config = ConfigDict(frozen=True)

    amount: int = Field(ge=0)
    unit: DurationUnit


def bd(amount: int) -> Duration:
    """Shorthand for a duration in business days."""
    return Duration(amount=amount, unit=DurationUnit.BUSINESS_DAYS)


DEADLINE_NAMES = (
    "register",
    "admissibility",
    "response",
    "mediation",
    "hearing",
    "decision",
    "remediation_plan",
    "progress_report",
    "dialogue",
    "information",
)
# Deadlines added after the first procedure versions: a version that lacks one (a running
# case keeps its version; older versions stay stored) uses this default.
OPTIONAL_DEADLINES: dict[str, Duration] = {
    "due_diligence": Duration(amount=60, unit=DurationUnit.CALENDAR_DAYS),
    # The secretariat's or chair's next step where no party's deadline runs (next_steps.py).
    "next_step": bd(10),
    # The chair's answer to a party's extension request (domain/actions/requests.py).
    "extension_answer": bd(5),
    # The secretariat's answer to the complainant's request for follow-up or a meeting.
    "request_answer": bd(10),
}
# The status e-mail to the complainant every so many days while a case is open: the
# covenant loader's default when the file says nothing (``store.covenants``).
STATUS_UPDATE_DAYS = 90
# Retention (EU Whistleblower Directive 2019/1937, art. 18: records kept no longer than
# necessary). The directive names no figure: 365 days after closure for a complainant's
# contact details is the default (time for a reopening or a complaint about the
# handling); 7 years for documents is a default of ours, the Dutch fiscal retention period
# of records (AWR art. 52), not a legal requirement here. A covenant file may set either.
CONTACT_RETENTION_DAYS = 365
DOCUMENT_RETENTION_YEARS = 7


class Procedure(BaseModel):
    """One version of a covenant's procedure; a running case keeps the one it started with."""

    model_config = ConfigDict(frozen=True)

    version: int = Field(ge=1)
    seat_country: str = Field(default="NL", min_length=2, max_length=2)
    timezone: str = "Europe/Amsterdam"
    deciding_body: DecidingBody = DecidingBody.COMMITTEE
    deadlines: dict[str, Duration]
    urgent_deadlines: dict[str, Duration] = Field(default_factory=dict)
    reminder_lead: Duration = Field(default_factory=lambda: bd(5))
    escalation_grace: Duration = Field(default_factory=lambda: bd(10))
    duration_target: Duration = Field(
        default_factory=lambda: Duration(amount=12, unit=DurationUnit.MONTHS)
    )
    # Days between status e-mails to the complainant (domain/status_updates.py); 0: none, as
    # for cases filed before they existed (their recorded procedure lacks the field).
    status_update_days: int = Field(default=0, ge=0)
    # The kinds of organisation (``Organisation.kind``) the covenant's parties are; empty: any.
    party_kinds: tuple[str, ...] = ()
    # A dispute's party may withdraw from the covenant once the dialogue period is over,
    # which closes the dispute with that outcome (``withdraw_from_covenant``; forest).
    withdrawal_after_dialogue: bool = False
    # Days after closure until the complainants' contact details are erased, and years
    # after closure until the case's documents are deleted (store/retention.py).
    contact_retention_days: int = Field(default=CONTACT_RETENTION_DAYS, ge=1)
    document_retention_years: int = Field(default=DOCUMENT_RETENTION_YEARS, ge=1)

    def deadline(self, name: str, *, urgent: bool = False) -> Duration:
        """The duration of a named deadline, shorter on the urgent track where configured."""
        if urgent and name in self.urgent_deadlines:
            return self.urgent_deadlines[name]
        if name in self.deadlines:
            return self.deadlines[name]
        if name in OPTIONAL_DEADLINES:
            return OPTIONAL_DEADLINES[name]
        raise KeyError(f"procedure has no deadline named {name!r}")

    @field_validator("deadlines")
    @classmethod
    def _every_step_has_a_deadline(cls, value: dict[str, Duration]) -> dict[str, Duration]:
        missing = [name for name in DEADLINE_NAMES if name not in value]
        if missing:
            raise ValueError(f"procedure lacks deadlines for: {', '.join(missing)}")
        return value


class Covenant(BaseModel):
    """A sector covenant with its parties and the current version of its procedure."""

    model_config = ConfigDict(frozen=True)

    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    name_nl: str = ""
    steering_group_email: str | None = None
    procedure: Procedure
    # The name by language code, and a short one for narrow places; display only (read from
    # the covenant's file, not stored with a version). ``name`` where a language has none.
    names: dict[str, str] = Field(default_factory=dict)
    short_names: dict[str, str] = Field(default_factory=dict)
