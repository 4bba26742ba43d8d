"""The README's commands, exactly as written.

- ``.ci/run`` runs the two command lines of README.md's first fenced block as it reads
  them from the file; a quick test checks that what it reads is what the README says, and
  that it refuses a README whose first block lost them.
- Every ``ccplan ...`` line of the README's fenced blocks (backslash continuations joined)
  runs, in order, in one temporary working folder holding a copy of
  ``scenarios/examples`` (so the README's repository-relative paths resolve and later
  commands read what earlier ones wrote, e.g. ``staff.csv``, ``schedule/``); a non-zero
  exit fails with the command and its output. ``ccplan dashboard`` is the one line not
  run (it serves until stopped; ``tests/scenarios/test_cli_dashboard.py`` covers how it
  starts streamlit), and the test checks that nothing else is left out. ``ccplan demo``
  is not a line of its own (it follows ``pip install -e . &&``): ``.ci/run`` runs it.
- The README's "From Python" block runs as written from the same kind of folder.

The command runs take several minutes on two cores, so they are marked ``slow``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
CI_RUN = ROOT / ".ci" / "run"
#: The README's first block, exactly (issue 14: a fresh clone runs these two lines).
FIRST_BLOCK = ['pip install -e . && ccplan demo', 'pip install -e ".[test]" && pytest']
#: Lines not run, with why (see the module docstring).
NOT_RUN = {"ccplan dashboard": "serves until stopped"}


def fenced_blocks(text: str) -> list[tuple[str, list[str]]]:
    """``(language, lines)`` of every fenced block of a Markdown text, in order."""
    blocks: list[tuple[str, list[str]]] = []
    current: list[str] | None = None
    language = ""
    for line in text.splitlines():
        if line.startswith("```"):
            if current is None:
                language, current = line[3:].strip(), []
            else:
                blocks.append((language, current))
                current = None
        elif current is not None:
            current.append(line)
    assert current is None, "README.md has an unclosed fenced block"
    return blocks


def command_lines(lines: list[str]) -> list[str]:
    """Shell lines with backslash continuations joined; comments and blank lines left out."""
    out: list[str] = []
    pending = ""
    for line in lines:
        if pending:
            line = pending + " " + line.strip()
            pending = ""
        if line.rstrip().endswith("\\"):
            pending = line.rstrip()[:-1].rstrip()
            continue
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            out.append(stripped)
    assert not pending, f"a continuation line ends the block: {pending!r}"
    return out


def readme_ccplan_lines() -> list[str]:
    """Every line of the README's shell blocks that starts with ``ccplan``, in order."""
    found = []
    for language, lines in fenced_blocks(README.read_text(encoding="utf-8")):
        if language in ("", "bash", "sh", "shell", "console"):
            found += [c for c in command_lines(lines) if c.split()[0] == "ccplan"]
    return found


def _bare(line: str) -> str:
    """The command without its trailing ``# comment``."""
    return line.split(" #", 1)[0].strip()


def _env() -> dict[str, str]:
    """This interpreter's scripts first on PATH and the repository on PYTHONPATH."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["COLUMNS"] = "160"
    return env


def _workdir(tmp_path: Path) -> Path:
    """A working folder where the README's ``scenarios/examples/...`` paths resolve."""
    shutil.copytree(ROOT / "scenarios" / "examples", tmp_path / "scenarios" / "examples",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


# --- quick -----------------------------------------------------------------------------------

def test_the_first_block_holds_the_two_commands():
    blocks = fenced_blocks(README.read_text(encoding="utf-8"))
    assert command_lines(blocks[0][1]) == FIRST_BLOCK


def test_ci_run_reads_the_readme_commands_literally():
    done = subprocess.run(["bash", str(CI_RUN), "--print-readme-commands"], capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    first = command_lines(fenced_blocks(README.read_text(encoding="utf-8"))[0][1])
    assert done.stdout.splitlines() == first == FIRST_BLOCK


@pytest.mark.parametrize("edit", [
    lambda t: t.replace('pip install -e ".[test]" && pytest', 'pip install -e ".[test]"'),
    lambda t: t.replace("pip install -e . && ccplan demo", "python -m pip install -e ."),
    lambda t: t.replace("pip install -e . && ccplan demo\n",
                        "pip install -e . && ccplan demo\nccplan check scenarios/examples\n"),
], ids=["pytest dropped", "demo replaced", "a third line"])
def test_ci_run_fails_loudly_when_the_readme_block_changes(tmp_path, edit):
    (tmp_path / ".ci").mkdir()
    shutil.copy(CI_RUN, tmp_path / ".ci" / "run")
    text = README.read_text(encoding="utf-8")
    changed = edit(text)
    assert changed != text
    (tmp_path / "README.md").write_text(changed, encoding="utf-8")
    done = subprocess.run(["bash", str(tmp_path / ".ci" / "run"), "--print-readme-commands"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1
    assert "README.md's first fenced block must hold exactly these two command lines" in \
        done.stderr
    assert done.stdout == ""


def test_the_readme_lines_are_found_and_only_the_dashboard_is_left_out():
    lines = readme_ccplan_lines()
    assert len(lines) >= 15, lines
    left_out = [_bare(line) for line in lines if _bare(line) in NOT_RUN]
    assert left_out == ["ccplan dashboard"]
    # Continuations are joined: the simulate line carries its --staffing from the next line.
    assert any(line.startswith("ccplan simulate ") and "--staffing staff.csv" in line
               for line in lines)
    assert not any(line.endswith("\\") for line in lines)


def test_command_lines_joins_continuations_and_drops_comments():
    assert command_lines(["# a comment", "ccplan a \\", "    --b 1 \\", "    --c", "",
                          "ccplan d  # note"]) == ["ccplan a --b 1 --c", "ccplan d  # note"]


def _fake_ci(tmp_path: Path, pytest_tail: str, pytest_status: int,
             demo_status: int = 0) -> subprocess.CompletedProcess:
    """Run a copy of .ci/run with every tool it calls replaced by a stub that logs its call."""
    repo = tmp_path / "repo"
    (repo / ".ci").mkdir(parents=True)
    shutil.copy(CI_RUN, repo / ".ci" / "run")
    shutil.copy(README, repo / "README.md")
    stubs = tmp_path / "bin"
    stubs.mkdir()
    log = tmp_path / "calls.log"
    for tool in ("python", "pip", "ccplan", "ruff", "lint-imports", "mypy", "apt-get"):
        status = demo_status if tool == "ccplan" else 0
        (stubs / tool).write_text(
            f'#!/usr/bin/env bash\necho "{tool} $*" >> "{log}"\nexit {status}\n')
    (stubs / "pytest").write_text(
        f'#!/usr/bin/env bash\necho "pytest $*" >> "{log}"\n'
        f'echo "===== {pytest_tail} ====="\nexit {pytest_status}\n')
    for stub in stubs.iterdir():
        stub.chmod(0o755)
    env = dict(os.environ)
    env["PATH"] = f"{stubs}{os.pathsep}{env['PATH']}"
    done = subprocess.run(["bash", str(repo / ".ci" / "run")], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    done.calls = log.read_text(encoding="utf-8").splitlines()  # type: ignore[attr-defined]
    return done


def test_ci_run_runs_the_two_lines_as_written_then_the_checks(tmp_path):
    done = _fake_ci(tmp_path, "12 passed, 3 deselected in 1.00s", 0)
    assert done.returncode == 0, done.stderr
    calls = [c for c in done.calls if not c.startswith("apt-get")]
    assert calls[:8] == [
        "python -m pip install --quiet --upgrade pip",
        "pip install -e .", "ccplan demo",        # the README's first line
        "pip install -e .[test]", "pytest ",      # the second (bash drops the quotes)
        "ruff check .", "lint-imports ", "mypy staffing forecasting simulator scenarios",
    ]
    # pytest -m slow in three parts: the first two side by side (either may log first), then
    # the browser tests alone.
    assert sorted(calls[8:10]) == sorted([
        "pytest -m slow tests/scenarios/test_fuzz_files.py tests/integration",
        "pytest -m slow --ignore=tests/scenarios/test_fuzz_files.py --ignore=tests/integration "
        "--ignore=tests/dashboard"])
    assert calls[10:] == ["pytest -m slow tests/dashboard"]


def test_ci_run_stops_when_the_demo_fails(tmp_path):
    done = _fake_ci(tmp_path, "12 passed in 1.00s", 0, demo_status=1)
    assert done.returncode == 1
    assert done.calls[-1] == "ccplan demo"


@pytest.mark.parametrize(("tail", "status", "message"), [
    ("no tests ran in 0.01s", 5, "pytest collected no tests"),
    ("10 passed, 1 skipped in 1.00s", 0, "some tests were skipped"),
    ("1 failed, 10 passed in 1.00s", 1, ""),
    ("1 error in 1.00s", 0, "no passing tests were reported"),
])
def test_ci_run_fails_on_no_tests_skips_and_errors(tmp_path, tail, status, message):
    done = _fake_ci(tmp_path, tail, status)
    assert done.returncode != 0
    assert message in done.stderr
    # It stops at the README's pytest: no checks, no slow run after it.
    assert not any(c.startswith(("ruff", "pytest -m slow")) for c in done.calls)


# --- slow: the commands themselves ------------------------------------------------------------

@pytest.mark.slow
def test_every_readme_ccplan_line_runs_as_written(tmp_path):
    work = _workdir(tmp_path)
    env = _env()
    assert shutil.which("ccplan", path=env["PATH"]), "the ccplan command is not installed"
    ran = []
    for line in readme_ccplan_lines():
        if _bare(line) in NOT_RUN:
            continue
        done = subprocess.run(["bash", "-c", line], cwd=work, env=env, capture_output=True,
                              text=True, timeout=1200, check=False)
        assert done.returncode == 0, (f"README command failed (exit {done.returncode}):\n"
                                      f"{line}\n--- stderr ---\n{done.stderr[-4000:]}\n"
                                      f"--- stdout ---\n{done.stdout[-2000:]}")
        ran.append(line)
    # What the tour says the commands leave behind, written where it says.
    for written in ("bank/report.html", "bank/summary.json", "comparison/comparison.html",
                    "ccplan-check.xml", "ccplan-scenario.schema.json", "staff.csv",
                    "results/sim_intervals.csv", "results/summary.csv", "forecast.csv",
                    "forecast.html", "forecast_calls.csv", "bt/backtest.csv",
                    "schedule/summary.json"):
        assert (work / written).is_file(), written
    staff_header = (work / "staff.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert {"interval_start", "channel", "agents"} <= set(staff_header)
    assert len(ran) == len(readme_ccplan_lines()) - 1


@pytest.mark.slow
def test_the_readme_python_block_runs_as_written(tmp_path):
    blocks = [lines for language, lines in
              fenced_blocks(README.read_text(encoding="utf-8")) if language == "python"]
    assert len(blocks) == 1, "the README has one Python block (From Python)"
    script = _workdir(tmp_path) / "readme_block.py"
    script.write_text("\n".join(blocks[0]) + "\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-W", "error::UserWarning", str(script)],
                          cwd=tmp_path, env=_env(), capture_output=True, text=True,
                          timeout=1200, check=False)
    assert done.returncode == 0, f"the README's Python block failed:\n{done.stderr[-4000:]}"
    names = set(re.findall(r"^(\w+) = ", "\n".join(blocks[0]), flags=re.MULTILINE))
    assert {"history", "fc", "forecast", "requirements", "coverage", "sched"} <= names
