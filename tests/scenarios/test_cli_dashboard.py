"""``ccplan dashboard [PATH]``: starts streamlit on dashboard/app.py, passing PATH through, on
127.0.0.1 unless --host says otherwise (no server is started here: the command line is checked)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from scenarios.cli import app

runner = CliRunner()


def test_dashboard_starts_streamlit_on_the_app_with_the_folder(monkeypatch, tmp_path):
    seen = {}

    def fake_call(command):
        seen["command"] = command
        return 0

    monkeypatch.setattr(subprocess, "call", fake_call)
    result = runner.invoke(app, ["dashboard", str(tmp_path), "--port", "8765"])
    assert result.exit_code == 0, result.output
    command = seen["command"]
    assert command[:4] == [sys.executable, "-m", "streamlit", "run"]
    app_py = Path(command[4])
    assert app_py.name == "app.py" and app_py.parent.name == "dashboard" and app_py.is_file()
    assert command[command.index("--server.port") + 1] == "8765"
    assert command[command.index("--server.address") + 1] == "127.0.0.1"
    assert command[-2:] == ["--", str(tmp_path.resolve())]
    assert "http://127.0.0.1:8765" in result.output
    assert "warning" not in result.output  # this computer only: nothing to warn about


def test_dashboard_host_is_passed_as_the_server_address_with_a_warning(monkeypatch):
    seen = {}
    monkeypatch.setattr(subprocess, "call", lambda command: seen.setdefault("c", command) and 0)
    result = runner.invoke(app, ["dashboard", "--host", "0.0.0.0", "--port", "9000"])
    assert result.exit_code == 0, result.output
    command = seen["c"]
    assert command[command.index("--server.address") + 1] == "0.0.0.0"
    assert command[command.index("--server.port") + 1] == "9000"
    assert "http://0.0.0.0:9000" in result.stdout
    assert "no login" in result.stderr and "trusted network" in result.stderr


def test_dashboard_defaults_to_this_computer_only():
    params = {p.name: p for p in typer.main.get_command(app).commands["dashboard"].params}
    assert params["host"].default == "127.0.0.1"
    assert params["port"].default == 8501


@pytest.mark.parametrize("port", ["0", "65536", "-1"])
def test_dashboard_port_out_of_range_is_a_one_line_error(monkeypatch, port):
    monkeypatch.setattr(subprocess, "call", lambda command: 0)
    result = runner.invoke(app, ["dashboard", "--port", port])
    assert result.exit_code == 2
    assert f"--port must be a port number from 1 to 65535, got {port}" in result.output


def test_dashboard_without_path_offers_the_bundled_examples(monkeypatch):
    seen = {}
    monkeypatch.setattr(subprocess, "call", lambda command: seen.setdefault("c", command) and 0)
    result = runner.invoke(app, ["dashboard"])
    assert result.exit_code == 0, result.output
    assert "--" not in seen["c"]


def test_dashboard_on_a_missing_folder_is_a_one_line_error(monkeypatch, tmp_path):
    monkeypatch.setattr(subprocess, "call", lambda command: 0)
    missing = tmp_path / "nope"
    result = runner.invoke(app, ["dashboard", str(missing)])
    assert result.exit_code == 2
    assert f"{missing}: no such file or folder" in result.output
    assert "Traceback" not in result.output
