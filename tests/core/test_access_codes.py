"""Access codes a person copies by hand: 20 digits in groups of four, typed back however."""

from __future__ import annotations

from core.access_codes import canonical, groups, new_access_code, spaced
from core.security import new_secret

CODE = "48310927551620847730"


def test_a_new_code_is_twenty_random_ascii_digits() -> None:
    codes = {new_access_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == 20 and code.isascii() and code.isdigit()
    # Every digit shows up in every position over enough codes (leading zeros are kept).
    assert {code[0] for code in codes} == set("0123456789")


def test_it_is_shown_in_five_groups_of_four() -> None:
    assert groups(CODE) == ["4831", "0927", "5516", "2084", "7730"]
    assert spaced(CODE) == "4831 0927 5516 2084 7730"


def test_it_is_read_back_with_spaces_dashes_and_the_digits_of_any_script() -> None:
    typed = [
        "4831 0927 5516 2084 7730",
        " 4831-0927-5516-2084-7730 ",
        "4831\u00a00927\u20125516 2084\t7730\n",
        "৪৮৩১ ০৯২৭ ৫৫১৬ ২০৮৪ ৭৭৩০",  # Bengali digits, as a Bengali keyboard types them
        "٤٨٣١ ٠٩٢٧ ٥٥١٦ ٢٠٨٤ ٧٧٣٠",  # Arabic-Indic
        "４８３１０９２７５５１６２０８４７７３０",  # full-width
        "4831\u200b0927 5516 2084 7730",  # a zero-width space a keyboard slipped in
    ]
    for text in typed:
        assert canonical(text) == CODE, text


def test_a_code_of_the_older_kind_is_kept_as_issued() -> None:
    old = "_183rvre4rWBkURiZyXaiclAamqBP5JU"
    assert canonical(old) == old
    assert canonical(f"  {old} ") == old
    with_dash = "Zq3-very-secret-access-code-4Xk"
    assert canonical(with_dash) == with_dash  # its dashes are part of it
    assert groups(with_dash) == [with_dash]
    for _ in range(50):
        issued = new_secret()
        assert canonical(issued) == issued


def test_a_wrong_code_stays_wrong() -> None:
    assert canonical("4831 0927 5516 2084 773O") != CODE  # a letter O for a zero
    assert canonical("4831 0927 5516 2084 773") != CODE
    assert canonical("") == ""
