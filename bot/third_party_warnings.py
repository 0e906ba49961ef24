"""Keep known third-party warnings off the operator's screen; keep ours and real problems.

Rasa 3.6's pinned dependencies (TensorFlow, jax, pkg_resources, pyparsing, click/typer, spaCy)
raise deprecation warnings at import that no code of ours can fix, and filters set in
PYTHONWARNINGS do not hold: a dependency (aiogram's `deprecated` helper, imported by Rasa)
resets the DeprecationWarning filter while Rasa loads. So each of our processes installs this
at its start, as a `warnings.showwarning` hook, which no later filter change undoes:

* deprecation warnings (Deprecation, PendingDeprecation, Future) raised in installed
  packages go to the debug log instead of the terminal;
* two Rasa warnings that are false for Klantreis are dropped the same way (see KNOWN);
* everything else is shown as before, in particular every warning raised in our own code.
"""

from __future__ import annotations

import logging
import sysconfig
import warnings
from pathlib import Path
from typing import TextIO

logger = logging.getLogger(__name__)

DEPRECATIONS = (DeprecationWarning, PendingDeprecationWarning, FutureWarning)
# Rasa warnings that do not apply to Klantreis (message fragments).
KNOWN = (
    # domain.yml declares `faq` for the response selector and data/ uses it: one intent.
    "duplicated intents have been found across multiple domain files: faq",
    # Our TfidfResponseSelector (bot/nlu) is the response selector Rasa does not recognise.
    "training data with examples for training a response selector",
)


def _installed_locations() -> tuple[str, ...]:
    paths = {sysconfig.get_paths()[key] for key in ("purelib", "platlib", "stdlib")}
    return tuple(str(Path(p).resolve()) for p in paths if p)


_THIRD_PARTY = _installed_locations()


def is_known(message: Warning | str, category: type[Warning], filename: str) -> bool:
    """True for a warning we have decided the operator need not see."""
    text = str(message)
    if any(fragment in text for fragment in KNOWN):
        return True
    if not issubclass(category, DEPRECATIONS):
        return False
    try:
        location = str(Path(filename).resolve())
    except (OSError, ValueError):
        return False
    return location.startswith(_THIRD_PARTY) or filename.startswith("<frozen")


def install() -> None:
    """Route known third-party warnings of this process to the debug log (idempotent)."""
    original = warnings.showwarning
    if getattr(original, "klantreis", False):
        return

    def show(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: TextIO | None = None,
        line: str | None = None,
    ) -> None:
        if is_known(message, category, filename):
            logger.debug("%s:%s: %s: %s", filename, lineno, category.__name__, message)
            return
        original(message, category, filename, lineno, file, line)

    show.klantreis = True  # type: ignore[attr-defined]
    warnings.showwarning = show
