"""Words the portal shows for the engine's values: stages, events, actions, deadlines.

Each value maps to an English message id marked with ``N_`` (so Babel extracts it); the
page translates it with the request's gettext.
"""

from __future__ import annotations

from collections.abc import Callable

from domain.enums import (
    ActionName,
    CaseKind,
    CaseStatus,
    Finding,
    IssueKind,
    Outcome,
    Stage,
    Visibility,
)
from domain.signals import FORWARD_LABEL

Gettext = Callable[[str], str]


def N_(text: str) -> str:
    """Mark a message id for extraction without translating it here."""
    return text


STAGES: dict[str, str] = {
    Stage.RECEIVED: N_("Received"),
    Stage.SIGNAL: N_("Signal"),
    Stage.SCREENING: N_("Screening"),
    Stage.ADMISSIBILITY: N_("Admissibility"),
    Stage.RESPONSE: N_("Company response"),
    Stage.MEDIATION: N_("Mediation"),
    Stage.DIALOGUE: N_("Direct dialogue"),
    Stage.HEARING: N_("Hearing"),
    Stage.DECISION: N_("Decision"),
    Stage.REMEDIATION: N_("Remediation"),
    Stage.CLOSED: N_("Closed"),
}
STATUSES: dict[str, str] = {
    CaseStatus.OPEN: N_("Open"),
    CaseStatus.SUSPENDED: N_("Suspended (clock stopped)"),
    CaseStatus.CLOSED: N_("Closed"),
}
OUTCOMES: dict[str, str] = {
    Outcome.RESOLVED: N_("Resolved"),
    Outcome.PARTLY_RESOLVED: N_("Partly resolved"),
    Outcome.UNRESOLVED: N_("Unresolved"),
    Outcome.REFERRED: N_("Referred elsewhere"),
    Outcome.INADMISSIBLE: N_("Inadmissible"),
    Outcome.WITHDRAWN: N_("Withdrawn"),
    Outcome.SETTLED: N_("Settled"),
}
FINDINGS: dict[str, str] = {
    Finding.FOUNDED: N_("Founded"),
    Finding.PARTLY_FOUNDED: N_("Partly founded"),
    Finding.UNFOUNDED: N_("Unfounded"),
}
ISSUES: dict[str, str] = {
    IssueKind.FREEDOM_OF_ASSOCIATION: N_("Freedom of association"),
    IssueKind.LIVING_WAGE: N_("Living wage"),
    IssueKind.CHILD_LABOUR: N_("Child labour"),
    IssueKind.HEALTH_AND_SAFETY: N_("Health and safety"),
    IssueKind.DISCRIMINATION: N_("Discrimination"),
    IssueKind.FORCED_LABOUR: N_("Forced labour"),
    IssueKind.ENVIRONMENT: N_("Environment"),
    IssueKind.OTHER: N_("Other"),
}
VISIBILITIES: dict[str, str] = {
    Visibility.PARTIES: N_("Both parties and the committee"),
    Visibility.COMMITTEE: N_("The committee only"),
    Visibility.PUBLIC: N_("Public"),
}
ORDER_STATUSES: dict[str, str] = {
    "open": N_("open"),
    "reported": N_("reported"),
    "verified": N_("verified"),
}
DEADLINES: dict[str, str] = {
    "register": N_("Register the complaint"),
    "admissibility": N_("Decide on admissibility"),
    "response": N_("Company's response to the complaint"),
    "mediation": N_("Mediation"),
    "hearing": N_("Hold the hearing"),
    "decision": N_("Issue the decision"),
    "remediation_plan": N_("Submit a remediation plan"),
    "progress_report": N_("Report on remediation progress"),
    "dialogue": N_("Direct dialogue between the parties"),
    "information": N_("Answer the request for information"),
    "due_diligence": N_("Due diligence and remediation"),
}
KINDS: dict[str, str] = {
    CaseKind.COMPLAINT: N_("Complaint"),
    CaseKind.DISPUTE: N_("Dispute"),
    CaseKind.SIGNAL: N_("Signal (a report passed on to the companies)"),
}
OWNERS: dict[str, str] = {
    "complainant": N_("complainant"),
    "respondents": N_("company"),
    "secretariat": N_("secretariat"),
    "chair": N_("chair"),
    "committee": N_("committee"),
    "mediator": N_("mediator"),
    "steering_group": N_("steering group"),
}
EVENTS: dict[str, str] = {
    "filed": N_("Filed"),
    "stage_changed": N_("Next stage"),
    "response_submitted": N_("Company response"),
    "mediation_consent": N_("Consent to mediation"),
    "mediation_started": N_("Mediation started"),
    "mediation_declined": N_("Mediation declined"),
    "mediation_agreement": N_("Mediation agreement"),
    "mediation_failed": N_("Mediation failed"),
    "dialogue_ended": N_("Dialogue ended"),
    "dialogue_lapsed": N_("Dialogue period ended"),
    "hearing_scheduled": N_("Hearing scheduled"),
    "hearing_held": N_("Hearing held"),
    "decision_issued": N_("Decision issued"),
    "plan_submitted": N_("Remediation plan submitted"),
    "plan_approved": N_("Remediation plan approved"),
    "plan_rejected": N_("Remediation plan rejected"),
    "progress_reported": N_("Progress report"),
    "order_verified": N_("Order verified"),
    "orders_complied": N_("All orders complied with"),
    "information_provided": N_("Information provided"),
    "suspended": N_("Suspended"),
    "resumed": N_("Resumed"),
    "deadline_extended": N_("Deadline extended"),
    "deadline_missed": N_("Deadline missed"),
    "reminder": N_("Reminder"),
    "second_escalation": N_("Escalated to the steering group"),
    "recusal": N_("Recusal"),
    "assigned": N_("Assignment"),
    "message": N_("Message"),
    "document_added": N_("Document added"),
    "closed": N_("Closed"),
    "signal_forwarded": N_("Passed on to the companies"),
    "due_diligence_reported": N_("Due diligence reported"),
    "converted_to_complaint": N_("Turned into a formal complaint"),
}
ACTIONS: dict[str, str] = {
    ActionName.REGISTER: N_("Register the complaint"),
    ActionName.REFER_OUT: N_("Refer out (not processed)"),
    ActionName.DECLARE_ADMISSIBLE: N_("Declare admissible"),
    ActionName.DECLARE_INADMISSIBLE: N_("Declare inadmissible"),
    ActionName.SUBMIT_RESPONSE: N_("Submit the company's response"),
    ActionName.PROPOSE_MEDIATION: N_("Propose mediation"),
    ActionName.CONSENT_TO_MEDIATION: N_("Consent to mediation"),
    ActionName.DECLINE_MEDIATION: N_("Decline mediation"),
    ActionName.RECORD_MEDIATION_AGREEMENT: N_("Record the mediation agreement"),
    ActionName.END_MEDIATION: N_("End mediation without agreement"),
    ActionName.END_DIALOGUE: N_("End the direct dialogue"),
    ActionName.SCHEDULE_HEARING: N_("Schedule the hearing"),
    ActionName.RECORD_HEARING: N_("Record the hearing"),
    ActionName.ISSUE_DECISION: N_("Issue the decision"),
    ActionName.SUBMIT_REMEDIATION_PLAN: N_("Submit a remediation plan"),
    ActionName.APPROVE_REMEDIATION_PLAN: N_("Approve the remediation plan"),
    ActionName.REJECT_REMEDIATION_PLAN: N_("Reject the remediation plan"),
    ActionName.SUBMIT_PROGRESS_REPORT: N_("Submit a progress report"),
    ActionName.VERIFY_ORDER: N_("Verify an order as complied with"),
    ActionName.CLOSE: N_("Close the case"),
    ActionName.REQUEST_INFORMATION: N_("Request information"),
    ActionName.PROVIDE_INFORMATION: N_("Provide the requested information"),
    ActionName.SUSPEND: N_("Suspend the case (stop the clock)"),
    ActionName.RESUME: N_("Resume the case (restart the clock)"),
    ActionName.EXTEND_DEADLINE: N_("Extend a deadline"),
    ActionName.WITHDRAW: N_("Withdraw the complaint"),
    ActionName.RECUSE: N_("Recuse a committee member"),
    ActionName.ASSIGN: N_("Assign a case officer or mediator"),
    ActionName.ADD_MESSAGE: N_("Send a message"),
    ActionName.ADD_DOCUMENT: N_("Add a document"),
    ActionName.FORWARD_SIGNAL: N_("Pass the signal on to the companies"),
    ActionName.REPORT_DUE_DILIGENCE: N_("Report on due diligence and remediation"),
    ActionName.CONVERT_TO_COMPLAINT: N_("Turn into a formal complaint"),
    ActionName.SPLIT_CASE: N_("Split off one company's part as a case of its own"),
}
# Deadline labels the engine writes with a company's name or an order's text in them.
PER_COMPANY = {
    "Response of ": N_("Response of %(company)s"),
    "Due diligence and remediation by ": N_("Due diligence and remediation by %(company)s"),
}
OTHER_DEADLINE_LABELS = {FORWARD_LABEL: N_("Pass the signal on to the companies")}


def deadline_label(name: str, label: str, gettext: Gettext) -> str:
    """A deadline's label in the page language; company names and order texts are kept."""
    if name.startswith("order-"):
        number = name.removeprefix("order-")
        text = label.split(": ", 1)[1] if ": " in label else label
        return gettext("Order %(number)s: %(text)s") % {"number": number, "text": text}
    for prefix, message in PER_COMPANY.items():
        if label.startswith(prefix):
            return gettext(message) % {"company": label.removeprefix(prefix)}
    if label in OTHER_DEADLINE_LABELS:
        return gettext(OTHER_DEADLINE_LABELS[label])
    return gettext(DEADLINES.get(name, label))


def only_for(company: str, gettext: Gettext) -> str:
    """What marks a message or document meant for one respondent company."""
    return gettext("Only for %(company)s") % {"company": company}


def word(table: dict[str, str], value: object, gettext: Gettext) -> str:
    """The translated word for an enum value, or the value itself when unknown."""
    key = str(value) if value is not None else ""
    return gettext(table[key]) if key in table else key.replace("_", " ")
