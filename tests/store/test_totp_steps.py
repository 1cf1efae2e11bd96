"""An authenticator code's time step is used once, on SQLite and PostgreSQL: a step is
recorded only when it is later than the last, and of many uses at once one wins."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlmodel import Session

from store.db import session_scope
from store.people import use_totp_step
from store.tables import User
from tests.factories import Database, migrated


def _user(database: Database) -> int:
    with session_scope(migrated(database)) as session:
        user = User(username="ops", display_name="Ops", role="admin", password_hash="x")
        session.add(user)
        session.flush()
        assert user.id is not None
        return user.id


def _use(database: Database, user_id: int, step: int) -> bool:
    with session_scope(database.engine) as session:
        return use_totp_step(session=session, user_id=user_id, step=step)


def test_a_step_counts_once_and_only_after_the_last(database: Database) -> None:
    user_id = _user(database)
    uses = [_use(database, user_id, step) for step in (60_000_000, 60_000_000, 59_999_999)]
    assert uses == [True, False, False]
    assert _use(database, user_id, 60_000_001)
    with Session(database.engine) as session:
        user = session.get(User, user_id)
        assert user is not None and user.totp_last_step == 60_000_001


def test_of_many_uses_of_one_step_at_once_one_wins(database: Database) -> None:
    user_id = _user(database)
    with ThreadPoolExecutor(max_workers=6) as pool:
        uses = list(pool.map(lambda _: _use(database, user_id, 60_000_000), range(12)))
    assert uses.count(True) == 1
