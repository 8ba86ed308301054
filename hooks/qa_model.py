"""The question model shared by every build step; it knows nothing of MkDocs."""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

# libyaml's parser, when PyYAML was built with it, reads the data files about ten times faster.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str):
    """Parse YAML like yaml.safe_load; raises yaml.YAMLError with the position of a mistake."""
    return yaml.load(text, Loader=_YAML_LOADER)


class LinedDict(dict):
    """A YAML mapping that remembers the 1-based line it starts on."""

    line = 1


class LinedList(list):
    """A YAML list that remembers the 1-based line it starts on."""

    line = 1


class _LinedLoader(yaml.SafeLoader):
    """SafeLoader whose mappings and lists carry their line, so errors can name it."""


def _lined_mapping(loader, node):
    value = LinedDict(loader.construct_mapping(node, deep=True))
    value.line = node.start_mark.line + 1
    return value


def _lined_sequence(loader, node):
    value = LinedList(loader.construct_sequence(node, deep=True))
    value.line = node.start_mark.line + 1
    return value


_LinedLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _lined_mapping)
_LinedLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _lined_sequence)


def load_yaml_lined(text: str):
    """Parse YAML like load_yaml; mappings and lists carry `.line` (where they start)."""
    return yaml.load(text, Loader=_LinedLoader)


def line_of(value, default: int = 1) -> int:
    """The line a YAML mapping or list starts on, if it knows it."""
    return getattr(value, "line", default)


def item_lines(text: str) -> list[int]:
    """The 1-based line where each item of a YAML file's top-level list starts (empty if none)."""
    try:
        node = yaml.compose(text, Loader=_YAML_LOADER)
    except yaml.YAMLError:
        return []
    if not isinstance(node, yaml.SequenceNode):
        return []
    return [item.start_mark.line + 1 for item in node.value]


def entry_line(text: str, index: int) -> int:
    """The 1-based line where the index-th item of a YAML file's top-level list starts (1 if unknown)."""
    lines = item_lines(text)
    return lines[index] if index < len(lines) else 1


def yaml_error_line(error: yaml.YAMLError) -> int:
    """The 1-based line a YAML error points at, or 1 when it names none."""
    return getattr(getattr(error, "problem_mark", None), "line", 0) + 1


class SourceError(Exception):
    """Input that cannot become a correct page; carries the file and line to blame."""

    def __init__(self, source: str, line: int, message: str):
        super().__init__(f"{source}:{line}: {message}")
        self.source = source
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Change:
    """One thing the build fixed, merged or dropped, reported to maintainers."""

    kind: str
    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: [{self.kind}] {self.message}"


@dataclass
class TocEntry:
    """One link of a source's own table of contents."""

    title: str
    target: str
    line: int
    is_part: bool
    part_title: str = ""
    raw: str = ""


@dataclass
class Question:
    """One question and its answer, as found in a source file."""

    source: str
    line: int
    number: str
    title: str
    body: str
    body_line: int
    part: str = ""
    heading_id: str = ""
    anchor: str = ""
    aliases: list[str] = field(default_factory=list)
    toc_entry: TocEntry | None = None
    merged_from: list[Question] = field(default_factory=list)
    source_body: str = ""

    def __post_init__(self) -> None:
        # The answer exactly as the source has it, before any rewrite: what tests compare against.
        self.source_body = self.source_body or self.body

    @property
    def location(self) -> str:
        return f"{self.source}:{self.line}"


@dataclass
class Part:
    """A part or chapter of a source file: a heading, optional intro text, its questions."""

    source: str
    line: int
    title: str
    intro: str = ""
    intro_line: int = 0
    heading_id: str = ""
    questions: list[Question] = field(default_factory=list)


@dataclass
class SourceDocument:
    """A parsed source file: its parts in the order its own TOC gives."""

    name: str
    parts: list[Part]
    toc: list[TocEntry]
