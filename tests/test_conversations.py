"""End-to-end conversation tests with Rasa's own runner: every user turn's intent and entities
and every predicted action must match (rasa test --fail-on-prediction-errors)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT, Settings
from bot.stack import bin_path, child_env, latest_model

pytestmark = pytest.mark.stack


def test_conversation_stories_pass(tmp_path: Path) -> None:
    settings = Settings.from_env()
    model = latest_model(settings.models_dir)
    out = tmp_path / "results"
    result = subprocess.run(
        [
            bin_path("rasa"),
            "test",
            "core",
            "--model",
            str(model),
            "--stories",
            str(PROJECT_ROOT / "tests" / "conversations"),
            "--fail-on-prediction-errors",
            "--out",
            str(out),
            "--no-plot",
        ],
        cwd=PROJECT_ROOT,
        env=child_env(settings),
        capture_output=True,
        text=True,
        timeout=900,
    )
    report = (
        (out / "failed_test_stories.yml").read_text()
        if (out / "failed_test_stories.yml").exists()
        else ""
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "None of the test stories failed" in report
