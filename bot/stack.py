"""Start Rasa, the action server and the web services as real, supervised processes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from bot.rasa_config import write_credentials, write_endpoints
from bot.settings import PROJECT_ROOT, Settings, inherited_environment, rasa_token
from bot.supervisor import (
    MAX_STARTUP_FAILURES,
    ChildSpec,
    Supervisor,
    answers,
    spawn,
    terminate,
)


class StackError(Exception):
    """A process did not start; the message says where to look."""


def child_env(settings: Settings, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = inherited_environment()
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
    if not settings.demo_logins:
        env["KLANTREIS_DEMO"] = "0"
    return env


def bin_path(name: str) -> str:
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


def action_server_command(settings: Settings) -> list[str]:
    return [
        sys.executable,
        "-m",
        "actions.server",  # rasa_sdk's server plus our NLG endpoint
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
    """Wait for one unsupervised process (a test's or a benchmark's) to answer on `url`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise StackError(f"{what} exited with code {process.returncode}; see {log}")
        if answers(url):
            return
        time.sleep(0.3)
    raise StackError(f"{what} did not answer on {url} within {timeout:.0f}s; see {log}")


def port_in_use(port: int) -> bool:
    """True when something already listens on `port` (our servers bind 0.0.0.0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("0.0.0.0", port))
        except OSError:
            return True
    return False


RASA = "The Rasa server"
LISTEN_FD_VARIABLE = "KLANTREIS_RASA_LISTEN_FD"
LISTEN_BACKLOG = 128


def held_listener(port: int) -> socket.socket:
    """Rasa's listening socket, made once and handed to every Rasa process the supervisor
    starts. While Rasa restarts, the socket stays open: a customer's connection (a REST call,
    a webhook, the widget reconnecting) waits in its backlog and is answered once the new
    Rasa is up, instead of being refused. It binds 0.0.0.0, as Rasa does."""
    listener = socket.create_server(("0.0.0.0", port), backlog=LISTEN_BACKLOG)
    listener.set_inheritable(True)
    return listener


def with_held_listener(specs: list[ChildSpec], listener: socket.socket) -> list[ChildSpec]:
    """`specs` with the Rasa server started on `listener` (bot/rasa_server.py takes it up)."""
    fd = listener.fileno()
    return [
        replace(spec, env={**spec.env, LISTEN_FD_VARIABLE: str(fd)}, pass_fds=(fd,))
        if spec.name == RASA
        else spec
        for spec in specs
    ]


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
    """The running bot: where to reach Rasa and the action server, and who keeps them up."""

    rasa_url: str
    action_url: str
    web_url: str
    supervisor: Supervisor
    rasa_token: str = ""

    def api_url(self, path: str) -> str:
        """A URL of Rasa's HTTP API, with the auth token it requires."""
        separator = "&" if "?" in path else "?"
        return f"{self.rasa_url}{path}{separator}token={self.rasa_token}"

    @property
    def processes(self) -> list[subprocess.Popen]:
        """The children as they run now (a restarted child is a new process)."""
        return [c.process for c in self.supervisor.children if c.process is not None]


def rasa_command(
    settings: Settings, model: Path, endpoints: Path, credentials: Path, token: str
) -> list[str]:
    return [
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
    ]


def child_specs(
    settings: Settings, env: dict[str, str], model: Path | None = None
) -> list[ChildSpec]:
    """The three processes of the bot, ready to start: what `klantreis run` supervises and what
    `klantreis serve NAME` runs alone under systemd or a container platform."""
    logs = settings.runtime_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    refresh_patterns(settings)
    endpoints = write_endpoints(settings)
    model = model or latest_model(settings.models_dir)
    credentials = write_credentials(settings, env)
    token = rasa_token(Settings.from_env(env))  # the token the child processes will use
    base = "http://127.0.0.1"
    port_hint = "Check that no other program uses port {port} ({variable})."
    return [
        ChildSpec(
            "The action server",
            action_server_command(settings),
            logs / "actions.log",
            f"{base}:{settings.action_port}/health",
            port_hint.format(port=settings.action_port, variable="KLANTREIS_ACTION_PORT")
            + " An action module that fails to import stops it too.",
        ),
        ChildSpec(
            "The web server",
            [sys.executable, "-m", "bot.services"],
            logs / "services.log",
            f"{base}:{settings.web_port}/health",
            port_hint.format(port=settings.web_port, variable="KLANTREIS_WEB_PORT")
            + " Check DATABASE_URL too.",
        ),
        ChildSpec(
            RASA,
            rasa_command(settings, model, endpoints, credentials, token),
            logs / "rasa.log",
            f"{base}:{settings.rasa_port}/status?token={token}",
            port_hint.format(port=settings.rasa_port, variable="KLANTREIS_RASA_PORT")
            + " Check DATABASE_URL, the channel secrets, and the model (klantreis train --force).",
        ),
    ]


@contextmanager
def running_stack(
    settings: Settings,
    *,
    model: Path | None = None,
    timeout: float = 180.0,
    extra_env: dict[str, str] | None = None,
    say: Callable[[str], None] | None = None,
    max_startup_failures: int = MAX_STARTUP_FAILURES,
    delays_worker: bool = False,
) -> Iterator[Stack]:
    """Start the action server, the web services and Rasa under a supervisor; stop all on exit.

    A child that crashes is restarted with backoff (bot/supervisor.py). `extra_env` reaches the
    child processes only (channel secrets and API bases in tests).
    `delays_worker` also supervises the outbox worker with the periodic delay scan (klantreis
    run).
    """
    env = child_env(settings, extra_env)
    specs = child_specs(settings, env, model)
    token = rasa_token(Settings.from_env(env))  # the token the child processes will use
    action_url = f"http://127.0.0.1:{settings.action_port}"
    rasa_url = f"http://127.0.0.1:{settings.rasa_port}"
    web_url = f"http://127.0.0.1:{settings.web_port}"
    for port, variable in (
        (settings.action_port, "KLANTREIS_ACTION_PORT"),
        (settings.web_port, "KLANTREIS_WEB_PORT"),
        (settings.rasa_port, "KLANTREIS_RASA_PORT"),
    ):
        if port_in_use(port):  # else our child exits at once and a stranger answers for it
            raise StackError(
                f"Port {port} ({variable}) is already in use by another program, perhaps a "
                "Klantreis that is still running. Stop it, or set "
                f"{variable} to a free port."
            )
    if delays_worker:
        specs.append(
            ChildSpec(
                "The delay worker",
                [sys.executable, "-m", "bot.delays", "--scan"],
                settings.runtime_dir / "logs" / "delays.log",
                "",  # no HTTP side: running is ready
                "Check DATABASE_URL and the delays section of the retailer file.",
            )
        )
    listener = held_listener(settings.rasa_port)
    supervisor = Supervisor(
        with_held_listener(specs, listener),
        env,
        PROJECT_ROOT,
        max_startup_failures=max_startup_failures,
        events_log=settings.runtime_dir / "logs" / "supervisor.log",
        say=say,
    )
    try:
        supervisor.start()
        try:
            supervisor.wait_until_healthy(timeout)
        except RuntimeError as exc:
            raise StackError(str(exc)) from None
        yield Stack(
            rasa_url=rasa_url,
            action_url=action_url,
            web_url=web_url,
            supervisor=supervisor,
            rasa_token=token,
        )
    finally:
        supervisor.stop()
        listener.close()


def _spawn(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return spawn(command, env, log, PROJECT_ROOT)


def _stop(process: subprocess.Popen) -> None:
    terminate(process)
