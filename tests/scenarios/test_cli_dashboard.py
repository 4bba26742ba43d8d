"""``ccplan dashboard [PATH]``: starts streamlit on dashboard/app.py, passing PATH through."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
    assert command[-2:] == ["--", str(tmp_path.resolve())]
    assert "http://localhost:8765" in result.output


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
