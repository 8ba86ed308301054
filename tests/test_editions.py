"""Three editions from one source: 简体 at the root, 繁體 at /zh-TW/, English at /en/."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlparse

import opencc
import pytest
import yaml
from bs4 import BeautifulSoup

import qa_search_shards
import search_eval
from qa_i18n import PHRASES_FILE, load_english, parse_phrases, to_traditional
from qa_model import SourceError

EDITIONS = {"": "zh", "zh-TW/": "zh-TW", "en/": "en"}
SIMPLIFIED_TO_TRADITIONAL = opencc.OpenCC("s2t")


def soup_at(site, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("prefix, lang", EDITIONS.items())
def test_each_edition_builds_with_its_language(site_build, corpus, prefix, lang):
    for path in [""] + [f"topics/{page.spec.id}/" for page in corpus.pages] + ["topics/glossary/"]:
        soup = soup_at(site_build.site, prefix + path)
        assert soup.html["lang"] == lang, prefix + path
        anchors = {h2["id"] for h2 in soup.select("article h2[id]")}
        if path.startswith("topics/") and "glossary" not in path:
            page = next(p for p in corpus.pages if f"topics/{p.spec.id}/" == path)
            assert {q.anchor for q in page.questions} <= anchors


@pytest.mark.parametrize("prefix, lang, heading", [("", "zh", "找不到这个页面"), ("zh-TW/", "zh-TW", "找不到這個頁面"),
                                                   ("en/", "en", "Page not found")])
def test_each_edition_has_its_own_404(site_build, prefix, lang, heading):
    soup = BeautifulSoup((site_build.site / prefix / "404.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.html["lang"] == lang and soup.find("h1").get_text() == heading


def test_traditional_pages_hold_no_simplified_only_characters(site_build, corpus):
    """No 繁體 page shows a Simplified-only character: one that OpenCC changes and never writes
    when converting the site's text (干 it writes, as in 干擾; 这 never)."""
    def article_text(path: str) -> str:
        article = soup_at(site_build.site, path).find("article")
        for element in article.find_all(["pre", "code", "math"]):
            element.decompose()
        return article.get_text()

    simplified = "".join(article_text(f"topics/{page.spec.id}/") for page in corpus.pages)
    traditional = {page.spec.id: article_text(f"zh-TW/topics/{page.spec.id}/") for page in corpus.pages}
    used = set(to_traditional(simplified))  # what the converter writes, not what the pages show
    simplified_only = {ch for ch in set(simplified)
                       if "\u4e00" <= ch <= "\u9fff" and SIMPLIFIED_TO_TRADITIONAL.convert(ch) != ch and ch not in used}
    assert len(simplified_only) > 300  # the check has teeth: 这, 视, 频, 们 ...
    for page_id, text in traditional.items():
        left = set(text) & simplified_only
        assert not left, f"{page_id}: {''.join(sorted(left))}"
    assert not {"这", "视", "频", "们", "时"} & used


def test_traditional_conversion_keeps_anchors_links_and_tags():
    source = '## 视频生成 { #视频生成 }\n\n见[视频](video-generation.md#视频生成)与<span id="视频"></span>视频。'
    converted = to_traditional(source)
    assert "{ #视频生成 }" in converted and "(video-generation.md#视频生成)" in converted
    assert '<span id="视频"></span>' in converted and converted.startswith("## 影片生成")
    assert to_traditional("FPS<24会产生卡顿") == "FPS<24會產生卡頓"


@pytest.mark.parametrize("simplified, traditional", [
    ("全参数微调", "全參數微調"), ("重参数化", "重參數化"), ("超参数和参数量", "超參數和參數量"),
    ("生成视频的质量", "生成影片的品質"), ("高质量数据", "高品質資料"), ("像素级", "像素級"),
    ("分辨率", "解析度"),  # OpenCC's Taiwan phrasing stays where it is right
])
def test_traditional_terms_follow_the_reviewed_phrase_table(simplified, traditional):
    assert to_traditional(simplified) == traditional


def test_traditional_edition_shows_no_term_the_phrase_table_corrects(site_build, corpus):
    phrases = parse_phrases(PHRASES_FILE.read_text(encoding="utf-8"))
    simplified = "".join(soup_at(site_build.site, f"topics/{page.spec.id}/").find("article").get_text()
                         for page in corpus.pages)
    assert "参数" in simplified and "质量" in simplified  # the table has something to correct
    for page in corpus.pages:
        text = soup_at(site_build.site, f"zh-TW/topics/{page.spec.id}/").find("article").get_text()
        assert not [wrong for wrong in phrases if wrong in text], page.spec.id
    _, questions = qa_search_shards.read(site_build.site / "zh-TW" / "search")
    words = json.dumps([vars(q) for q in questions], ensure_ascii=False)
    assert "引數" not in words and "參數" in words


@pytest.mark.parametrize("table, line_hint", [
    ("- {opencc: 引數}", "[1] lacks use, why"),
    ("opencc: 引數", "the file must be a list"),
    ("- [unclosed", "not valid YAML"),
])
def test_a_bad_phrase_table_names_the_file(table, line_hint):
    with pytest.raises(SourceError) as error:
        parse_phrases(table)
    assert "data/zh-TW-phrases.yml" in str(error.value) and line_hint in str(error.value)


def test_every_question_has_an_english_title_and_answer(corpus):
    english = corpus.editions["en"].english
    for question in corpus.questions:
        translation = english.questions.get(question.anchor)
        assert translation is not None and translation.title and translation.answer, question.location
        assert not re.search(r"[\u4e00-\u9fff]", translation.title), translation.title
    assert len(english.questions) == len(corpus.questions)


def test_english_navigation_and_home_page_are_english(site_build):
    soup = soup_at(site_build.site, "en/")
    nav = " ".join(a.get_text(" ", strip=True) for a in soup.select("nav.md-nav--primary a"))
    assert not re.search(r"[\u4e00-\u9fff]", nav.replace("简体中文", "").replace("繁體中文", ""))
    article = soup.find("article").get_text()
    assert "Video generation" in article and not re.search(r"[\u4e00-\u9fff]", article)


def test_switcher_links_point_at_the_same_page_in_every_edition(site_build, corpus):
    for page in corpus.pages:
        for prefix in EDITIONS:
            here = f"{prefix}topics/{page.spec.id}/"
            links = soup_at(site_build.site, here).select("a.md-select__link[hreflang]")
            targets = {a["hreflang"]: urlparse(urljoin("http://site/" + here, a["href"])).path.lstrip("/")
                       for a in links}
            assert targets == {lang: f"{p}topics/{page.spec.id}/" for p, lang in EDITIONS.items()}


def test_switching_edition_keeps_the_question(browser, served_site, corpus):
    question = next(q for q in corpus.questions if q.title.startswith("什么DiT"))
    page_id = corpus.page_of(question).spec.id
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    tab.goto(urljoin(served_site, f"en/topics/{page_id}/#{quote(question.anchor)}"), wait_until="networkidle")
    tab.locator(".md-header__option .md-select").first.hover()
    tab.locator("a.md-select__link[hreflang='zh-TW']").click()
    tab.wait_for_load_state("networkidle")
    assert urlparse(tab.url).path.endswith(f"/zh-TW/topics/{page_id}/")
    assert unquote(urlparse(tab.url).fragment) == question.anchor
    top = tab.evaluate(f"document.getElementById({question.anchor!r}).getBoundingClientRect().top")
    assert 0 <= top < 200
    tab.close()


@pytest.mark.parametrize("prefix, query, expect", [
    ("", "LoRA", "在视频生成模型训练中"),
    ("zh-TW/", "光流", "光流"),
    ("en/", "optical flow", "optical flow"),
    ("en/", "LoRA", "LoRA"),
])
def test_search_stays_within_its_edition(browser, served_site, prefix, query, expect):
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    search_eval.open_search(tab, urljoin(served_site, prefix))
    search_eval.run_query(tab, query)
    hrefs = tab.eval_on_selector_all(search_eval.RESULT_LINKS, "links => links.map(a => a.href)")
    assert hrefs
    for href in hrefs:
        path = urlparse(href).path.lstrip("/")
        edition = next((p for p in ("zh-TW/", "en/") if path.startswith(p)), "")
        assert edition == prefix, href
    titles = " ".join(tab.locator(".md-search-result__article :is(h1, h2)").all_text_contents()).replace("\u200b", "")
    assert expect.lower() in titles.lower()
    tab.close()


def test_sitemap_lists_every_page_with_its_alternates(site_build, corpus):
    text = (site_build.site / "sitemap.xml").read_text(encoding="utf-8").replace("xhtml:link", "alternate")
    sitemap = BeautifulSoup(text.replace('<?xml version="1.0" encoding="UTF-8"?>', ""), "html.parser")
    urls = sitemap.find_all("url")
    for page in corpus.pages:
        entry = next(u for u in urls if u.loc.get_text().endswith(f"/topics/{page.spec.id}/")
                     and "/en/" not in u.loc.get_text() and "/zh-TW/" not in u.loc.get_text())
        hreflangs = {link["hreflang"] for link in entry.find_all("alternate")}
        assert hreflangs == set(EDITIONS.values())


@pytest.mark.build
def test_untranslated_answer_shows_the_chinese_under_a_notice(tmp_path, corpus):
    """A question missing from the English files keeps its English-less page readable."""
    from conftest import copy_project, run_build

    root = copy_project(tmp_path / "project")
    path = root / "docs" / "data" / "en" / "datasets-and-models.yml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    dropped = entries.pop()
    path.write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), encoding="utf-8")
    build = run_build(root, tmp_path / "site")
    assert build.returncode == 0, build.output
    titled, answered, total = corpus.translated  # counts derived from the sources, not written down
    assert f"English edition: {titled - 1}/{total} titles and {answered - 1}/{total} answers translated" in build.output
    page = soup_at(build.site, "en/topics/models-and-frameworks/")
    heading = page.find("h2", id=dropped["id"])
    notice = heading.find_next(class_="admonition")
    assert "not been translated" in notice.get_text()


SEARCH_DIALOG_NAMES = {"zh": "搜索", "zh-TW": "搜尋", "en": "Search"}


@pytest.mark.parametrize("prefix", list(EDITIONS))
def test_pages_name_the_search_dialog_and_leave_alternates_to_the_sitemap(site_build, corpus, prefix):
    """Screen readers announce the search dialog by name; the head lists no per-page alternates
    (the theme's script would fetch a sitemap next to each; the sitemap carries them)."""
    for path in ["", f"topics/{corpus.pages[0].spec.id}/", "topics/glossary/"]:
        soup = soup_at(site_build.site, prefix + path)
        dialog = soup.select_one("div.md-search[role=dialog]")
        assert dialog is not None and dialog.get("aria-label") == SEARCH_DIALOG_NAMES[EDITIONS[prefix]], path
        assert not soup.head.select("link[rel=alternate][hreflang]"), path


def interface_texts(page: Path) -> list[str]:
    """What a page shows outside its content and names: header, footer, navigation, labels."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    for node in soup.select("article, nav.md-nav--secondary, .md-select, script, style"):
        node.decompose()  # content, the question outline (content's titles), the language names
    texts = [str(text).strip() for text in soup.body.find_all(string=True)]
    texts += [value for element in soup.find_all(True) for key, value in element.attrs.items()
              if key in ("title", "aria-label", "placeholder", "alt")]
    return [text for text in texts if text]


def test_english_interface_has_no_chinese(site_build):
    found = {text for page in (site_build.site / "en").rglob("*.html") for text in interface_texts(page)
             if re.search(r"[\u3400-\u9fff]", text)}
    assert not found


def test_traditional_interface_has_no_simplified_only_characters(site_build):
    """A simplified-only character is one OpenCC changes to traditional and never writes itself
    (群 is written as 群 by the Taiwan conversion though plain s2t gives 羣)."""
    def simplified_only(ch: str) -> bool:
        return SIMPLIFIED_TO_TRADITIONAL.convert(ch) != ch and to_traditional(ch) != ch

    texts = {text for page in (site_build.site / "zh-TW").rglob("*.html") for text in interface_texts(page)}
    assert any("搜尋" in text or "影片" in text for text in texts)  # the check sees the interface
    assert not {text for text in texts if any(simplified_only(ch) for ch in text)}


def test_data_file_errors_name_the_entry_line():
    table = "# comment\n- opencc: 引數\n  use: 參數\n  why: ok\n- opencc: 質量\n  use: 品質\n"
    with pytest.raises(SourceError) as error:
        parse_phrases(table)
    assert error.value.line == 5
    english = "- id: a\n  title: A\n- id: a\n  title: again\n"
    with pytest.raises(SourceError, match="translated twice") as error:
        load_english({"x.yml": english.encode()})
    assert error.value.line == 3 and error.value.source == "data/en/x.yml"
