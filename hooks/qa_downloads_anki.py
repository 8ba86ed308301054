"""An Anki deck (.apkg) per edition: one note per question, the same note across versions of the site.

A note's GUID comes from the edition and the question's short id, so importing a newer deck updates
its answers and keeps the reader's review history, and the editions never overwrite each other.
Deck and model ids are fixed. The package is written here rather than by genanki's writer, which
stamps the ZIP entries with the time of the build: two builds give the same bytes.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import os
import sqlite3
import tempfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import genanki
from bs4 import BeautifulSoup

import qa_i18n

if TYPE_CHECKING:  # the book is made by qa_downloads, which calls this module
    from qa_downloads import Book, Item

# Fixed ids: the same deck and note type in every build, one per edition.
DECK_IDS = {qa_i18n.DEFAULT: 1_733_600_001, qa_i18n.TRADITIONAL: 1_733_600_002, qa_i18n.ENGLISH: 1_733_600_003}
MODEL_IDS = {qa_i18n.DEFAULT: 1_733_600_101, qa_i18n.TRADITIONAL: 1_733_600_102, qa_i18n.ENGLISH: 1_733_600_103}
GUID_NAMESPACE = "ai-video-qa"

CARD_CSS = """.card { font-family: system-ui, sans-serif; font-size: 18px; line-height: 1.6; text-align: left;
  max-width: 44em; margin: 0 auto; padding: 0 .5em; }
.card img { max-width: 100%; height: auto; }
.card table { border-collapse: collapse; } .card td, .card th { border: 1px solid #8884; padding: .2em .4em; }
.card pre { overflow-x: auto; } .qa-title { font-weight: bold; font-size: 1.15em; }
.qa-link { font-size: .85em; margin-top: 1.5em; }"""


def guid(code: str, short_id: str) -> str:
    """A note's GUID: the same for a question in every build of its edition."""
    return genanki.guid_for(GUID_NAMESPACE, code, short_id)


def model(book: Book) -> genanki.Model:
    return genanki.Model(
        MODEL_IDS[book.code], f"{book.title} ({book.code})",
        fields=[{"name": "Title"}, {"name": "Answer"}, {"name": "Link"}],
        templates=[{"name": "Card 1",
                    "qfmt": '<div class="qa-title">{{Title}}</div>',
                    "afmt": '{{FrontSide}}<hr id="answer">{{Answer}}<div class="qa-link">{{Link}}</div>'}],
        css=CARD_CSS, sort_field_index=0)


def media_name(site_path: str, data: bytes) -> str:
    """A flat media file name (Anki keeps media in one folder): its content's hash, so a changed
    drawing never collides with the old one in a reader's collection."""
    return f"{GUID_NAMESPACE}-{hashlib.sha256(data).hexdigest()[:16]}{Path(site_path).suffix}"


def tag(text: str) -> str:
    """A section's name as an Anki tag (tags are separated by spaces)."""
    return "_".join(text.split())


def note_fields(book: Book, item: Item, media: dict[str, str]) -> list[str]:
    answer = BeautifulSoup(item.answer, "html.parser")
    for related in answer.select("div.qa-related"):  # a card is studied alone
        related.decompose()
    for image in answer.find_all("img"):
        image["src"] = media[image["src"]]
    for link in answer.find_all("a", href=True):
        if link["href"].startswith("#"):  # another question: on the site
            link["href"] = question_url(book, link["href"][1:])
    link = f'<a href="{html.escape(item.url)}">{html.escape(book.string("downloads_on_site"))}</a>'
    return [html.escape(item.title, quote=False), str(answer), link]


def question_url(book: Book, anchor: str) -> str:
    for item in book.items:
        if item.anchor == anchor:
            return item.url
    return book.site_url


def build_deck(book: Book) -> tuple[genanki.Deck, dict[str, bytes]]:
    """The deck and its media (name -> bytes)."""
    deck = genanki.Deck(DECK_IDS[book.code], book.title)
    note_type = model(book)
    media_files: dict[str, bytes] = {}
    media: dict[str, str] = {}
    for site_path, path in sorted(book.figures.items()):
        data = path.read_bytes()
        media[site_path] = media_name(site_path, data)
        media_files[media[site_path]] = data
    for section in book.sections:
        for chapter in section.chapters:
            for item in chapter.items:
                deck.add_note(genanki.Note(model=note_type, fields=note_fields(book, item, media),
                                           guid=guid(book.code, item.short_id), tags=[tag(section.title)],
                                           sort_field=item.title))
    used = {name for note in deck.notes for name in media.values() if name in note.fields[1]}
    return deck, {name: data for name, data in media_files.items() if name in used}


def write_deck(book: Book, target: Path) -> None:
    deck, media = build_deck(book)
    handle, database = tempfile.mkstemp(suffix=".anki2")
    os.close(handle)
    try:
        connection = sqlite3.connect(database)
        genanki.Package(deck).write_to_db(connection.cursor(), book.epoch, itertools.count(book.epoch * 1000))
        connection.commit()
        connection.close()
        names = sorted(media)
        date = zip_date(book.epoch)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
            def add(name: str, data: bytes) -> None:
                info = zipfile.ZipInfo(name, date)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                package.writestr(info, data)

            add("collection.anki2", Path(database).read_bytes())
            add("media", json.dumps({str(i): name for i, name in enumerate(names)}).encode())
            for index, name in enumerate(names):
                add(str(index), media[name])
    finally:
        os.unlink(database)


def zip_date(epoch: int) -> tuple:
    import time

    return time.gmtime(max(epoch, 315532800))[:6]
