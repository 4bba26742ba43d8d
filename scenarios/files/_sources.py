"""The files a scenario is made of: the file, the files it extends, the data files it names.

:func:`read_sources` reads a scenario file and, through ``extends``, its
bases (child first), keeping each file's positions so that an error about
the merged document names the file and line that wrote the value
(:func:`where`, :func:`fail_in`). Paths stay in the root file's folder tree
unless ``allow_outside_folder: true``; a confined file (the dashboard's
uploads) reads nothing outside its folder, whatever it says.
:func:`merge` and :func:`set_path` lay one mapping over another (variants,
sweep points, overrides) and :func:`sweep_values` lists a sweep field's
values; :func:`scenario_files` and :func:`example_files` find scenario files
in folders.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np
from pydantic import ValidationError

from .._errors import InputFileError, ScenarioError
from ._model import SCENARIO_EXAMPLES, ScenarioDocument
from ._shift_rules import RULES_FIELD_RULES
from ._yaml import (
    Loc,
    Positions,
    file_problem,
    load_yaml_mapping,
    path_text,
    read_file_bytes,
    resolve,
    schema_error,
    short,
    sub_positions,
)


@dataclass
class Source:
    """One file of a scenario: its path, positions, mapping and bytes (for the hash)."""

    path: Path
    pos: Positions
    data: dict[str, Any]
    raw: bytes


#: What the messages say when a confined file (``confine_to``) names a file outside its folder.
CONFINED = ("an uploaded (confined) file may only use files in its own folder, and "
            "allow_outside_folder does not apply to it. Put the data in the file itself, or "
            "open the folder that holds both with ccplan dashboard FOLDER or ccplan run")


def is_outside(target: Path, root: Path) -> bool:
    """Whether ``target`` (resolved: symlinks and ``..`` followed) lies outside ``root``."""
    return not target.is_relative_to(root)


def read_sources(path: Path, root: Path, allow_outside: bool, chain: list[Path], *,
                 sandbox: bool = False) -> list[Source]:
    """The file and the files it extends, child first.

    ``sandbox``: nothing outside ``root`` is read, whatever ``allow_outside_folder`` says.
    """
    problem = file_problem(path)
    if problem is not None:
        raise InputFileError(f"{short(path)}: {problem}. Give the path of a scenario YAML file "
                             "(see scenarios/examples/).")
    raw = read_file_bytes(path, "scenario")
    data, pos = load_yaml_mapping(
        path, raw, what="scenario",
        empty_hint="A scenario needs at least 'horizon' and 'channels', e.g. horizon: "
                   "{start: 2026-03-02, days: 7}.",
        mapping_rule="a scenario file must be a mapping of keys (name, horizon, channels, ...)")
    here = Source(path, pos, data, raw)
    _check_value_maps(here)
    parent = data.get("extends")
    if parent is None:
        return [here]
    line, col = pos.values.get(("extends",), (1, 1))
    if not isinstance(parent, str) or not parent.strip():
        raise InputFileError(f"{path}:{line}:{col}: extends must be the path of another "
                             f"scenario file, got {parent!r}. E.g. extends: base.yaml.")
    target = (path.parent / parent).resolve()
    if sandbox and is_outside(target, root):
        raise InputFileError(f"{path}:{line}:{col}: extends {parent!r} points outside the "
                             f"file's folder: {CONFINED}.")
    allow = allow_outside or bool(data.get("allow_outside_folder", False))
    if not allow and not target.is_relative_to(root):
        raise InputFileError(
            f"{path}:{line}:{col}: extends {short(parent)!r} points outside the scenario's "
            f"folder {root}. Move the base file into that folder tree, or set "
            "allow_outside_folder: true in the file to allow it.")
    problem = file_problem(target)
    if problem is not None:
        raise InputFileError(f"{path}:{line}:{col}: extends {short(parent)!r}: {problem} "
                             f"(looked for {short(target)}). Give the base file's path "
                             f"relative to {path.name}.")
    if target in chain:
        raise InputFileError(f"{path}:{line}:{col}: extends {parent!r} loops back to "
                             f"{target.name} ({' -> '.join(p.name for p in chain)}). Remove "
                             "one of the extends.")
    return [here, *read_sources(target, root, allow, [*chain, target], sandbox=sandbox)]


#: Mappings of values (numbers, or opening times) by key, and what a key set to null there
#: should say instead. The merge removes a null key (back to its default), which inside these
#: would silently leave a day, a time of day or a rate out: there a null is an error.
_VALUE_MAPS: tuple[tuple[Loc, str], ...] = (
    (("channels", "*", "volume", "daily"),
     "the day's contacts, 0 for a day without contacts: {key}: 0"),
    (("channels", "*", "volume", "profile"),
     "a weight, 0 for no contacts from that time on: \"{key}\": 0"),
    (("pay", "hourly_rates"), "a rate per paid hour, e.g. {key}: 20, or leave the key out"),
    (("hours",), "the hours or closed: {key}: \"08:00-20:00\" or {key}: closed"),
)


def _value_maps(data: Any, pattern: Loc, loc: Loc = ()) -> list[tuple[Loc, dict[Any, Any]]]:
    """The mappings of ``data`` at ``pattern`` (``"*"`` matches every key), with their paths."""
    if not pattern:
        return [(loc, data)] if isinstance(data, dict) else []
    if not isinstance(data, dict):
        return []
    head, rest = pattern[0], pattern[1:]
    keys = list(data) if head == "*" else [head] if head in data else []
    return [found for key in keys for found in _value_maps(data[key], rest, (*loc, str(key)))]


def _check_value_maps(src: Source) -> None:
    """A key set to null inside a mapping of values is an error (in the file and its variants)."""
    variants = src.data.get("variants")
    parts: list[tuple[Loc, Any]] = [((), src.data)]
    if isinstance(variants, dict):
        parts += [(("variants", str(v)), over) for v, over in variants.items()]
    for prefix, base in parts:
        for pattern, fix in _VALUE_MAPS:
            for loc, mapping in _value_maps(base, pattern, prefix):
                for key, value in mapping.items():
                    if value is None:
                        field_loc = (*loc, str(key))
                        line, col = src.pos.keys.get(field_loc, src.pos.values.get(loc, (1, 1)))
                        raise InputFileError(
                            f"{src.path}:{line}:{col}: {path_text(field_loc)} is empty (null), "
                            f"which would leave {key!r} out without a word. Give "
                            f"{fix.format(key=key)}.")


def merge(base: Any, over: Any, *, keep_null: bool = False) -> Any:
    """``over`` merged into ``base``: mappings key by key, anything else replaced.

    A key set to ``null`` in ``over`` is removed (back to its default), e.g.
    ``variants: null`` in a file that extends one with variants; with
    ``keep_null`` it is kept as null instead (a variant's nulls, merged over a
    base file's variant of the same name, are removed only when the variant is
    laid over the scenario).
    """
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            if value is None and not keep_null:
                out.pop(key, None)
            elif value is None:
                out[key] = None
            else:
                # A new mapping is merged into an empty one, so its nulls are removed too.
                out[key] = merge(base.get(key) or {}, value, keep_null=keep_null)
        return out
    return copy.deepcopy(over)


def where(sources: list[Source], loc: Loc) -> tuple[Source, Loc]:
    """The file (child first) where the deepest part of ``loc`` is written."""
    best, best_found = sources[0], cast(Loc, ())
    for src in sources:
        found, _rest = resolve(loc, src.pos)
        if len(found) > len(best_found):
            best, best_found = src, found
    return best, best_found


def fail_in(sources: list[Source], loc: Loc, message: str) -> InputFileError:
    """A rule broken at ``loc`` of the merged document, named in the file that wrote it."""
    src, found = where(sources, loc)
    line, col = src.pos.values.get(found, (1, 1))
    return InputFileError(f"{src.path}:{line}:{col}: {path_text(loc)} {message}")


def validate(sources: list[Source], data: dict[str, Any], prefix: Loc = ()) -> ScenarioDocument:
    """The merged mapping as a :class:`ScenarioDocument`; an error names the file that wrote it.

    ``prefix``: the place of the override that made ``data`` (``("variants",
    "busy")``), whose lines the error points at.
    """
    try:
        return ScenarioDocument.model_validate(data)
    except ValidationError as err:
        detail = err.errors()[0]
        loc = (*prefix, *(x for x in detail["loc"] if isinstance(x, str | int)))
        if prefix:
            # An override (a variant): point at the line of the variant that sets the field.
            vsrc, _ = where(sources, prefix)
            sub = sub_positions(vsrc.pos, prefix)
            found, _rest = resolve(loc[len(prefix):], sub)
            error = schema_error(vsrc.path, err, sub, examples=SCENARIO_EXAMPLES,
                                 field_rules=RULES_FIELD_RULES)
            if found:
                raise error from None
            line, col = vsrc.pos.values.get(prefix, (1, 1))
            raise InputFileError(
                f"{vsrc.path}:{line}:{col}: {path_text(prefix)}: the scenario it makes is not "
                f"valid: {str(error)}"
            ) from None
        src, _found = where(sources, loc)
        raise schema_error(src.path, err, src.pos, examples=SCENARIO_EXAMPLES,
                           field_rules=RULES_FIELD_RULES) from None


def file_in_tree(sources: list[Source], loc: Loc, value: str, allow: bool,
                 root: Path, sandbox: bool = False) -> Path:
    """The data file named at ``loc`` (relative to the file that names it), checked to exist.

    It must lie under ``root`` unless ``allow``; with ``sandbox`` always.
    """
    src, _ = where(sources, loc)
    target = (src.path.parent / value).resolve()
    if sandbox and is_outside(target, root):
        raise fail_in(sources, loc, f"{value!r} is outside the file's folder: {CONFINED}.")
    if not allow and not target.is_relative_to(root):
        raise fail_in(sources, loc, f"{short(value)!r} is outside the scenario's folder {root}. "
                      "Copy the file into that folder tree, or set allow_outside_folder: true.")
    problem = file_problem(target)
    if problem is not None:
        raise fail_in(sources, loc, f"{short(value)!r}: {problem} (looked for {short(target)})."
                      " Give a path relative to the scenario file that names it.")
    return target


def set_path(data: dict[str, Any], dotted: str, value: Any) -> dict[str, Any]:
    """``data`` with the field at a dotted path (``channels.voice.aht``) set to ``value``."""
    keys = dotted.split(".")
    over: dict[str, Any] = {}
    node = over
    for k in keys[:-1]:
        node[k] = {}
        node = node[k]
    node[keys[-1]] = value
    return merge(data, over)


def sweep_values(sources: list[Source], key: str, spec: Any) -> list[Any]:
    """The values of one sweep field: a list as written, or ``{from, to, step}`` expanded."""
    if isinstance(spec, list):
        if not spec:
            raise fail_in(sources, ("sweep", key), "lists no values. Give at least one, e.g. "
                          "[240, 270, 300], or {from: 240, to: 360, step: 30}.")
        return list(spec)
    ok = isinstance(spec, dict) and set(spec) == {"from", "to", "step"}
    lo = hi = step = 0.0
    if ok:
        try:
            lo, hi, step = (float(spec["from"]), float(spec["to"]), float(spec["step"]))
        except (TypeError, ValueError):
            ok = False
    if not ok or not step > 0 or not all(map(math.isfinite, (lo, hi, step))):
        raise fail_in(sources, ("sweep", key), "must be a list of values or {from: A, to: B, "
                      "step: S} with numbers and step > 0, e.g. {from: 240, to: 360, step: 30}.")
    if hi < lo:
        raise fail_in(sources, ("sweep", key), f"runs from {lo:g} down to {hi:g}; 'to' must not "
                      "be below 'from'.")
    n = int(math.floor((hi - lo) / step + 1e-9)) + 1
    if n > 1000:
        raise fail_in(sources, ("sweep", key), f"has {n} points; at most 1000 per field.")
    return [float(np.round(lo + k * step, 10)) for k in range(n)]


#: The bundled example scenarios (installed with the package).
EXAMPLES_DIR = Path(__file__).parent.parent / "examples"


def example_files() -> list[Path]:
    """The bundled example scenario files, by name (bases starting with ``_`` left out).

    Returns
    -------
    list of pathlib.Path
        ``scenarios/examples/*.yaml``.

    Examples
    --------
    >>> "retail_bank.yaml" in [p.name for p in example_files()]
    True
    """
    return sorted(p for p in EXAMPLES_DIR.glob("*.yaml") if not p.name.startswith("_"))


def scenario_files(paths: Sequence[Path]) -> list[Path]:
    """The scenario files named; a folder gives its ``*.yaml``/``*.yml`` files (not subfolders).

    Files whose name starts with ``_`` are partial bases (read through
    ``extends``) and are not run on their own. Subfolders hold data and
    other inputs (e.g. ``examples/schedule/``); name them to include them.

    Parameters
    ----------
    paths : sequence of pathlib.Path
        Scenario files and folders.

    Returns
    -------
    list of pathlib.Path
        The files, folders expanded in name order.

    Raises
    ------
    ScenarioError
        A path does not exist, or no scenario file was found.
    """
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            found = sorted([*p.glob("*.yaml"), *p.glob("*.yml")])
            out.extend(f for f in found if not f.name.startswith("_"))
        elif p.is_file():
            out.append(p)
        else:
            raise ScenarioError(f"{p}: no such file or folder. Give scenario YAML files or "
                                "folders that hold them.")
    if not out:
        raise ScenarioError(f"no scenario files (*.yaml) in {', '.join(map(str, paths))}.")
    return out
