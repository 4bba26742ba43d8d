"""``load_scenarios(confine_to=FOLDER)``: a file the caller does not trust never leaves FOLDER.

The dashboard loads uploads this way. Whatever the file says (``allow_outside_folder: true``,
an absolute path, ``..``, a symlink planted beside it), no file outside the folder is read,
and no message quotes one: the secret files below hold a marker that must never appear in
an error, and the messages must not even say whether the outside file exists. Without
``confine_to`` the file's own rules apply as before (the CLI's trusted files).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import scenarios

MARKER = "TOP-SECRET-7f3a"
TINY = """\
horizon: {start: 2026-03-02, days: 1}
interval: 1h
hours: 24x7
channels:
  voice: {volume: VOLUME, aht: 4m, target: 80% in 20s}
"""


def scenario(volume: str = "{daily: 24, profile: flat}", extra: str = "") -> str:
    return TINY.replace("VOLUME", volume) + extra


@pytest.fixture
def layout(tmp_path: Path) -> dict[str, Path]:
    """An upload folder and, beside it, files the upload must not reach."""
    upload = tmp_path / "upload"
    outside = tmp_path / "private"
    upload.mkdir()
    outside.mkdir()
    secret_csv = outside / "secret.csv"
    secret_csv.write_text(f"{MARKER},passphrase\nhunter2,{MARKER}\n", encoding="utf-8")
    secret_yaml = outside / "base.yaml"
    secret_yaml.write_text(scenario() + f"description: {MARKER}\nname: {MARKER}\n",
                           encoding="utf-8")
    return {"upload": upload, "secret_csv": secret_csv, "secret_yaml": secret_yaml,
            "outside": outside}


def write(folder: Path, text: str, name: str = "up.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def confined_error(path: Path, folder: Path) -> str:
    with pytest.raises(scenarios.InputFileError) as err:
        scenarios.load_scenarios(path, confine_to=folder)
    message = str(err.value)
    assert MARKER not in message
    assert "passphrase" not in message and "hunter2" not in message
    assert "allow_outside_folder does not apply" in message
    return message


def test_the_secret_is_quoted_without_confinement(layout):
    # Why confinement matters: trusted loading follows allow_outside_folder, and the CSV
    # reader's message names the columns it found, i.e. the outside file's first line.
    path = write(layout["upload"], scenario(f"{{file: {layout['secret_csv']}}}",
                                            "allow_outside_folder: true\n"))
    scn = scenarios.load_scenarios(path, variants=False)[0]
    with pytest.raises(scenarios.InputFileError, match=MARKER):
        scenarios.run_scenario(scn)


@pytest.mark.parametrize("how", ["absolute", "dotdot"])
def test_extends_outside_is_refused_whatever_the_file_allows(layout, how):
    target = (str(layout["secret_yaml"]) if how == "absolute" else "../private/base.yaml")
    path = write(layout["upload"], f"extends: {target}\nallow_outside_folder: true\n")
    assert scenarios.load_scenarios(path)[0].name == MARKER       # trusted: the file's rule
    message = confined_error(path, layout["upload"])
    assert message.startswith(f"{path}:1:10: extends ")
    assert "points outside the file's folder" in message


@pytest.mark.parametrize("key", ["file", "history"])
@pytest.mark.parametrize("how", ["absolute", "dotdot", "missing"])
def test_volume_files_outside_are_refused_before_they_are_read(layout, key, how):
    target = {"absolute": str(layout["secret_csv"]), "dotdot": "../private/secret.csv",
              "missing": str(layout["outside"] / "nothing_here.csv")}[how]
    path = write(layout["upload"], scenario(f"{{{key}: {target}}}",
                                            "allow_outside_folder: true\n"))
    message = confined_error(path, layout["upload"])
    assert f"channels.voice.volume.{key} " in message and "is outside the file's folder" in message
    # An existing and a missing outside file get the same answer: nothing is learnt.
    assert "no such file" not in message


def test_a_variant_cannot_reach_outside_either(layout):
    write(layout["upload"], "interval_start,offered\n2026-03-02 00:00,1\n", "inside.csv")
    path = write(layout["upload"], scenario("{file: inside.csv}", (
        "allow_outside_folder: true\n"
        "variants:\n  leak: {channels: {voice: {volume: {file: "
        f"{layout['secret_csv']}}}}}}}}}\n")))
    assert len(scenarios.load_scenarios(path)) == 2                 # trusted: allowed
    message = confined_error(path, layout["upload"])
    assert "variants.leak" in message


@pytest.mark.parametrize("what", ["csv", "yaml"])
def test_symlinks_beside_the_file_are_followed_and_refused(layout, what):
    link = layout["upload"] / f"link.{what}"
    os.symlink(layout["secret_csv"] if what == "csv" else layout["secret_yaml"], link)
    text = (scenario("{file: link.csv}") if what == "csv" else "extends: link.yaml\n")
    path = write(layout["upload"], text)
    confined_error(path, layout["upload"])


def test_the_file_itself_must_lie_in_the_folder(layout):
    link = layout["upload"] / "up.yaml"
    os.symlink(layout["secret_yaml"], link)
    message = confined_error(link, layout["upload"])
    assert "lies outside the folder it is confined to" in message


def test_files_inside_the_folder_load_as_usual(layout):
    upload = layout["upload"]
    (upload / "sub").mkdir()
    (upload / "sub" / "voice.csv").write_text(
        "interval_start,offered\n" + "".join(f"2026-03-02 {h:02d}:00,{h}\n" for h in range(24)),
        encoding="utf-8")
    write(upload, scenario() + "name: base\n", "base.yaml")
    path = write(upload, "extends: ./sub/../base.yaml\nchannels:\n"
                 "  voice: {volume: {file: sub/voice.csv, daily: null, profile: null}}\n")
    scn = scenarios.load_scenarios(path, confine_to=upload)[0]
    assert scn.name == "base"
    result = scenarios.run_scenario(scn)
    assert result.totals["offered"].iloc[0] == pytest.approx(sum(range(24)))
