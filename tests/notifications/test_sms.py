"""The SMS gateway's Twilio adapter (signature, sending, errors) and the texts' length."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import httpx
import pytest

from core.settings import Settings
from domain.enums import Stage
from notifications.sms_gateway import (
    InboundRequest,
    SmsLoginRefused,
    SmsRejected,
    TwilioGateway,
    gateway_from_settings,
    twilio_signature,
)
from notifications.sms_texts import (
    TEXT_LANGUAGES,
    is_gsm,
    notice_text,
    segments,
    text_link,
    which_case_text,
)

# Twilio's own example (its "webhooks security" documentation): token, URL, form, signature.
DOC_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
DOC_PARAMS = [
    ("CallSid", "CA1234567890ABCDE"),
    ("Caller", "+12349013030"),
    ("Digits", "1234"),
    ("From", "+12349013030"),
    ("To", "+18005551212"),
]
DOC_SIGNATURE = "0/KCTR6DLpKmkAf8muzZqo1nDgQ="


def gateway(transport: httpx.AsyncBaseTransport | None = None) -> TwilioGateway:
    return TwilioGateway(
        base_url="https://sms.test/",
        account_sid="AC123",
        auth_token="12345",
        sender="+3197010000000",
        transport=transport,
    )


def test_the_signature_is_twilios_own_example() -> None:
    assert twilio_signature("12345", DOC_URL, DOC_PARAMS) == DOC_SIGNATURE
    # The order of the fields as posted does not matter: they are sorted by name.
    assert twilio_signature("12345", DOC_URL, list(reversed(DOC_PARAMS))) == DOC_SIGNATURE


def test_verify_takes_only_the_right_signature_for_that_url_and_form() -> None:
    twilio = gateway()
    good = {"x-twilio-signature": DOC_SIGNATURE}
    assert twilio.verify(InboundRequest(DOC_URL, DOC_PARAMS, good))
    assert not twilio.verify(InboundRequest(DOC_URL, DOC_PARAMS, {}))
    assert not twilio.verify(InboundRequest(DOC_URL + "&x=1", DOC_PARAMS, good))
    changed = [*DOC_PARAMS[:-1], ("To", "+18005551213")]
    assert not twilio.verify(InboundRequest(DOC_URL, changed, good))
    other = TwilioGateway(base_url="x", account_sid="AC1", auth_token="54321", sender="+1")
    assert not other.verify(InboundRequest(DOC_URL, DOC_PARAMS, good))


def test_an_inbound_text_is_read_from_the_form() -> None:
    form = [("From", "+8801712345678"), ("To", "+3197010000000"), ("Body", "হ্যালো")]
    text = gateway().parse_inbound(InboundRequest("u", [*form, ("MessageSid", "SM1")]))
    assert (text.sender, text.to, text.body, text.message_id) == (
        "+8801712345678",
        "+3197010000000",
        "হ্যালো",
        "SM1",
    )
    with pytest.raises(ValueError, match="no From or MessageSid"):
        gateway().parse_inbound(InboundRequest("u", form))


async def test_send_posts_the_form_with_basic_auth_and_returns_the_sid() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json={"sid": "SM42", "status": "queued"})

    sid = await gateway(httpx.MockTransport(answer)).send("+8801712345678", "নমস্কার")
    assert sid == "SM42"
    (request,) = seen
    assert str(request.url) == "https://sms.test/2010-04-01/Accounts/AC123/Messages.json"
    assert request.headers["authorization"] == "Basic " + base64.b64encode(b"AC123:12345").decode()
    form = httpx.QueryParams(request.content.decode())
    assert (form["To"], form["From"], form["Body"]) == (
        "+8801712345678",
        "+3197010000000",
        "নমস্কার",
    )


@pytest.mark.parametrize(
    ("status", "body", "raised"),
    [
        (400, {"code": 21211, "message": "Invalid 'To' Phone Number"}, SmsRejected),
        (401, {"code": 20003, "message": "Authenticate"}, SmsLoginRefused),
        (429, {"code": 20429, "message": "Too Many Requests"}, httpx.HTTPStatusError),
        (503, {"message": "down"}, httpx.HTTPStatusError),
    ],
)
async def test_send_tells_a_refusal_for_good_from_one_a_retry_may_cure(
    status: int, body: dict[str, object], raised: type[Exception]
) -> None:
    transport = httpx.MockTransport(lambda _: httpx.Response(status, json=body))
    with pytest.raises(raised) as error:
        await gateway(transport).send("+8801712345678", "hi")
    if isinstance(error.value, SmsRejected):
        assert error.value.code == 21211


def test_the_gateway_is_off_unless_the_settings_name_one() -> None:
    assert gateway_from_settings(Settings()) is None
    chosen = gateway_from_settings(
        Settings(sms_gateway="twilio", sms_account_sid="AC9", sms_auth_token="t0k")
    )
    assert isinstance(chosen, TwilioGateway)
    assert chosen.messages_url == "https://api.twilio.com/2010-04-01/Accounts/AC9/Messages.json"
    assert "t0k" not in repr(Settings(sms_auth_token="t0k"))


# A public address of a realistic length, and a reference as covenants' prefixes make them.
LINK = text_link("https://klachten.example.org", "GT-2026-4K7Q9")


@pytest.mark.parametrize("language", TEXT_LANGUAGES)
@pytest.mark.parametrize("stage", list(Stage))
def test_every_notice_text_fits_in_two_segments(language: str, stage: Stage) -> None:
    due = datetime(2026, 9, 30, 21, 59, tzinfo=UTC)  # a long month name in most languages
    for when in (due, None):
        text = notice_text(
            reference="GT-2026-4K7Q9",
            stage=stage,
            due=when,
            url=LINK,
            language=language,
            timezone="Europe/Amsterdam",
        )
        assert segments(text) <= 2, text
        assert "GT-2026-4K7Q9" in text and text.endswith(LINK)
    references = ["GT-2026-4K7Q9", "GT-2026-8M2R3", "GT-2026-Z0Z0Z"]
    assert segments(which_case_text(references, language)) <= 2


def test_bengali_text_names_the_stage_and_date_in_bengali_and_counts_as_ucs2() -> None:
    text = notice_text(
        reference="GT-2026-4K7Q9",
        stage=Stage.SCREENING,
        due=datetime(2026, 12, 18, 22, 59, tzinfo=UTC),
        url=LINK,
        language="bn",
        timezone="Europe/Amsterdam",
    )
    assert text == f"GT-2026-4K7Q9: প্রাথমিক যাচাই। পরের ধাপ ১৮ ডিসে, ২০২৬-এর মধ্যে। {LINK}"
    assert not is_gsm(text)
    assert len(text) > 70 and segments(text) == 2  # over one UCS-2 segment, within two


def test_segments_are_counted_as_phones_count_them() -> None:
    assert segments("a" * 160) == 1 and segments("a" * 161) == 2 and segments("a" * 306) == 2
    assert segments("€" * 80) == 1 and segments("€" * 81) == 2  # two septets each
    assert segments("ş" * 70) == 1 and segments("ş" * 71) == 2 and segments("ş" * 135) == 3
    assert segments("😀" * 35) == 1 and segments("😀" * 36) == 2  # two UTF-16 units each
