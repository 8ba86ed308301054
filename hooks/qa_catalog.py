"""The catalog: which source file holds what, and which page each of its parts goes to."""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from qa_model import SourceError, load_yaml

CATALOG_NAME = "catalog.yml"


@dataclass(frozen=True)
class PartRule:
    """Send a part whose title contains `match` to the page `page`."""

    match: str
    page: str


@dataclass(frozen=True)
class SourceSpec:
    """One source file and where its parts go."""

    file: str
    parts: tuple[PartRule, ...]


@dataclass
class PageSpec:
    """One page of the site: its id (URL), title and section."""

    id: str
    title: str
    section: str


@dataclass
class SectionSpec:
    """A navigation section: a title, a one-line summary and its pages."""

    title: str
    summary: str
    pages: list[PageSpec] = field(default_factory=list)


@dataclass
class Catalog:
    """Sources in priority order, and the site's sections."""

    sources: list[SourceSpec]
    sections: list[SectionSpec]

    def page(self, page_id: str) -> PageSpec | None:
        """The page with this id, if the catalog names it."""
        return next((p for s in self.sections for p in s.pages if p.id == page_id), None)

    def page_for_part(self, source: str, part_title: str) -> str | None:
        """The page id the first matching rule gives a part of a source file."""
        spec = next((s for s in self.sources if s.file == source), None)
        if spec is None:
            return None
        return next((r.page for r in spec.parts if r.match in part_title), None)


def require(mapping: dict, key: str, where: str, kind: type):
    """Read a required catalog key, naming the place when it is missing or of the wrong kind."""
    value = mapping.get(key) if isinstance(mapping, dict) else None
    if not isinstance(value, kind):
        raise SourceError(CATALOG_NAME, 1, f"{where}: '{key}' must be a {kind.__name__}")
    return value


def parse_catalog(text: str) -> Catalog:
    """Parse catalog.yml, refusing entries that lack a file, page or title."""
    try:
        data = load_yaml(text) or {}
    except yaml.YAMLError as error:
        line = getattr(getattr(error, "problem_mark", None), "line", 0) + 1
        raise SourceError(CATALOG_NAME, line, f"not valid YAML: {error}") from None
    sources = []
    for index, entry in enumerate(require(data, "sources", "top level", list)):
        where = f"sources[{index}]"
        rules = tuple(PartRule(str(require(rule, "match", where, str)), str(require(rule, "page", where, str)))
                      for rule in require(entry, "parts", where, list))
        sources.append(SourceSpec(require(entry, "file", where, str), rules))
    sections = []
    for index, entry in enumerate(require(data, "sections", "top level", list)):
        where = f"sections[{index}]"
        title = require(entry, "title", where, str)
        section = SectionSpec(title, str(entry.get("summary", "")))
        for page in require(entry, "pages", where, list):
            section.pages.append(PageSpec(require(page, "id", where, str), require(page, "title", where, str), title))
        sections.append(section)
    return Catalog(sources, sections)
