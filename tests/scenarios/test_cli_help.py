"""Every ``ccplan`` help page: flags show no type (typer prints ``<bool>`` otherwise) and text
in square brackets in a help text survives rich's markup (``pip install "ccplan[dask]"``)."""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from scenarios.cli import app

runner = CliRunner()


def _commands(command, path=()):
    """Every command of the tree with its path of names (the root has the empty path)."""
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from _commands(sub, (*path, name))


COMMANDS = list(_commands(typer.main.get_command(app)))


def _flat(text: str) -> str:
    """The help as one line of words: panel borders gone, line wraps joined."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


def test_the_tree_has_every_command():
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"", "erlang", "simulate", "schedule", "cost", "calibrate", "run", "compare",
            "check", "capacity", "schema", "demo", "dashboard", "forecast",
            "forecast backtest"} <= names


@pytest.mark.parametrize("path", [path for path, _ in COMMANDS], ids=" ".join)
def test_help_shows_no_type_after_a_flag(path):
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.output
    assert re.search(r"--help\s+Show this message", result.output)


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_square_brackets_in_help_texts_are_shown(path, command):
    texts = [command.help or ""] + [getattr(p, "help", None) or "" for p in command.params]
    wanted = {m for text in texts for m in re.findall(r"\S*\[[^\]\s]*\]\S*", text)}
    shown = _flat(runner.invoke(app, [*path, "--help"]).output)
    for token in wanted:  # as meant: an escaped bracket (\\[) is shown as [
        assert _flat(token.replace("\\[", "[")).strip('"') in shown, token


def test_the_dask_extra_is_shown_in_full():
    shown = _flat(runner.invoke(app, ["run", "--help"]).output)
    assert 'pip install "ccplan[dask]"' in shown
