"""Editions: 简体中文 (the sources), 繁體中文 (converted with OpenCC) and English (this project's text)."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Callable
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit


from qa_model import Question, SourceError
from qa_schema import ANY, OPTIONAL_TEXT, TEXT, parse_data
from qa_sanitize import clean_search_index

DEFAULT = "zh"
TRADITIONAL = "zh-TW"
ENGLISH = "en"
EDITIONS = (DEFAULT, TRADITIONAL, ENGLISH)
LANGUAGE_TAGS = {DEFAULT: "zh-CN", TRADITIONAL: "zh-TW", ENGLISH: "en"}  # BCP 47, for files and manifests
SITE_FILE = "site.yml"

STRINGS_NAME = "strings.yml"
STRINGS_FILE = Path(__file__).resolve().parent.parent / "docs" / "data" / STRINGS_NAME
STRINGS_SHAPE = {ANY: TEXT}


@lru_cache(maxsize=4)
def chinese_strings(data: bytes | None = None) -> dict[str, str]:
    """The 简体 interface strings (data/strings.yml), checked against their shape."""
    return parse_data(STRINGS_FILE.read_bytes() if data is None else data, f"data/{STRINGS_NAME}", STRINGS_SHAPE)


# Text OpenCC must not touch: heading ids, link targets, HTML tags and their attributes, and
# the front matter at the top of a page (whose title is converted on its own).
PROTECTED = re.compile(r"\A---\n.*?\n---\n|\{ *#[^}]*\}|\]\([^)]*\)|<[A-Za-z/!][^>]*>", re.S)
# A figure the site draws (imgs/NAME.svg) has its 繁體 copy under imgs/zh-TW/ (qa_figures).
DRAWING_TARGET = re.compile(r"\]\(((?:\.\./)*)imgs/(?!en/|zh-TW/)([^)\s]+\.svg)\)")


def fingerprint(question: Question) -> str:
    """A short hash of a question's Chinese answer, as its translation records it."""
    return hashlib.sha256(question.source_body.strip().encode("utf-8")).hexdigest()[:12]


PHRASES_FILE = Path(__file__).resolve().parent.parent / "docs" / "data" / "zh-TW-phrases.yml"


def phrases_bytes() -> bytes:
    """The reviewed phrase table as stored: part of what the site is built from."""
    return PHRASES_FILE.read_bytes() if PHRASES_FILE.exists() else b""


PHRASES_SHAPE = [{"opencc": TEXT, "use": TEXT, "why": TEXT}]


def parse_phrases(text: str, name: str = "data/zh-TW-phrases.yml") -> dict[str, str]:
    """The phrase table: OpenCC's wording -> this field's wording; each entry is checked."""
    return {entry["opencc"]: entry["use"] for entry in parse_data(text, name, PHRASES_SHAPE)}


@dataclass(frozen=True)
class TaiwanConverter:
    """OpenCC's Simplified-to-Taiwan conversion (影片, 軟體), then this field's reviewed corrections."""

    opencc: object
    phrases: tuple[tuple[str, str], ...]

    def convert(self, text: str) -> str:
        text = self.opencc.convert(text)
        for wrong, right in self.phrases:
            if wrong in text:
                text = text.replace(wrong, right)
        return text


def traditional_converter() -> TaiwanConverter:
    """The converter for the 繁體 edition, rebuilt when the phrase table changes."""
    return converter_for(phrases_bytes())


@lru_cache(maxsize=2)
def converter_for(table: bytes) -> TaiwanConverter:
    import opencc

    phrases = parse_phrases(table.decode("utf-8"))
    return TaiwanConverter(opencc.OpenCC("s2twp"), tuple(sorted(phrases.items(), key=lambda item: -len(item[0]))))


def to_traditional(text: str) -> str:
    """Convert Simplified Chinese Markdown to Traditional (Taiwan), leaving anchors, URLs and tags as they are."""
    converter = traditional_converter()
    pieces, last = [], 0
    for match in PROTECTED.finditer(text):
        pieces.append(converter.convert(text[last:match.start()]))
        protected = match.group(0)
        if protected.startswith("---"):
            # Front matter: convert the values (a title), never the keys.
            protected = "\n".join(line if ":" not in line else
                                  line.split(":", 1)[0] + ":" + converter.convert(line.split(":", 1)[1])
                                  for line in protected.split("\n"))
        elif protected.startswith("]("):
            protected = DRAWING_TARGET.sub(r"](\1imgs/zh-TW/\2)", protected)
        pieces.append(protected)
        last = match.end()
    pieces.append(converter.convert(text[last:]))
    return "".join(pieces)


@dataclass
class Translation:
    """One question in English: title, answer (may be empty) and the fingerprint it was made from."""

    title: str
    answer: str
    source: str
    file: str


@dataclass
class English:
    """This project's English text: interface, titles, glossary, and translations by question id."""

    site: dict
    questions: dict[str, Translation] = field(default_factory=dict)
    figure_labels: dict[str, dict[str, str]] = field(default_factory=dict)  # drawing -> Chinese text -> English



FIGURE_LABELS_FILE = "figure-labels.yml"
FIGURE_LABELS_SHAPE = {ANY: {ANY: TEXT}}
TRANSLATIONS_SHAPE = [{"id": TEXT, "title": TEXT, "answer?": OPTIONAL_TEXT, "source?": OPTIONAL_TEXT}]
SITE_SHAPE = {
    "site_name?": TEXT,
    "sections?": {ANY: {"title": TEXT, "summary?": OPTIONAL_TEXT}},
    "pages?": {ANY: TEXT},
    "strings?": {ANY: TEXT},
    "glossary?": {ANY: TEXT},
    "intros?": {ANY: TEXT},
    "figures?": {ANY: TEXT},
}


def load_english(files: dict[str, bytes]) -> English:
    """Read site.yml and every translation file of docs/data/en/ against their shapes; ids must be unique."""
    english = English(parse_data(files[SITE_FILE], f"data/en/{SITE_FILE}", SITE_SHAPE) if SITE_FILE in files else {})
    if FIGURE_LABELS_FILE in files:
        english.figure_labels = parse_data(files[FIGURE_LABELS_FILE], f"data/en/{FIGURE_LABELS_FILE}", FIGURE_LABELS_SHAPE)
    for name in sorted(files):
        if name in (SITE_FILE, FIGURE_LABELS_FILE):
            continue
        for index, entry in enumerate(parse_data(files[name], f"data/en/{name}", TRANSLATIONS_SHAPE), 1):
            if entry["id"] in english.questions:
                raise SourceError(f"data/en/{name}", entry.line, f"[{index}].id: question '{entry['id']}' is translated twice")
            english.questions[entry["id"]] = Translation(
                entry["title"].strip(), entry.get("answer", "").rstrip(), entry.get("source", ""), name)
    return english


@dataclass
class Edition:
    """What changes between editions: interface text, titles, answers, glossary wording.

    The 繁體 edition is the 简体 one converted as a whole after rendering (`convert_page`).
    """

    code: str
    english: English | None = None
    convert_answer: Callable[[str, Question], str] | None = None  # answer -> Markdown for Python-Markdown
    notices: dict[str, str] = field(default_factory=dict)
    strings: dict[str, str] = field(default_factory=dict)  # interface text; the 简体 file's by default

    def __post_init__(self) -> None:
        chinese = self.strings or chinese_strings()
        self.strings = {**chinese, **self.english.site.get("strings", {})} if self.is_english else chinese

    @property
    def is_english(self) -> bool:
        return self.code == ENGLISH

    def string(self, key: str, **values) -> str:
        """Interface text; with count=1, the key's singular form ('<key>_one') where the edition has one."""
        if values.get("count") == 1 and f"{key}_one" in self.strings:
            key = f"{key}_one"
        text = self.strings.get(key, key)
        return text.format(**values) if values else text  # placeholders without values are the scripts' own

    def translation(self, question: Question) -> Translation | None:
        return self.english.questions.get(question.anchor) if self.is_english else None

    def title(self, question: Question) -> str:
        translation = self.translation(question)
        return translation.title if translation else question.title

    def body(self, question: Question) -> str:
        """The answer to show: the translation (with a notice if its source changed), else the Chinese under a notice."""
        if not self.is_english:
            return question.body
        translation = self.translation(question)
        if translation is None or not translation.answer:
            return f'!!! note "{self.string("chinese")}"\n\n    {self.string("untranslated")}\n\n{question.body}'
        body = self.convert_answer(translation.answer, question)
        if translation.source != fingerprint(question):
            return f'!!! warning ""\n\n    {self.string("outdated")}\n\n{body}'
        return body

    def intro(self, page_id: str, part) -> str:
        """A part's introduction: the source's, or this project's English one."""
        if self.is_english:
            return self.english.site.get("intros", {}).get(page_id, part.intro).strip() if part.intro.strip() else ""
        return part.intro

    def page_title(self, spec) -> str:
        return self.english.site.get("pages", {}).get(spec.id, spec.title) if self.is_english else spec.title

    def section_text(self, section) -> tuple[str, str]:
        if not self.is_english:
            return section.title, section.summary
        text = self.english.site.get("sections", {}).get(section.title, {})
        return text.get("title", section.title), text.get("summary", section.summary)

    def term_name(self, term) -> str:
        return term.english_name if self.is_english else term.term

    def term_definition(self, term) -> str:
        return self.english.site.get("glossary", {}).get(term.id, term.definition) if self.is_english \
            else term.definition

    def interface(self, key: str) -> str:
        """An interface string in this edition's script (繁體 converted from the 简体 one)."""
        return self.convert_page(self.string(key))

    def not_found(self) -> dict[str, str]:
        """The 404 page's texts: title, and the sentence around its link to the home page."""
        return {part: self.interface(f"not_found_{part}") for part in ("title", "before", "link", "after", "suggest")}

    def search_translations(self) -> dict[str, str]:
        """The theme's search texts this site words its own way: each result is a question, and
        'partial' heads hits that hold only some of the query's terms (qa_search_worker)."""
        return {f"search.result.{count}": self.interface(f"search_{count}")
                for count in ("one", "other", "none", "partial")}

    def convert_page(self, markdown: str) -> str:
        """The last step of rendering a page for this edition."""
        return to_traditional(markdown) if self.code == TRADITIONAL else markdown

    def file_name(self, path: str) -> str:
        """docs/ path of a page in this edition: 'topics/x.md' -> 'topics/x.en.md'."""
        return path if self.code == DEFAULT else f"{path[:-3]}.{self.code}.md"


def split_search_index(combined: Path, targets: dict[str, Path]) -> dict[str, int]:
    """Split the one index mkdocs-static-i18n leaves into one per edition (its prefix removed); count entries."""
    index = clean_search_index(json.loads(combined.read_text(encoding="utf-8")))
    parts = {code: [] for code in targets}
    root = []
    for doc in index["docs"]:
        prefix = doc["location"].split("/", 1)[0]
        if prefix in parts:
            parts[prefix].append({**doc, "location": doc["location"][len(prefix) + 1:]})
        else:
            root.append(doc)
    counts = {DEFAULT: len(root)}
    for code, docs in parts.items():
        targets[code].parent.mkdir(parents=True, exist_ok=True)
        targets[code].write_text(json.dumps({**index, "docs": docs}, ensure_ascii=False), encoding="utf-8")
        counts[code] = len(docs)
    combined.write_text(json.dumps({**index, "docs": root}, ensure_ascii=False), encoding="utf-8")
    return counts


def redirecting_404(page: str, site_url: str) -> str:
    """The 简体 404 page, which also shows a missing /en/… or /zh-TW/… address that edition's 404
    page, keeping the address the reader typed (the edition's page puts it back in the address bar).

    GitHub Pages serves the root 404.html for every missing path, whatever the edition.
    """
    base = urlsplit(site_url).path.rstrip("/") + "/"
    editions = json.dumps([code for code in EDITIONS if code != DEFAULT])
    script = (f"<script>(function(){{var b={json.dumps(base)},p=location.pathname;"
              f"{editions}.forEach(function(e){{var r=b+e+'/';"
              f"if(p.indexOf(r)===0&&p!==r+'404.html'){{document.documentElement.style.visibility='hidden';"
              f"location.replace(r+'404.html?from='+encodeURIComponent(p+location.search+location.hash));}}}});}})();</script>")
    return page.replace("</head>", script + "</head>", 1)
