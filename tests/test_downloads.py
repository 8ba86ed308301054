"""The PDF, EPUB and Anki deck of each edition, made by a real build with QA_DOWNLOADS=1, and the
downloads page that lists them."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import time
import zipfile
from pathlib import Path

import genanki
import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

import qa_downloads
import qa_downloads_anki
import qa_downloads_pdf
from conftest import copy_project, run_build

EDITIONS = {"zh": "", "zh-TW": "zh-TW/", "en": "en/"}


def folder(site: Path, code: str) -> Path:
    return site / EDITIONS[code]


def titles(site: Path, code: str) -> list[tuple[str, str]]:
    """(short id, title) of every question, as the edition's study catalog lists them."""
    catalog = json.loads((folder(site, code) / "study.json").read_text(encoding="utf-8"))
    return [(q["id"], q["title"]) for section in catalog["sections"] for q in section["questions"]]


def squeezed(text: str) -> str:
    """Text without any white space: a PDF's text layer breaks lines and spaces CJK from Latin."""
    return re.sub(r"\s+", "", text)


def read_deck(path: Path, tmp_path: Path) -> tuple[list[tuple], dict, zipfile.ZipFile]:
    package = zipfile.ZipFile(path)
    tmp_path.mkdir(parents=True, exist_ok=True)
    database = tmp_path / f"{path.stem}.anki2"
    database.write_bytes(package.read("collection.anki2"))
    connection = sqlite3.connect(database)
    notes = connection.execute("select guid, mid, flds, tags from notes order by id").fetchall()
    decks = {row[0] for row in connection.execute("select did from cards")}
    connection.close()
    return notes, {"decks": decks, "media": json.loads(package.read("media"))}, package


# --- unit ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value, kinds", [("", ()), ("0", ()), ("1", qa_downloads.KINDS), ("true", qa_downloads.KINDS),
                                          ("apkg", ("apkg",)), ("epub, apkg", ("epub", "apkg"))])
def test_switch_names_the_files_to_make(value, kinds):
    assert qa_downloads.wanted_kinds({qa_downloads.SWITCH: value}) == kinds


@pytest.mark.parametrize("value", ["pdf,docx", "maybe", ","])
def test_a_wrong_switch_value_is_refused(value):
    with pytest.raises(qa_downloads.DownloadError, match=qa_downloads.SWITCH):
        qa_downloads.wanted_kinds({qa_downloads.SWITCH: value})


def test_pdf_dates_and_id_become_the_contents_own():
    printed = (b"<< /CreationDate (D:20261204163320+08'00') /ModDate (D:20261204163320+08'00') >>\n"
               b"trailer << /ID [<0123456789ABCDEF0123456789ABCDEF> <FEDCBA9876543210FEDCBA9876543210>] >>")
    fixed = qa_downloads_pdf.make_reproducible(printed, 0)
    assert len(fixed) == len(printed)  # offsets in the cross-reference table stay right
    assert fixed.count(b"(D:19700101000000+00'00')") == 2
    again = qa_downloads_pdf.make_reproducible(printed.replace(b"0123456789ABCDEF0123", b"AAAAAAAAAAAAAAAAAAAA"), 0)
    assert again == fixed  # the id comes from the document, not from the printing


def test_note_ids_depend_on_edition_and_short_id_only():
    assert qa_downloads_anki.guid("zh", "abc123") == qa_downloads_anki.guid("zh", "abc123")
    assert len({qa_downloads_anki.guid(code, "abc123") for code in EDITIONS}) == 3
    assert len(set(qa_downloads_anki.DECK_IDS.values()) | set(qa_downloads_anki.MODEL_IDS.values())) == 6


def test_plain_build_lists_no_files(site_build):
    """`mkdocs build` without the switch makes no files; the downloads page says so, in each edition."""
    assert not list(site_build.site.rglob("downloads/ai-video-qa-*"))
    for code in EDITIONS:
        page = BeautifulSoup((folder(site_build.site, code) / "topics/downloads/index.html").read_text("utf-8"),
                             "html.parser")
        assert page.select_one(".qa-downloads-none"), code


def test_a_question_missing_from_its_page_fails_naming_its_line(site_build, corpus, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(site_build.site, site)
    question = corpus.pages[1].questions[2]
    page = site / "topics" / corpus.pages[1].spec.id / "index.html"
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    soup.find("h2", id=question.anchor).decompose()
    page.write_text(str(soup), encoding="utf-8")
    with pytest.raises(qa_downloads.DownloadError) as error:
        qa_downloads.read_book(site, corpus, "zh", "https://example.org/x/", 0, "t", "d")
    assert str(error.value).startswith(f"{question.source}:{question.line}:")


def test_a_figure_missing_from_the_site_fails_naming_its_line(site_build, corpus, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(site_build.site, site)
    book = qa_downloads.read_book(site_build.site, corpus, "zh", "https://example.org/x/", 0, "t", "d")
    figure = next(path for path in book.figures)
    (site / figure).unlink()
    with pytest.raises(qa_downloads.DownloadError, match=r"^[^:]+:\d+: figure"):
        qa_downloads.read_book(site, corpus, "zh", "https://example.org/x/", 0, "t", "d")


# --- the files, made by a real build ----------------------------------------------------------------
@pytest.mark.parametrize("code", EDITIONS)
def test_every_question_title_is_in_the_pdf(downloads_build, code):
    path = folder(downloads_build.site, code) / "downloads" / f"ai-video-qa-{code}.pdf"
    reader = PdfReader(path)
    text = squeezed("".join(page.extract_text() for page in reader.pages))
    expected = titles(downloads_build.site, code)
    missing = [title for _, title in expected if squeezed(title) not in text]
    assert not missing
    bookmarks = []

    def walk(entries):
        for entry in entries:
            walk(entry) if isinstance(entry, list) else bookmarks.append(squeezed(entry.title))

    walk(reader.outline)
    assert all(squeezed(title) in bookmarks for _, title in expected)  # a bookmark per question
    fonts = []
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendant = font.get("/DescendantFonts")
            font = descendant[0].get_object() if descendant else font
            descriptor = font.get("/FontDescriptor")
            if descriptor is not None and font.get("/Subtype") != "/Type3":  # Type3 glyphs are drawn in the file
                fonts.append((str(font["/BaseFont"]),
                              any(key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3"))))
    assert fonts and all(embedded for _, embedded in fonts)
    if code != "en":
        assert any(re.search(r"WenQuanYi|Noto.*CJK|NotoSans.*(SC|TC)", name) for name, _ in fonts)
    internal = sum(1 for page in reader.pages for note in (page.get("/Annots") or [])
                   if "/Dest" in note.get_object() or "/D" in (note.get_object().get("/A") or {}))
    assert internal >= len(expected)  # the contents at least link to every question
    assert reader.metadata["/CreationDate"] == reader.metadata["/ModDate"]
    assert path.stat().st_size <= 15 * 1024 * 1024


@pytest.mark.parametrize("code", EDITIONS)
def test_every_question_title_is_in_the_epub(downloads_build, code):
    path = folder(downloads_build.site, code) / "downloads" / f"ai-video-qa-{code}.epub"
    epub = zipfile.ZipFile(path)
    first = epub.infolist()[0]
    assert (first.filename, first.compress_type, epub.read(first)) == ("mimetype", zipfile.ZIP_STORED,
                                                                       b"application/epub+zip")
    package = epub.read("EPUB/package.opf").decode()
    assert f"<dc:language>{ {'zh': 'zh-CN'}.get(code, code)}</dc:language>" in package
    navigation = BeautifulSoup(epub.read("EPUB/nav.xhtml"), "html.parser")
    listed = [a.get_text() for a in navigation.select("nav ol ol a")]
    pages = "".join(BeautifulSoup(epub.read(name), "html.parser").get_text()
                    for name in epub.namelist() if name.startswith("EPUB/page-"))
    for _, title in titles(downloads_build.site, code):
        assert title in listed, title
        assert title in pages, title
    figures = [name for name in epub.namelist() if name.startswith("EPUB/imgs/")]
    assert figures and all(f'href="{name[5:]}"' in package for name in figures)
    assert path.stat().st_size <= 5 * 1024 * 1024


def epubcheck_command() -> list[str] | None:
    found = shutil.which("epubcheck")
    if found is None:
        return None
    with open(found, "rb") as program:
        is_jar = program.read(2) == b"PK"
    return ["java", "-jar", str(Path(found).resolve())] if is_jar and shutil.which("java") else [found]


@pytest.mark.parametrize("code", EDITIONS)
def test_epub_is_valid_under_epubcheck(downloads_build, code):
    command = epubcheck_command()
    if command is None:
        message = "epubcheck is not installed (Debian: apt-get install epubcheck)"
        if os.environ.get("CI"):  # .ci/run and the Pages workflow install it
            pytest.fail("the EPUB check cannot be skipped in CI: " + message)
        pytest.skip(message)
    path = folder(downloads_build.site, code) / "downloads" / f"ai-video-qa-{code}.epub"
    result = subprocess.run([*command, str(path)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 fatals / 0 errors / 0 warnings" in result.stdout


@pytest.mark.parametrize("code", EDITIONS)
def test_deck_has_one_note_per_question(downloads_build, code, tmp_path):
    path = folder(downloads_build.site, code) / "downloads" / f"ai-video-qa-{code}.apkg"
    notes, facts, package = read_deck(path, tmp_path)
    expected = titles(downloads_build.site, code)
    assert [qa_downloads_anki.guid(code, sid) for sid, _ in expected] == [note[0] for note in notes]
    assert {note[1] for note in notes} == {qa_downloads_anki.MODEL_IDS[code]}
    assert facts["decks"] == {qa_downloads_anki.DECK_IDS[code]}
    media = set(facts["media"].values())
    for (sid, title), (_, _, fields, tags) in zip(expected, notes):
        front, back, link = fields.split("\x1f")
        assert BeautifulSoup(front, "html.parser").get_text() == title
        assert BeautifulSoup(back, "html.parser").get_text().strip()
        assert re.search(r'href="https?://[^"]+/topics/[^"]+#', link)
        assert tags.strip()  # its section
        for source in re.findall(r'<img[^>]* src="([^"]+)"', back):
            assert source in media
    assert len({tags for *_, tags in notes}) > 3
    assert media and all(package.read(index) for index in facts["media"])


def test_deck_keeps_its_notes_when_an_answer_is_reworded(downloads_build, corpus, tmp_path):
    """Importing the newer deck updates the answer of the same note: same GUIDs, one answer changed."""
    question = corpus.pages[0].questions[0]
    project = copy_project(tmp_path / "project")
    source = project / "docs" / "sources" / question.source
    lines = source.read_text(encoding="utf-8").split("\n")
    line = next(n for n in range(question.body_line - 1, len(lines))
                if lines[n].strip() and not lines[n].lstrip().startswith(("#", "<", "|", "!", "`", "-", "*")))
    lines[line] += "（改写后的句子）"
    source.write_text("\n".join(lines), encoding="utf-8")
    build = run_build(project, tmp_path / "site", QA_DOWNLOADS="apkg", SOURCE_DATE_EPOCH=str(int(time.time())))
    assert build.returncode == 0, build.output
    before, _, _ = read_deck(downloads_build.site / "downloads" / "ai-video-qa-zh.apkg", tmp_path / "a")
    after, _, _ = read_deck(build.site / "downloads" / "ai-video-qa-zh.apkg", tmp_path / "b")
    assert [note[0] for note in before] == [note[0] for note in after]
    changed = [a for b, a in zip(before, after) if b[2] != a[2]]
    assert [note[0] for note in changed] == [qa_downloads_anki.guid("zh", corpus.short_ids[question.anchor])]
    assert "改写后的句子" in changed[0][2]
    assert not list(build.site.rglob("downloads/*.pdf"))  # only the deck was asked for


@pytest.mark.parametrize("code", EDITIONS)
def test_downloads_page_lists_each_file_with_size_and_date(downloads_build, code):
    site = downloads_build.site
    page = BeautifulSoup((folder(site, code) / "topics/downloads/index.html").read_text("utf-8"), "html.parser")
    rows = page.select("table.qa-downloads-table tbody tr")
    assert len(rows) == 3
    epoch = int(subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=Path(__file__).parent, text=True,
                               capture_output=True).stdout.strip() or qa_downloads.FALLBACK_EPOCH)
    for row in rows:
        link = row.find("a")
        target = (folder(site, code) / "topics/downloads" / link["href"]).resolve()
        assert target.is_file()
        size = row.find_all("td")[2].get_text()
        assert re.fullmatch(r"\d+(\.\d)? [KM]B", size)
        assert row.find("time")["datetime"] == time.strftime("%Y-%m-%d", time.gmtime(epoch))
    home = BeautifulSoup((folder(site, code) / "index.html").read_text("utf-8"), "html.parser")
    assert home.select_one("article a[href='topics/downloads/']")
    assert home.select_one("nav.md-nav--primary a[href='topics/downloads/']")
