"""The read model's tables, one module per subject (imported here so that the metadata
holds them all). Enum-valued columns hold the enum's lowercase string value."""

from __future__ import annotations

from store.tables.cases import (
    CaseDeadline,
    CaseEvent,
    CaseOrder,
    CaseRecusal,
    CaseRespondent,
    CaseRow,
    Complainant,
    Document,
)
from store.tables.email_drafts import EmailDraft, EmailDraftFile
from store.tables.filing_keys import FilingKey
from store.tables.locations import LocationSourcing, ProductionLocation
from store.tables.organisations import (
    CovenantMembership,
    CovenantVersion,
    Organisation,
    OrganisationContact,
)
from store.tables.outbox import NoticeParked, Outbox
from store.tables.people import AccountToken, ApiToken, IdempotencyKey, StaffCovenant, User
from store.tables.register import Lesson, NamingConsent, RedactionTerm, RegisterEntry
from store.tables.reply_addresses import ReplyAddress
from store.tables.sms import SmsOutbox
from store.tables.types import ID, UtcDateTime, varchar

__all__ = [
    "AccountToken",
    "ApiToken",
    "CaseDeadline",
    "CaseEvent",
    "CaseOrder",
    "CaseRecusal",
    "CaseRespondent",
    "CaseRow",
    "Complainant",
    "CovenantMembership",
    "CovenantVersion",
    "Document",
    "EmailDraft",
    "EmailDraftFile",
    "FilingKey",
    "ID",
    "IdempotencyKey",
    "Lesson",
    "LocationSourcing",
    "NamingConsent",
    "NoticeParked",
    "Organisation",
    "OrganisationContact",
    "Outbox",
    "ProductionLocation",
    "RedactionTerm",
    "RegisterEntry",
    "ReplyAddress",
    "SmsOutbox",
    "StaffCovenant",
    "User",
    "UtcDateTime",
    "varchar",
]
