"""Known third-party warnings stay off the terminal; ours and real problems are shown."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

from bot import third_party_warnings
from bot.settings import PROJECT_ROOT

SITE = Path(sysconfig.get_paths()["purelib"])


def test_which_warnings_are_known() -> None:
    known = third_party_warnings.is_known
    assert known("old API", DeprecationWarning, str(SITE / "typer" / "__init__.py"))
    assert known("soon gone", FutureWarning, str(SITE / "tensorflow" / "x.py"))
    assert not known("old API", DeprecationWarning, str(PROJECT_ROOT / "bot" / "cli.py"))
    assert not known("a real problem", UserWarning, str(SITE / "rasa" / "shared" / "io.py"))
    faq = "The following duplicated intents have been found across multiple domain files: faq"
    assert known(faq, UserWarning, str(SITE / "rasa" / "shared" / "utils" / "io.py"))


def test_a_process_with_the_hook_shows_only_its_own_warnings() -> None:
    script = f"""
import warnings
from bot import third_party_warnings
third_party_warnings.install()
warnings.simplefilter("always")  # what a dependency may do: the hook still holds
warnings.warn_explicit("third-party deprecation", DeprecationWarning, {str(SITE / "x.py")!r}, 1)
warnings.warn_explicit("ours", DeprecationWarning, {str(PROJECT_ROOT / "bot" / "x.py")!r}, 1)
warnings.warn_explicit("a real problem", UserWarning, {str(SITE / "y.py")!r}, 1)
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={"PYTHONPATH": str(PROJECT_ROOT)},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "third-party deprecation" not in result.stderr
    assert "ours" in result.stderr and "a real problem" in result.stderr
