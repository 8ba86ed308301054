"""Compare the built site with GitHub's rendering of the sources, question by question.

Run after `mkdocs build` to print the figures:  python tests/fidelity.py [site-dir]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import cmarkgfm
import yaml
from bs4 import BeautifulSoup

import structure

ROOT = Path(__file__).resolve().parent.parent
FORMULA_PICTURE = re.compile(r'imgs/([^/"\s)]+)\.(?:png|jpg)')


def formula_names() -> set[str]:
    """Stems of the pictures of formulas that the site writes as math."""
    return set(yaml.safe_load((ROOT / "imgs" / "formulas.yml").read_text(encoding="utf-8")))


def github_nodes(markdown: str) -> list:
    """GitHub's rendering of a source answer (cmarkgfm), as elements."""
    rendered = cmarkgfm.github_flavored_markdown_to_html(markdown, options=cmarkgfm.Options.CMARK_OPT_UNSAFE)
    return [n for n in BeautifulSoup(rendered, "html.parser").contents if getattr(n, "name", None)]


def answer_nodes(soup: BeautifulSoup, anchor: str) -> list:
    """The elements of one answer on the site: everything after its h2 up to the next h2,
    without the related-questions list the site adds."""
    heading = soup.find("h2", id=anchor)
    if heading is None:
        raise AssertionError(f"no heading with id {anchor!r}")
    nodes = []
    for sibling in heading.next_siblings:
        if getattr(sibling, "name", None) == "h2":
            break
        if getattr(sibling, "name", None) and "qa-related" not in (sibling.get("class") or []):
            nodes.append(sibling)
    return nodes


def topic_pages(site: Path) -> dict[str, BeautifulSoup]:
    """Every topic page of the built site by page id (content report and glossary left out)."""
    return {p.parent.name: BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")
            for p in sorted((site / "topics").glob("*/index.html"))
            if p.parent.name not in ("content-report", "glossary")}


def compare(site: Path, corpus) -> tuple[list[str], list[str], int]:
    """(text units missing from the site, structure mismatches, text units checked)."""
    pages = topic_pages(site)
    formulas = formula_names()
    lost, mismatches, checked = [], [], 0
    for page in corpus.pages:
        for question in page.questions:
            nodes = answer_nodes(pages[page.spec.id], question.anchor)
            reference = github_nodes(question.source_body)
            site_text = structure.plain_text(nodes)
            for unit in structure.text_units(reference):
                checked += 1
                if unit not in site_text:
                    lost.append(f"{question.location}: {unit[:50]}")
            expected = structure.shape_of(reference)
            pictures = sum(1 for name in FORMULA_PICTURE.findall(question.source_body) if name in formulas)
            expected = structure.Shape(**{**expected.__dict__, "images": expected.images - pictures})
            actual = structure.shape_of(nodes)
            if actual != expected:
                mismatches.append(f"{question.location}: GitHub {expected} site {actual}")
    return lost, mismatches, checked


def main(site: Path) -> int:
    sys.path.insert(0, str(ROOT / "hooks"))
    import qa_hooks

    corpus = qa_hooks.corpus_for(ROOT / "docs", ROOT / "imgs")
    lost, mismatches, checked = compare(site, corpus)
    print(f"questions in the sources:        {corpus.found}")
    print(f"questions on the site:           {len(corpus.questions)}")
    print(f"merged duplicates:               {sum(1 for c in corpus.changes if c.kind == 'duplicate')}")
    print(f"dropped as empty:                {sum(1 for c in corpus.changes if c.kind == 'empty')}")
    print(f"text units checked / lost:       {checked} / {len(lost)}")
    print(f"structure mismatches vs GitHub:  {len(mismatches)}")
    for line in lost + mismatches:
        print("  " + line)
    return 1 if lost or mismatches else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "site"))
