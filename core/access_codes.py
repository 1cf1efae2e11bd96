"""A complainant's access code: 20 decimal digits, shown in five groups of four
(``4831 0927 5516 2084 7730``), so that a person can copy it onto paper and read it out over
the phone; typed back with or without spaces and dashes, in any script's digits.

How long, against guessing. The server stores only a keyed hash of the code (HMAC-SHA256
under the server key, ``core.security.keyed_hash``): a leaked database alone gives nothing
to guess against, and whoever holds the key as well reads the cases anyway. What is left is
guessing online, which the throttle bounds (``services.throttling``): wrong codes for one
case count 5 a minute, 20 an hour and 50 a day (``CODE_CASE``, keyed by the case, from
whichever address), and 20 a minute, 100 an hour from one address (``CODE_ADDRESS``). The
per-case tier binds every attacker, however many addresses it has: at most 50 × 365.25 ≈
18,263 guesses at one case a year.

- 20 digits are 10^20 ≈ 2^66.4 codes. One case guessed at for ten years, at the throttle's
  full rate: at most 1.8 × 10^5 / 10^20 ≈ 1.8 × 10^-15. A million cases, every one guessed
  at for ten years: at most 1.8 × 10^-9 that even one opens.
- The code it replaces (32 URL-safe characters, 192 bits) gives 10^-53 under the same
  throttle: both lie far below any risk that counts (one in a billion for a million cases
  over ten years), so against the guessing the throttle lets through it is as strong in
  effect; what it loses is only margin nobody can reach. Accounts are held to less: a
  password need only resist about 10^10 guesses (``core.security.PASSWORD_SCORE``).
- 16 digits (GlobaLeaks' receipts) would allow 1.8 × 10^-5 for that million cases: not
  enough margin should a throttle tier be loosened; 20 digits keep 10^4 in hand.
- Were the throttle lost altogether (1,000 guesses a second, without pause, at one case),
  a 20-digit code would still hold for about 1.6 billion years on average.

Codes issued before (``core.security.new_secret``: URL-safe, letters among them) keep working:
``canonical`` leaves anything that is not all digits as it was typed, but for spaces.
"""

from __future__ import annotations

import secrets
import unicodedata

DIGITS = 20
GROUP = 4


def new_access_code() -> str:
    """A random access code of 20 ASCII digits (about 66 bits), as stored and compared."""
    return f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"


def canonical(typed: str) -> str:
    """The code as issued, from what a person typed: spaces (and invisible characters a
    phone's keyboard may add) dropped; for a code of digits also dashes, and the digits of
    any script (Bengali ৪৮৩১, Arabic-Indic, full-width …) read as ASCII digits. A code of
    the older kind, with letters (its dashes and underscores are part of it), is left as
    typed but for spaces: they never occur in one."""
    squeezed = "".join(
        c for c in typed if not c.isspace() and unicodedata.category(c) not in ("Cf", "Zs")
    )
    digits = "".join(c for c in squeezed if unicodedata.category(c) != "Pd")
    values = [unicodedata.decimal(c, None) for c in digits]
    if digits and all(v is not None for v in values):
        return "".join(str(v) for v in values)
    return squeezed


def groups(code: str) -> list[str]:
    """The code as shown: a code of digits in groups of four (each shown unbroken); an older
    code whole."""
    if code.isascii() and code.isdigit():
        return [code[i : i + GROUP] for i in range(0, len(code), GROUP)]
    return [code]


def spaced(code: str) -> str:
    """The code as written out in text: its groups separated by spaces."""
    return " ".join(groups(code))
