"""Reply tokens: short, lower-case, signed under the server key; addresses in the reply domain."""

from __future__ import annotations

from core.reply_tokens import (
    ID_CHARS,
    new_token_id,
    reply_address,
    reply_key,
    reply_token_in,
    token_for,
    token_id_of,
)
from core.settings import Settings

SECRET = "reply-tests-secret-key-0123456789"
SETTINGS = Settings(reply_domain="reply.redress.test", secret_key=SECRET)


def test_a_token_is_short_lower_case_and_names_its_id_only_with_the_right_key() -> None:
    key = reply_key(SECRET)
    token_id = new_token_id()
    token = token_for(key, token_id)
    assert len(token) == 40 and token == token.lower() and token.isalnum()
    assert len(f"reply+{token}") <= 64
    assert token_id_of(key, token) == token_id
    assert token_id_of(key, token.upper()) == token_id  # a mail system that folds case
    forged = token[:-1] + ("a" if token[-1] != "a" else "b")
    assert token_id_of(key, forged) is None
    other_id = new_token_id()
    assert token_id_of(key, other_id + token[ID_CHARS:]) is None  # another id, same MAC
    assert token_id_of(reply_key("another-secret-key-0123456789"), token) is None
    assert token_id_of(key, token + "a") is None
    assert token_id_of(key, "") is None


def test_the_address_is_recognised_only_in_the_reply_domain() -> None:
    address = reply_address(SETTINGS, "a" * ID_CHARS)
    assert address.startswith("reply+") and address.endswith("@reply.redress.test")
    token = reply_token_in(SETTINGS, address.upper())
    assert token is not None and token_id_of(reply_key(SECRET), token) == "a" * ID_CHARS
    assert reply_token_in(SETTINGS, address.replace("reply.redress.test", "evil.test")) is None
    assert reply_token_in(SETTINGS, "someone@reply.redress.test") is None
    assert reply_token_in(SETTINGS.model_copy(update={"reply_domain": ""}), address) is None
