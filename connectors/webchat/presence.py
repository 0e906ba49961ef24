"""Which web chat sessions have an open tab in this process."""

from __future__ import annotations

from collections import defaultdict


class Presence:
    def __init__(self) -> None:
        self._tabs: defaultdict[str, set[str]] = defaultdict(set)
        self._session_of: dict[str, str] = {}

    def join(self, sid: str, session_id: str) -> str | None:
        """Put socket `sid` in `session_id`; returns the session it left, if any."""
        previous = self._session_of.get(sid)
        if previous == session_id:
            return None
        if previous is not None:
            self.leave(sid)
        self._tabs[session_id].add(sid)
        self._session_of[sid] = session_id
        return previous

    def leave(self, sid: str) -> str | None:
        session_id = self._session_of.pop(sid, None)
        if session_id is not None:
            tabs = self._tabs.get(session_id)
            if tabs is not None:
                tabs.discard(sid)
                if not tabs:
                    del self._tabs[session_id]
        return session_id

    def session_of(self, sid: str) -> str | None:
        return self._session_of.get(sid)

    def online(self, session_id: str) -> bool:
        return bool(self._tabs.get(session_id))
