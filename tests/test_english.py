"""English answers: complete, English, shaped like the Chinese, and flagged when the Chinese changes."""

from __future__ import annotations

import re

import pytest

from bs4 import BeautifulSoup

import fidelity
from conftest import copy_project, run_build
from qa_i18n import fingerprint

HAN = re.compile(r"[\u4e00-\u9fff]")
MAX_HAN_SHARE = 0.05


def english_pages(site):
    return fidelity.topic_pages(site / "en")


def test_every_answer_is_english(site_build, corpus):
    pages = english_pages(site_build.site)
    for page in corpus.pages:
        for question in page.questions:
            nodes = fidelity.answer_nodes(pages[page.spec.id], question.anchor)
            text = "".join(n.get_text() for n in nodes)
            letters = sum(1 for ch in text if ch.isalpha())
            han = len(HAN.findall(text))
            assert letters and han / letters < MAX_HAN_SHARE, f"{question.location}: {han}/{letters}"
            # No "untranslated" or "outdated" notice (an answer that stops mid-sentence upstream says so)
            notices = [n for n in nodes if "admonition" in (n.get("class") or [])]
            truncated = corpus.editions["en"].string("truncated")
            assert all(n.get_text().strip() == truncated for n in notices), question.location


def test_english_answers_keep_the_chinese_structure(site_build, corpus):
    chinese = fidelity.topic_pages(site_build.site)
    english = english_pages(site_build.site)
    for page in corpus.pages:
        for question in page.questions:
            zh_nodes = fidelity.answer_nodes(chinese[page.spec.id], question.anchor)
            en_nodes = fidelity.answer_nodes(english[page.spec.id], question.anchor)
            zh, en = fidelity.structure.shape_of(zh_nodes), fidelity.structure.shape_of(en_nodes)
            assert (en.list_items, en.table_rows, en.code_blocks, en.images) == \
                   (zh.list_items, zh.table_rows, zh.code_blocks, zh.images), question.location
            maths = [sum(len(n.find_all("math")) + (n.name == "math") for n in nodes) for nodes in (zh_nodes, en_nodes)]
            assert maths[0] == maths[1], question.location


def test_translations_record_the_chinese_they_came_from(corpus):
    english = corpus.editions["en"].english
    stale = [q.location for q in corpus.questions if english.questions[q.anchor].source != fingerprint(q)]
    assert not stale


@pytest.fixture(scope="module")
def changed_source_build(tmp_path_factory):
    """The project with one Chinese answer edited after its translation was made."""
    tmp_path = tmp_path_factory.mktemp("stale")
    root = copy_project(tmp_path / "project")
    source = root / "docs" / "sources" / "models-and-frameworks.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("5. 让AI视频领域的Scaling Law成立", "5. 让AI视频领域的Scaling Law继续成立"),
                      encoding="utf-8")
    return run_build(root, tmp_path / "site")


def test_changed_chinese_marks_its_translation_outdated(changed_source_build, corpus):
    build = changed_source_build
    assert build.returncode == 0, build.output
    assert re.search(r"DEBUG\s+-\s+models-and-frameworks\.md:\d+: \[translation\] English answer to 'Sora有哪些创新点？' "
                     r"may be outdated", build.output)
    page = fidelity.topic_pages(build.site / "en")["models-and-frameworks"]
    question = next(q for q in corpus.questions if q.title == "Sora有哪些创新点？")
    nodes = fidelity.answer_nodes(page, question.anchor)
    assert "may be outdated" in nodes[0].get_text()
    other = next(q for q in corpus.questions if q.title == "SVD（Stable-Video-Diffusion）有哪些创新点？")
    assert "may be outdated" not in fidelity.answer_nodes(page, other.anchor)[0].get_text()


@pytest.mark.parametrize("key, count, shown", [
    ("used_in", 1, "Used in 1 question:"),
    ("used_in", 14, "Used in 14 questions:"),
    ("questions", 1, "1 question"),
    ("questions", 0, "0 questions"),
])
def test_english_counts_agree_in_number(corpus, key, count, shown):
    import qa_i18n

    assert corpus.editions[qa_i18n.ENGLISH].string(key, count=count) == shown
    assert "{count}" not in corpus.editions[qa_i18n.DEFAULT].string(key, count=count)


def test_no_english_page_says_1_questions(site_build):
    for page in (site_build.site / "en").rglob("*.html"):
        text = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text(" ")
        assert not re.search(r"\b1 questions\b", text), page
