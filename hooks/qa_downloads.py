"""Downloads: each edition as a book (sections, pages, questions with their answers' HTML) read back
from the built site, the files made from it (PDF, EPUB, Anki deck) and the downloads page's list.

The book is read from the site's own HTML after the build, so a file shows exactly what the site
shows: the same sanitized answers, MathML formulas and drawings. The files are made only when
QA_DOWNLOADS=1 (the Pages workflow sets it): they take far longer than the rest of the build.
"""

from __future__ import annotations

import html
import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup, Comment, Tag

import qa_downloads_anki
import qa_downloads_epub
import qa_downloads_pdf
import qa_i18n
import qa_render
from qa_sanitize import escape_text, markdown_text
from qa_catalog import DOWNLOADS_PAGE  # topics/downloads.md in every edition
from qa_model import Question
from qa_pipeline import Corpus

SWITCH = "QA_DOWNLOADS"
DOWNLOADS_DIR = "downloads"
FILE_STEM = "ai-video-qa"
LIST_MARKER = '<div id="qa-downloads-list"></div>'  # the downloads page's element the file list replaces
KINDS = ("pdf", "epub", "apkg")
# A date for builds outside a git checkout without SOURCE_DATE_EPOCH: the earliest a ZIP file can hold.
FALLBACK_EPOCH = 315532800


class DownloadError(Exception):
    """A question whose answer cannot go into a file; the message names its source file and line."""


def wanted_kinds(environ=os.environ) -> tuple[str, ...]:
    """Which files to make: QA_DOWNLOADS=1 makes all; a list such as `apkg,epub` makes those only
    (a quicker loop while working on one of them); unset or 0 makes none."""
    value = environ.get(SWITCH, "").strip().lower()
    if value in ("", "0", "false", "no"):
        return ()
    if value in ("1", "true", "yes", "all"):
        return KINDS
    kinds = tuple(kind for kind in KINDS if kind in {part.strip() for part in value.split(",")})
    unknown = {part.strip() for part in value.split(",")} - set(KINDS)
    if unknown or not kinds:
        raise DownloadError(f"{SWITCH}={value!r}: expected 1, or some of {', '.join(KINDS)} separated by commas")
    return kinds


def content_epoch(project: Path, environ=os.environ) -> int:
    """The content's date: SOURCE_DATE_EPOCH if set, else the date of the commit being built."""
    if environ.get("SOURCE_DATE_EPOCH", "").strip().isdigit():
        return int(environ["SOURCE_DATE_EPOCH"])
    try:
        result = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=project, capture_output=True,
                                text=True, timeout=20)
        if result.returncode == 0 and result.stdout.strip().isdigit():
            return int(result.stdout.strip())
    except OSError:
        pass
    return FALLBACK_EPOCH


@dataclass
class Item:
    """One question as its edition shows it; the answer's links and figures are made neutral:
    a question link is `#anchor`, another page of the site an absolute URL, a figure `imgs/...`."""

    question: Question
    anchor: str
    short_id: str
    title: str
    answer: str  # HTML
    url: str  # the question on the site, absolute


@dataclass
class Chapter:
    """A page of the site: its title, its introduction and its questions."""

    id: str
    title: str
    intro: str
    items: list[Item] = field(default_factory=list)


@dataclass
class Section:
    title: str
    chapters: list[Chapter] = field(default_factory=list)


@dataclass
class Book:
    """An edition as one book."""

    code: str
    title: str
    description: str
    site_url: str  # the edition's home, absolute
    sections: list[Section]
    figures: dict[str, Path]  # site path (imgs/...) -> file in the built site
    strings: dict[str, str]
    epoch: int

    @property
    def items(self) -> list[Item]:
        return [item for section in self.sections for chapter in section.chapters for item in chapter.items]

    @property
    def chapters(self) -> list[Chapter]:
        return [chapter for section in self.sections for chapter in section.chapters]

    def string(self, key: str) -> str:
        return self.strings[key]


def file_name(code: str, kind: str) -> str:
    return f"{FILE_STEM}-{code}.{kind}"


def edition_folder(site: Path, code: str) -> Path:
    return site if code == qa_i18n.DEFAULT else site / code


def edition_root(site_url: str, code: str) -> str:
    root = site_url.rstrip("/") + "/"
    return root if code == qa_i18n.DEFAULT else f"{root}{code}/"


# --- the book, read from the built site --------------------------------------------------------------
DOWNLOAD_STRINGS = ("downloads_title", "downloads_contents", "downloads_on_site", "downloads_cover_note")


def read_book(site: Path, corpus: Corpus, code: str, site_url: str, epoch: int,
              site_name: str, description: str) -> Book:
    """Every question of an edition, in the navigation's order, from its built topic pages."""
    edition = corpus.editions[code]
    root = edition_root(site_url, code)
    folder = edition_folder(site, code)
    present = {page.spec.id: page for page in corpus.pages}
    figures: dict[str, Path] = {}
    sections = []
    for spec in corpus.sections:
        pages = [present[p.id] for p in spec.pages if p.id in present]
        if not pages:
            continue
        section = Section(edition.convert_page(edition.section_text(spec)[0]))
        for page in pages:
            section.chapters.append(read_chapter(site, folder / "topics" / page.spec.id / "index.html", page,
                                                 corpus, code, root, figures))
        sections.append(section)
    strings = {key: edition.interface(key) for key in DOWNLOAD_STRINGS}
    return Book(code, site_name, description, root, sections, figures, strings, epoch)


def read_chapter(site: Path, path: Path, page, corpus: Corpus, code: str, root: str,
                 figures: dict[str, Path]) -> Chapter:
    if not path.exists():
        first = page.questions[0] if page.questions else None
        where = first.location if first else page.spec.id
        raise DownloadError(f"{where}: the page topics/{page.spec.id}/ was not built; its questions cannot "
                            "go into the downloads")
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.md-typeset")
    heading = article.find("h1")
    headings = {h.get("id"): h for h in article.find_all("h2")}
    page_url = f"{root}topics/{page.spec.id}/"
    intro = []
    for node in heading.next_siblings:
        if isinstance(node, Tag) and node.name == "h2":
            break
        intro.append(node)
    chapter = Chapter(page.spec.id, text_of(heading),
                      neutral_html(intro, site, path, page_url, root, figures, page.questions[0] if page.questions else None))
    for question in page.questions:
        h2 = headings.get(question.anchor)
        if h2 is None:
            raise DownloadError(f"{question.location}: the question '{question.title}' is not on its built page "
                                f"topics/{page.spec.id}/; it cannot go into the downloads")
        answer = []
        for node in h2.next_siblings:
            if isinstance(node, Tag) and node.name == "h2":
                break
            answer.append(node)
        body = neutral_html(answer, site, path, page_url, root, figures, question)
        shown = BeautifulSoup(body, "html.parser")
        if not shown.get_text().strip() and not shown.find(["img", "math"]):
            raise DownloadError(f"{question.location}: the answer to '{question.title}' is empty on the built page")
        chapter.items.append(Item(question, question.anchor, corpus.short_ids[question.anchor], text_of(h2), body,
                                  f"{page_url}#{question.anchor}"))
    return chapter


def text_of(heading: Tag) -> str:
    """A heading's text as a reader sees it (no permalink sign, no alias anchors)."""
    copy = BeautifulSoup(str(heading), "html.parser")
    for extra in copy.select("a.headerlink, span.qa-alias"):
        extra.decompose()
    return copy.get_text().strip()


def neutral_html(nodes: list, site: Path, page_file: Path, page_url: str, root: str,
                 figures: dict[str, Path], question: Question | None) -> str:
    """Answer HTML fit for any file: no lightbox wrappers, no glossary links (the glossary is not in
    the files); links and figures as Item describes. The 'related questions' block stays: in the
    PDF and EPUB its links lead to the questions inside the file."""
    fragment = BeautifulSoup("".join(str(node) for node in nodes), "html.parser")
    for node in fragment.find_all(string=lambda text: isinstance(text, Comment)):
        node.extract()
    for term in fragment.select("a.qa-term"):
        term.unwrap()
    for wrapper in fragment.select("a.glightbox"):
        wrapper.unwrap()
    for image in fragment.find_all("img"):
        source = urljoin(page_url, image.get("src", ""))
        path = site_path(source, root)
        target = site / unquote(path) if path else None
        if target is None or not target.is_file():
            where = question.location if question else page_file
            raise DownloadError(f"{where}: figure '{image.get('src', '')}' is not part of the built site; "
                                "the answer cannot go into the downloads")
        figures[unquote(path)] = target
        image["src"] = unquote(path)
        image.attrs.pop("loading", None)
    for link in fragment.find_all("a"):
        href = link.get("href")
        if href is None:
            continue
        absolute = urljoin(page_url, href)
        if absolute.startswith(root + "topics/") and "#" in absolute:
            link["href"] = "#" + unquote(urlsplit(absolute).fragment)
        elif urlsplit(href).scheme == "" and not href.startswith("#"):
            link["href"] = absolute
    return str(fragment).strip()


def site_path(url: str, root: str) -> str | None:
    """A figure's path from the site root (figures of every edition live at the root's imgs/)."""
    parts = urlsplit(url)
    base = urlsplit(root)
    path = PurePosixPath(parts.path)
    base_path = base.path.rstrip("/")
    for candidate in (base_path, base_path.rsplit("/", 1)[0] if base_path.count("/") > 1 else ""):
        prefix = candidate + "/imgs/"
        if str(path).startswith(prefix):
            return "imgs/" + str(path)[len(prefix):]
    return None


# --- making them ------------------------------------------------------------------------------------
@dataclass
class Made:
    """A file made for an edition."""

    code: str
    kind: str
    path: Path
    seconds: float


def make_all(site: Path, books: list[Book], kinds=KINDS) -> list[Made]:
    """Every file of every edition, into each edition's downloads/ folder."""
    makers = {"apkg": qa_downloads_anki.write_deck, "epub": qa_downloads_epub.write_epub}
    made = []
    for book in books:
        folder = edition_folder(site, book.code) / DOWNLOADS_DIR
        folder.mkdir(parents=True, exist_ok=True)
        for kind in kinds:
            if kind in makers:
                start = time.perf_counter()
                path = folder / file_name(book.code, kind)
                makers[kind](book, path)
                made.append(Made(book.code, kind, path, time.perf_counter() - start))
    if "pdf" in kinds:
        start = time.perf_counter()
        paths = qa_downloads_pdf.write_pdfs(site, books, {book.code: edition_folder(site, book.code) / DOWNLOADS_DIR
                                                          / file_name(book.code, "pdf") for book in books})
        seconds = (time.perf_counter() - start) / max(1, len(paths))
        made += [Made(code, "pdf", path, seconds) for code, path in paths.items()]
    return made


def edition_texts(corpus: Corpus, languages, site_name: str, description: str) -> dict[str, tuple[str, str]]:
    """Each edition's site name and description, as mkdocs-static-i18n's `languages` give them."""
    given = {getattr(language, "locale", None): language for language in languages or []}
    texts = {}
    for code, edition in corpus.editions.items():
        language = given.get(code)
        name = getattr(language, "site_name", None) or edition.convert_page(site_name)
        text = getattr(language, "site_description", None) or edition.convert_page(description)
        texts[code] = (name, text)
    return texts


def make_downloads(site: Path, corpus: Corpus, site_url: str, project: Path, texts: dict[str, tuple[str, str]],
                   kinds: tuple[str, ...]) -> list[Made]:
    """Read every built edition as a book, make its files, and list them on its downloads page."""
    epoch = content_epoch(project)
    codes = [code for code in corpus.editions if (edition_folder(site, code) / "index.html").exists()]
    made = []
    if kinds:
        books = [read_book(site, corpus, code, site_url, epoch, *texts[code]) for code in codes]
        made = make_all(site, books, kinds)
    files: dict[str, dict[str, Path]] = {}
    for item in made:
        files.setdefault(item.code, {})[item.kind] = item.path
    fill_downloads_page(site, corpus, files, epoch)
    return made


def navigation_entry(edition: qa_i18n.Edition) -> dict:
    """The downloads page in the navigation."""
    return {escape_text(edition.interface("downloads_title")): f"topics/{DOWNLOADS_PAGE}.md"}


def home_link(edition: qa_i18n.Edition) -> str:
    """A line of the home page leading to the downloads page."""
    return edition.convert_page(f"[{markdown_text(edition.string('downloads_home'))}](topics/{DOWNLOADS_PAGE}.md)")


# --- the downloads page -------------------------------------------------------------------------------
def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def file_list(edition: qa_i18n.Edition, files: dict[str, Path], epoch: int) -> str:
    """The downloads page's table: each file with its kind, size and the content's date."""
    date = time.strftime("%Y-%m-%d", time.gmtime(epoch))
    if not files:
        return f'<p class="qa-downloads-none">{html.escape(edition.interface("downloads_not_built"))}</p>'
    rows = []
    for kind in KINDS:
        path = files.get(kind)
        if path is None:
            continue
        rows.append(f'<tr><td><a href="../../{DOWNLOADS_DIR}/{html.escape(path.name)}" download>'
                    f'{html.escape(edition.interface("downloads_kind_" + kind))}</a></td>'
                    f"<td>{html.escape(path.name)}</td>"
                    f"<td>{size_text(path.stat().st_size)}</td>"
                    f'<td><time datetime="{date}">{date}</time></td></tr>')
    head = "".join(f"<th>{html.escape(edition.interface('downloads_' + key))}</th>"
                   for key in ("file", "name", "size", "date"))
    return (f'<table class="qa-downloads-table"><thead><tr>{head}</tr></thead><tbody>'
            + "".join(rows) + "</tbody></table>")


def fill_downloads_page(site: Path, corpus: Corpus, made: dict[str, dict[str, Path]], epoch: int) -> None:
    """Put the list of files into each edition's built downloads page (the files are made after
    MkDocs renders it, so their sizes are known only now)."""
    marker = LIST_MARKER
    for code, edition in corpus.editions.items():
        page = edition_folder(site, code) / "topics" / DOWNLOADS_PAGE / "index.html"
        if not page.exists():
            continue
        text = page.read_text(encoding="utf-8")
        if marker in text:
            page.write_text(text.replace(marker, file_list(edition, made.get(code, {}), epoch)), encoding="utf-8")


def render_downloads_page(edition: qa_i18n.Edition) -> str:
    """The Markdown of the downloads page; the list of files is filled in after the build."""
    title = edition.string("downloads_title")
    lines = [*qa_render.front_matter(title, "search:", "  exclude: true"), f"# {markdown_text(title)}", "",
             markdown_text(edition.string("downloads_intro")), "", LIST_MARKER, "",
             markdown_text(edition.string("downloads_about")), "",
             markdown_text(edition.string("offline_intro")), "", '<div id="qa-offline-save"></div>', ""]
    return edition.convert_page("\n".join(lines))
