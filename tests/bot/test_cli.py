"""The operator's command line: clear messages and exit codes, never a bare traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.store.db import make_engine

ROOT = Path(__file__).resolve().parents[2]


def klantreis(*args: str, database_url: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "KLANTREIS_RUNTIME_DIR": str(tmp_path / "runtime"),
    }
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_migrate_then_demo_then_idempotent(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    first = klantreis("migrate", database_url=url, tmp_path=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "migrated from schema empty" in first.stdout

    again = klantreis("migrate", database_url=url, tmp_path=tmp_path)
    assert "up to date" in again.stdout

    demo = klantreis("demo", database_url=url, tmp_path=tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert "products: 45 new" in demo.stdout
    assert (tmp_path / "runtime" / "catalogue_patterns.json").exists()

    demo_again = klantreis("demo", database_url=url, tmp_path=tmp_path)
    assert "products: 0 new, 0 updated, 45 unchanged" in demo_again.stdout


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "is not a database URL"),
        ("mysql+nosuchdriver://x@localhost/db", "No database driver"),
        ("postgresql://postgres@127.0.0.1:1/nothing", "Cannot open the database"),
    ],
)
def test_wrong_database_url_says_what_to_do(tmp_path: Path, url: str, message: str) -> None:
    result = klantreis("migrate", database_url=url, tmp_path=tmp_path)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_unwritable_database_location(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = klantreis("migrate", database_url=f"sqlite:///{blocker}/sub/k.db", tmp_path=tmp_path)
    assert result.returncode == 1
    assert "writable" in result.stderr and "Traceback" not in result.stderr


def test_unreadable_database_file(tmp_path: Path) -> None:
    bad = tmp_path / "k.db"
    bad.write_bytes(b"this is not a database" * 100)
    result = klantreis("migrate", database_url=f"sqlite:///{bad}", tmp_path=tmp_path)
    assert result.returncode == 1
    assert "Cannot" in result.stderr and "Traceback" not in result.stderr
    assert bad.read_bytes().startswith(b"this is not a database"), "the file was changed"


def test_import_before_migrate_is_refused(tmp_path: Path) -> None:
    result = klantreis(
        "import",
        str(ROOT / "data" / "demo"),
        database_url=f"sqlite:///{tmp_path / 'k.db'}",
        tmp_path=tmp_path,
    )
    assert result.returncode == 1
    assert "Run: klantreis migrate" in result.stderr


def test_schema_from_a_newer_version_is_left_alone(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    klantreis("migrate", database_url=url, tmp_path=tmp_path)
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    result = klantreis("migrate", database_url=url, tmp_path=tmp_path)
    assert result.returncode == 1
    assert "newer version" in result.stderr and "nothing was changed" in result.stderr
    with engine.connect() as connection:
        assert (
            connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9999"
        )


def test_tables_without_version_are_not_migrated_over(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)"))
        connection.execute(text("INSERT INTO customers (name) VALUES ('Sanne')"))
    result = klantreis("migrate", database_url=url, tmp_path=tmp_path)
    assert result.returncode == 1
    assert "no schema version" in result.stderr
    with engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM customers")).scalar() == "Sanne"


def test_bad_import_row_is_reported_and_nothing_written(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    klantreis("migrate", database_url=url, tmp_path=tmp_path)
    folder = tmp_path / "shop"
    folder.mkdir()
    (folder / "customers.csv").write_text(
        "customer_ref,first_name,last_name,email\n"
        "C1,Sanne,de Vries,sanne@example.nl\n"
        "C2,Bram,,b@x.nl\n"
    )
    result = klantreis("import", str(folder), database_url=url, tmp_path=tmp_path)
    assert result.returncode == 1
    assert f"{folder / 'customers.csv'}:3: last_name is required" in result.stderr
    with make_engine(url).connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM customers")).scalar() == 0


@pytest.mark.stack
def test_run_serves_everything_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    """`klantreis run`: the demo page, the console and Rasa answer; `kill` stops all of it."""
    import signal
    import socket
    import time
    import urllib.request

    from tests.helpers.stack import PORT_SHIFT  # checkouts side by side use their own ports

    ports = {
        "KLANTREIS_RASA_PORT": 6305 + PORT_SHIFT,
        "KLANTREIS_ACTION_PORT": 6355 + PORT_SHIFT,
        "KLANTREIS_WEB_PORT": 9300 + PORT_SHIFT,
    }
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.db'}",
        "KLANTREIS_RUNTIME_DIR": str(tmp_path / "runtime"),
        **{name: str(port) for name, port in ports.items()},
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = []
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if "Stop with Ctrl-C" in line:
                break
        output = "".join(lines)
        assert "Klantreis is running" in output, output[-2000:]
        assert "demo-agents.txt" in output
        web = f"http://127.0.0.1:{ports['KLANTREIS_WEB_PORT']}"
        with urllib.request.urlopen(f"{web}/") as page:
            assert b"Trek" in page.read()
        with urllib.request.urlopen(f"{web}/agent/login") as page:
            assert page.status == 200

        # kill -9 the web server: `run` says so, starts it again, and the rest kept running
        events = (tmp_path / "runtime" / "logs" / "supervisor.log").read_text()
        pid = int(events.split("The web server started (pid ")[1].split(")")[0])
        os.kill(pid, signal.SIGKILL)
        restart_lines = []
        for line in process.stdout:
            restart_lines.append(line)
            if "The web server is back" in line:
                break
        said = "".join(restart_lines)
        assert "The web server stopped (exit code -9)" in said, said
        assert "Rasa" not in said and "action server" not in said  # nothing else restarted
        with urllib.request.urlopen(f"{web}/") as page:
            assert b"Trek" in page.read()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) is not None
    finally:
        if process.poll() is None:
            process.kill()
    time.sleep(0.5)
    for port in ports.values():
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0, f"port {port} still open"
