"""Steps 4 and 5 around MkDocs: the generated pages it renders, the edits of what it renders, and the
site-level files written after it (per-edition 404 pages, anchor map, search indexes)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import qa_downloads
import qa_i18n
import qa_inputs
import qa_record
import qa_render
import qa_search_worker
import qa_sanitize
import qa_short_links
from qa_catalog import REPORT_PAGE_ID
from qa_inputs import DATA_DIR, SOURCES_DIR
from qa_link import GLOSSARY_NAME
from qa_model import SourceError
from qa_pipeline import Corpus, Page, SourceErrors

GENERATED_DIR = "topics"
SECTIONS_MARKER = "<!-- qa:sections -->"
SEARCH_INDEX = "search/search_index.json"
NOT_FOUND = "404.html"
ANCHOR_PAGES = "anchors.json"
REPORT_PAGE = f"{GENERATED_DIR}/{REPORT_PAGE_ID}.md"


def generated_pages(corpus: Corpus, home_page: str) -> dict[str, str]:
    """Every edition's generated pages (and the 繁體 home page) by path under docs/."""
    wanted: dict[str, str] = {}
    for edition in corpus.editions.values():
        wanted[edition.file_name(REPORT_PAGE)] = qa_render.render_report(corpus, edition)
        for page in corpus.pages:
            wanted[edition.file_name(qa_render.page_path(page))] = qa_render.render_page(page, corpus, edition)
        wanted[edition.file_name(f"{GENERATED_DIR}/{qa_render.GLOSSARY_PAGE}.md")] = \
            qa_render.render_glossary(corpus, edition)
        for kind in qa_render.STUDY_PAGES:
            wanted[edition.file_name(f"{GENERATED_DIR}/{kind}.md")] = qa_render.render_study_page(kind, edition)
        for sid, entry in corpus.removed.items():
            wanted[edition.file_name(f"{GENERATED_DIR}/{qa_render.removed_page_id(sid)}.md")] = \
                qa_render.render_removed(entry, corpus, edition)
        wanted[edition.file_name(f"{GENERATED_DIR}/{qa_downloads.DOWNLOADS_PAGE}.md")] = \
            qa_downloads.render_downloads_page(edition)
    traditional = corpus.editions[qa_i18n.TRADITIONAL]
    wanted[traditional.file_name("index.md")] = traditional.convert_page(home_page)
    return wanted


def write_generated_pages(docs_dir: Path, wanted: dict[str, str]) -> None:
    """Write the pages that differ (so `mkdocs serve` does not rebuild forever) and remove stale ones."""
    for name, text in wanted.items():
        path = docs_dir / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    for stale in (docs_dir / GENERATED_DIR).glob("*.md"):
        if f"{GENERATED_DIR}/{stale.name}" not in wanted:
            stale.unlink()


def watched_paths(docs_dir: Path) -> list[Path]:
    """What `mkdocs serve` watches in docs/: everything but the pages written above, so a change
    rebuilds once."""
    generated = {docs_dir / GENERATED_DIR, docs_dir / qa_i18n.Edition(qa_i18n.TRADITIONAL).file_name("index.md")}
    return [path for path in sorted(docs_dir.iterdir()) if path not in generated]


# Interface strings the reader-side scripts (docs/javascripts/) show, by key prefix.
READER_SCRIPT_STRINGS = ("share", "study_", "import_", "review_", "practice_", "grade_", "figure_", "term_",
                         "offline_")


def apply_interface_text(config, edition: qa_i18n.Edition) -> None:
    """The theme's and extensions' interface strings in the edition's language (data/strings.yml, en/site.yml)."""
    config.extra["search_translations"] = edition.search_translations()
    config.extra["not_found"] = edition.not_found()
    config.extra["search_label"] = edition.interface("search_label")
    config.extra["search_worker"] = qa_search_worker.worker_name()
    config.extra["edition_code"] = "" if edition.code == qa_i18n.DEFAULT else edition.code
    config.extra["qa_interface"] = {key: edition.interface(key) for key in edition.strings
                                    if key.startswith(READER_SCRIPT_STRINGS)}
    config.mdx_configs.setdefault("toc", {})["permalink_title"] = edition.interface("permalink_title")
    config.copyright = edition.interface("copyright")
    for entry, key in zip(config.theme["palette"], ("palette_dark", "palette_light")):
        entry["toggle"]["name"] = edition.interface(key)



def base_path(src_uri: str) -> str:
    """'topics/x.en.md' -> 'topics/x.md': the page a translated file stands for."""
    for code in qa_i18n.EDITIONS:
        suffix = f".{code}.md"
        if src_uri.endswith(suffix):
            return src_uri[: -len(suffix)] + ".md"
    return src_uri


def topic_of(corpus: Corpus, src_uri: str) -> Page | None:
    """The topic page a built file (of any edition) renders, if it is one."""
    path = base_path(src_uri)
    return next((p for p in corpus.pages if qa_render.page_path(p) == path), None)


def edit_url(corpus: Corpus, src_uri: str, url: str, code: str = qa_i18n.DEFAULT) -> str | None:
    """A generated page's edit link leads where a fix belongs: in the Chinese editions a topic page's
    main source's upstream file (catalog.yml), or its copy here when none is named; in the English
    edition the translation file holding most of the page's questions; the glossary its data file;
    other generated pages get none."""
    if not url.endswith(src_uri):
        return url
    base = url[: -len(src_uri)]
    topic = topic_of(corpus, src_uri)
    if topic is not None and topic.sources:
        if code == qa_i18n.ENGLISH:
            english = corpus.editions[code].english
            files = [english.questions[q.anchor].file for q in topic.questions if q.anchor in english.questions]
            if files:
                return f"{base}{DATA_DIR}/{qa_i18n.ENGLISH}/{max(set(files), key=files.count)}"
        main = topic.sources[0]
        upstream = corpus.upstream.get(main)
        return upstream.replace("/blob/", "/edit/", 1) if upstream else f"{base}{SOURCES_DIR}/{main}"
    if base_path(src_uri) == f"{GENERATED_DIR}/{qa_render.GLOSSARY_PAGE}.md":
        return f"{base}{DATA_DIR}/{GLOSSARY_NAME}"
    return None


def formula_location(corpus: Corpus, tex: str, src_uri: str) -> str:
    """The source file and line of a formula on a page, for error messages."""
    topic = topic_of(corpus, src_uri)
    if topic is None:
        return src_uri
    for question in topic.questions:
        for offset, line in enumerate(question.source_body.split("\n")):
            if tex.strip() and tex.strip() in line:
                return f"{question.source}:{question.body_line + offset}"
    return f"{topic.sources[0]}:{topic.questions[0].line if topic.questions else 1}"


def clean_outline(items) -> None:
    """The page outline's titles come from headings, which hold source text: sanitize them too."""
    for item in items or ():
        item.title = qa_sanitize.clean_inline(item.title)
        clean_outline(item.children)


# Material's script fetches sitemap.xml next to every <link rel="alternate"> in the head; with
# page-level alternates those fetches all fail. The sitemap carries the hreflang alternates instead.
HEAD_ALTERNATE = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')
SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
LIGHTBOX_SCRIPT = re.compile(r'<script src="[^"]*glightbox\.min\.js"></script>')
LIGHTBOX_INIT = '<script id="init-glightbox">'


def tidy_page(output: str, search_label: str) -> str:
    """Drop head alternates (kept in the sitemap), name the search dialog for screen readers, and
    load the lightbox script just before its use at the end of the body instead of blocking the head."""
    output = HEAD_ALTERNATE.sub("", output)
    script = LIGHTBOX_SCRIPT.search(output)
    if script and LIGHTBOX_INIT in output:
        output = output.replace(script.group(0), "", 1).replace(LIGHTBOX_INIT, script.group(0) + LIGHTBOX_INIT, 1)
    return output.replace(SEARCH_DIALOG, SEARCH_DIALOG[:-1] + f' aria-label="{search_label}">', 1)


def edition_homes(alternates: list[dict], site_url: str) -> list[dict]:
    """The language menu's entries pointing at each edition's home page."""
    base = urlsplit(site_url).path.rstrip("/") + "/"
    return [{**entry, "link": base + edition_path(entry.get("lang", ""), "")} for entry in alternates]


def edition_path(code: str, path: str) -> str:
    """A path from the site root to a page of an edition."""
    return path if code == qa_i18n.DEFAULT else f"{code}/{path}"


def edition_folder(site: Path, code: str) -> Path:
    return site if code == qa_i18n.DEFAULT else site / code


def write_not_found_pages(site: Path, pages: dict[str, str], site_url: str) -> None:
    """Each edition's 404 page in its own folder (every edition renders it to the site root)."""
    for code, output in pages.items():
        target = edition_folder(site, code) / NOT_FOUND
        target.parent.mkdir(parents=True, exist_ok=True)
        if code == qa_i18n.DEFAULT:
            output = qa_i18n.redirecting_404(output, site_url)
        target.write_text(output, encoding="utf-8")


def write_anchor_pages(site: Path, corpus: Corpus) -> None:
    """Write, into each edition's folder, which page holds each question anchor: a link to a
    question that has since moved to another page is sent on by the script in overrides/main.html."""
    data = json.dumps(qa_render.anchor_pages(corpus), ensure_ascii=False, separators=(",", ":"))
    for code in qa_i18n.EDITIONS:
        folder = edition_folder(site, code)
        if folder.is_dir():
            (folder / ANCHOR_PAGES).write_text(data, encoding="utf-8")


STUDY_CATALOG = "study.json"


def write_study_catalogs(site: Path, corpus: Corpus) -> None:
    """Each edition's list of questions for the study script (titles, addresses, short ids)."""
    for code, edition in corpus.editions.items():
        folder = edition_folder(site, code)
        if folder.is_dir():
            data = json.dumps(qa_render.study_catalog(corpus, edition), ensure_ascii=False, separators=(",", ":"))
            (folder / STUDY_CATALOG).write_text(data, encoding="utf-8")


def search_index_paths(site: Path) -> dict[str, Path]:
    """Each built edition's search index."""
    paths = {code: edition_folder(site, code) / SEARCH_INDEX for code in qa_i18n.EDITIONS}
    return {code: path for code, path in paths.items() if path.exists()}


def short_page_texts(edition: qa_i18n.Edition, question) -> tuple[str, str]:
    """A question's title and the start of its answer, as the edition shows them."""
    translation = edition.translation(question)
    answer = translation.answer if translation and translation.answer else question.source_body
    summary = qa_short_links.description(answer)
    return edition.convert_page(edition.title(question)), edition.convert_page(summary)


def write_short_pages(site: Path, corpus: Corpus, site_url: str, site_name: str) -> int:
    """Every edition's /q/<id>/ pages, and pages for recorded ids whose question is gone; returns the count."""
    questions = {q.anchor: q for q in corpus.questions}
    page_of = qa_render.anchor_pages(corpus)
    targets = sorted(({sid: anchor for anchor, sid in corpus.short_ids.items()} | corpus.merged_ids).items()) + \
        sorted((sid, "") for sid in corpus.removed)
    written = 0
    for code, edition in corpus.editions.items():
        folder = edition_folder(site, code)
        if not folder.is_dir():
            continue
        root = site_url.rstrip("/") + "/" + edition_path(code, "")
        name = edition.english.site.get("site_name", site_name) if edition.is_english else edition.convert_page(site_name)
        for sid, anchor in targets:
            question = questions.get(anchor)
            if question is None:  # removed upstream: its notice
                entry = corpus.removed[sid]
                path = f"topics/{qa_render.removed_page_id(sid)}/"
                title = entry.english if edition.is_english and entry.english else edition.convert_page(entry.title)
                summary = edition.interface("removed_heading")
            else:
                path = qa_short_links.question_path(page_of[anchor], anchor)
                title, summary = short_page_texts(edition, question)
            page = qa_short_links.short_page(
                lang=edition.code, title=title, summary=summary, site_name=name, target="../../" + path,
                canonical=root + path, short_url=f"{root}{qa_short_links.SHORT_DIR}/{sid}/",
                go_text=edition.interface("share_go"))
            target = folder / qa_short_links.SHORT_DIR / sid / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page, encoding="utf-8")
            written += 1
    return written


SITEMAP = "sitemap.xml"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def drop_from_sitemap(site: Path, path_part: str) -> int:
    """Remove the sitemap entries whose address contains `path_part` (pages for maintainers only),
    and write the compressed copy again; returns how many were removed."""
    import gzip
    import xml.etree.ElementTree as ElementTree

    sitemap = site / SITEMAP
    if not sitemap.exists():
        return 0
    ElementTree.register_namespace("", SITEMAP_NS)
    ElementTree.register_namespace("xhtml", "http://www.w3.org/1999/xhtml")
    root = ElementTree.parse(sitemap).getroot()
    removed = [url for url in root.findall(f"{{{SITEMAP_NS}}}url")
               if path_part in (url.findtext(f"{{{SITEMAP_NS}}}loc") or "")]
    for url in removed:
        root.remove(url)
    if removed:
        sitemap.write_text('<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n",
                           encoding="utf-8")
        compressed = site / f"{SITEMAP}.gz"
        if compressed.exists():
            compressed.write_bytes(gzip.compress(sitemap.read_bytes(), mtime=0))
    return len(removed)


def record_questions(root: Path) -> str:
    """Write data/questions.yml with the questions now on the site (older entries kept); the one
    command that updates the recorded state (a build never writes it)."""
    inputs = qa_inputs.read_inputs(root / "docs", root / qa_inputs.FIGURES_DIR)
    corpus = qa_inputs.build_site_corpus(inputs)
    entries = qa_record.updated_record(qa_record.parse_record(inputs.record), corpus)
    path = root / "docs" / qa_record.RECORD_PATH
    path.write_text(qa_record.record_text(entries), encoding="utf-8")
    return (f"{path}: {len(entries)} questions recorded ({len(corpus.questions)} on the site, "
            f"{len(entries) - len(corpus.questions)} not on it: removed upstream or merged into another)")


if __name__ == "__main__":  # python hooks/qa_output.py record
    import sys

    if sys.argv[1:] != ["record"]:
        sys.exit("usage: python hooks/qa_output.py record")
    try:
        print(record_questions(Path(__file__).resolve().parent.parent))
    except (SourceError, SourceErrors) as error:
        sys.exit(f"cannot record: {error}")
