"""The question model shared by every build step; it knows nothing of MkDocs."""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

class LinedDict(dict):
    """A mapping read from a data file that remembers the 1-based line it starts on."""

    line = 1


class LinedList(list):
    """A list read from a data file that remembers the 1-based line it starts on."""

    line = 1


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


# Findings a maintainer must act on before publishing: the build logs them as WARNINGs, so
# `mkdocs build --strict` (and CI) fails until they are dealt with. Every other kind is handled by
# the build itself and goes to the content report.
FIGURE_MISSING = "figure-missing"
UNLISTED_SOURCE = "unlisted-source"
UNRECORDED = "unrecorded"
GLOSSARY_LEFT = "glossary-left"
# What readers would see as broken (a dead link or anchor, a missing file) MkDocs' own checks report.
WARNING_KINDS = frozenset({FIGURE_MISSING, UNLISTED_SOURCE, UNRECORDED, GLOSSARY_LEFT})


@dataclass(frozen=True)
class Change:
    """One thing the build fixed, merged or dropped, reported to maintainers."""

    kind: str
    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: [{self.kind}] {self.message}"

    @property
    def is_warning(self) -> bool:
        """Whether a maintainer must act before publishing."""
        return self.kind in WARNING_KINDS


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
    title: str = ""  # the file's own title, above its TOC
