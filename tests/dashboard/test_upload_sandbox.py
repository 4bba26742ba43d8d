"""Uploads stay in their folder (AppTest): docs/dashboard.md, "Uploading a scenario file".

An uploaded file is loaded confined to the session's upload folder, whatever it says: with
``allow_outside_folder: true`` it still cannot extend a file elsewhere on the server or read
a volume file there, and the page's error never quotes such a file (the secret files below
hold a marker that must not reach the page). A 300-character name is kept under a short one;
a 549-byte YAML alias bomb is refused quickly with ccplan's own error.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import _cached, _state

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
REPO = Path(__file__).resolve().parents[2]
TIMEOUT_S = 60
MARKER = "TOP-SECRET-7f3a"
TINY = """\
name: tiny
interval: 1h
horizon: {start: 2026-03-02, days: 1}
hours: 24x7
channels:
  voice: {volume: {daily: 24, profile: flat}, aht: 4m, target: 80% in 20s}
"""


@pytest.fixture
def secrets(tmp_path: Path) -> dict[str, Path]:
    """Files elsewhere on the server that an upload names."""
    folder = tmp_path / "private"
    folder.mkdir()
    csv = folder / "secret.csv"
    csv.write_text(f"{MARKER},passphrase\nhunter2,{MARKER}\n", encoding="utf-8")
    yaml = folder / "base.yaml"
    yaml.write_text(TINY.replace("name: tiny", f"name: {MARKER}"), encoding="utf-8")
    return {"csv": csv, "yaml": yaml}


def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.run()
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="upload").set_value((name, data, "application/x-yaml")).run()
    assert not at.exception, at.exception
    return at


def page_text(at: AppTest) -> str:
    """Every error, warning, caption, markdown and table cell on the page."""
    parts = [e.value for e in (*at.error, *at.warning, *at.caption, *at.markdown)]
    parts += [df.value.to_csv() for df in at.dataframe]
    return "\n".join(map(str, parts))


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


@pytest.mark.parametrize("how", ["absolute", "dotdot"])
def test_upload_cannot_extend_a_file_outside_its_folder(secrets, how):
    at = app()
    target = (str(secrets["yaml"]) if how == "absolute"
              else os.path.relpath(secrets["yaml"], Path(_upload_folder(at))))
    upload(at, "extends.yaml", f"extends: {target}\nallow_outside_folder: true\n".encode())
    assert at.selectbox(key="picked_box").value == "uploaded: extends.yaml"
    [message] = errors(at)
    assert "extends" in message and "outside the file's folder" in message
    assert "allow_outside_folder does not apply" in message
    assert MARKER not in page_text(at)
    assert not at.dataframe                 # nothing computed from the outside file


def test_upload_cannot_read_a_volume_file_outside_and_never_quotes_it(secrets):
    at = app()
    text = TINY.replace("{daily: 24, profile: flat}", f"{{file: {secrets['csv']}}}")
    upload(at, "leak.yaml", (text + "allow_outside_folder: true\n").encode())
    assert at.selectbox(key="picked_box").value == "uploaded: leak.yaml"
    [message] = errors(at)
    assert "channels.voice.volume.file" in message and "outside the file's folder" in message
    for secret in (MARKER, "passphrase", "hunter2"):
        assert secret not in page_text(at)


def test_a_symlink_beside_an_upload_does_not_lead_out(secrets):
    # An upload cannot make a symlink, but the loader follows any it finds and refuses it.
    at = app()
    upload(at, "first.yaml", TINY.encode())
    os.symlink(secrets["csv"], Path(_upload_folder(at)) / "link.csv")
    upload(at, "link.yaml", TINY.replace("{daily: 24, profile: flat}", "{file: link.csv}")
           .encode())
    assert at.selectbox(key="picked_box").value == "uploaded: link.yaml"
    [message] = errors(at)
    assert "outside the file's folder" in message
    assert MARKER not in page_text(at)


def _upload_folder(at: AppTest) -> str:
    if "upload_dir" not in at.session_state:
        upload(at, "tiny.yaml", TINY.encode())
    return str(at.session_state["upload_dir"])


def test_an_upload_is_confined_and_the_bundled_examples_are_not(tmp_path):
    at = app()
    upload(at, "tiny.yaml", TINY.encode())
    saved = Path(at.session_state["uploads"]["tiny.yaml"])
    assert Path(_cached.confinement(saved)) == saved.parent.resolve()
    import scenarios

    for example in scenarios.example_files():
        assert _cached.confinement(example) is None
    # Any other file (not an example, not under ccplan dashboard PATH) is confined too.
    other = tmp_path / "other.yaml"
    other.write_text(TINY, encoding="utf-8")
    assert _cached.confinement(other) == str(tmp_path.resolve())


def test_a_300_character_upload_name_is_kept_under_a_short_name():
    at = app()
    name = "a" * 295 + ".yaml"
    upload(at, name, TINY.encode())
    assert not errors(at), errors(at)
    [(kept, path)] = at.session_state["uploads"].items()
    assert kept == "a" * _state.MAX_UPLOAD_STEM_BYTES + ".yaml"
    assert Path(path).read_text(encoding="utf-8") == TINY
    assert at.selectbox(key="picked_box").value == f"uploaded: {kept}"
    assert at.dataframe                      # the quick view ran on it


@pytest.mark.parametrize(("name", "kept"), [
    ("é" * 200 + ".yml", "é" * 50 + ".yml"),      # 2 bytes each in UTF-8: 100 bytes kept
    (".hidden.yaml", "hidden.yaml"),
    ("..", "upload.yaml"),
    ("notes.txt", "notes.txt.yaml"),
    ("C:\\Users\\me\\plan.YAML", "plan.YAML"),
])
def test_upload_names_are_cleaned_and_shortened(name, kept):
    assert _state.upload_file_name(name) == kept
    assert len(kept.encode("utf-8")) <= _state.MAX_UPLOAD_STEM_BYTES + 5


#: A "billion laughs" scenario file of 549 bytes: nine levels of nine aliases, 9**9 strings.
def alias_bomb() -> bytes:
    lines = ["horizon: {start: 2026-03-02, days: 1}",
             "channels: {voice: {volume: {daily: 1, profile: flat}, aht: 4m, "
             "target: 80% in 20s}}",
             "variants:",
             '  a: &a {x: ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]}']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"  {name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    text = "\n".join(lines) + "\n"
    text = "# a small file that expands to 387,420,489 strings" + " " * (
        549 - len(text) - 51) + "\n" + text
    return text.encode("utf-8")


#: Memory the child may take, bytes: a loader without a bound exhausts it instead of the machine.
CHILD_MEMORY_BYTES = 3 * 1024**3


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY_BYTES, CHILD_MEMORY_BYTES))


#: Run in a child process: a loader without a bound never returns, and the child is killed.
_BOMB_CHILD = textwrap.dedent("""
    import json, sys
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(sys.argv[1], default_timeout=60)
    at.run()
    data = open(sys.argv[2], "rb").read()
    at.file_uploader(key="upload").set_value(("bomb.yaml", data, "application/x-yaml")).run()
    print(json.dumps({"exception": [str(e.value) for e in at.exception],
                      "errors": [e.value for e in at.error],
                      "picked": at.selectbox(key="picked_box").value}))
""")


@pytest.mark.slow
def test_a_549_byte_alias_bomb_upload_is_refused_quickly(tmp_path):
    # Needs the loader's bound on the parsed document (alias expansion, depth, nodes), which
    # the YAML work of issue 14 adds in scenarios' loader; uploads go through that loader.
    data = alias_bomb()
    assert len(data) == 549 and len(data) < _state.MAX_UPLOAD_BYTES
    bomb = tmp_path / "bomb.yaml"
    bomb.write_bytes(data)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p))
    started = time.monotonic()
    child = subprocess.Popen([sys.executable, "-c", _BOMB_CHILD, APP, str(bomb)], cwd=REPO,
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, preexec_fn=_limit_memory)
    try:
        out, err = child.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        pytest.fail("the dashboard was still loading a 549-byte alias bomb after 90 s")
    elapsed = time.monotonic() - started
    assert child.returncode == 0, err[-2000:]
    shown = json.loads(out.strip().splitlines()[-1])
    assert not shown["exception"], shown
    assert shown["picked"] == "uploaded: bomb.yaml"
    [message] = shown["errors"]
    assert "bomb.yaml" in message and "alias" in message.lower(), message
    assert "lol" not in message
    assert elapsed < 60
