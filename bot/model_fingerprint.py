"""Is the trained model on disk still the model of this checkout? A cheap check of our own.

Rasa's own check (`rasa train` when nothing changed) loads and validates all training data,
fingerprints every graph node and restores them from its cache: about 50 seconds before the
bot can start. Ours hashes the bytes of what the model is made from (config, domain, training
data and the code of our NLU components) with the Rasa version, in well under a second, and
keeps the result beside the model (`<model>.fingerprint`). Any difference, including a change
Rasa would find harmless, means "train", so the check can only err on the side of training.
"""

from __future__ import annotations

import hashlib
from importlib.metadata import version
from pathlib import Path

from bot.settings import PROJECT_ROOT

# What the model is made of, relative to the project root.
INPUTS = ("config.yml", "domain.yml", "data/nlu", "data/rules", "data/stories", "bot/nlu")
SUFFIXES = (".yml", ".yaml", ".py", ".json", ".md")
MODEL_SUFFIX = ".tar.gz"


def fingerprint(root: Path = PROJECT_ROOT) -> str:
    """A hash of every input file's path and bytes, and of the Rasa version."""
    digest = hashlib.sha256(f"rasa {version('rasa')}\n".encode())
    for name in INPUTS:
        base = root / name
        files = [base] if base.is_file() else sorted(base.rglob("*"))
        for path in files:
            if path.is_file() and path.suffix in SUFFIXES and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def stamp_of(model: Path) -> Path:
    return model.with_name(model.name[: -len(MODEL_SUFFIX)] + ".fingerprint")


def latest(models_dir: Path) -> Path | None:
    models = sorted(models_dir.glob(f"*{MODEL_SUFFIX}"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


def current_model(models_dir: Path, root: Path = PROJECT_ROOT) -> Path | None:
    """The newest model, if it was trained from exactly what is in the checkout now."""
    model = latest(models_dir)
    if model is None:
        return None
    stamp = stamp_of(model)
    if not stamp.is_file() or stamp.read_text(encoding="ascii").strip() != fingerprint(root):
        return None
    return model


def record(models_dir: Path, root: Path = PROJECT_ROOT) -> Path | None:
    """After a successful training: note what the newest model was made from."""
    model = latest(models_dir)
    if model is not None:
        stamp_of(model).write_text(fingerprint(root) + "\n", encoding="ascii")
    return model
