"""Units of work for async servers: each runs in a worker thread and commits at the end."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy.orm import Session, sessionmaker

T = TypeVar("T")


class Store:
    """The customer context store as async code uses it: `await store.run(work)`."""

    def __init__(self, sessions: sessionmaker):
        self.sessions = sessions

    @contextmanager
    def unit(self) -> Iterator[Session]:
        session = self.sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    async def run(self, work: Callable[[Session], T]) -> T:
        """Run `work(session)` off the event loop and commit it."""

        def unit_of_work() -> T:
            with self.unit() as session:
                return work(session)

        return await asyncio.to_thread(unit_of_work)
