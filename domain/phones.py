"""Phone numbers in E.164 form (``+8801712345678``), the form SMS gateways take (pure)."""

from __future__ import annotations

import phonenumbers

EXAMPLE = "+8801712345678"
NOT_A_NUMBER = (
    "give the mobile number in international form: + and the country code, then the number "
    f"(e.g. {EXAMPLE})"
)


def e164(number: str) -> str:
    """The number in E.164 form, spaces, dashes and brackets dropped and a leading 00 read as
    +; ``ValueError`` (saying what to type) when it is no valid number of a country."""
    given = number.strip()
    if given.startswith("00"):
        given = "+" + given[2:]
    try:
        parsed = phonenumbers.parse(given, None)  # no region: the country code is required
    except phonenumbers.NumberParseException:
        raise ValueError(NOT_A_NUMBER) from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError(NOT_A_NUMBER)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
