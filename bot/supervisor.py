"""Keep the bot's processes running: restart a crashed child with backoff, give up on one that
cannot start.

`klantreis run` is for one machine without a process manager. A child that crashes after it
served (killed, out of memory, a bug) comes back on its own and the others keep running. A
child that stops again and again before it ever answers is a configuration error, not bad
luck: after a few tries the supervisor says which process, where its log is and what to check,
and stops. In production systemd or the container platform does this job (docs/deployment.md).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

logger = logging.getLogger("klantreis.supervisor")

MAX_STARTUP_FAILURES = 5  # crashes in a row before the child ever answered: a config error
BASE_DELAY = 1.0  # seconds before the first restart; doubles for each quick crash in a row
MAX_DELAY = 30.0
STABLE_AFTER = 60.0  # a child that ran this long crashed "fresh": its backoff starts again
POLL_SECONDS = 0.25


def spawn(
    command: list[str],
    env: dict[str, str],
    log: Path,
    cwd: Path,
    pass_fds: tuple[int, ...] = (),
) -> subprocess.Popen:
    """Start `command` in its own process group, appending its output to `log`; `pass_fds`
    are file descriptors it inherits (a listening socket the supervisor keeps open)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as handle:
        return subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            pass_fds=pass_fds,
        )


def terminate(process: subprocess.Popen, timeout: float = 15.0) -> None:
    """Stop a child and everything it started (its process group): TERM, then KILL."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=timeout)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
    # A child killed from outside may leave helpers in its group holding its port.
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


def answers(url: str) -> bool:
    """True when `url` answers 200 (and, for Rasa's /status, has a model loaded)."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200 and b'"model_file":null' not in response.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


@dataclass
class ChildSpec:
    """One process to keep running, and how to tell that it is ready."""

    name: str  # for people: "the Rasa server"
    command: list[str]
    log: Path
    health_url: str  # empty: a process with no HTTP side, ready once it runs
    hint: str = ""  # what to check when it cannot start
    env: dict[str, str] = field(default_factory=dict)  # added to the supervisor's for this one
    pass_fds: tuple[int, ...] = ()  # inherited by every start of this child


@dataclass
class Child:
    """A supervised process and its restart history."""

    spec: ChildSpec
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    healthy: bool = False  # answered its health URL since its last start
    startup_failures: int = 0  # exits in a row before it answered
    quick_crashes: int = 0  # exits in a row within STABLE_AFTER of a start
    restarts: int = 0
    restart_at: float | None = None
    delay: float = 0.0  # the backoff before the latest restart
    last_code: int | None = None
    held: bool = False  # stopped on purpose: not restarted until released

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None


@dataclass
class Supervisor:
    """Runs the children and, in a background thread, restarts those that stop."""

    specs: list[ChildSpec]
    env: dict[str, str]
    cwd: Path
    max_startup_failures: int = MAX_STARTUP_FAILURES
    base_delay: float = BASE_DELAY
    max_delay: float = MAX_DELAY
    stable_after: float = STABLE_AFTER
    events_log: Path | None = None  # one line per start, crash and restart
    say: Callable[[str], None] | None = None  # also tell the operator (the `run` terminal)
    children: list[Child] = field(default_factory=list)
    failure: str | None = None  # set when the supervisor gave up; everything is then stopped
    _stopping: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> None:
        self.children = [Child(spec) for spec in self.specs]
        for child in self.children:
            self._start(child)
        self._thread = threading.Thread(target=self._watch, name="supervisor", daemon=True)
        self._thread.start()

    def child(self, name: str) -> Child:
        return next(c for c in self.children if c.spec.name == name)

    def wait_until_healthy(self, timeout: float) -> None:
        """Block until every child answers; raise RuntimeError with the reason otherwise."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.failure is not None:
                raise RuntimeError(self.failure)
            if all(c.healthy for c in self.children):
                return
            time.sleep(POLL_SECONDS)
        waiting = [c for c in self.children if not c.healthy]
        raise RuntimeError(
            "; ".join(
                f"{c.spec.name} did not answer on {c.spec.health_url} within {timeout:.0f}s; "
                f"see {c.spec.log}"
                for c in waiting
            )
        )

    def hold(self, name: str) -> None:
        """Stop one child and keep it stopped until `release` (maintenance, fault tests)."""
        with self._lock:
            child = self.child(name)
            child.held, child.healthy, child.restart_at = True, False, None
            if child.process is not None:
                terminate(child.process)
            self._report(f"{child.spec.name} is stopped on request and stays stopped.")

    def release(self, name: str) -> None:
        """Start a held child again."""
        with self._lock:
            child = self.child(name)
            if child.held:
                child.held = False
                self._start(child)

    def stop(self) -> None:
        """Stop watching, then stop the children in reverse start order."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        with self._lock:
            for child in reversed(self.children):
                if child.process is not None:
                    terminate(child.process)

    def check(self) -> None:
        """One round: notice crashes, restart children whose backoff ran out, probe health."""
        with self._lock:
            now = time.monotonic()
            for child in self.children:
                if self._stopping.is_set() or self.failure is not None:
                    return
                if child.held:
                    continue
                if child.restart_at is not None:
                    if now >= child.restart_at:
                        self._start(child)
                    continue
                process = child.process
                if process is None:
                    continue
                code = process.poll()
                if code is not None:
                    self._crashed(child, code, now)
                elif not child.healthy and (
                    not child.spec.health_url or answers(child.spec.health_url)
                ):
                    child.healthy = True
                    child.startup_failures = 0
                    if child.restarts:
                        self._report(f"{child.spec.name} is back (pid {process.pid}).")

    def _watch(self) -> None:
        while not self._stopping.is_set() and self.failure is None:
            try:
                self.check()
            except Exception:  # a bug here must not leave the bot unsupervised silently
                logger.exception("supervisor: check failed")
            self._stopping.wait(POLL_SECONDS)
        if self.failure is not None:  # the caller tells the operator; the log keeps it too
            self._report(self.failure, tell=False)

    def _start(self, child: Child) -> None:
        child.process = spawn(
            child.spec.command,
            {**self.env, **child.spec.env},
            child.spec.log,
            self.cwd,
            child.spec.pass_fds,
        )
        child.started_at = time.monotonic()
        child.healthy = False
        child.restart_at = None
        self._report(f"{child.spec.name} started (pid {child.process.pid}).", tell=False)

    def _crashed(self, child: Child, code: int, now: float) -> None:
        assert child.process is not None
        terminate(child.process)  # reap it and whatever it left in its group
        child.last_code = code
        uptime = now - child.started_at
        child.quick_crashes = child.quick_crashes + 1 if uptime < self.stable_after else 1
        if not child.healthy:
            child.startup_failures += 1
        if child.startup_failures >= self.max_startup_failures:
            self.failure = (
                f"{child.spec.name} keeps stopping right after it starts "
                f"({child.startup_failures} times in a row, last exit code {code}), so "
                f"Klantreis stopped. This is a configuration problem, not bad luck: read "
                f"{child.spec.log} for the reason. {child.spec.hint}".rstrip()
            )
            return
        delay = min(self.max_delay, self.base_delay * 2 ** (child.quick_crashes - 1))
        child.restarts += 1
        child.delay, child.restart_at = delay, now + delay
        self._report(
            f"{child.spec.name} stopped (exit code {code}) after {uptime:.0f}s; restarting it "
            f"in {delay:g}s (restart {child.restarts}). Its log: {child.spec.log}"
        )

    def _report(self, line: str, *, tell: bool = True) -> None:
        logger.warning("%s", line)
        if self.events_log is not None:
            stamp = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
            with suppress(OSError), self.events_log.open("a", encoding="utf-8") as handle:
                handle.write(f"{stamp} {line}\n")
        if tell and self.say is not None:
            self.say(line)
