"""Data files read against a declared shape: every refusal names the file and the line at fault.

A shape is written with plain Python values:
  TEXT                text that is not empty (a number is read as text)
  OPTIONAL_TEXT       text, possibly empty
  [shape]             a list whose entries have that shape
  {"key": shape, "key?": shape}   a mapping with exactly these fields ("?" marks optional ones)
  {ANY: shape}        a mapping from any name to values of that shape
"""

from __future__ import annotations

import yaml

from qa_model import LinedDict, LinedList, SourceError, yaml_error_line

TEXT = "text"
OPTIONAL_TEXT = "optional text"
ANY = "any name"
NULL_TAG = "tag:yaml.org,2002:null"

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_data(data: bytes | str, name: str, shape):
    """Parse a YAML data file and check it against its shape; an empty file is an empty value."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        root = yaml.compose(text, Loader=_LOADER)
    except UnicodeDecodeError as error:
        raise SourceError(name, 1, f"not UTF-8 text: {error}") from None
    except yaml.YAMLError as error:
        raise SourceError(name, yaml_error_line(error), f"not valid YAML: {error}") from None
    if root is None:
        return [] if isinstance(shape, list) else {}
    return _read(root, shape, name, "")


def _line(node) -> int:
    return node.start_mark.line + 1


def _kind(shape) -> str:
    if isinstance(shape, list):
        return "a list"
    if isinstance(shape, dict):
        return "a mapping of fields"
    return "text"


def _read(node, shape, name: str, where: str):
    place = where or "the file"
    if isinstance(shape, list):
        if not isinstance(node, yaml.SequenceNode):
            raise SourceError(name, _line(node), f"{place} must be {_kind(shape)}")
        items = LinedList(_read(item, shape[0], name, f"{where}[{index}]") for index, item in enumerate(node.value, 1))
        items.line = _line(node)
        return items
    if isinstance(shape, dict):
        if not isinstance(node, yaml.MappingNode):
            raise SourceError(name, _line(node), f"{place} must be {_kind(shape)}")
        return _read_mapping(node, shape, name, where)
    if not isinstance(node, yaml.ScalarNode):
        raise SourceError(name, _line(node), f"{place} must be text, not {_kind([]) if isinstance(node, yaml.SequenceNode) else _kind({})}")
    text = "" if node.tag == NULL_TAG else node.value
    if shape == TEXT and not text.strip():
        raise SourceError(name, _line(node), f"{place} must not be empty")
    return text


def _read_mapping(node, shape: dict, name: str, where: str) -> dict:
    values = LinedDict()
    values.line = _line(node)
    prefix = f"{where}." if where else ""
    if ANY in shape:
        for key_node, value_node in node.value:
            values[str(key_node.value)] = _read(value_node, shape[ANY], name, f"{prefix}{key_node.value}")
        return values
    fields = {key.rstrip("?"): (value, key.endswith("?")) for key, value in shape.items()}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        if key not in fields:
            raise SourceError(name, _line(key_node), f"{prefix}{key}: unknown field; expected one of: "
                              + ", ".join(fields))
        if key in values:
            raise SourceError(name, _line(key_node), f"{prefix}{key}: given twice")
        field_shape, optional = fields[key]
        if optional and value_node.tag == NULL_TAG:
            continue
        values[key] = _read(value_node, field_shape, name, f"{prefix}{key}")
    missing = [key for key, (_, optional) in fields.items() if not optional and key not in values]
    if missing:
        raise SourceError(name, _line(node), f"{where or 'the file'} lacks {', '.join(missing)}")
    return values
