"""The bodies of filing a complaint, a signal or a dispute (``POST /api/v1/...``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, EmailStr, Field, ValidationInfo, field_validator, model_validator

from domain.cases import LANGUAGE_PATTERN
from domain.enums import IssueKind
from domain.phones import NOT_A_NUMBER, e164


class ComplainantInput(BaseModel):
    """Who complains; with ``confidential`` the company and the public see a pseudonym."""

    name: str = Field(min_length=1, max_length=200)
    organisation: str | None = Field(default=None, max_length=200)
    email: EmailStr | None = None
    # How notices reach the complainant: by e-mail, or also by short texts (SMS) to
    # ``phone``, which then must be a mobile number (kept in E.164 form). Before ``phone``:
    # its check reads the choice.
    notices: Literal["email", "sms"] = "email"
    phone: str | None = Field(default=None, max_length=40, validate_default=True)
    confidential: bool = False
    represents: str | None = Field(default=None, max_length=500)
    language: str = Field(default="en", pattern=LANGUAGE_PATTERN)

    @field_validator("phone")
    @classmethod
    def _texts_need_a_number(cls, phone: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("notices") != "sms":
            return phone
        if not phone or not phone.strip():
            raise ValueError(f"notices by SMS need a mobile number: {NOT_A_NUMBER}")
        return e164(phone)


class RespondentInput(BaseModel):
    """The company complained about (id or name), the production location, or both.

    With a location, every company of the covenant that lists it becomes a respondent.
    """

    company: str | None = Field(default=None, min_length=1, max_length=200)
    production_location: str | None = Field(default=None, max_length=64)

    @model_validator(mode="after")
    def _company_or_location(self) -> RespondentInput:
        if not self.company and not self.production_location:
            raise ValueError("name the company, the production location, or both")
        return self


class FileComplaintInput(BaseModel):
    """The body of ``POST /api/v1/complaints``."""

    covenant: str = Field(min_length=1, max_length=64)
    respondent: RespondentInput
    complainant: ComplainantInput
    subject: str = Field(min_length=3, max_length=300)
    description: str = Field(min_length=10, max_length=20_000)
    issues: list[IssueKind] = Field(min_length=1)
    remedy_sought: str = Field(default="", max_length=5_000)
    urgent: bool = False


class DisputeRespondentInput(BaseModel):
    """The covenant party a dispute is brought against (organisation id or name)."""

    organisation: str = Field(min_length=1, max_length=200)


class FileDisputeInput(BaseModel):
    """The body of ``POST /api/v1/disputes``, filed by an authenticated covenant party."""

    covenant: str = Field(min_length=1, max_length=64)
    respondent: DisputeRespondentInput
    subject: str = Field(min_length=3, max_length=300)
    description: str = Field(min_length=10, max_length=20_000)
    remedy_sought: str = Field(default="", max_length=5_000)
    language: str = Field(default="en", pattern=LANGUAGE_PATTERN)
