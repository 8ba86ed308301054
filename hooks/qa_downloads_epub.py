"""An EPUB 3 per edition: a cover, navigation per section and question, one document per page of the
site, the figures as SVG, formulas as MathML, the edition's language.

Written as a ZIP with fixed entry dates and `dcterms:modified` from the content's date, so two
builds of the same commit give the same bytes.
"""

from __future__ import annotations

import hashlib
import html
import time
import uuid
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from bs4 import BeautifulSoup

import qa_i18n

if TYPE_CHECKING:  # the book is made by qa_downloads, which calls this module
    from qa_downloads import Book, Chapter

MEDIA_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".webp": "image/webp"}
XHTML_HEAD = ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
              '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
              'lang="{lang}" xml:lang="{lang}">\n<head>\n<meta charset="utf-8"/>\n<title>{title}</title>\n'
              '<link rel="stylesheet" type="text/css" href="style.css"/>\n</head>\n')
STYLE = """body { font-family: sans-serif; line-height: 1.6; margin: 0 4%; }
h1 { font-size: 1.5em; margin: 1.5em 0 .8em; } h2 { font-size: 1.2em; margin: 2em 0 .6em; }
img { max-width: 100%; height: auto; } figure { margin: 1em 0; text-align: center; }
figcaption { font-size: .9em; color: #555; }
table { border-collapse: collapse; margin: 1em 0; } td, th { border: 1px solid #999; padding: .2em .4em; }
pre { white-space: pre-wrap; font-size: .85em; background: #f4f4f4; padding: .5em; }
.admonition { border-left: 4px solid #999; padding: .2em .8em; margin: 1em 0; }
.admonition-title { font-weight: bold; }
.qa-on-site { font-size: .85em; }
.qa-related { font-size: .9em; border-top: 1px solid #ccc; margin-top: 1em; }
.cover { text-align: center; margin-top: 30%; } .cover h1 { font-size: 2em; }
nav ol { list-style: none; padding-left: 1em; }
"""
ALIGN = {"left", "right", "center"}


def chapter_file(index: int) -> str:
    return f"page-{index + 1:02d}.xhtml"


def question_id(short_id: str) -> str:
    return f"q-{short_id}"


def figure_name(site_path: str) -> str:
    return f"imgs/{hashlib.sha256(site_path.encode()).hexdigest()[:16]}{Path(site_path).suffix.lower()}"


def xhtml(fragment: BeautifulSoup) -> str:
    return fragment.decode(formatter="minimal")


def chapter_document(book: Book, index: int, chapter: Chapter, places: dict[str, str], lang: str) -> tuple[str, bool]:
    """One page of the site as XHTML; whether it holds MathML."""
    parts = [XHTML_HEAD.format(lang=lang, title=html.escape(chapter.title)), "<body>\n",
             f"<section epub:type=\"chapter\">\n<h1>{html.escape(chapter.title)}</h1>\n"]
    local = 0

    def fix(markup: str) -> str:
        nonlocal local
        fragment = BeautifulSoup(markup, "html.parser")
        ids = {}
        for element in fragment.find_all(id=True):
            local += 1
            ids[element["id"]] = f"n{index + 1}-{local}"
            element["id"] = ids[element["id"]]
        for link in fragment.find_all("a", href=True):
            href = link["href"]
            if href.startswith("#"):
                target = href[1:]
                link["href"] = f"#{ids[target]}" if target in ids else places.get(target, book.site_url)
        for image in fragment.find_all("img"):
            image["src"] = figure_name(image["src"])
        for cell in fragment.find_all(["td", "th"], align=True):
            align = cell.attrs.pop("align")
            if align in ALIGN:
                cell["style"] = f"text-align: {align}"
        for element in fragment.find_all(True):
            for name in [n for n in element.attrs if n.startswith("data-") or n in ("loading", "title")
                         and element.name != "abbr"]:
                del element[name]
        return xhtml(fragment)

    if chapter.intro:
        parts.append(fix(chapter.intro) + "\n")
    for item in chapter.items:
        parts.append(f'<section id="{question_id(item.short_id)}">\n<h2>{html.escape(item.title)}</h2>\n')
        parts.append(fix(item.answer) + "\n")
        parts.append(f'<p class="qa-on-site"><a href="{html.escape(item.url)}">'
                     f'{html.escape(book.string("downloads_on_site"))}</a></p>\n</section>\n')
    parts.append("</section>\n</body>\n</html>\n")
    document = "".join(parts)
    return document, "<math" in document


def navigation(book: Book, lang: str) -> str:
    """nav.xhtml: sections, their pages where a section has several, and every question."""
    chapters = book.chapters
    lines = [XHTML_HEAD.format(lang=lang, title=html.escape(book.string("downloads_contents"))), "<body>\n",
             f'<nav epub:type="toc" id="toc">\n<h1>{html.escape(book.string("downloads_contents"))}</h1>\n<ol>\n']
    for section in book.sections:
        first = chapters.index(section.chapters[0])
        lines.append(f'<li><a href="{chapter_file(first)}">{html.escape(section.title)}</a>\n<ol>\n')
        for chapter in section.chapters:
            number = chapters.index(chapter)
            questions = "".join(f'<li><a href="{chapter_file(number)}#{question_id(item.short_id)}">'
                                f"{html.escape(item.title)}</a></li>\n" for item in chapter.items)
            if len(section.chapters) > 1:
                lines.append(f'<li><a href="{chapter_file(number)}">{html.escape(chapter.title)}</a>\n'
                             f"<ol>\n{questions}</ol>\n</li>\n")
            else:
                lines.append(questions)
        lines.append("</ol>\n</li>\n")
    lines.append("</ol>\n</nav>\n</body>\n</html>\n")
    return "".join(lines)


def cover(book: Book, lang: str) -> str:
    date = time.strftime("%Y-%m-%d", time.gmtime(book.epoch))
    return (XHTML_HEAD.format(lang=lang, title=html.escape(book.title)) +
            f'<body>\n<section class="cover" epub:type="cover">\n<h1>{html.escape(book.title)}</h1>\n'
            f"<p>{html.escape(book.description)}</p>\n<p>{date}</p>\n"
            f'<p><a href="{html.escape(book.site_url)}">{html.escape(book.site_url)}</a></p>\n'
            f"<p>{html.escape(book.string('downloads_cover_note'))}</p>\n</section>\n</body>\n</html>\n")


def package_document(book: Book, lang: str, documents: list[tuple[str, bool]], figures: list[str]) -> str:
    identifier = uuid.uuid5(uuid.NAMESPACE_URL, book.site_url)
    modified = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(book.epoch))
    items = ['<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
             '<item id="cover" href="cover.xhtml" media-type="application/xhtml+xml"/>',
             '<item id="style" href="style.css" media-type="text/css"/>']
    for index, (_, has_math) in enumerate(documents):
        properties = ' properties="mathml"' if has_math else ""
        items.append(f'<item id="page{index + 1}" href="{chapter_file(index)}" '
                     f'media-type="application/xhtml+xml"{properties}/>')
    for number, name in enumerate(figures):
        items.append(f'<item id="fig{number + 1}" href="{name}" media-type="{MEDIA_TYPES[Path(name).suffix]}"/>')
    spine = ['<itemref idref="cover"/>', '<itemref idref="nav"/>'] + \
        [f'<itemref idref="page{index + 1}"/>' for index in range(len(documents))]
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" '
            f'xml:lang="{lang}">\n<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
            f'<dc:identifier id="book-id">urn:uuid:{identifier}</dc:identifier>\n'
            f"<dc:title>{html.escape(book.title)}</dc:title>\n<dc:language>{lang}</dc:language>\n"
            f"<dc:description>{html.escape(book.description)}</dc:description>\n"
            f"<dc:source>{html.escape(book.site_url)}</dc:source>\n"
            f'<meta property="dcterms:modified">{modified}</meta>\n</metadata>\n'
            "<manifest>\n" + "\n".join(items) + "\n</manifest>\n"
            "<spine>\n" + "\n".join(spine) + "\n</spine>\n</package>\n")


CONTAINER = ('<?xml version="1.0" encoding="utf-8"?>\n'
             '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n'
             '<rootfiles><rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>'
             "</rootfiles>\n</container>\n")


def write_epub(book: Book, target: Path) -> None:
    lang = qa_i18n.LANGUAGE_TAGS.get(book.code, book.code)
    chapters = book.chapters
    places = {item.anchor: f"{chapter_file(index)}#{question_id(item.short_id)}"
              for index, chapter in enumerate(chapters) for item in chapter.items}
    documents = [chapter_document(book, index, chapter, places, lang) for index, chapter in enumerate(chapters)]
    figures = {figure_name(path): file for path, file in sorted(book.figures.items())}
    date = time.gmtime(max(book.epoch, 315532800))[:6]
    with zipfile.ZipFile(target, "w") as epub:
        def add(name: str, data: bytes, compress: int = zipfile.ZIP_DEFLATED) -> None:
            info = zipfile.ZipInfo(name, date)
            info.compress_type = compress
            info.external_attr = 0o644 << 16
            epub.writestr(info, data)

        add("mimetype", b"application/epub+zip", zipfile.ZIP_STORED)  # first and uncompressed, as EPUB requires
        add("META-INF/container.xml", CONTAINER.encode())
        add("EPUB/package.opf", package_document(book, lang, documents, sorted(figures)).encode())
        add("EPUB/nav.xhtml", navigation(book, lang).encode())
        add("EPUB/cover.xhtml", cover(book, lang).encode())
        add("EPUB/style.css", STYLE.encode())
        for index, (document, _) in enumerate(documents):
            add(f"EPUB/{chapter_file(index)}", document.encode())
        for name, file in sorted(figures.items()):
            add(f"EPUB/{name}", file.read_bytes())
