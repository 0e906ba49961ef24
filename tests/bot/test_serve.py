"""`klantreis serve NAME`: each process on its own, as the systemd units and the container
example in docs/deployment.md run them, answers a customer end to end. Rasa gets its port by
systemd's socket activation protocol (systemd-socket-activate), as klantreis-rasa.socket
gives it, when that tool is installed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import Settings, rasa_token
from bot.stack import Stack, wait_for
from bot.supervisor import Supervisor
from tests.helpers.stack import require_model, send, test_settings

pytestmark = pytest.mark.stack
ROOT = Path(__file__).resolve().parents[2]


def serve(name: str, settings: Settings, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "KLANTREIS_RUNTIME_DIR": str(settings.runtime_dir),
        "KLANTREIS_MODELS_DIR": str(settings.models_dir),
        "KLANTREIS_RASA_PORT": str(settings.rasa_port),
        "KLANTREIS_ACTION_PORT": str(settings.action_port),
        "KLANTREIS_WEB_PORT": str(settings.web_port),
    }
    command = [sys.executable, "-m", "bot.cli", "serve", name]
    activate = shutil.which("systemd-socket-activate")
    if name == "rasa" and activate:  # as klantreis-rasa.socket hands Rasa its port
        passed = [f"--setenv={name}" for name in env]  # it passes no other variable on
        command = [activate, f"--listen=127.0.0.1:{settings.rasa_port}", *passed, *command]
    with log.open("wb") as handle:
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def test_the_three_processes_served_apart_answer_a_customer(
    tmp_path: Path, sqlite_demo_url: str
) -> None:
    settings = test_settings(tmp_path, sqlite_demo_url, offset=1250)
    require_model(settings)
    settings.runtime_dir.mkdir(parents=True)
    logs = {name: tmp_path / f"{name}.log" for name in ("actions", "web", "rasa")}
    processes = {name: serve(name, settings, log) for name, log in logs.items()}
    try:
        base = "http://127.0.0.1"
        token = rasa_token(settings)
        wait_for(
            f"{base}:{settings.action_port}/health",
            processes["actions"],
            120,
            logs["actions"],
            "actions",
        )
        wait_for(f"{base}:{settings.web_port}/health", processes["web"], 120, logs["web"], "web")
        wait_for(
            f"{base}:{settings.rasa_port}/status?token={token}",
            processes["rasa"],
            180,
            logs["rasa"],
            "rasa",
        )
        stack = Stack(
            rasa_url=f"{base}:{settings.rasa_port}",
            action_url=f"{base}:{settings.action_port}",
            web_url=f"{base}:{settings.web_port}",
            supervisor=Supervisor([], {}, ROOT),
            rasa_token=token,
        )
        send(stack, "served", "waar is mijn bestelling 10452?")
        reply = "\n".join(m.get("text") or "" for m in send(stack, "served", "3572 BK"))
        assert "10452" in reply and "PostNL" in reply, reply
        # Each process is the command itself (exec), so systemd's signals reach it directly.
        for name, process in processes.items():
            os.kill(process.pid, signal.SIGTERM)
            assert process.wait(timeout=30) is not None, name
    finally:
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
