"""A valid payload for every action, to try each one anywhere."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from domain.actions import ActionName

_soon = (datetime.now(UTC) + timedelta(days=400)).date().isoformat()

SAMPLE_ACTIONS: dict[ActionName, dict[str, Any]] = {
    ActionName.REGISTER: {"action": "register"},
    ActionName.REFER_OUT: {"action": "refer_out", "reason": "Out of scope"},
    ActionName.DECLARE_ADMISSIBLE: {"action": "declare_admissible"},
    ActionName.DECLARE_INADMISSIBLE: {"action": "declare_inadmissible", "reasons": "No link"},
    ActionName.SUBMIT_RESPONSE: {"action": "submit_response", "text": "Response"},
    ActionName.PROPOSE_MEDIATION: {"action": "propose_mediation"},
    ActionName.CONSENT_TO_MEDIATION: {"action": "consent_to_mediation"},
    ActionName.DECLINE_MEDIATION: {"action": "decline_mediation"},
    ActionName.RECORD_MEDIATION_AGREEMENT: {
        "action": "record_mediation_agreement",
        "terms": "Terms",
        "orders": [{"text": "Do it", "due": _soon}],
    },
    ActionName.END_MEDIATION: {"action": "end_mediation", "reason": "Failed"},
    ActionName.END_DIALOGUE: {"action": "end_dialogue", "reason": "Failed"},
    ActionName.SEND_TO_HEARING: {"action": "send_to_hearing", "reason": "Too far apart"},
    ActionName.SCHEDULE_HEARING: {"action": "schedule_hearing", "at": f"{_soon}T10:00:00Z"},
    ActionName.RECORD_HEARING: {"action": "record_hearing", "minutes": "Minutes"},
    ActionName.ISSUE_DECISION: {
        "action": "issue_decision",
        "finding": "founded",
        "reasons": "Reasons",
        "orders": [{"text": "Do it", "due": _soon}],
    },
    ActionName.SUBMIT_REMEDIATION_PLAN: {"action": "submit_remediation_plan", "text": "Plan"},
    ActionName.APPROVE_REMEDIATION_PLAN: {"action": "approve_remediation_plan"},
    ActionName.REJECT_REMEDIATION_PLAN: {"action": "reject_remediation_plan", "reasons": "Vague"},
    ActionName.SUBMIT_PROGRESS_REPORT: {
        "action": "submit_progress_report",
        "text": "R",
        "order": 1,
    },
    ActionName.VERIFY_ORDER: {"action": "verify_order", "order": 1},
    ActionName.CLOSE: {"action": "close", "outcome": "resolved", "summary": "Done"},
    ActionName.REQUEST_INFORMATION: {
        "action": "request_information",
        "from": "respondent",
        "question": "Q?",
    },
    ActionName.PROVIDE_INFORMATION: {"action": "provide_information", "text": "A"},
    ActionName.SUSPEND: {"action": "suspend", "reason": "Waiting"},
    ActionName.RESUME: {"action": "resume"},
    ActionName.EXTEND_DEADLINE: {
        "action": "extend_deadline",
        "deadline": "register",
        "until": f"{_soon}T10:00:00Z",
        "reason": "More time",
    },
    ActionName.WITHDRAW: {"action": "withdraw", "reason": "Settled"},
    ActionName.RECUSE: {"action": "recuse", "member": "committee", "reason": "Conflict"},
    ActionName.ASSIGN: {"action": "assign", "officer": "secretariat"},
    ActionName.ADD_MESSAGE: {"action": "add_message", "text": "Hello"},
    ActionName.ADD_DOCUMENT: {
        "action": "add_document",
        "document_id": "d1",
        "filename": "a.pdf",
    },
    ActionName.FORWARD_SIGNAL: {"action": "forward_signal", "note": "Please look into this"},
    ActionName.REPORT_DUE_DILIGENCE: {"action": "report_due_diligence", "text": "Audited"},
    ActionName.CONVERT_TO_COMPLAINT: {"action": "convert_to_complaint", "reason": "No remedy"},
    ActionName.SPLIT_CASE: {"action": "split_case", "respondent": "acme"},
    ActionName.MERGE_INTO: {"action": "merge_into", "target": "GT-2026-0099", "reason": "Same"},
    ActionName.REOPEN: {"action": "reopen", "stage": "response", "reason": "New evidence"},
    ActionName.WITHDRAW_FROM_COVENANT: {
        "action": "withdraw_from_covenant",
        "reason": "No agreement after the dialogue",
    },
    ActionName.REJECT_PROGRESS_REPORT: {
        "action": "reject_progress_report",
        "order": 1,
        "reasons": "No evidence",
    },
    ActionName.FIND_NON_COMPLIANCE: {
        "action": "find_non_compliance",
        "order": 1,
        "reasons": "Wages still unpaid",
    },
    ActionName.REQUEST_EXTENSION: {
        "action": "request_extension",
        "deadline": "response",
        "until": f"{_soon}T10:00:00Z",
        "reasons": "The audit takes longer",
    },
    ActionName.GRANT_EXTENSION: {"action": "grant_extension", "request": "extension-1"},
    ActionName.REFUSE_EXTENSION: {
        "action": "refuse_extension",
        "request": "extension-1",
        "reason": "Long enough",
    },
    ActionName.REQUEST_FOLLOW_UP: {"action": "request_follow_up", "text": "What is happening?"},
    ActionName.REQUEST_MEETING: {"action": "request_meeting", "text": "About the dismissals"},
    ActionName.ANSWER_REQUEST: {"action": "answer_request", "request": "request-1", "text": "A"},
    ActionName.PUBLISH_SUMMARY: {
        "action": "publish_summary",
        "summary": "The company agreed to pay the withheld wages.",
        "named": False,
    },
    ActionName.RECORD_LESSON: {
        "action": "record_lesson",
        "text": "Ask for supplier lists earlier",
        "addressed_to": "covenant",
    },
    ActionName.CONSENT_TO_NAMING: {"action": "consent_to_naming", "agreed": True},
}
