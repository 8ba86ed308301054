"""The catalog: which source file holds what, and which page each of its parts goes to."""

from __future__ import annotations

from dataclasses import dataclass, field

from qa_model import SourceError
from qa_schema import OPTIONAL_TEXT, TEXT, parse_data

CATALOG_NAME = "catalog.yml"
# Pages the site makes itself under topics/: no source page may take their ids.
GLOSSARY_PAGE = "glossary"
STUDY_PAGES = ("practice", "review")
REPORT_PAGE_ID = "content-report"
DOWNLOADS_PAGE = "downloads"  # the files of each edition (qa_downloads)
SITE_PAGES = frozenset({GLOSSARY_PAGE, REPORT_PAGE_ID, DOWNLOADS_PAGE, *STUDY_PAGES})
REMOVED_PREFIX = "removed-"  # /topics/removed-<id>/: the notice of a question removed upstream


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
    upstream: str = ""  # the address of the upstream file this one is a copy of, where fixes belong


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


CATALOG_SHAPE = {
    "sources": [{"file": TEXT, "upstream?": TEXT, "parts": [{"match": OPTIONAL_TEXT, "page": TEXT, "split?": {"from": TEXT, "page": TEXT}}]}],
    "sections": [{"title": TEXT, "summary?": OPTIONAL_TEXT, "pages": [{"id": TEXT, "title": TEXT}]}],
}


def parse_catalog(text: str) -> Catalog:
    """Parse catalog.yml against its shape: every source has a file and parts, every page an id and title."""
    data = parse_data(text, CATALOG_NAME, CATALOG_SHAPE)
    sources = [SourceSpec(entry["file"], tuple(
        PartRule(rule["match"], rule["page"], rule.get("split", {}).get("from", ""), rule.get("split", {}).get("page", ""))
        for rule in entry["parts"]), entry.get("upstream", "")) for entry in data["sources"]]
    sections = []
    for entry in data["sections"]:
        section = SectionSpec(entry["title"], entry.get("summary", ""))
        section.pages = [PageSpec(page["id"], page["title"], entry["title"]) for page in entry["pages"]]
        for page in entry["pages"]:
            if page["id"] in SITE_PAGES or page["id"].startswith(REMOVED_PREFIX):
                raise SourceError(CATALOG_NAME, getattr(page, "line", 1), f"page id '{page['id']}' is one of "
                                  "the site's own pages; choose another")
        sections.append(section)
    return Catalog(sources, sections)
