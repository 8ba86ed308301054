"""A PDF per edition, printed by headless Chromium from the site's own HTML and stylesheets.

Chromium draws the site's MathML formulas and SVG figures (as vectors), embeds the subset of the
CJK font it uses, makes a bookmark of every heading (`outline`) and keeps links between questions.
Its PDF carries the time of printing and a random document id: both are rewritten in place (same
length, so the cross-reference table stays valid) from the content's date and the file's own bytes,
so two builds give the same bytes.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bs4 import BeautifulSoup

import qa_i18n

if TYPE_CHECKING:  # the book is made by qa_downloads, which calls this module
    from qa_downloads import Book

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--allow-file-access-from-files"]
PRINT_STYLE = """
@page { size: A4; margin: 16mm 15mm 18mm; }
html { font-size: 125%; } body { margin: 0; background: #fff; }
.md-typeset { font-size: .62rem; }
.qa-cover { height: 240mm; display: flex; flex-direction: column; justify-content: center; text-align: center;
  break-after: page; }
.qa-cover-title { font-size: 2.2em; font-weight: 700; margin: 0 0 .6em; color: #283593; }
.qa-toc { break-after: page; }
.md-typeset .qa-toc ol { list-style: none; padding-left: 1.2em; margin: 0; }
.md-typeset .qa-toc > ol { padding-left: 0; } .md-typeset .qa-toc li { margin: .1em 0; list-style: none; }
.md-typeset .qa-toc a { color: inherit; }
.qa-toc-section { font-weight: 700; margin-top: .5em; }
.qa-section > h1 { break-before: page; }
.md-typeset h2, .md-typeset h3 { break-after: avoid; }
.md-typeset figure, .md-typeset img, .md-typeset tr, .md-typeset pre { break-inside: avoid; }
.md-typeset img { max-width: 100%; height: auto; }
.qa-on-site { font-size: .85em; }
/* The site's print style leaves related questions out of a printed page; in the book they are
   links to other questions of the same file. */
.md-typeset .qa-related { display: block !important; font-size: .9em; }
.qa-subheading { font-weight: 700; margin: 1em 0 .4em; }
.md-typeset pre > code { white-space: pre-wrap; word-break: break-all; }
"""
FOOTER = ('<div style="font-size:8px;width:100%;text-align:center;color:#666;font-family:sans-serif">'
          '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')
PDF_DATE = re.compile(rb"/(CreationDate|ModDate) ?\(D:(\d{14})([^)]*)\)")
# Tagged PDF: Chromium names table cells after its internal node numbers, which differ between runs.
NODE_NAME = re.compile(rb"\(node(\d{8})\)")
PDF_ID = re.compile(rb"/ID ?\[ ?<([0-9A-Fa-f]+)> ?<([0-9A-Fa-f]+)> ?\]")


class PdfError(Exception):
    """Chromium is missing or could not print."""


def find_chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser"), shutil.which("google-chrome")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def stylesheets(site: Path, code: str) -> list[str]:
    """The site's own stylesheets, as its home page links them (paths from the site root)."""
    home = (site if code == qa_i18n.DEFAULT else site / code) / "index.html"
    soup = BeautifulSoup(home.read_text(encoding="utf-8"), "html.parser")
    links = []
    for link in soup.find_all("link", rel="stylesheet"):
        href = link.get("href", "")
        if "://" in href:
            continue
        resolved = (home.parent / href.split("?")[0]).resolve()
        links.append(resolved.relative_to(site.resolve()).as_posix())
    return links


def answer_for_print(markup: str, targets: dict[str, str]) -> str:
    """Headings inside an answer become bold lines: every heading of the PDF is a bookmark, and the
    bookmarks are the sections, pages and questions. Links to questions use their short ids: Chromium
    names each link target after its id, and a PDF name is at most 127 bytes."""
    fragment = BeautifulSoup(markup, "html.parser")
    for heading in fragment.find_all(["h1", "h2", "h3", "h4", "h5", "h6"]):
        heading.name = "p"
        heading["class"] = "qa-subheading"
    for link in fragment.find_all("a", href=True):
        if link["href"].startswith("#") and link["href"][1:] in targets:
            link["href"] = "#" + targets[link["href"][1:]]
    return str(fragment)


def print_document(site: Path, book: Book) -> str:
    """The whole edition as one HTML page in the site's styles: cover, contents, then every question."""
    lang = qa_i18n.LANGUAGE_TAGS.get(book.code, book.code)
    esc = html.escape
    targets = {item.anchor: f"q-{item.short_id}" for item in book.items}
    date = time.strftime("%Y-%m-%d", time.gmtime(book.epoch))
    head = [f'<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">',
            f'<base href="{site.resolve().as_uri()}/">', f"<title>{esc(book.title)}</title>"]
    head += [f'<link rel="stylesheet" href="{esc(href)}">' for href in stylesheets(site, book.code)]
    head.append(f"<style>{PRINT_STYLE}</style>\n</head>")
    body = ['<body>\n<div class="md-typeset">',
            f'<div class="qa-cover"><p class="qa-cover-title">{esc(book.title)}</p><p>{esc(book.description)}</p>'
            f"<p>{date}</p><p>{esc(book.site_url)}</p><p>{esc(book.string('downloads_cover_note'))}</p></div>",
            f'<nav class="qa-toc"><p class="qa-cover-title">{esc(book.string("downloads_contents"))}</p><ol>']
    for section in book.sections:
        body.append(f'<li><div class="qa-toc-section">{esc(section.title)}</div><ol>')
        for chapter in section.chapters:
            entries = "".join(f'<li><a href="#{targets[item.anchor]}">{esc(item.title)}</a></li>' for item in chapter.items)
            body.append(f"<li>{esc(chapter.title)}<ol>{entries}</ol></li>" if len(section.chapters) > 1 else entries)
        body.append("</ol></li>")
    body.append("</ol></nav>")
    for section in book.sections:
        several = len(section.chapters) > 1
        level = 3 if several else 2
        body.append(f'<section class="qa-section"><h1>{esc(section.title)}</h1>')
        for chapter in section.chapters:
            if several:
                body.append(f"<h2>{esc(chapter.title)}</h2>")
            if chapter.intro:
                body.append(answer_for_print(chapter.intro, targets))
            for item in chapter.items:
                body.append(f'<h{level} id="{targets[item.anchor]}">{esc(item.title)}</h{level}>')
                body.append(answer_for_print(item.answer, targets))
                body.append(f'<p class="qa-on-site"><a href="{esc(item.url)}">{esc(book.string("downloads_on_site"))}'
                            "</a></p>")
        body.append("</section>")
    body.append("</div>\n</body>\n</html>\n")
    return "\n".join(head + body)


def make_reproducible(data: bytes, epoch: int) -> bytes:
    """The printing time becomes the content's date, the random document id a hash of the rest, the
internal node numbers their rank."""
    stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime(epoch)).encode()

    def date(match: re.Match) -> bytes:
        zone = match.group(3)  # the printing machine's zone, "+HH'mm'": the date is given in UTC
        utc = b"+00'00'"[:len(zone)].ljust(len(zone), b" ")
        return match.group(0)[:match.group(0).index(b"(D:")] + b"(D:" + stamp + utc + b")"

    data = PDF_DATE.sub(date, data)
    # Renumbered by rank, so the sorted name tree that holds them stays sorted.
    ranks = {number: b"%08d" % rank for rank, number in enumerate(sorted(set(NODE_NAME.findall(data)), key=int))}
    data = NODE_NAME.sub(lambda match: b"(node" + ranks[match.group(1)] + b")", data)
    digest = hashlib.sha256(PDF_ID.sub(b"", data)).hexdigest().upper().encode()

    def identifier(match: re.Match) -> bytes:
        first, second = match.group(1), match.group(2)
        return match.group(0).replace(first, digest[:len(first)]).replace(second, digest[-len(second):])

    return PDF_ID.sub(identifier, data)


def write_pdfs(site: Path, books: list[Book], targets: dict[str, Path]) -> dict[str, Path]:
    """Print every edition with one Chromium; returns the files by edition."""
    from playwright.sync_api import Error as PlaywrightError, sync_playwright

    chromium = find_chromium()
    if chromium is None:
        raise PdfError("no Chromium found to print the PDF downloads (install Debian's 'chromium' "
                       "or set CHROMIUM=/path)")
    written = {}
    with tempfile.TemporaryDirectory(prefix="qa-print-") as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            for book in books:
                document = Path(folder) / f"{book.code}.html"
                document.write_text(print_document(site, book), encoding="utf-8")
                tab = browser.new_page()
                tab.goto(document.as_uri(), wait_until="load")
                tab.evaluate("document.fonts.ready")
                data = tab.pdf(format="A4", print_background=True, outline=True, tagged=True,
                               display_header_footer=True, header_template="<span></span>", footer_template=FOOTER,
                               prefer_css_page_size=True)
                tab.close()
                targets[book.code].write_bytes(make_reproducible(data, book.epoch))
                written[book.code] = targets[book.code]
        except PlaywrightError as error:
            raise PdfError(f"Chromium could not print the PDF downloads: {error}") from None
        finally:
            browser.close()
    return written
