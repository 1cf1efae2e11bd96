"""Enumerations shared by every layer; values are stable lowercase strings."""

from __future__ import annotations

from enum import StrEnum


class CaseKind(StrEnum):
    COMPLAINT = "complaint"
    DISPUTE = "dispute"
    SIGNAL = "signal"  # a report passed on to the companies; may become a complaint


class Stage(StrEnum):
    RECEIVED = "received"
    SIGNAL = "signal"
    SCREENING = "screening"
    ADMISSIBILITY = "admissibility"
    RESPONSE = "response"
    MEDIATION = "mediation"
    DIALOGUE = "dialogue"
    HEARING = "hearing"
    DECISION = "decision"
    REMEDIATION = "remediation"
    CLOSED = "closed"


class CaseStatus(StrEnum):
    OPEN = "open"
    SUSPENDED = "suspended"
    CLOSED = "closed"


class Outcome(StrEnum):
    RESOLVED = "resolved"
    PARTLY_RESOLVED = "partly_resolved"
    UNRESOLVED = "unresolved"
    REFERRED = "referred"
    INADMISSIBLE = "inadmissible"
    WITHDRAWN = "withdrawn"
    SETTLED = "settled"
    MERGED = "merged"  # merged into another case, which goes on (``merge_into``)
    # A dispute's party left the covenant after the dialogue (``withdraw_from_covenant``).
    WITHDREW_FROM_COVENANT = "withdrew_from_covenant"


class Finding(StrEnum):
    FOUNDED = "founded"
    PARTLY_FOUNDED = "partly_founded"
    UNFOUNDED = "unfounded"


class Role(StrEnum):
    SECRETARIAT = "secretariat"
    CHAIR = "chair"
    COMMITTEE = "committee"
    MEDIATOR = "mediator"
    COMPANY = "company"
    UNION = "union"
    ADMIN = "admin"
    STEERING_GROUP = "steering_group"  # a covenant's steering group: escalations, some disputes


class Side(StrEnum):
    """Which side of a case an actor stands on, if any."""

    COMPLAINANT = "complainant"
    RESPONDENT = "respondent"


class DecidingBody(StrEnum):
    COMMITTEE = "committee"
    STEERING_GROUP = "steering_group"


class IssueKind(StrEnum):
    FREEDOM_OF_ASSOCIATION = "freedom_of_association"
    LIVING_WAGE = "living_wage"
    CHILD_LABOUR = "child_labour"
    HEALTH_AND_SAFETY = "health_and_safety"
    DISCRIMINATION = "discrimination"
    FORCED_LABOUR = "forced_labour"
    ENVIRONMENT = "environment"
    OTHER = "other"


class Visibility(StrEnum):
    """Who may see a message, event or document."""

    COMMITTEE = "committee"
    PARTIES = "parties"
    PUBLIC = "public"


class DurationUnit(StrEnum):
    BUSINESS_DAYS = "business_days"
    CALENDAR_DAYS = "calendar_days"
    HOURS = "hours"
    MONTHS = "months"


class DeadlineState(StrEnum):
    OPEN = "open"
    MET = "met"
    CANCELLED = "cancelled"


class OrderStatus(StrEnum):
    OPEN = "open"
    REPORTED = "reported"
    VERIFIED = "verified"


class PlanStatus(StrEnum):
    AWAITED = "awaited"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


class Channel(StrEnum):
    """How an action or a filing reached Redress; every event records it."""

    WEB = "web"  # the pages
    API = "api"  # the JSON API
    EMAIL = "email"  # a reply to a notice, or a complaint sent to an intake address
    SMS = "sms"  # a text through the SMS gateway


class Audience(StrEnum):
    """Groups a notification is addressed to; resolved to people by the notifier."""

    COMPLAINANT = "complainant"
    RESPONDENTS = "respondents"
    SECRETARIAT = "secretariat"
    CHAIR = "chair"
    COMMITTEE = "committee"
    MEDIATOR = "mediator"
    STEERING_GROUP = "steering_group"


class NoticeKind(StrEnum):
    """Each kind has one e-mail template per language."""

    RECEIPT = "receipt"
    STAGE_CHANGED = "stage_changed"
    COMPANY_NOTICE = "company_notice"
    SIGNAL_NOTICE = "signal_notice"
    REMINDER = "reminder"
    ESCALATION = "escalation"
    SECOND_ESCALATION = "second_escalation"
    INFORMATION_REQUESTED = "information_requested"
    MESSAGE = "message"
    CLOSED = "closed"
    STATUS_UPDATE = "status_update"  # the complainant's periodic status e-mail
