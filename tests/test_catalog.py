"""Table-driven tests of the catalog: parsing its rules and placing (and splitting) parts on pages."""

from __future__ import annotations

import pytest

from qa_catalog import parse_catalog
from qa_model import Part, Question, SourceError
from qa_pipeline import place_parts

CATALOG = """
sources:
  - file: core.md
    parts:
      - match: "生成"
        page: generation
        split: {from: "%s", page: generation-more}
      - {match: "理解", page: understanding}
sections:
  - title: 生成
    pages:
      - {id: generation, title: 生成基础}
      - {id: generation-more, title: 生成进阶}
  - title: 理解
    pages:
      - {id: understanding, title: 理解}
"""


def part(title: str, *questions: str) -> Part:
    return Part("core.md", 1, title, intro="导语。", questions=[
        Question("core.md", 10 + i, str(i + 1), q, "答案。", 11 + i) for i, q in enumerate(questions)])


def titles_by_page(pages) -> dict[str, list[str]]:
    return {page.spec.id: [q.title for q in page.questions] for page in pages}


@pytest.mark.parametrize("split_from, expected, reported", [
    ("扩散", {"generation": ["什么是GAN？", "什么是VAE？"], "generation-more": ["扩散模型的去噪", "评估指标"],
              "understanding": ["什么是CLIP？"]}, 0),
    ("GAN", {"generation-more": ["什么是GAN？", "什么是VAE？", "扩散模型的去噪", "评估指标"],
             "understanding": ["什么是CLIP？"]}, 0),
    ("不存在的标题", {"generation": ["什么是GAN？", "什么是VAE？", "扩散模型的去噪", "评估指标"],
                "understanding": ["什么是CLIP？"]}, 1),
])
def test_a_long_part_continues_on_its_second_page(split_from, expected, reported):
    parts = [part("第一章 视频生成", "什么是GAN？", "什么是VAE？", "扩散模型的去噪", "评估指标"),
             part("第二章 视频理解", "什么是CLIP？")]
    pages, changes = place_parts(parse_catalog(CATALOG % split_from), parts, "其他")
    assert {k: v for k, v in titles_by_page(pages).items() if v} == expected
    assert sum(1 for c in changes if c.kind == "catalog") == reported
    # The chapter's introduction stays with its first page.
    intros = {page.spec.id: [p.intro for p in page.parts] for page in pages}
    assert intros.get("generation-more", [""])[-1] == ""


@pytest.mark.parametrize("rule, message", [
    ('{match: "生成", page: generation, split: {page: more}}', r"sources\[1\].parts\[1\].split lacks from"),
    ('{match: "生成", page: generation, split: {from: "", page: more}}', r"split.from must not be empty"),
    ('{match: "生成", page: generation, split: {from: "扩散"}}', r"split lacks page"),
    ('{match: "生成"}', r"parts\[1\] lacks page"),
    ('{match: "生成", page: generation, pages: more}', "pages: unknown field; expected one of: match, page, split"),
    ('{match: [生成], page: generation}', r"parts\[1\].match must be text, not a list"),
])
def test_bad_rules_are_refused_with_the_place(rule, message):
    text = f"sources:\n  - file: core.md\n    parts:\n      - {rule}\nsections: []\n"
    with pytest.raises(SourceError, match=message):
        parse_catalog(text)


@pytest.mark.parametrize("text, line", [
    ("sources:\n  - file: core.md\n    parts:\n      - {match: 生成}\nsections: []\n", 4),
    ("sources:\n  - file: core.md\n    parts: []\nsections:\n  - title: 生成\n    pages:\n"
     "      - {id: generation}\n", 7),
    ("sources:\n  - parts: []\nsections: []\n", 2),
    ("sources: []\n", 1),
])
def test_catalog_errors_name_the_line_of_the_entry(text, line):
    with pytest.raises(SourceError) as error:
        parse_catalog(text)
    assert error.value.line == line


def test_an_unlisted_file_gets_a_page_per_chapter_whatever_their_titles():
    """Chapter titles that contain one another, a lead part without a title, and a chapter named
    like one of the site's own pages each keep a page of their own."""
    from qa_model import Part, Question, SourceDocument
    from qa_pipeline import catalog_unlisted

    def part(title: str) -> Part:
        return Part("new.md", 1, title, questions=[Question("new.md", 2, "", f"{title}的题？", "答。", 3)])

    catalog = parse_catalog("sources: []\nsections: []\n")
    doc = SourceDocument("07_新文件.md", [], [], "新的一章")
    parts = [part(""), part("基础"), part("扩散模型基础"), part("glossary")]
    change = catalog_unlisted(catalog, doc, parts)
    pages = [catalog.rule_for_part("07_新文件.md", p.title).page for p in parts]
    assert len(set(pages)) == 4 and "glossary" not in pages
    assert catalog.sections[-1].title == "新的一章" and change.kind == "unlisted-source"


@pytest.mark.parametrize("page_id", ["glossary", "practice", "downloads", "removed-abcdef"])
def test_a_catalog_page_cannot_take_the_sites_own_page(page_id):
    from qa_model import SourceError
    text = f"sources: []\nsections:\n  - title: 甲\n    pages:\n      - {{id: {page_id}, title: 乙}}\n"
    with pytest.raises(SourceError) as error:
        parse_catalog(text)
    assert error.value.line == 5 and page_id in error.value.message
