"""Base for our trainable Rasa components: each keeps one file in the model archive."""

from __future__ import annotations

import hashlib
import logging
from abc import abstractmethod
from functools import cache
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage

logger = logging.getLogger(__name__)


@cache
def code_fingerprint() -> str:
    """A hash of our NLU code. Rasa reuses a cached trained component when its config and data
    are unchanged; a change to how we train must count as a change too."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


class StoredComponent(GraphComponent):
    """Creation, persisting and loading; subclasses say how to encode what they learned."""

    FILE = "state.bin"

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        state: Any = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self.model_storage = model_storage
        self.resource = resource
        self.restore(state)

    @abstractmethod
    def restore(self, state: Any) -> None:
        """Take over what was learned (None: untrained)."""

    @abstractmethod
    def encode(self) -> bytes:
        """What was learned, as bytes for the model archive."""

    @classmethod
    @abstractmethod
    def decode(cls, data: bytes) -> Any:
        """The inverse of encode."""

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        return code_fingerprint()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> StoredComponent:
        return cls(config, model_storage, resource)

    def persist(self) -> Resource:
        with self.model_storage.write_to(self.resource) as folder:
            (folder / self.FILE).write_bytes(self.encode())
        return self.resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> StoredComponent:
        try:
            with model_storage.read_from(resource) as folder:
                state = cls.decode((folder / cls.FILE).read_bytes())
        except (ValueError, FileNotFoundError):
            logger.warning("%s has nothing trained in this model; it does nothing.", cls.__name__)
            state = None
        return cls(config, model_storage, resource, state)
