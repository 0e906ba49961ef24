from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from bot.nlu.matcher import CatalogueMatcher
from bot.nlu.patterns import build_patterns
from bot.store.db import make_engine


@pytest.fixture(scope="module")
def patterns(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from bot.cli import DEMO_DIR, demo_shift
    from bot.importer import import_folder
    from bot.store import migrate

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('nlu') / 'demo.db'}")
    migrate.upgrade(engine)
    with Session(engine) as session, session.begin():
        import_folder(session=session, folder=DEMO_DIR, shift=demo_shift())
    with Session(engine) as session:
        return build_patterns(session=session)


@pytest.fixture(scope="module")
def matcher(patterns: dict[str, Any]) -> CatalogueMatcher:
    return CatalogueMatcher(patterns)
