"""The production examples in deploy/ are real: systemd accepts the units, each restarts its
process on failure and runs a `klantreis serve` process that exists (tests/bot/test_serve.py
runs those), and the Kubernetes pod does the same."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from bot.cli import build_parser
from bot.settings import PROJECT_ROOT

UNITS = PROJECT_ROOT / "deploy" / "systemd"
PROCESSES = ("actions", "rasa", "web")


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(UNITS / name)
    return parser


@pytest.mark.parametrize("process", PROCESSES)
def test_each_unit_restarts_its_process_and_gives_up_on_a_config_error(process: str) -> None:
    service = unit(f"klantreis-{process}.service")
    assert service["Service"]["Restart"] == "on-failure"
    assert service["Service"]["ExecStart"] == f"/opt/klantreis/.venv/bin/klantreis serve {process}"
    assert service["Unit"]["StartLimitBurst"] == "5"
    assert service["Install"]["WantedBy"] == "klantreis.target"
    build_parser().parse_args(["serve", process])  # a process `klantreis serve` knows


def test_the_target_starts_all_three() -> None:
    wanted = unit("klantreis.target")["Unit"]["Wants"].split()
    assert sorted(wanted) == [f"klantreis-{p}.service" for p in PROCESSES]


def test_systemd_holds_rasas_port_while_rasa_restarts() -> None:
    socket_unit = unit("klantreis-rasa.socket")
    assert socket_unit["Socket"]["ListenStream"] == "5005"  # KLANTREIS_RASA_PORT's default
    assert socket_unit["Socket"]["Service"] == "klantreis-rasa.service"
    service = unit("klantreis-rasa.service")["Unit"]
    assert "klantreis-rasa.socket" in service["Requires"].split()
    assert "klantreis-rasa.socket" in service["After"].split()


def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    verify = shutil.which("systemd-analyze")
    if verify is None:
        pytest.skip("systemd-analyze is not installed")
    env_file = tmp_path / "environment"
    env_file.write_text("KLANTREIS_DEMO=0\n")
    for source in UNITS.iterdir():  # the paths of this checkout instead of /opt/klantreis
        text = source.read_text()
        text = text.replace("/etc/klantreis/klantreis.env", str(env_file))
        text = text.replace("/opt/klantreis", str(PROJECT_ROOT))
        text = text.replace("=klantreis\n", "=root\n")  # a user this machine has
        (tmp_path / source.name).write_text(text)
    result = subprocess.run(
        [verify, "verify", *sorted(str(p) for p in tmp_path.glob("klantreis*"))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_the_kubernetes_pod_restarts_and_probes_each_process() -> None:
    deployment = yaml.safe_load((PROJECT_ROOT / "deploy" / "kubernetes.yaml").read_text())
    pod = deployment["spec"]["template"]["spec"]
    assert pod["restartPolicy"] == "Always"
    containers = {c["name"]: c for c in pod["containers"]}
    assert sorted(containers) == sorted(PROCESSES)
    for name, container in containers.items():
        assert container["command"] == ["klantreis", "serve", name]
        assert "livenessProbe" in container
    assert pod["initContainers"][0]["command"] == ["klantreis", "migrate"]
