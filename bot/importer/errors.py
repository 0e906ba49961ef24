"""The one error an import raises: where the bad row is and what is wrong with it."""

from __future__ import annotations

from pathlib import Path


class ImportRowError(Exception):
    """A row that stops the import; nothing of that import is written."""

    def __init__(self, path: Path | str, line: int, reason: str) -> None:
        super().__init__(f"{path}:{line}: {reason}")
        self.path = Path(path)
        self.line = line
        self.reason = reason
