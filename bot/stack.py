"""Start Rasa and the action server as real processes and wait until they answer."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from bot.rasa_config import write_credentials, write_endpoints
from bot.settings import PROJECT_ROOT, Settings, rasa_token


class StackError(Exception):
    """A process did not start; the message says where to look."""


def child_env(settings: Settings, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra or {})
    env.update(
        PYTHONPATH=os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")])),
        DATABASE_URL=settings.database_url,
        KLANTREIS_RUNTIME_DIR=str(settings.runtime_dir),
        KLANTREIS_MODELS_DIR=str(settings.models_dir),
        KLANTREIS_RASA_PORT=str(settings.rasa_port),
        KLANTREIS_ACTION_PORT=str(settings.action_port),
        KLANTREIS_WEB_PORT=str(settings.web_port),
        KLANTREIS_RETAILER_FILE=str(settings.retailer_file),
        TF_CPP_MIN_LOG_LEVEL="2",
        RASA_TELEMETRY_ENABLED="false",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
    )
    return env


def bin_path(name: str) -> str:
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


def action_server_command(settings: Settings) -> list[str]:
    return [
        sys.executable,
        "-m",
        "rasa_sdk",
        "--actions",
        "actions",
        "--port",
        str(settings.action_port),
    ]


def latest_model(models_dir: Path) -> Path:
    models = sorted(models_dir.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise StackError(f"No trained model in {models_dir}. Run: klantreis train")
    return models[-1]


def wait_for(url: str, process: subprocess.Popen, timeout: float, log: Path, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise StackError(f"{what} exited with code {process.returncode}; see {log}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200 and b'"model_file":null' not in response.read():
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise StackError(f"{what} did not answer on {url} within {timeout:.0f}s; see {log}")


def refresh_patterns(settings: Settings) -> None:
    """Rebuild the product recogniser from the catalogue Rasa is about to serve."""
    from bot.nlu.patterns import write_patterns
    from bot.store.access import connect
    from bot.store.db import make_session_factory

    engine = connect(settings.database_url)
    try:
        with make_session_factory(engine)() as session:
            write_patterns(session=session, path=settings.patterns_file)
    finally:
        engine.dispose()


@dataclass
class Stack:
    """The running bot: where to reach Rasa and the action server."""

    rasa_url: str
    action_url: str
    web_url: str
    processes: list[subprocess.Popen]
    rasa_token: str = ""

    def api_url(self, path: str) -> str:
        """A URL of Rasa's HTTP API, with the auth token it requires."""
        separator = "&" if "?" in path else "?"
        return f"{self.rasa_url}{path}{separator}token={self.rasa_token}"


@contextmanager
def running_stack(
    settings: Settings,
    *,
    model: Path | None = None,
    timeout: float = 180.0,
    extra_env: dict[str, str] | None = None,
    delays_worker: bool = False,
) -> Iterator[Stack]:
    """Start the action server and the Rasa server; stop both on exit.

    `extra_env` reaches the child processes only (channel secrets and API bases in tests).
    `delays_worker` also starts the outbox worker with the periodic delay scan (klantreis run).
    """
    logs = settings.runtime_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    refresh_patterns(settings)
    endpoints = write_endpoints(settings)
    model = model or latest_model(settings.models_dir)
    env = child_env(settings, extra_env)
    credentials = write_credentials(settings, env)
    token = rasa_token(settings, env)
    processes: list[subprocess.Popen] = []
    try:
        action_log = logs / "actions.log"
        processes.append(_spawn(action_server_command(settings), env, action_log))
        rasa_log = logs / "rasa.log"
        processes.append(
            _spawn(
                [
                    sys.executable,
                    "-m",
                    "bot.rasa_server",
                    "run",
                    "--enable-api",
                    "--model",
                    str(model),
                    "--endpoints",
                    str(endpoints),
                    "--credentials",
                    str(credentials),
                    "--port",
                    str(settings.rasa_port),
                    "--auth-token",
                    token,
                ],
                env,
                rasa_log,
            )
        )
        web_log = logs / "services.log"
        processes.append(_spawn([sys.executable, "-m", "bot.services"], env, web_log))
        action_url = f"http://127.0.0.1:{settings.action_port}"
        rasa_url = f"http://127.0.0.1:{settings.rasa_port}"
        web_url = f"http://127.0.0.1:{settings.web_port}"
        wait_for(f"{action_url}/health", processes[0], timeout, action_log, "The action server")
        wait_for(f"{web_url}/health", processes[2], timeout, web_log, "The web services")
        wait_for(
            f"{rasa_url}/status?token={token}", processes[1], timeout, rasa_log, "The Rasa server"
        )
        if delays_worker:
            processes.append(
                _spawn([sys.executable, "-m", "bot.delays", "--scan"], env, logs / "delays.log")
            )
        yield Stack(
            rasa_url=rasa_url,
            action_url=action_url,
            web_url=web_url,
            processes=processes,
            rasa_token=token,
        )
    finally:
        for process in reversed(processes):
            _stop(process)


def _spawn(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    handle = log.open("ab")
    return subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
