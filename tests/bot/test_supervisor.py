"""The supervisor with real child processes: restarts after a crash, gives up on a bad config."""

from __future__ import annotations

import os
import signal
import socket
import sys
import time
from pathlib import Path

import pytest

from bot.supervisor import ChildSpec, Supervisor, answers


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def web_child(name: str, tmp_path: Path) -> ChildSpec:
    """A small real server: Python's http.server answers 200 on / once it listens."""
    port = free_port()
    return ChildSpec(
        name,
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        tmp_path / f"{name}.log",
        f"http://127.0.0.1:{port}/",
    )


def eventually(condition, timeout: float = 20.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_killed_child_comes_back_and_the_others_keep_running(tmp_path: Path) -> None:
    said: list[str] = []
    specs = [web_child("first", tmp_path), web_child("second", tmp_path)]
    supervisor = Supervisor(
        specs, dict(os.environ), tmp_path, base_delay=0.1, events_log=tmp_path / "sv.log",
        say=said.append,
    )  # fmt: skip
    supervisor.start()
    try:
        supervisor.wait_until_healthy(20)
        first, second = supervisor.child("first"), supervisor.child("second")
        old_pid, second_pid = first.pid, second.pid
        assert old_pid is not None
        os.kill(old_pid, signal.SIGKILL)

        assert eventually(lambda: first.pid != old_pid and first.healthy)
        assert answers(specs[0].health_url)
        assert second.pid == second_pid and second.restarts == 0  # the rest did not stop
        assert first.restarts == 1 and supervisor.failure is None
        assert any("first stopped (exit code -9)" in line for line in said), said
        assert "first is back" in (tmp_path / "sv.log").read_text()
    finally:
        supervisor.stop()
    assert all(c.process is not None and c.process.poll() is not None for c in supervisor.children)


def test_backoff_doubles_for_quick_crashes_in_a_row(tmp_path: Path) -> None:
    spec = web_child("flaky", tmp_path)
    supervisor = Supervisor([spec], dict(os.environ), tmp_path, base_delay=0.2, max_delay=0.8)
    supervisor.start()
    try:
        supervisor.wait_until_healthy(20)
        child = supervisor.child("flaky")
        delays = []
        for _ in range(4):
            pid = child.pid
            assert pid is not None
            os.kill(pid, signal.SIGKILL)
            assert eventually(lambda old=pid: child.healthy and child.pid != old)
            delays.append(child.delay)
        assert delays == [0.2, 0.4, 0.8, 0.8]  # doubling, capped at max_delay
    finally:
        supervisor.stop()


def test_a_child_that_cannot_start_stops_the_bot_with_a_clear_reason(tmp_path: Path) -> None:
    broken = ChildSpec(
        "The action server",
        [sys.executable, "-c", "import sys; print('bad config: no module actions'); sys.exit(3)"],
        tmp_path / "actions.log",
        "http://127.0.0.1:9/health",
        "An action module that fails to import stops it too.",
    )
    healthy = web_child("fine", tmp_path)
    supervisor = Supervisor(
        [healthy, broken], dict(os.environ), tmp_path, max_startup_failures=3, base_delay=0.05
    )
    supervisor.start()
    try:
        with pytest.raises(RuntimeError) as raised:
            supervisor.wait_until_healthy(30)
    finally:
        supervisor.stop()
    message = str(raised.value)
    assert message.startswith("The action server keeps stopping right after it starts")
    assert "3 times in a row, last exit code 3" in message
    assert str(tmp_path / "actions.log") in message
    assert "An action module that fails to import" in message
    assert (tmp_path / "actions.log").read_text().count("bad config") == 3
    assert supervisor.child("The action server").restarts == 2
    assert all(c.process is not None and c.process.poll() is not None for c in supervisor.children)


def test_a_held_child_stays_down_until_released(tmp_path: Path) -> None:
    spec = web_child("actions", tmp_path)
    supervisor = Supervisor([spec], dict(os.environ), tmp_path, base_delay=0.05)
    supervisor.start()
    try:
        supervisor.wait_until_healthy(20)
        supervisor.hold("actions")
        time.sleep(0.5)  # several supervisor rounds: it must not come back by itself
        assert not answers(spec.health_url)
        supervisor.release("actions")
        supervisor.wait_until_healthy(20)
        assert answers(spec.health_url)
    finally:
        supervisor.stop()


def test_a_port_taken_by_another_program_stops_the_start_with_a_clear_reason(
    tmp_path: Path, sqlite_demo_url: str
) -> None:
    """Otherwise our child exits at once and the stranger on that port answers its health
    check, so the bot would seem to run while talking to someone else's process."""
    from bot.stack import StackError, running_stack
    from tests.helpers.stack import test_settings

    settings = test_settings(tmp_path, sqlite_demo_url, offset=1350)
    with socket.socket() as stranger:
        stranger.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        stranger.bind(("127.0.0.1", settings.action_port))
        stranger.listen()
        with pytest.raises(StackError) as raised, running_stack(settings):
            pass
    assert f"Port {settings.action_port} (KLANTREIS_ACTION_PORT) is already in use" in str(
        raised.value
    )
