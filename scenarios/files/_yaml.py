"""The YAML toolkit of the files layer: bounded loading with positions, and messages that point.

Every YAML document ccplan reads (scenario files, rules files, the dashboard's
uploads) goes through :func:`load_yaml`: safe loading within
:data:`MAX_YAML_CHARS`, :data:`MAX_YAML_NODES` and :data:`MAX_YAML_DEPTH`,
with the 1-based line and column of every value and key (:class:`Positions`).
Sections of a document are pydantic models built on :class:`Section`
(unknown keys refused with a "did you mean"); :func:`schema_error` turns
pydantic's first error into one line naming the file, line, column, field
path, the value as written, the rule and an example of the fix.
:func:`fail_at` does the same for a rule checked in code.

Nothing here knows what a scenario or a shift is: the callers pass their
examples (field name -> what to write) and their rules by field.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from .._errors import InputFileError

Loc = tuple[str | int, ...]
"""A place in a document: the keys and list indexes from the top (``("templates", 0, "name")``)."""


@dataclass
class Positions:
    """Where each value (and each mapping key) of the document is: 1-based line and column.

    ``texts`` holds each value as written (a collection's whole source),
    ``kinds`` whether it is a ``"scalar"``, ``"sequence"`` or ``"mapping"``.
    """

    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    texts: dict[Loc, str] = field(default_factory=dict)
    kinds: dict[Loc, str] = field(default_factory=dict)


_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_STR_TAG = "tag:yaml.org,2002:str"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_NULL_TAG = "tag:yaml.org,2002:null"

#: Bounds on every YAML document ccplan reads (scenario and rules files, the dashboard's
#: uploads: all go through :func:`load_yaml`). They are checked while the document is
#: composed, before any value is built, and a file is refused as soon as it passes one: an
#: alias bomb ("billion laughs": a few hundred bytes whose aliases expand to billions of
#: values) in about 2 ms of CPU, a recursive alias and collections nested thousands deep at
#: once, 500,000 characters of small values within about 2 s.
MAX_YAML_CHARS = 500_000
#: Values in the document once every alias (``*name``) is expanded, keys included.
MAX_YAML_NODES = 50_000
#: Collections (mappings and lists) nested inside one another.
MAX_YAML_DEPTH = 50


class _YamlRefusedError(Exception):
    """The document breaks a bound or uses a feature ccplan does not read."""

    def __init__(self, message: str, mark: Any, loc: Loc):
        super().__init__(message)
        self.message, self.mark, self.loc = message, mark, loc


class _BoundedLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses explicit tags and documents beyond the bounds.

    Each node's size (1 + the sizes of its children, an alias counting as the
    whole collection it names) is known as soon as the node is composed, so
    an alias bomb is refused at the first level whose expansion passes
    :data:`MAX_YAML_NODES`, without expanding anything.
    """

    def __init__(self, stream: str):
        super().__init__(stream)
        self._sizes: dict[int, int] = {}
        self._total = 0  # values so far, aliases expanded: refused as soon as it passes
        self._open_anchors: list[str | None] = []
        self._loc: list[str | int] = []

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        step: list[str | int] = []
        if isinstance(index, yaml.ScalarNode):
            step = [str(index.value)]
        elif isinstance(index, int) and not isinstance(index, bool):
            step = [index]
        self._loc.extend(step)
        try:
            return self._compose_bounded(parent, index)
        finally:
            del self._loc[len(self._loc) - len(step):]

    def _compose_bounded(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        loc: Loc = tuple(self._loc)
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            if event.anchor in self._open_anchors:
                raise _YamlRefusedError(
                    f"the alias *{event.anchor} is inside the collection &{event.anchor} "
                    "names (a recursive alias), which has no end. Write the values out "
                    "instead.", event.start_mark, loc)
            node = super().compose_node(parent, index)
            self._total += self._sizes.get(id(node), 1)
            self._count(self._total, event.start_mark, ())
            return node
        event = self.peek_event()
        tag = getattr(event, "tag", None)
        if tag is not None:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            value = getattr(event, "value", None)
            got = f" {shown} {value!r}" if isinstance(value, str) else f" {shown}"
            raise _YamlRefusedError(
                f"has the explicit YAML tag {shown}, which ccplan does not read (got{got}). "
                "Remove the tag: write numbers and true/false plainly (2600, true) and text "
                "in quotes if it could be read as something else (\"007\").",
                event.start_mark, loc)
        collection = isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent)
        if collection and len(self._open_anchors) >= MAX_YAML_DEPTH:
            raise _YamlRefusedError(
                f"nests lists and mappings more than {MAX_YAML_DEPTH} deep. ccplan refuses "
                "documents nested deeper (a scenario needs fewer than 10 levels); check the "
                "brackets and the indentation.", event.start_mark, loc)
        self._total += 1
        self._count(self._total, event.start_mark, ())
        self._open_anchors.append(event.anchor)
        try:
            node = super().compose_node(parent, index)
        finally:
            self._open_anchors.pop()
        size = 1
        if isinstance(node, yaml.SequenceNode):
            size += sum(self._sizes.get(id(item), 1) for item in node.value)
        elif isinstance(node, yaml.MappingNode):
            size += sum(self._sizes.get(id(k), 1) + self._sizes.get(id(v), 1)
                        for k, v in node.value)
        self._sizes[id(node)] = size
        self._count(size, node.start_mark, loc)
        return node

    def _count(self, size: int, mark: Any, loc: Loc) -> None:
        if size > MAX_YAML_NODES:
            raise _YamlRefusedError(
                f"holds more than {MAX_YAML_NODES:,} values once its aliases (*name) are "
                "expanded, the most ccplan reads from one file. Write the values out instead "
                "of repeating aliases, or split the file (an alias that expands without end "
                "would exhaust memory).", mark, loc)


def _flow_key_has_value(key_node: yaml.Node, source: str) -> bool:
    """Whether a key in a flow mapping (``{...}``) is followed by ``:``."""
    rest = source[key_node.end_mark.index:key_node.end_mark.index + 200].lstrip()
    return rest.startswith(":")


def _stray_key(node: yaml.MappingNode, k: int, loc: Loc, source: str) -> _YamlRefusedError:
    """The error for the k-th key of a flow mapping written without ``: value``.

    ``{Tue-Thu: 2,600}`` is read by YAML as ``Tue-Thu: 2`` and a stray key
    ``600``: a number followed by keys of three digits, each directly after a
    comma, is a number written with thousands separators.
    """
    key_node = node.value[k][0]
    key = str(key_node.value)
    if k > 0:
        prev_key, prev_value = node.value[k - 1]
        digits = [str(prev_value.value)]
        j = k
        while (j < len(node.value) and isinstance(node.value[j][0], yaml.ScalarNode)
               and re.fullmatch(r"\d{3}(\.\d+)?", str(node.value[j][0].value))
               and source[node.value[j - 1][1].end_mark.index:
                          node.value[j][0].start_mark.index] == ","
               and not _flow_key_has_value(node.value[j][0], source)):
            digits.append(str(node.value[j][0].value))
            j += 1
        number_before = (isinstance(prev_value, yaml.ScalarNode) and prev_value.tag == _INT_TAG
                         and prev_value.style is None
                         and re.fullmatch(r"[+-]?\d{1,3}", str(prev_value.value)))
        if len(digits) > 1 and number_before:
            written, meant = ",".join(digits), "".join(digits)
            field_loc = (*loc, str(prev_key.value))
            return _YamlRefusedError(
                f"{path_text(field_loc)} is written {written}: YAML reads the comma as the "
                f"end of the value, giving {digits[0]} and a stray key {digits[1]}. Write "
                f"{meant}, without the comma.", prev_value.start_mark, ())
    return _YamlRefusedError(
        f"{path_text(loc) or 'the top level'} has a key {key!r} with no value (no ':' after "
        f"it); YAML would read it as an empty key and drop it. Write {key}: <value>, or remove "
        "it (a comma inside a number is read as the end of the value).",
        key_node.start_mark, ())


def _check_list_separators(node: yaml.SequenceNode, loc: Loc, source: str) -> None:
    """``[1,200, 1,500]`` is YAML for [1, 200, 1, 500]: in a list whose items are otherwise
    separated by ", ", a three-digit number right after a comma is a thousands separator."""
    items = node.value
    gaps = [source[a.end_mark.index:b.start_mark.index]
            for a, b in zip(items[:-1], items[1:], strict=True)]
    if not any(gap.strip() == "," and gap != "," for gap in gaps):
        return  # [240,270,300]: no spaces anywhere, read as written
    for k, gap in enumerate(gaps):
        a, b = items[k], items[k + 1]
        if (gap == "," and all(isinstance(x, yaml.ScalarNode) and x.style is None
                               and x.tag == _INT_TAG for x in (a, b))
                and re.fullmatch(r"[-+]?\d{1,3}", a.value) and re.fullmatch(r"\d{3}", b.value)):
            raise _YamlRefusedError(
                f"{path_text((*loc, k))} is written {a.value},{b.value}: YAML reads the comma "
                f"as the end of the item, giving {a.value} and {b.value}. Write "
                f"{a.value}{b.value}, without the comma.", a.start_mark, ())


def _walk(node: yaml.Node, loc: Loc, pos: Positions, source: str) -> None:
    mark = node.start_mark
    pos.values[loc] = (mark.line + 1, mark.column + 1)
    if isinstance(node, yaml.ScalarNode):
        # YAML 1.1 reads 7:00 as the base-60 number 420: keep clock-like scalars as text.
        if node.tag in (_INT_TAG, _FLOAT_TAG) and ":" in node.value:
            node.tag = _STR_TAG
        # Dates stay text too: the schema parses them, so a bad one is named with its field.
        if node.tag == _TIMESTAMP_TAG:
            node.tag = _STR_TAG
        if (node.tag == _INT_TAG and node.style is None
                and re.fullmatch(r"[-+]?0[0-7_]+", node.value)):
            digits = node.value.replace("_", "").lstrip("+-")
            raise _YamlRefusedError(
                f"{path_text(loc) or 'the value'} is written {node.value}: YAML reads a "
                f"whole number with a leading 0 as octal ({int(digits, 8)}), or a comma inside "
                "a number as the end of the value (1,050 is 1 and 050). Write the number "
                f"without the leading 0 ({int(digits, 10)}), without commas, or quote text.",
                mark, ())
        pos.texts[loc] = node.value
        pos.kinds[loc] = "scalar"
    elif isinstance(node, yaml.SequenceNode):
        pos.kinds[loc] = "sequence"
        pos.texts[loc] = source[mark.index:node.end_mark.index]
        if node.flow_style:
            _check_list_separators(node, loc, source)
        for i, item in enumerate(node.value):
            _walk(item, (*loc, i), pos, source)
    elif isinstance(node, yaml.MappingNode):
        pos.kinds[loc] = "mapping"
        seen: dict[str, tuple[int, int]] = {}
        for k, (key_node, value_node) in enumerate(node.value):
            if node.flow_style and not _flow_key_has_value(key_node, source):
                raise _stray_key(node, k, loc, source)
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _NULL_TAG:
                raise _YamlRefusedError(
                    f"{path_text(loc) or 'the top level'} has an empty key (null, ~ or a "
                    "list or mapping as a key). Keys are names such as Mon or voice; quote "
                    "a key that YAML would read as something else (\"null\").",
                    key_node.start_mark, ())
            key = str(key_node.value)
            where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in seen:
                raise _DuplicateKeyError(key, where, seen[key], loc)
            seen[key] = where
            pos.keys[(*loc, key)] = where
            _walk(value_node, (*loc, key), pos, source)


class _DuplicateKeyError(Exception):
    def __init__(self, key: str, where: tuple[int, int], first: tuple[int, int], loc: Loc):
        super().__init__(key)
        self.key, self.where, self.first, self.loc = key, where, first, loc


def path_text(loc: Loc) -> str:
    """A place as the messages write it: ``templates[1].breaks[0].window``."""
    out = ""
    for item in loc:
        out += f"[{item}]" if isinstance(item, int) else (f".{item}" if out else str(item))
    return out


def resolve(loc: Loc, pos: Positions) -> tuple[Loc, Loc]:
    """Split a schema location into the part found in the document and the rest.

    Schema-only steps are dropped: ``dates`` under a list written as
    ``holidays: [...]`` and anything below a scalar written for a mapping
    (``start: "07:00"``).
    """
    found: Loc = ()
    for k, item in enumerate(loc):
        kind = pos.kinds.get(found)
        if kind == "sequence" and isinstance(item, str):
            continue
        if kind == "scalar":
            return found, ()
        if (*found, item) in pos.values:
            found = (*found, item)
        else:
            return found, loc[k:]
    return found, ()


def value_text(loc: Loc, pos: Positions) -> str:
    """The value at ``loc`` as written in the file, on one line and cut at 60 characters."""
    text = pos.texts.get(loc, "")
    text = " ".join(text.split())
    if len(text) > 60:
        text = text[:57] + "..."
    return repr(text) if pos.kinds.get(loc) == "scalar" else text


def load_yaml(path: Path, source: str) -> tuple[Any, Positions]:
    """Load YAML safely, with the line and column of every value (errors name them).

    The document is bounded (:data:`MAX_YAML_CHARS`, :data:`MAX_YAML_NODES`
    after expanding aliases, :data:`MAX_YAML_DEPTH`); explicit tags (``!!int``,
    ``!!binary``, ``!custom``), null or collection keys and keys without a
    value in a flow mapping (``{Tue-Thu: 2,600}`` reads as ``Tue-Thu: 2`` and a
    key ``600``) are refused. Each refusal is an :class:`InputFileError` naming
    the file, line, column and field.
    """
    pos = Positions()
    if len(source) > MAX_YAML_CHARS:
        raise InputFileError(f"{path}: the file has {len(source):,} characters, more than the "
                             f"{MAX_YAML_CHARS:,} ccplan reads from one YAML file. Put volumes "
                             "in a CSV file (volume: {file: voice.csv}) or split the file.")
    try:
        loader = _BoundedLoader(source)
        try:
            node = loader.get_single_node()
            if node is not None:
                _walk(node, (), pos, source)
                data = loader.construct_document(node)
            else:
                data = None
        finally:
            loader.dispose()  # type: ignore[no-untyped-call]
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        what = " ".join(str(p) for p in (err.context, err.problem) if p)
        raise InputFileError(f"{where}: not valid YAML: {what}. Check the indentation and "
                             "quote values that contain ': ' or start with a special "
                             "character.") from None
    except yaml.YAMLError as err:
        raise InputFileError(f"{path}: not valid YAML: {err}.") from None
    except _YamlRefusedError as refused:
        mark = refused.mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        field_path = f"{path_text(refused.loc)} " if refused.loc else ""
        if len(field_path) > 80:
            field_path = field_path[:76] + "... "
        if not field_path and refused.message.startswith(("has ", "nests ", "holds ")):
            field_path = "the document "
        raise InputFileError(f"{where}: {field_path}{refused.message}") from None
    except _DuplicateKeyError as dup:
        raise InputFileError(
            f"{path}:{dup.where[0]}:{dup.where[1]}: {path_text((*dup.loc, dup.key))} is given "
            f"twice (first on line {dup.first[0]}). Keep one.") from None
    return data, pos


def short(text: Any, limit: int = 160) -> str:
    """``text`` for a message, cut in the middle when longer than ``limit`` characters."""
    text = str(text)
    if len(text) <= limit:
        return text
    half = (limit - 3) // 2
    return f"{text[:half]}...{text[-half:]}"


def file_problem(path: Path) -> str | None:
    """Why ``path`` is not a file ccplan can open (``None``: it is one).

    A name the system refuses (longer than 255 characters, a path longer
    than 4096) says so instead of raising ``OSError``.
    """
    try:
        return None if path.is_file() else "no such file"
    except OSError as err:
        return f"cannot be opened ({err.strerror or type(err).__name__})"


def read_file_bytes(path: Path, what: str) -> bytes:
    """The bytes of a file :func:`file_problem` accepted; an unreadable one is an error."""
    try:
        return path.read_bytes()
    except OSError as err:
        raise InputFileError(f"{short(path)}: cannot read the {what} file "
                             f"({err.strerror or type(err).__name__}). Check its "
                             "permissions.") from None


def load_yaml_mapping(path: Path, raw: bytes, *, what: str, empty_hint: str,
                      mapping_rule: str) -> tuple[dict[str, Any], Positions]:
    """A YAML file's bytes as a mapping with positions; errors say what the file must be.

    ``what`` names the file's kind ("rules", "scenario") in the UTF-8
    message, ``empty_hint`` follows "the file is empty.", ``mapping_rule``
    is the rule broken by a file that is not a mapping.
    """
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputFileError(f"{path}: not a UTF-8 text file. Save the {what} as UTF-8 "
                             "YAML.") from None
    data, pos = load_yaml(path, source)
    if data is None:
        raise InputFileError(f"{path}: the file is empty. {empty_hint}")
    if not isinstance(data, dict):
        raise InputFileError(f"{path}:1:1: {mapping_rule}; got a {type(data).__name__}.")
    return data, pos


def sub_positions(pos: Positions, prefix: Loc) -> Positions:
    """The positions below ``prefix``, with the prefix removed (a section read as a file)."""
    n = len(prefix)
    out = Positions()
    for attr in ("values", "keys", "texts", "kinds"):
        src, dst = getattr(pos, attr), getattr(out, attr)
        for loc, value in src.items():
            if loc[:n] == prefix:
                dst[loc[n:]] = value
    return out


# ---------------------------------------------------------------------------------------------
# Sections and schema errors
# ---------------------------------------------------------------------------------------------


class Section(BaseModel):
    """A section of a YAML document: frozen, no NaN or infinity, stripped text, known keys only.

    An unknown key is a pydantic error of type ``unknown_key`` whose message
    names the allowed keys and the closest one ("did you mean"), which
    :func:`schema_error` places on the key's line.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False,
                              str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in data:
                if key not in cls.model_fields:
                    allowed = ", ".join(cls.model_fields)
                    close = difflib.get_close_matches(str(key), list(cls.model_fields), n=1)
                    maybe = f" (did you mean {close[0]!r}?)" if close else ""
                    text = f"{str(key)!r} is not a known key{maybe}; allowed here: {allowed}"
                    raise PydanticCustomError("unknown_key", text.replace("{", "{{").replace(
                        "}", "}}"), {"key": str(key)})
        return data


#: The rule stated for each kind of pydantic error (the rest: pydantic's own words).
_TYPE_RULES = {
    "int_type": "must be a whole number", "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number", "float_parsing": "must be a number",
    "finite_number": "must be a finite number",
    "bool_type": "must be true or false", "bool_parsing": "must be true or false",
    "string_type": "must be text", "list_type": "must be a list, e.g. [a, b]",
    "tuple_type": "must be a list", "dict_type": "must be a mapping (key: value lines)",
    "model_type": "must be a mapping (key: value lines)",
    "model_attributes_type": "must be a mapping (key: value lines)",
    "date_type": "must be a date such as 2026-12-25",
    "date_parsing": "must be a date such as 2026-12-25",
    "date_from_datetime_parsing": "must be a date such as 2026-12-25",
    "date_from_datetime_inexact": "must be a date such as 2026-12-25 (no time of day)",
}

#: How pydantic names the branch of a union in an error's location (``daily: 3000`` or
#: ``daily: {Mon: 3000}``; a section's class, ``_HangUp``, for ``hang_up: {share: 4%}``): not a
#: field of the file.
_UNION_BRANCH = re.compile(r"^(constrained-\w+|str|int|float|bool|literal\[.*\]|"
                           r"(dict|list|tuple)\[.*\]|function-\w+\[.*\]|_[A-Z]\w*)$")


def field_loc(loc: Any) -> Loc:
    """A pydantic error's location as the file's keys: union branches (``function-before[...]``,
    ``_HangUp``) left out."""
    return tuple(x for x in loc if isinstance(x, str | int)
                 and not (isinstance(x, str) and _UNION_BRANCH.match(x)))


def _first_error(err: ValidationError, pos: Positions) -> Any:
    """The error to report: the first, or for a field that may take several forms, the error
    of the form the file wrote (a mapping's error for a mapping), without the branch's name."""
    errors = err.errors()
    detail = errors[0]
    loc = tuple(detail["loc"])
    branch = next((i for i, x in enumerate(loc) if isinstance(x, str)
                   and _UNION_BRANCH.match(x) and loc[:i + 1] not in pos.values), None)
    if branch is None:
        return detail
    found, rest = resolve(loc[:branch], pos)
    written = pos.kinds.get(found) if not rest else None
    want = {"mapping": ("dict[", "_"), "sequence": ("list[", "tuple[")}.get(str(written), ())

    def fits(tag: str) -> bool:
        return tag.startswith(want) if want else not tag.startswith(("dict[", "list[", "tuple[",
                                                                     "_"))

    same = [e for e in errors if tuple(e["loc"])[:branch] == loc[:branch]
            and len(e["loc"]) > branch and _UNION_BRANCH.match(str(e["loc"][branch]))]
    chosen: dict[str, Any] = dict(next((e for e in same if fits(str(e["loc"][branch]))),
                                       detail))
    chosen["loc"] = tuple(x for k, x in enumerate(chosen["loc"]) if k != branch)
    return chosen


def _separator_hint(text: str) -> str:
    """The fix for a number written with thousands separators (``2,600``, ``2 600``)."""
    if re.fullmatch(r"[+-]?\d{1,3}([, ]\d{3})+(\.\d+)?", text.strip()):
        meant = text.strip().replace(",", "").replace(" ", "")
        mark = "comma" if "," in text else "space"
        return f" Write {meant}, without the {mark}."
    return ""


def schema_error(path: Path, err: ValidationError, pos: Positions, *,
                 examples: Mapping[str, str],
                 field_rules: Mapping[tuple[str, str], str]) -> InputFileError:
    """pydantic's error about a document as one line naming the place, the value and the fix.

    Parameters
    ----------
    path : pathlib.Path
        The file, for the message.
    err : pydantic.ValidationError
        From validating the document (or a section of it, with ``pos`` from
        :func:`sub_positions`).
    pos : Positions
        Where the document's values are.
    examples : mapping of str to str
        What to write, by field name (or ``parent.field`` where a name means
        two things): appended to the message as the fix.
    field_rules : mapping of (str, str) to str
        The rule to state instead of pydantic's, by (error type, field name),
        e.g. ``("too_short", "templates")``.

    Returns
    -------
    InputFileError
        ``FILE:LINE:COL: FIELD RULE, got VALUE. E.g. EXAMPLE.``; an unknown
        key points at the key, a missing field at its parent.
    """
    detail = _first_error(err, pos)
    loc: Loc = tuple(x for x in detail["loc"] if isinstance(x, str | int))
    found, rest = resolve(loc, pos)
    kind = detail["type"]
    line, col = pos.values.get(found, (1, 1))
    field_name = next((x for x in reversed(found + rest) if isinstance(x, str)), "")
    names = [x for x in found + rest if isinstance(x, str)]
    if len(names) >= 2 and f"{names[-2]}.{field_name}" in examples:
        field_name_key = f"{names[-2]}.{field_name}"   # e.g. horizon.days vs a template's days
    else:
        field_name_key = field_name
    if kind == "unknown_key":
        key = detail["ctx"]["key"]
        line, col = pos.keys.get((*found, key), (line, col))
        where_in = path_text(found) or "the top level"
        return InputFileError(f"{path}:{line}:{col}: {where_in}: {detail['msg']}.")
    if kind == "missing" and loc and isinstance(loc[-1], int):
        kind = "too_short"  # a fixed-length list (window) with an item missing
        rest = tuple(x for x in rest if not isinstance(x, int))
    if kind == "missing":
        parent = path_text(found) or "the file"
        example = examples.get(field_name_key)
        fix = f" Add it, e.g. {example}." if example else " Add it."
        return InputFileError(f"{path}:{line}:{col}: {parent} has no {field_name!r}, which is "
                              f"required.{fix}")
    rule = _TYPE_RULES.get(kind) or str(detail["msg"])
    rule = rule.removeprefix("Value error, ").replace("Input should be", "must be")
    if (kind, field_name) in field_rules:
        rule = field_rules[(kind, field_name)]
    elif kind == "literal_error":
        rule = rule.replace("must be", "must be one of").replace(" or ", ", ")
    shown = path_text(found + rest)
    example = examples.get(field_name_key)
    fix = f" E.g. {example}." if example else ""
    if pos.kinds.get(found) == "scalar":
        fix = _separator_hint(pos.texts.get(found, "")) or fix
    return InputFileError(f"{path}:{line}:{col}: {shown} {rule}, got "
                          f"{value_text(found, pos)}.{fix}")


def fail_at(path: Path, pos: Positions, loc: Loc, message: str) -> InputFileError:
    """A rule broken at ``loc``: ``FILE:LINE:COL: FIELD MESSAGE`` (the line of the value)."""
    found, _ = resolve(loc, pos)
    line, col = pos.values.get(found, (1, 1))
    return InputFileError(f"{path}:{line}:{col}: {path_text(loc)} {message}")
