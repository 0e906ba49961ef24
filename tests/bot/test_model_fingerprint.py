"""The warm-start check: the model on disk is reused only when nothing it is made of changed."""

from __future__ import annotations

import os
from pathlib import Path

from bot import model_fingerprint


def checkout(root: Path) -> Path:
    for name, text in {
        "config.yml": "pipeline: []\n",
        "domain.yml": "intents: [greet]\n",
        "data/nlu/greet.yml": "nlu: []\n",
        "data/rules/greet.yml": "rules: []\n",
        "data/stories/greet.yml": "stories: []\n",
        "bot/nlu/components.py": "X = 1\n",
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def trained(models: Path, name: str, age: int = 0) -> Path:
    models.mkdir(exist_ok=True)
    model = models / f"{name}.tar.gz"
    model.write_bytes(b"model")
    os.utime(model, (1_800_000_000 - age, 1_800_000_000 - age))
    return model


def test_an_unchanged_checkout_reuses_its_model(tmp_path: Path) -> None:
    root, models = checkout(tmp_path / "repo"), tmp_path / "models"
    assert model_fingerprint.current_model(models, root) is None  # nothing trained yet
    model = trained(models, "first")
    assert model_fingerprint.current_model(models, root) is None  # trained, but not stamped
    model_fingerprint.record(models, root)
    assert model_fingerprint.current_model(models, root) == model


def test_any_change_to_what_the_model_is_made_of_means_training(tmp_path: Path) -> None:
    root, models = checkout(tmp_path / "repo"), tmp_path / "models"
    trained(models, "first")
    model_fingerprint.record(models, root)
    for name in ("config.yml", "data/nlu/greet.yml", "bot/nlu/components.py"):
        before = (root / name).read_text()
        (root / name).write_text(before + "# changed\n")
        assert model_fingerprint.current_model(models, root) is None, name
        (root / name).write_text(before)
    (root / "data/stories/new_flow.yml").write_text("stories: []\n")  # a new file counts too
    assert model_fingerprint.current_model(models, root) is None
    (root / "data/stories/new_flow.yml").unlink()
    assert model_fingerprint.current_model(models, root) is not None
    (root / "README.md").write_text("docs are not part of the model\n")
    assert model_fingerprint.current_model(models, root) is not None


def test_only_the_newest_model_counts(tmp_path: Path) -> None:
    root, models = checkout(tmp_path / "repo"), tmp_path / "models"
    trained(models, "old", age=100)
    model_fingerprint.record(models, root)
    trained(models, "new")  # e.g. trained by hand with other data: no stamp
    assert model_fingerprint.current_model(models, root) is None
