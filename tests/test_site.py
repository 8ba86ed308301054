"""The built site against its sources: every question once, no text lost, GitHub's structure kept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import fidelity
import structure
from conftest import ROOT
from qa_read import split_number, title_key

SOURCE_HEADING = re.compile(r'^\s*<h2[^>]*>(.*?)</h2>\s*$|^##\s+(\d+\.\S.*)$')
RAW_MARKDOWN = re.compile(r"\*\*|^\s*[-*+]\s|^\s*#{1,6}\s|\]\(")


def page_soup(site: Path, page_id: str) -> BeautifulSoup:
    return BeautifulSoup((site / "topics" / page_id / "index.html").read_text(encoding="utf-8"), "html.parser")


def formula_pictures(markdown: str, names: set[str]) -> int:
    """How many of an answer's pictures are formulas the site writes as math instead."""
    return sum(1 for name in fidelity.FORMULA_PICTURE.findall(markdown) if name in names)


def test_strict_build_prints_no_warning(site_build):
    assert site_build.returncode == 0
    assert "WARNING" not in site_build.output
    assert "Traceback" not in site_build.output


def test_build_log_summarizes_the_content(site_build, corpus):
    summary = f"content: {corpus.found} questions in the sources, {len(corpus.questions)} on the site"
    assert summary in site_build.output
    assert re.search(r"DEBUG\s+-\s+datasets-and-evaluation\.md:\d+: \[order\]", site_build.output)


def test_each_question_appears_exactly_once(site_build, corpus):
    pages = fidelity.topic_pages(site_build.site)
    titles = [h2.get_text().rstrip("¶").strip() for soup in pages.values()
              for h2 in soup.select("article h2")]
    question_titles = [q.title for q in corpus.questions]
    assert sorted(titles) == sorted(question_titles)
    assert len({title_key(t) for t in titles}) == len(titles), "a question title is shown twice"
    ids = [h2["id"] for soup in pages.values() for h2 in soup.select("article h2")]
    assert len(ids) == len(set(ids))


def test_every_source_question_is_on_the_site_or_reported(site_build, corpus):
    """Read the sources with a plain regex, not the parser, so a parser bug cannot hide a question."""
    shown = {title_key(q.title) for q in corpus.questions}
    shown |= {title_key(split_number(q.toc_entry.title)[1]) for q in corpus.questions if q.toc_entry}
    dropped = {(c.source, c.line) for c in corpus.changes if c.kind in ("duplicate", "empty")}
    missing = []
    for path in sorted((ROOT / "docs" / "sources").glob("*.md")):
        for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
            match = SOURCE_HEADING.match(line)
            if not match:
                continue
            title = re.sub(r"<[^>]+>", "", match.group(1) or match.group(2))
            if title_key(split_number(title)[1]) not in shown and (path.name, number) not in dropped:
                missing.append(f"{path.name}:{number} {title}")
    assert not missing


def test_no_source_text_is_lost(site_build, corpus):
    lost, _, checked = fidelity.compare(site_build.site, corpus)
    assert checked >= len(corpus.questions) and not lost


def test_part_intros_are_kept(site_build, corpus):
    pages = fidelity.topic_pages(site_build.site)
    for page in corpus.pages:
        text = structure.plain_text([pages[page.spec.id].find("article")])
        for part in page.parts:
            for unit in structure.text_units(fidelity.github_nodes(part.intro)):
                assert unit in text, f"{part.source}:{part.intro_line}"


def test_structure_matches_github(site_build, corpus):
    _, mismatches, _ = fidelity.compare(site_build.site, corpus)
    assert not mismatches


def test_no_raw_markdown_is_visible(site_build):
    leftovers = []
    for page_id, soup in fidelity.topic_pages(site_build.site).items():
        article = soup.find("article")
        for code in article.find_all(["pre", "code"]):
            code.decompose()
        for line in article.get_text("\n").split("\n"):
            if RAW_MARKDOWN.search(line):
                leftovers.append(f"{page_id}: {line.strip()[:60]}")
    assert not leftovers


def test_every_question_is_in_its_page_toc(site_build, corpus):
    pages = fidelity.topic_pages(site_build.site)
    for page in corpus.pages:
        toc_links = {a["href"] for a in pages[page.spec.id].select("nav.md-nav--secondary a.md-nav__link")}
        for question in page.questions:
            assert f"#{question.anchor}" in toc_links, question.location


def test_anchors_are_readable_and_carry_no_number(corpus):
    for question in corpus.questions:
        assert question.anchor and not re.match(r"^\d", question.anchor), question.location
        assert re.fullmatch(r"[\w-]+", question.anchor), question.anchor


def test_old_links_land_on_the_kept_question(site_build, corpus):
    """Each dropped copy and each old id leaves an alias anchor inside the kept question's heading."""
    pages = fidelity.topic_pages(site_build.site)
    merged = [q for q in corpus.questions if q.merged_from]
    assert merged
    for page in corpus.pages:
        for question in page.questions:
            heading = pages[page.spec.id].find("h2", id=question.anchor)
            ids = {span["id"] for span in heading.select("span.qa-alias")}
            assert set(question.aliases) <= ids
            for copy in [question] + question.merged_from:
                old_id = re.sub(r"\s+", "-", copy.heading_id)
                assert old_id in ids | {question.anchor}, f"{copy.location}: {old_id}"


def test_home_page_links_every_section_with_counts(site_build, corpus):
    soup = BeautifulSoup((site_build.site / "index.html").read_text(encoding="utf-8"), "html.parser")
    text = soup.find("article").get_text()
    hrefs = {a["href"].rstrip("/").split("/")[-1] for a in soup.select("article a[href]")}
    for section in corpus.sections:
        pages = [page for page in corpus.pages if page.spec.section == section.title]
        for page in pages:
            assert page.spec.id in hrefs
            # A section of several pages lists them with their counts; a one-page section's card
            # says its title and count once, not twice.
            assert (f"{page.spec.title}（{len(page.questions)} 题）" in text) == (len(pages) > 1)
        if pages:
            assert f"{section.title} · {sum(len(p.questions) for p in pages)} 题" in text
    # The counts on the home page are the questions a reader finds on the pages.
    shown = sum(len(BeautifulSoup((site_build.site / "topics" / page.spec.id / "index.html")
                                  .read_text(encoding="utf-8"), "html.parser").select("article h2[id]"))
                for page in corpus.pages)
    assert shown == sum(len(p.questions) for p in corpus.pages)


def test_no_page_holds_more_than_forty_questions(corpus):
    assert all(len(page.questions) <= 40 for page in corpus.pages)


def test_content_report_lists_fixes_by_file_and_line(site_build, corpus):
    html = (site_build.site / "topics" / "content-report" / "index.html").read_text(encoding="utf-8")
    for kind in ("duplicate", "empty", "truncated", "order", "title", "toc-link"):
        change = next(c for c in corpus.changes if c.kind == kind)
        assert change.source in html and f"<td>{change.line}</td>" in html


@pytest.mark.parametrize("expected", [
    ("truncated", "ai-video-core.md", "请介绍下视频生成技术的应用场景"),
    ("empty", "models-and-frameworks.md", "SAM v2"),
    ("empty", "training-and-finetuning.md", "第二部分"),
    ("title", "datasets-and-evaluation.md", "MAGI-1在长视频生成中的性能表现如何"),
    ("duplicate", "models-and-frameworks.md", "目前主流的AI视频技术框架有哪几种"),
])
def test_known_defects_are_reported(corpus, expected):
    kind, source, words = expected
    assert any(c.kind == kind and c.source == source and words in c.message for c in corpus.changes)


def test_truncated_answer_is_kept_as_written(site_build, corpus):
    question = next(q for q in corpus.questions if "应用场景" in q.title and q.source == "ai-video-core.md"
                    and "视频生成技术" in q.title)
    text = page_soup(site_build.site, "video-generation").find("h2", id=question.anchor).find_next("ul").get_text()
    assert text.rstrip().endswith("利用视频生成技术制作")


def test_toc_order_is_followed(corpus):
    """datasets-and-evaluation.md places questions 10-14 of part one after part two; the TOC wins."""
    page = next(p for p in corpus.pages if p.spec.id == "datasets-generation")
    numbers = [int(q.number) for q in page.questions]
    assert numbers == sorted(numbers)


def test_formulas_are_mathml_not_tex(site_build, corpus):
    """Every `$...$` and `$$...$$` of the sources, and each formula picture, is a <math> element."""
    formulas = fidelity.formula_names()
    pages = fidelity.topic_pages(site_build.site)
    for page in corpus.pages:
        for question in page.questions:
            nodes = fidelity.answer_nodes(pages[page.spec.id], question.anchor)
            expected = len(re.findall(r"\$\$.*?\$\$|\$[^$\n]+\$", question.source_body, re.S))
            expected += formula_pictures(question.source_body, formulas)
            found = sum(len(n.find_all("math")) + (n.name == "math") for n in nodes)
            assert found == expected, question.location
    for soup in pages.values():
        article = soup.find("article")
        assert not article.select(".arithmatex")
        for code in article.find_all(["pre", "code", "math"]):
            code.decompose()
        text = article.get_text()
        assert "$" not in text and "\\(" not in text and "\\[" not in text and "\\frac" not in text


CJK_BREAK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef][ \t]*\n[ \t]*[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def inline_runs(site: Path, prefix: str):
    """The text of each paragraph, list item and cell as a reader sees it, cut at child blocks and
    line breaks (<br>), formulas and code spans standing in as one letter."""
    for page in (site / prefix / "topics").glob("*/index.html"):
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        for block in soup.select("article p, article li, article td"):
            run = ""
            for child in block.children:
                name = getattr(child, "name", None)
                if name in ("code", "math"):
                    run += "X"
                elif name is None or name in ("strong", "em", "a", "span", "del", "sup", "sub"):
                    run += child if name is None else child.get_text()
                else:
                    yield run
                    run = ""
            yield run


@pytest.mark.parametrize("prefix", ["", "zh-TW/", "en/"])
def test_chinese_line_breaks_show_no_space(site_build, prefix):
    runs = list(inline_runs(site_build.site, prefix))
    stray = [m.group(0) for run in runs for m in CJK_BREAK.finditer(run)]
    assert not stray, stray[:5]


@pytest.mark.parametrize("prefix", ["", "zh-TW/", "en/"])
def test_a_truncated_answer_carries_a_notice(site_build, corpus, prefix):
    assert corpus.truncated
    for page in corpus.pages:
        soup = BeautifulSoup((site_build.site / prefix / "topics" / page.spec.id / "index.html").read_text("utf-8"),
                             "html.parser")
        for question in page.questions:
            answer = []
            for node in soup.find("h2", id=question.anchor).find_next_siblings():
                if node.name == "h2":
                    break
                answer.append(node)
            notices = [n for n in answer if "warning" in (n.get("class") or []) and
                       ("中断" in n.get_text() or "中斷" in n.get_text() or "stops here" in n.get_text())]
            assert bool(notices) == (question.anchor in corpus.truncated), question.title
