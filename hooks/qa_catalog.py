"""The catalog: which source file holds what, and which page each of its parts goes to."""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from qa_model import SourceError, line_of, load_yaml_lined, yaml_error_line

CATALOG_NAME = "catalog.yml"


@dataclass(frozen=True)
class PartRule:
    """Send a part whose title contains `match` to the page `page`; with `split_from`, its questions
    from the first one whose title contains that text on go to the page `split_page` instead."""

    match: str
    page: str
    split_from: str = ""
    split_page: str = ""


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

    def rule_for_part(self, source: str, part_title: str) -> PartRule | None:
        """The first rule of a source file that matches one of its parts."""
        spec = next((s for s in self.sources if s.file == source), None)
        if spec is None:
            return None
        return next((r for r in spec.parts if r.match in part_title), None)


def require(mapping: dict, key: str, where: str, kind: type):
    """Read a required catalog key, naming the place and its line when it is missing or of the wrong kind."""
    value = mapping.get(key) if isinstance(mapping, dict) else None
    if not isinstance(value, kind):
        raise SourceError(CATALOG_NAME, line_of(value, line_of(mapping)), f"{where}: '{key}' must be a {kind.__name__}")
    return value


def parse_rule(rule: dict, where: str) -> PartRule:
    """One entry of a source's `parts`, with its optional `split: {from: ..., page: ...}`."""
    split = rule.get("split") if isinstance(rule, dict) else None
    if split is not None:
        split_where = f"{where}: split"
        split_from = require(split, "from", split_where, str)
        split_page = require(split, "page", split_where, str)
        if not split_from:
            raise SourceError(CATALOG_NAME, line_of(split), f"{split_where}: 'from' must not be empty")
    else:
        split_from = split_page = ""
    return PartRule(require(rule, "match", where, str), require(rule, "page", where, str), split_from, split_page)


def parse_catalog(text: str) -> Catalog:
    """Parse catalog.yml, refusing entries that lack a file, page or title."""
    try:
        data = load_yaml_lined(text) or {}
    except yaml.YAMLError as error:
        line = yaml_error_line(error)
        raise SourceError(CATALOG_NAME, line, f"not valid YAML: {error}") from None
    sources = []
    for index, entry in enumerate(require(data, "sources", "top level", list)):
        where = f"sources[{index}]"
        rules = tuple(parse_rule(rule, where) for rule in require(entry, "parts", where, list))
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
