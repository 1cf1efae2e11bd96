"""Actions on the case's public record: the chair publishes an anonymised summary in the
public register, the committee records a lesson, the complainant agrees (or not) to be named.

They change no state of the case's stage machine: what they record is content (the
register entry, the lessons log, the complainant's word), written to the read model by
``services.register_actions`` and audited, not sent to the case's workflow. So they are taken the
same way on an open case and on a closed one whose workflow has finished.
"""

from __future__ import annotations

from typing import Literal

from domain.actions.base import ActionModel, FormField, Placement, Spec
from domain.cases import Text
from domain.enums import Role, Side, Stage
from domain.words import N_

# Every stage a case can be in once filed, the closed one included.
ANY_STAGE = frozenset(Stage) - {Stage.RECEIVED}
Addressee = Literal["covenant", "companies", "mechanism"]
YES_NO = "yes_no"


class PublishSummary(ActionModel):
    """Publish the case's anonymised summary in the public register (again: replace it)."""

    spec = Spec(
        label=N_("Publish a summary in the public register"),
        who={Role.CHAIR},
        stages={Stage.DECISION, Stage.REMEDIATION, Stage.CLOSED},
        while_suspended=True,
        form=(
            FormField(
                "summary",
                N_("Summary for the public register"),
                required=True,
                hint=N_(
                    "Names and terms on the case's redaction list are removed before it is "
                    "shown; the complainant appears under its pseudonym."
                ),
            ),
            FormField(
                "named",
                N_("Name the complainant"),
                kind="select",
                choices=YES_NO,
                hint=N_("Only if the complainant agreed to be named and is not confidential."),
            ),
        ),
        page=Placement.ANY_TIME,
    )

    action: Literal["publish_summary"]
    summary: Text
    named: bool = False


class RecordLesson(ActionModel):
    """Record a recommendation or lesson drawn from the case, for the covenant's report."""

    spec = Spec(
        label=N_("Record a lesson learned"),
        who={Role.CHAIR, Role.COMMITTEE},
        stages=ANY_STAGE,
        while_suspended=True,
        form=(
            FormField("text", N_("Lesson or recommendation"), required=True),
            FormField(
                "addressed_to",
                N_("Addressed to"),
                kind="select",
                required=True,
                choices="addressed_to",
            ),
        ),
        page=Placement.ANY_TIME,
    )

    action: Literal["record_lesson"]
    text: Text
    addressed_to: Addressee


class ConsentToNaming(ActionModel):
    """The complainant agrees (or no longer agrees) to be named in the public register."""

    spec = Spec(
        label=N_("Agree to be named in the public register"),
        who={Side.COMPLAINANT},
        stages=ANY_STAGE,
        while_suspended=True,
        form=(
            FormField(
                "agreed",
                N_("May the register name you?"),
                kind="select",
                required=True,
                choices=YES_NO,
                hint=N_(
                    "Otherwise the register shows your pseudonym. A confidential complaint is "
                    "never named."
                ),
            ),
        ),
        page=Placement.ANY_TIME,
        tracking=("agreed",),
    )

    action: Literal["consent_to_naming"]
    agreed: bool


RegisterAction = PublishSummary | RecordLesson | ConsentToNaming
# The actions whose record is content written by ``services.register_actions``, never a workflow's.
CONTENT_ACTIONS = frozenset({"publish_summary", "record_lesson", "consent_to_naming"})
