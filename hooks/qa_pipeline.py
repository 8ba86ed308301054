"""Run read and normalize over every source file and place each question on its page."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import qa_markdown
import qa_sanitize
from qa_blocks import code_lines
from qa_catalog import REMOVED_PREFIX, SITE_PAGES, Catalog, PageSpec, PartRule, SectionSpec, SourceSpec
from qa_model import FIGURE_MISSING, UNLISTED_SOURCE, Change, Part, Question, SourceDocument, SourceError
from qa_normalize import (drop_empty, looks_truncated, merge_duplicates, normalize_document, report_truncated,
                          slugify)
from qa_read import read_source
from qa_record import Recorded, add_recorded_aliases, assign_ids, match_record

if TYPE_CHECKING:  # the link step and the editions come after this module in the pipeline
    from qa_i18n import Edition
    from qa_link import Links

# A figure under imgs/, in a subfolder or not; no '..' step leaves the folder.
IMAGE_PATH = re.compile(r"^(?:\./)?imgs/(?P<name>(?:(?!\.\.?/)[^/\\?#]+/)*[^/\\?#]+)$")


@dataclass
class Page:
    """A page of the site and what goes on it, in order."""

    spec: PageSpec
    parts: list[Part] = field(default_factory=list)

    @property
    def questions(self) -> list[Question]:
        return [q for part in self.parts for q in part.questions]

    @property
    def sources(self) -> list[str]:
        """The source files this page draws from, the main one first."""
        counts: dict[str, int] = {}
        for question in self.questions:
            counts[question.source] = counts.get(question.source, 0) + 1
        for part in self.parts:
            counts.setdefault(part.source, 0)
        return sorted(counts, key=lambda name: -counts[name])


@dataclass
class Corpus:
    """Everything the render step needs: pages in navigation order and what was changed."""

    sections: list[SectionSpec]
    pages: list[Page]
    changes: list[Change]
    found: int = 0
    links: Links | None = None  # set by the link step
    editions: dict[str, Edition] = field(default_factory=dict)  # by language code
    translated: tuple[int, int, int] = (0, 0, 0)  # English titles, answers, questions
    english_drawings: dict[str, bytes] = field(default_factory=dict)  # English copies of the SVG drawings
    traditional_drawings: dict[str, bytes] = field(default_factory=dict)  # 繁體 copies of the SVG drawings
    short_ids: dict[str, str] = field(default_factory=dict)  # stable id (and short link) by question anchor
    merged_ids: dict[str, str] = field(default_factory=dict)  # recorded id of a copy merged away -> kept anchor
    removed: dict[str, Recorded] = field(default_factory=dict)  # recorded id of a question gone upstream -> entry
    upstream: dict[str, str] = field(default_factory=dict)  # source file -> its upstream file's address
    truncated: set[str] = field(default_factory=set)  # anchors of answers that stop mid-sentence

    def page_of(self, question: Question) -> Page:
        """The page a question is on."""
        return next(page for page in self.pages if any(q is question for q in page.questions))

    @property
    def questions(self) -> list[Question]:
        return [q for page in self.pages for q in page.questions]


@dataclass
class Figures:
    """What the figure folder holds: drawings by file stem, and formulas (TeX) by picture stem."""

    drawings: dict[str, str]
    formulas: dict[str, str]
    sizes: dict[str, tuple[int, int]] = field(default_factory=dict)

    def stem(self, path: str) -> str | None:
        """The figure a source's image path refers to, by its path under imgs/ without the suffix
        ('./imgs/ch01/x.png' -> 'ch01/x'), or None if it is not under imgs/."""
        match = IMAGE_PATH.match(path.strip())
        return match.group("name").rsplit(".", 1)[0] if match else None


def assign_anchors(questions: list[Question], owners: dict[str, Question | None] | None = None) -> list[Change]:
    """Give each question a unique anchor from its title; later clashes get a numeric suffix. An
    anchor in `owners` (recorded ones) is only ever given to its owner (None: to nobody)."""
    owners = owners or {}
    used: set[str] = set()
    changes = []

    def free(anchor: str, question: Question) -> bool:
        return anchor not in used and (anchor not in owners or owners[anchor] is question)

    for question in questions:
        anchor = slugify(question.title)
        if not free(anchor, question):
            suffix = 2
            while not free(f"{anchor}-{suffix}", question):
                suffix += 1
            changes.append(Change("anchor", question.source, question.line,
                                  f"title '{question.title}' is used by another question; "
                                  f"anchor '{anchor}-{suffix}'"))
            anchor = f"{anchor}-{suffix}"
        used.add(anchor)
        question.anchor = anchor
    for question in questions:
        question.aliases = [a for a in dict.fromkeys(question.aliases) if free(a, question)]
        used.update(question.aliases)
    return changes


def replace_figures(body: str, figures: Figures, source: str, line: int, captions: dict[str, str] | None = None,
                    folder: str = "imgs", missing_text: str = "") -> tuple[str, list[str], list[Change]]:
    """Swap pictures of formulas for their TeX and pictures for this project's drawings (SVG
    drawings from `folder`: the English edition has its own copies); a figure without a drawing
    becomes a placeholder with its caption, and a warning names its line."""
    notes: list[str] = []
    missing = missing_figures(body, figures, source, line)

    def replace(match: re.Match) -> str:
        alt, path = match.group(1), match.group(2)
        stem = figures.stem(path)
        if stem is None:
            return match.group(0)
        title = html.unescape((match.group(3) or "").strip().strip('"'))
        caption = title or alt or (captions or {}).get(stem) or stem.rsplit("/", 1)[-1]
        alone = match.group(0) == line_text(match)
        if stem in figures.formulas:
            notes.append(f"formula picture '{path}' written as TeX")
            return "\n$$\n" + figures.formulas[stem].strip() + "\n$$\n"
        if stem not in figures.drawings:
            return placeholder_markdown(caption, missing_text, alone)
        name = figures.drawings[stem]
        if name != path.split("imgs/", 1)[-1]:
            notes.append(f"figure '{path}' drawn as '{name}'")
        path = f"{folder}/{name}" if name.endswith(".svg") else f"imgs/{name}"
        return figure_markdown(path, caption, figures.sizes.get(name), alone, alt)

    def line_text(match: re.Match) -> str:
        text = match.string
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        return text[start:end if end >= 0 else len(text)]

    body = qa_markdown.outside_code(body, lambda text: qa_markdown.MD_IMAGE.sub(replace, text))
    return body, notes, missing


def missing_figures(body: str, figures: Figures, source: str, line: int) -> list[Change]:
    """A warning for each figure of an answer that has neither a drawing nor a formula."""
    code = code_lines(body)
    found = []
    for offset, text in enumerate(body.split("\n")):
        if offset in code:
            continue
        for match in qa_markdown.MD_IMAGE.finditer(text):
            stem = figures.stem(match.group(2))
            if stem is not None and stem not in figures.formulas and stem not in figures.drawings:
                found.append(Change(FIGURE_MISSING, source, line + offset,
                                    f"figure '{match.group(2)}' has no drawing yet (draw imgs/{stem}.svg); "
                                    "shown as a placeholder"))
        for match in RAW_FIGURE.finditer(text):  # left as HTML: inside a line of text
            found.append(Change(FIGURE_MISSING, source, line + offset,
                                f"figure '{match.group(1)}' stands inside a line of text, where it cannot be "
                                "drawn; readers see a broken picture"))
    return found


# A raw <img> of a figure that was not turned into a Markdown image (one inside a line of text).
RAW_FIGURE = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["']?((?:\./)?imgs/[^"'\s>]+)""", re.IGNORECASE)


def placeholder_markdown(caption: str, missing_text: str, alone: bool) -> str:
    """Where a drawing is still to be made: its caption and a note, no image and no request."""
    note = f'<span class="qa-figure-placeholder">{html.escape(missing_text)}</span>'
    if not alone:
        return f"{note} {html.escape(caption)}"
    return (f'\n<figure class="qa-figure qa-figure-missing">\n<p>{note}</p>\n'
            f"<figcaption>{html.escape(caption)}</figcaption>\n</figure>\n")


def figure_markdown(path: str, caption: str, size: tuple[int, int] | None, alone: bool, alt: str = "") -> str:
    """A drawing as a captioned, lazily loaded figure; its width and height reserve its space."""
    attrs = ' loading="lazy"'
    if size:
        attrs += f' width="{size[0]}" height="{size[1]}"'
    image = f"![{alt or caption}]({path}){{{attrs} }}"
    if not alone:
        return image
    return (f'\n<figure class="qa-figure" markdown="span">\n{image}\n'
            f"<figcaption>{html.escape(caption)}</figcaption>\n</figure>\n")


def convert_body(body: str, source: str, line: int, figures: Figures, captions: dict[str, str] | None = None,
                 folder: str = "imgs", missing_text: str = "") -> tuple[str, list[Change]]:
    """Rewrite one answer's GitHub Markdown for Python-Markdown, reporting what changed."""
    notes = []
    body, unsafe = qa_sanitize.neutralize_source(body, source, line)
    body, count = qa_markdown.centered_images_to_markdown(body)
    if count:
        notes.append(f"{count} centered <img> became Markdown images")
    body, figure_notes, missing = replace_figures(body, figures, source, line, captions, folder, missing_text)
    unsafe += missing
    notes += figure_notes
    body, count = qa_markdown.tighten_inline_math(body)
    if count:
        notes.append(f"{count} inline formulas lost their inner spaces")
    body, count = qa_markdown.join_chinese_lines(body)
    if count:
        notes.append(f"{count} line breaks between Chinese characters joined")
    before = body
    body, blanks = qa_markdown.reindent_lists(body)
    if body != before:
        notes.append(f"lists re-indented for Python-Markdown ({blanks} blank lines added)")
    body, count = qa_markdown.demote_headings(body)
    if count:
        notes.append(f"{count} headings demoted below the question")
    return body, unsafe + ([Change("markdown", source, line, "; ".join(notes))] if notes else [])


def split_part(part: Part, rule: PartRule | None) -> tuple[list[tuple[Part, str | None]], list[Change]]:
    """A part and its page, or two pieces of it where its rule splits it at a question title."""
    if rule is None:
        return [(part, None)], []
    if not rule.split_from:
        return [(part, rule.page)], []
    at = next((i for i, q in enumerate(part.questions) if rule.split_from in q.title), None)
    if at is None:
        return [(part, rule.page)], [Change("catalog", part.source, part.line,
                                           f"no question of part '{part.title}' has '{rule.split_from}' in its "
                                           f"title; all of them stay on page '{rule.page}'")]
    rest = Part(part.source, part.questions[at].line, part.title, questions=part.questions[at:])
    part.questions = part.questions[:at]
    return [(part, rule.page), (rest, rule.split_page)], []


def place_parts(catalog: Catalog, parts: list[Part], other_section: str) -> tuple[list[Page], list[Change]]:
    """Put each part on its catalog page, in section order; a part with no rule gets its own page
    in a last section titled `other_section`."""
    pages = {p.id: Page(p) for s in catalog.sections for p in s.pages}
    changes = []
    extra = SectionSpec(other_section, "")
    placed: list[tuple[Part, str | None]] = []
    for part in parts:
        rule = catalog.rule_for_part(part.source, part.title)
        pieces, found = split_part(part, rule)
        placed += pieces
        changes += found
    for part, page_id in placed:
        if page_id is None or page_id not in pages:
            page_id = page_id or slugify(part.title or part.source.rsplit(".", 1)[0])
            changes.append(Change("catalog", part.source, part.line,
                                  f"part '{part.title}' is not placed by catalog.yml; "
                                  f"shown on its own page '{page_id}'"))
            if page_id not in pages:
                spec = PageSpec(page_id, part.title or page_id, extra.title)
                extra.pages.append(spec)
                pages[page_id] = Page(spec)
        pages[page_id].parts.append(part)
    if extra.pages:
        catalog.sections.append(extra)
    ordered = [pages[p.id] for s in catalog.sections for p in s.pages]
    kept = [page for page in ordered if page.questions or any(p.intro for p in page.parts)]
    for page in ordered:
        if page not in kept:
            changes.append(Change("empty", "catalog.yml", 1,
                                  f"page '{page.spec.id}' has no questions; left out of the site"))
    return kept, changes


def build_corpus(sources: dict[str, bytes], catalog: Catalog, figures: Figures, other_section: str,
                 missing_figure: str = "", recorded: Sequence[Recorded] = ()) -> Corpus:
    """Read, normalize and place every question of every source file; a file the catalog does not
    list gets a section of its own after the listed ones (and a warning with the lines to add)."""
    changes: list[Change] = []
    parts: list[Part] = []
    errors: list[SourceError] = []
    listed = [spec.file for spec in catalog.sources]
    for name in listed + sorted(set(sources) - set(listed)):
        if name not in sources:
            errors.append(SourceError("catalog.yml", 1, f"source file '{name}' is listed but missing"))
            continue
        try:
            doc, found = read_source(name, sources[name])
        except SourceError as error:
            errors.append(error)
            continue
        changes += found
        doc_parts, found = normalize_document(doc)
        changes += found
        if name not in listed:
            changes.append(catalog_unlisted(catalog, doc, doc_parts))
        parts += doc_parts
    if errors:
        raise SourceErrors(errors)
    found_count = sum(len(p.questions) for p in parts)
    parts, found = drop_empty(parts)
    changes += found
    kept, found = merge_duplicates([q for part in parts for q in part.questions])
    changes += found
    kept_ids = {id(q) for q in kept}
    for part in parts:
        part.questions = [q for q in part.questions if id(q) in kept_ids]
    parts = [p for p in parts if p.questions or p.intro.strip()]
    cut_off = [q for q in kept if looks_truncated(q)]
    changes += report_truncated(cut_off)
    truncated = {id(q) for q in cut_off}
    for part in parts:
        for question in part.questions:
            question.body, found = convert_body(question.body, question.source, question.body_line, figures,
                                                missing_text=missing_figure)
            changes += found
        if part.intro:
            part.intro, found = convert_body(part.intro, part.source, part.intro_line, figures,
                                             missing_text=missing_figure)
            changes += found
    pages, found = place_parts(catalog, parts, other_section)
    changes += found
    corpus = Corpus(catalog.sections, pages, changes, found_count)
    corpus.upstream = {spec.file: spec.upstream for spec in catalog.sources if spec.upstream}
    identity = match_record(list(recorded), corpus.questions)
    changes += identity.changes
    add_recorded_aliases(identity)
    # Anchors go first to recorded questions, then to the sources listed first, whatever page they
    # are on: a newcomer never takes an anchor that an existing (or removed) question's links use.
    new = {id(q) for q in identity.unrecorded}
    listed = {spec.file: position for position, spec in enumerate(catalog.sources)}
    changes += assign_anchors(sorted(corpus.questions, key=lambda q: (id(q) in new, listed.get(q.source, len(listed)),
                                                                       q.line)), identity.owners())
    corpus.short_ids, corpus.merged_ids, found = assign_ids(identity, list(recorded))
    changes += found
    corpus.removed = identity.removed
    corpus.truncated = {q.anchor for q in corpus.questions if id(q) in truncated}
    return corpus


def catalog_unlisted(catalog: Catalog, doc: SourceDocument, parts: list[Part]) -> Change:
    """Give a file the catalog does not list a section of its own, titled from its own headings,
    with a page per chapter; the warning names the catalog lines that would place it."""
    stem = re.sub(r"^\d+[_\-. ]+", "", doc.name.rsplit(".", 1)[0]) or doc.name  # upstream numbers its files
    taken = {page.id for section in catalog.sections for page in section.pages} | SITE_PAGES
    section = SectionSpec(doc.title or stem, "")
    rules = []
    for part in parts:
        title = part.title or doc.title or stem
        if any(rule.match == part.title for rule in rules):
            continue
        base = slugify(title) if slugify(title) != "q" else slugify(stem)
        if base.startswith(REMOVED_PREFIX):  # the notices for removed questions
            base = f"part-{base}"
        page_id, suffix = base, 2
        while page_id in taken:
            page_id, suffix = f"{base}-{suffix}", suffix + 1
        taken.add(page_id)
        rules.append(PartRule(part.title, page_id))
        section.pages.append(PageSpec(page_id, title, section.title))
    # A rule takes every part whose title contains its match: the longest matches are tried first.
    rules.sort(key=lambda rule: -len(rule.match))
    catalog.sources.append(SourceSpec(doc.name, tuple(rules)))
    catalog.sections.append(section)
    sources_line = json.dumps({"file": doc.name, "parts": [{"match": r.match, "page": r.page} for r in rules]},
                              ensure_ascii=False)
    sections_line = json.dumps({"title": section.title, "pages": [{"id": p.id, "title": p.title}
                                                                  for p in section.pages]}, ensure_ascii=False)
    return Change(UNLISTED_SOURCE, doc.name, 1,
                  f"not listed in catalog.yml; shown in a section of its own, '{section.title}'. To place it, add "
                  f"under sources: - {sources_line} and under sections: - {sections_line}")


class SourceErrors(Exception):
    """Several sources could not be read; each error names its file and line."""

    def __init__(self, errors: list[SourceError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors
