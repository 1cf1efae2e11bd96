"""Phone numbers for notices by SMS: normalised to E.164, refused with a clear message."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from domain.filing import ComplainantInput
from domain.phones import NOT_A_NUMBER, e164


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("+880 1712-345678", "+8801712345678"),
        ("00880 (1712) 345 678", "+8801712345678"),
        ("+31 6 12345678", "+31612345678"),
        ("+90 532 123 45 67", "+905321234567"),
    ],
)
def test_numbers_are_kept_in_e164_form(given: str, expected: str) -> None:
    assert e164(given) == expected
    assert e164(expected) == expected  # already in the form: kept


@pytest.mark.parametrize("given", ["01712345678", "+880 12", "call me", "+1 555 0000 0000 0"])
def test_a_number_without_country_code_or_invalid_is_refused_saying_what_to_type(
    given: str,
) -> None:
    with pytest.raises(ValueError, match=r"international form: \+ and the country code"):
        e164(given)


def test_sms_notices_need_a_valid_number_and_keep_it_normalised() -> None:
    chosen = ComplainantInput(name="Rina", notices="sms", phone="+880 1712-345678")
    assert (chosen.notices, chosen.phone) == ("sms", "+8801712345678")
    with pytest.raises(ValidationError) as missing:
        ComplainantInput(name="Rina", notices="sms")
    assert missing.value.errors()[0]["loc"] == ("phone",)
    assert "notices by SMS need a mobile number" in str(missing.value)
    with pytest.raises(ValidationError) as wrong:
        ComplainantInput(name="Rina", notices="sms", phone="01712345678")
    assert wrong.value.errors()[0]["loc"] == ("phone",)
    assert NOT_A_NUMBER in str(wrong.value)


def test_notices_by_email_keep_the_number_as_typed() -> None:
    # Numbers given before SMS existed (or only to be called) are not refused.
    person = ComplainantInput(name="Rina", phone="0612 345 678")
    assert (person.notices, person.phone) == ("email", "0612 345 678")
    with pytest.raises(ValidationError):
        ComplainantInput.model_validate({"name": "Rina", "notices": "fax"})
