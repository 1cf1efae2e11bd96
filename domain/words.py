"""Words people read for the engine's values: one English message id per value (pure).

Pages translate them with the request's catalog (``N_`` only marks them for Babel); the
action labels are declared with each action (``domain.actions``).
"""

from __future__ import annotations

from domain.enums import (
    CaseKind,
    CaseStatus,
    Channel,
    Finding,
    IssueKind,
    Outcome,
    Role,
    Stage,
    Visibility,
)


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
# The stage as an e-mail names it in a sentence ("Stage: company response"): lower case and
# a little more telling than a page's heading. E-mails are written per language (one
# template each, no catalog: en, nl, bn, tr, zh), so their words are too.
# A user's role as an invitation names it ("You are invited as committee member"), per
# e-mail language like the stages below.
ROLE_PHRASES: dict[str, dict[Role, str]] = {
    "en": {
        Role.SECRETARIAT: "secretariat",
        Role.CHAIR: "chair of the committee",
        Role.COMMITTEE: "committee member",
        Role.MEDIATOR: "mediator",
        Role.COMPANY: "company",
        Role.UNION: "union or NGO",
        Role.ADMIN: "administrator",
        Role.STEERING_GROUP: "steering group member",
    },
    "nl": {
        Role.SECRETARIAT: "secretariaat",
        Role.CHAIR: "voorzitter van de commissie",
        Role.COMMITTEE: "commissielid",
        Role.MEDIATOR: "bemiddelaar",
        Role.COMPANY: "bedrijf",
        Role.UNION: "vakbond of ngo",
        Role.ADMIN: "beheerder",
        Role.STEERING_GROUP: "lid van de stuurgroep",
    },
    "bn": {
        Role.SECRETARIAT: "সচিবালয়",
        Role.CHAIR: "কমিটির সভাপতি",
        Role.COMMITTEE: "কমিটির সদস্য",
        Role.MEDIATOR: "মধ্যস্থতাকারী",
        Role.COMPANY: "কোম্পানি",
        Role.UNION: "ইউনিয়ন বা এনজিও",
        Role.ADMIN: "প্রশাসক",
        Role.STEERING_GROUP: "স্টিয়ারিং গ্রুপের সদস্য",
    },
    "tr": {
        Role.SECRETARIAT: "sekretarya",
        Role.CHAIR: "komite başkanı",
        Role.COMMITTEE: "komite üyesi",
        Role.MEDIATOR: "arabulucu",
        Role.COMPANY: "şirket",
        Role.UNION: "sendika veya STK",
        Role.ADMIN: "yönetici",
        Role.STEERING_GROUP: "yönlendirme grubu üyesi",
    },
    "zh": {
        Role.SECRETARIAT: "秘书处",
        Role.CHAIR: "委员会主席",
        Role.COMMITTEE: "委员会成员",
        Role.MEDIATOR: "调解员",
        Role.COMPANY: "公司",
        Role.UNION: "工会或非政府组织",
        Role.ADMIN: "管理员",
        Role.STEERING_GROUP: "指导小组成员",
    },
}

STAGE_PHRASES: dict[str, dict[Stage, str]] = {
    "en": {
        Stage.RECEIVED: "received",
        Stage.SIGNAL: "signal to the companies",
        Stage.SCREENING: "screening",
        Stage.ADMISSIBILITY: "admissibility",
        Stage.RESPONSE: "company response",
        Stage.MEDIATION: "mediation",
        Stage.DIALOGUE: "direct dialogue",
        Stage.HEARING: "hearing",
        Stage.DECISION: "decision",
        Stage.REMEDIATION: "remediation",
        Stage.CLOSED: "closed",
    },
    "nl": {
        Stage.RECEIVED: "ontvangen",
        Stage.SIGNAL: "signaal aan de bedrijven",
        Stage.SCREENING: "eerste toetsing",
        Stage.ADMISSIBILITY: "ontvankelijkheid",
        Stage.RESPONSE: "reactie van het bedrijf",
        Stage.MEDIATION: "bemiddeling",
        Stage.DIALOGUE: "dialoog tussen partijen",
        Stage.HEARING: "hoorzitting",
        Stage.DECISION: "uitspraak",
        Stage.REMEDIATION: "herstel",
        Stage.CLOSED: "afgesloten",
    },
    # The public pages' words for the stages (api/locale/*/public.po), as a sentence uses them.
    "bn": {
        Stage.RECEIVED: "পাওয়া গেছে",
        Stage.SIGNAL: "কোম্পানিগুলোর কাছে সতর্ক রিপোর্ট",
        Stage.SCREENING: "প্রাথমিক যাচাই",
        Stage.ADMISSIBILITY: "গ্রহণযোগ্যতা যাচাই",
        Stage.RESPONSE: "কোম্পানির জবাব",
        Stage.MEDIATION: "মধ্যস্থতা",
        Stage.DIALOGUE: "সরাসরি আলোচনা",
        Stage.HEARING: "শুনানি",
        Stage.DECISION: "সিদ্ধান্ত",
        Stage.REMEDIATION: "প্রতিকার",
        Stage.CLOSED: "বন্ধ",
    },
    "tr": {
        Stage.RECEIVED: "alındı",
        Stage.SIGNAL: "şirketlere bildirim",
        Stage.SCREENING: "ön inceleme",
        Stage.ADMISSIBILITY: "kabul edilebilirlik",
        Stage.RESPONSE: "şirketin yanıtı",
        Stage.MEDIATION: "arabuluculuk",
        Stage.DIALOGUE: "doğrudan diyalog",
        Stage.HEARING: "duruşma",
        Stage.DECISION: "karar",
        Stage.REMEDIATION: "zararın giderilmesi",
        Stage.CLOSED: "kapandı",
    },
    "zh": {
        Stage.RECEIVED: "已收到",
        Stage.SIGNAL: "向公司转交举报",
        Stage.SCREENING: "初步审查",
        Stage.ADMISSIBILITY: "受理审查",
        Stage.RESPONSE: "公司答复",
        Stage.MEDIATION: "调解",
        Stage.DIALOGUE: "直接对话",
        Stage.HEARING: "听证",
        Stage.DECISION: "裁决",
        Stage.REMEDIATION: "补救",
        Stage.CLOSED: "已结案",
    },
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
    Outcome.MERGED: N_("Merged into another case"),
    Outcome.WITHDREW_FROM_COVENANT: N_("A party withdrew from the covenant"),
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
# How an event came (``domain.enums.Channel``), shown beside it.
CHANNELS: dict[str, str] = {
    Channel.WEB: N_("on the website"),
    Channel.API: N_("through the API"),
    Channel.EMAIL: N_("by e-mail"),
    Channel.SMS: N_("by SMS"),
}
ORDER_STATUSES: dict[str, str] = {
    "open": N_("open"),
    "reported": N_("reported"),
    "verified": N_("verified"),
}
# Also the English label a deadline is opened with (``domain.effects``).
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
    # What a case waits for after the responses, a plan or the last order (domain/next_steps):
    # its label says which step; this is the word where only the name is known.
    "next_step": N_("Next step"),
    # The chair's and the secretariat's answers to the parties' requests (domain/actions/requests).
    "extension_answer": N_("Answer the request for more time"),
    "request_answer": N_("Answer the complainant's request"),
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
# Every event type the engine records (``Builder.event``); an action's spec names its own.
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
    "progress_report_rejected": N_("Progress report rejected"),
    "non_compliance_found": N_("Finding of non-compliance"),
    "information_requested": N_("Information requested"),
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
    "split": N_("Split off as a case of its own"),
    "merged_into": N_("Merged into another case"),
    "merged_from": N_("Another case merged into this one"),
    "reopened": N_("Reopened"),
    "sent_to_hearing": N_("Sent to a hearing"),
    "extension_requested": N_("More time asked for"),
    "extension_granted": N_("More time granted"),
    "extension_refused": N_("More time refused"),
    "follow_up_requested": N_("Follow-up asked for"),
    "meeting_requested": N_("Meeting asked for"),
    "request_answered": N_("Request answered"),
    "status_sent": N_("Status update sent"),
    "contact_erased": N_("Contact details erased"),
    "documents_deleted": N_("Documents deleted"),
    "complainant_withdrawn": N_("A complainant withdrew"),
}
