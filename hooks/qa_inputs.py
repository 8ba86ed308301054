"""Step 1, read: the bytes of every input, and the corpus built from them (steps 1 to 3)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path

import qa_i18n
from qa_catalog import CATALOG_NAME, parse_catalog
from qa_figures import english_drawings, traditional_drawings
from qa_link import GLOSSARY_NAME, check_defining_questions, link_questions, parse_glossary
from qa_model import Change
from qa_pipeline import Corpus, Figures, build_corpus, convert_body
from qa_schema import ANY, TEXT, parse_data
from qa_record import RECORD_NAME, parse_record

SOURCES_DIR = "sources"
DATA_DIR = "data"
ENGLISH_DIR = "en"
FIGURES_DIR = "imgs"
FORMULAS_FILE = "formulas.yml"
FIGURE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".webp")
ENGLISH_FIGURES = f"{FIGURES_DIR}/en"  # where the English copies of the drawings are served
TRADITIONAL_FIGURES = f"{FIGURES_DIR}/zh-TW"  # and the 繁體 ones
FORMULAS_SHAPE = {ANY: TEXT}


@dataclass(frozen=True)
class Inputs:
    """The raw bytes of everything the corpus is built from."""

    sources: dict[str, bytes]
    catalog: bytes
    glossary: bytes
    formulas: bytes
    drawings: dict[str, bytes]
    english: dict[str, bytes]
    phrases: bytes
    strings: bytes
    record: bytes

    @property
    def digest(self) -> str:
        """A key that changes whenever any input byte does."""
        digest = hashlib.sha256()
        for group in (self.sources, self.english, self.drawings):
            for name, data in sorted(group.items()):
                digest.update(name.encode() + b"\0" + data + b"\0")
        for data in (self.catalog, self.glossary, self.formulas, self.phrases, self.strings, self.record):
            digest.update(data + b"\0")
        return digest.hexdigest()


def read_inputs(docs_dir: Path, figures_dir: Path) -> Inputs:
    """Sources, catalog, glossary, formulas, drawings, the English edition's files, phrase table and strings."""
    sources_dir = docs_dir / SOURCES_DIR
    english_dir = docs_dir / DATA_DIR / ENGLISH_DIR
    formulas_path = figures_dir / FORMULAS_FILE
    record = docs_dir / DATA_DIR / RECORD_NAME
    return Inputs(
        sources={p.name: p.read_bytes() for p in sorted(sources_dir.glob("*.md"))},
        catalog=(sources_dir / CATALOG_NAME).read_bytes(),
        glossary=(docs_dir / DATA_DIR / GLOSSARY_NAME).read_bytes(),
        formulas=formulas_path.read_bytes() if formulas_path.exists() else b"",
        drawings=read_drawings(figures_dir),
        english={p.name: p.read_bytes() for p in sorted(english_dir.glob("*.yml"))} if english_dir.is_dir() else {},
        phrases=qa_i18n.phrases_bytes(),
        strings=(docs_dir / DATA_DIR / qa_i18n.STRINGS_NAME).read_bytes(),
        record=record.read_bytes() if record.exists() else b"",
    )


def read_drawings(figures_dir: Path) -> dict[str, bytes]:
    """Every drawing under the figures folder, by its path there ('ch01/x.svg'): a source's
    './imgs/ch01/x.png' is drawn as imgs/ch01/x.svg, and two folders' x.png never collide."""
    if not figures_dir.is_dir():
        return {}
    return {path.relative_to(figures_dir).as_posix(): path.read_bytes() for path in sorted(figures_dir.rglob("*"))
            if path.is_file() and path.suffix.lower() in FIGURE_SUFFIXES}


SVG_SIZE = re.compile(rb'<svg\b[^>]*?\bwidth="(\d+)(?:px)?"[^>]*?\bheight="(\d+)(?:px)?"', re.S)


def svg_sizes(drawings: dict[str, bytes]) -> dict[str, tuple[int, int]]:
    """Width and height of each SVG drawing, so the page reserves its space before it loads."""
    sizes = {}
    for name, data in drawings.items():
        if name.endswith(".svg"):
            match = SVG_SIZE.search(data[:4096])
            if match:
                sizes[name] = (int(match.group(1)), int(match.group(2)))
    return sizes


def load_figures(formulas: bytes, drawings: dict[str, bytes]) -> Figures:
    """Drawings by stem (SVG preferred) and TeX formulas by picture stem."""
    by_stem: dict[str, str] = {}
    for name in sorted(drawings, key=lambda n: (not n.endswith(".svg"), n)):
        by_stem.setdefault(name.rsplit(".", 1)[0], name)
    tex = parse_data(formulas, f"{FIGURES_DIR}/{FORMULAS_FILE}", FORMULAS_SHAPE)
    figures = Figures(by_stem, dict(tex))
    figures.sizes = svg_sizes(drawings)
    return figures


def build_site_corpus(inputs: Inputs) -> Corpus:
    """Read, normalize and link the sources, with the three editions; raises SourceError(s)."""
    figures = load_figures(inputs.formulas, inputs.drawings)
    strings = qa_i18n.chinese_strings(inputs.strings)
    corpus = build_corpus(inputs.sources, parse_catalog(inputs.catalog.decode("utf-8")), figures,
                          strings["other_section"], strings["figure_missing"], parse_record(inputs.record))
    page_of = {q.anchor: page.spec.id for page in corpus.pages for q in page.questions}
    # Glossary entries and translations name a question by the anchor it had when they were written.
    anchor_now = {alias: q.anchor for q in corpus.questions for alias in q.aliases} | {q.anchor: q.anchor
                                                                                      for q in corpus.questions}
    glossary = [replace(term, question=anchor_now.get(term.question, term.question))
                for term in parse_glossary(inputs.glossary.decode("utf-8"))]
    corpus.links = link_questions(corpus.questions, page_of, glossary)
    corpus.changes += check_defining_questions(corpus.links.glossary, {q.anchor for q in corpus.questions})
    english = qa_i18n.load_english(inputs.english)
    follow_translations(english, corpus.questions)
    corpus.english_drawings, changes = english_drawings(inputs.drawings, english.figure_labels)
    corpus.changes += changes
    corpus.traditional_drawings = traditional_drawings(inputs.drawings, qa_i18n.converter_for(inputs.phrases).convert)
    corpus.editions = make_editions(english, figures, strings)
    report_translations(corpus)
    return corpus


def make_editions(english: qa_i18n.English, figures: Figures, strings: dict[str, str]) -> dict[str, qa_i18n.Edition]:
    """The three editions; English answers go through the same Markdown rewrite as the sources."""
    captions = english.site.get("figures", {})

    def convert(answer: str, question) -> str:
        return convert_body(answer, f"data/en/{english.questions[question.anchor].file}", 1, figures, captions,
                            ENGLISH_FIGURES, english.site["strings"]["figure_missing"])[0]

    return {code: qa_i18n.Edition(code, english if code == qa_i18n.ENGLISH else None, convert, strings=strings)
            for code in qa_i18n.EDITIONS}


def follow_translations(english: qa_i18n.English, questions) -> None:
    """A question renamed or moved upstream keeps the translation written for one of its older anchors."""
    for question in questions:
        if question.anchor not in english.questions:
            older = next((a for a in question.aliases if a in english.questions), None)
            if older is not None:
                english.questions[question.anchor] = english.questions[older]


def report_translations(corpus: Corpus) -> None:
    """Count English titles and answers, and report answers whose Chinese source changed since."""
    english = corpus.editions[qa_i18n.ENGLISH].english
    titled = answered = 0
    for question in corpus.questions:
        translation = english.questions.get(question.anchor)
        if translation is None or not translation.answer:
            corpus.changes.append(Change("translation", question.source, question.line,
                                         f"'{question.title}' has no English {'answer' if translation else 'title'} "
                                         "yet; the English edition shows the Chinese under a notice"))
        if translation is None:
            continue
        titled += 1
        if translation.answer:
            answered += 1
            if translation.source != qa_i18n.fingerprint(question):
                corpus.changes.append(Change("translation", question.source, question.line,
                                             f"English answer to '{question.title}' may be outdated: the "
                                             f"Chinese changed since it was translated (data/en/{translation.file})"))
    corpus.translated = (titled, answered, len(corpus.questions))
