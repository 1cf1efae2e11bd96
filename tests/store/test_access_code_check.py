"""A complainant's access code opens its case however it is typed back, and codes issued
before the digit codes keep opening theirs."""

from __future__ import annotations

from sqlmodel import Session

from core.access_codes import new_access_code, spaced
from core.security import keyed_hash, new_secret
from core.settings import Settings
from services.access import code_viewer
from store import access
from tests.factories import Database, complainant, migrated

KEY = "access-code-tests-secret-key-0123456789"


def test_a_digit_code_opens_its_case_typed_with_spaces_dashes_or_bengali_digits(
    database: Database,
) -> None:
    settings = Settings(secret_key=KEY)
    code, old = new_access_code(), new_secret()
    with Session(migrated(database)) as session:
        new_case = complainant("GT-2026-NEW01")
        new_case.access_code_hash = keyed_hash(KEY, code)
        old_case = complainant("GT-2025-OLD01")
        old_case.access_code_hash = keyed_hash(KEY, old)  # issued before: 32 URL-safe chars
        access.add_complainant(session=session, complainant=new_case)
        access.add_complainant(session=session, complainant=old_case)
        session.commit()

        bengali = spaced(code).translate(str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯"))
        for typed in (code, spaced(code), spaced(code).replace(" ", "-"), f" {bengali} "):
            assert code_viewer(session, settings, "GT-2026-NEW01", typed).code_for == (
                "GT-2026-NEW01"
            ), typed
        assert code_viewer(session, settings, "GT-2025-OLD01", old).code_for == "GT-2025-OLD01"
        assert code_viewer(session, settings, "GT-2025-OLD01", f" {old}\n").code_for is not None

        wrong = code[:-1] + str((int(code[-1]) + 1) % 10)
        assert code_viewer(session, settings, "GT-2026-NEW01", wrong).code_for is None
        assert code_viewer(session, settings, "GT-2025-OLD01", code).code_for is None
        assert code_viewer(session, settings, "GT-2026-NEW01", old).code_for is None
