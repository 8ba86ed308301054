"""Upstream changes, each dropped into a copy of the project and built for real: the site must be
whole, every question the site has published must still be reached from its old link and short
link, and the content report and the log's WARNINGs must say what changed.

The sources here are edited copies of the project's own sources, and one file written for this
test in upstream's newer format."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import unquote

import pytest
import yaml
from bs4 import BeautifulSoup

import qa_search_shards
from conftest import ROOT, copy_project, run_build, serve
from qa_record import RECORD_PATH, parse_record

SOURCES = Path("docs/sources")
RECORD = parse_record((ROOT / "docs" / RECORD_PATH).read_bytes())
KIND_TEXTS = {key[len("kind_"):]: text for key, text in
              yaml.safe_load((ROOT / "docs/data/strings.yml").read_text("utf-8")).items() if key.startswith("kind_")}

NEW_FORMAT = """# 9.1 时序建模专题

> 本章导语：视频模型如何处理时间。

---

# 目录导航

[9.1.1 时间注意力](#9.1.1_时间注意力)
  - [9.1.1.1 面试问题：时间注意力与空间注意力如何分解？](#9.1.1.1_面试问题：时间注意力与空间注意力如何分解？)
  - [9.1.1.2 面试问题：Q-Former 在视频模型里做什么？](#9.1.1.2_面试问题：Q-Former_在视频模型里做什么？)
[9.1.2 三维卷积](#9.1.2_三维卷积)
  - [9.1.2.1 面试题：3D卷积的感受野怎样随层数增长？](#9.1.2.1_面试题：3D卷积的感受野怎样随层数增长？)

---

<h1 id="9.1.1_时间注意力">9.1.1 时间注意力</h1>

<h2 id="9.1.1.1_面试问题：时间注意力与空间注意力如何分解？">9.1.1.1 面试问题：时间注意力与空间注意力如何分解？</h2>

先在每帧内部做空间注意力，再在同一位置的不同帧之间做时间注意力，计算量从平方级的总长度降为两项之和。

<div align="center"><img src="./imgs/ch09/fig-09-01-factorized.png" alt="分解注意力示意图" width="760" /></div>

#### Q1：分解后会丢失什么？

跨帧跨位置的直接交互要经过两步才能传递。

---

<h2 id="9.1.1.2_面试问题：Q-Former_在视频模型里做什么？">9.1.1.2 面试问题：Q-Former 在视频模型里做什么？</h2>

一组可学习查询向量从逐帧特征中汇聚信息，把长视频压缩成定长的查询输出，再交给语言模型。

<div align="center">
  <img src="./imgs/ch09/fig-09-02-queries.png" alt="查询向量从逐帧特征中汇聚信息的示意" width="760" />
  <p>图9-2 查询向量汇聚逐帧特征</p>
</div>

---

<h1 id="9.1.2_三维卷积">9.1.2 三维卷积</h1>

<h2 id="9.1.2.1_面试题：3D卷积的感受野怎样随层数增长？">9.1.2.1 面试题：3D卷积的感受野怎样随层数增长？</h2>

每层在时间维上扩张卷积核减一帧，堆叠后时间感受野线性增长；使用空洞卷积可以指数增长。
"""


def read(root: Path, name: str) -> str:
    return (root / SOURCES / name).read_text("utf-8")


def write(root: Path, name: str, text: str) -> None:
    (root / SOURCES / name).write_text(text, "utf-8")


def question_block(text: str, title: str) -> tuple[int, int]:
    """The character range of one question (heading to the next heading of a question or part)."""
    start = re.search(rf"^(?:<h2 id=\"\d+\.|## \d+\.){re.escape(title)}", text, re.M).start()
    following = re.compile(r"^(?:<h[12] |#{1,2} )", re.M)
    end = following.search(text, text.index("\n", start) + 1)
    return start, end.start() if end else len(text)


def renumber(root: Path) -> None:
    text = read(root, "ai-video-core.md")
    write(root, "ai-video-core.md", re.sub(r'(\[|\(#|id="|">|^## )(\d+)\.',
                                           lambda m: f"{m.group(1)}{int(m.group(2)) + 100}.", text, flags=re.M))


def move_question(root: Path) -> None:
    core = read(root, "ai-video-core.md")
    start, end = question_block(core, "什么DiT模型？")
    block = core[start:end]
    write(root, "ai-video-core.md", core[:start] + core[end:])
    models = read(root, "models-and-frameworks.md")
    write(root, "models-and-frameworks.md", models.rstrip("\n") + "\n\n" + block.replace("4.什么", "7.什么"))


def split_file(root: Path) -> None:
    text = read(root, "datasets-and-evaluation.md")
    at = text.index('<h1 id="第二部分')
    write(root, "datasets-and-evaluation.md", text[:at])
    write(root, "datasets-understanding.md", text[at:])


def add_new_format_file(root: Path) -> None:
    write(root, "video-temporal.md", NEW_FORMAT)


def add_missing_figures(root: Path) -> None:
    text = read(root, "models-and-frameworks.md")
    start, end = question_block(text, "目前主流的AI视频大模型有哪些？")
    figures = ("\n![新画的流程图](./imgs/新流程图.png)\n\n"
               '<div align="center"><img src="./imgs/ch02/fig-02-03-新图.png" alt="子目录里的图" width="760" /></div>\n\n')
    write(root, "models-and-frameworks.md", text[:end] + figures + text[end:])


def emoji_toc(root: Path) -> None:
    text = read(root, "datasets-and-evaluation.md")
    write(root, "datasets-and-evaluation.md", text.replace("# 目录\n", "## 📑 目录导航\n", 1))


def add_rules(root: Path) -> None:
    text = read(root, "ai-video-core.md")
    body = text.index("## 引言 「AI视频」简介")
    text = text[:body] + "\n---\n\n" + text[body:]
    start, end = question_block(text, "请介绍下视频生成技术的应用场景？")
    text = text[:end].rstrip("\n") + "\n\n一段要强调的总结\n---\n\n" + text[end:]
    write(root, "ai-video-core.md", text)


def empty_question(root: Path) -> None:
    text = read(root, "models-and-frameworks.md")
    start, end = question_block(text, "Sora有哪些创新点？")
    heading_end = text.index("\n", start) + 1
    write(root, "models-and-frameworks.md", text[:heading_end] + "\n" + text[end:])


def reword_title(root: Path) -> None:
    text = read(root, "ai-video-core.md")
    write(root, "ai-video-core.md", text.replace("什么DiT模型？", "什么是DiT模型？请简要说明"))
    text = read(root, "models-and-frameworks.md")
    write(root, "models-and-frameworks.md", text.replace("目前主流的AI视频大模型有哪些？", "当下主流的视频大模型都有哪些？"))


STRICT_CASE = "a new file in the newer format"


@dataclass
class Case:
    edit: Callable[[Path], None]
    warnings: set[str]  # the kinds the log warns about
    rows: dict[str, int] = field(default_factory=dict)  # report rows: kind -> how many (at least)
    absent: set[str] = field(default_factory=set)  # kinds the report must not have


CASES = {
    "renumbering": Case(renumber, set(), absent={"moved", "renamed", "removed", "new"}),
    "a question moved across files": Case(move_question, set(), {"moved": 1}, {"removed", "new"}),
    "a file split in two": Case(split_file, {"unlisted-source"}, {"moved": 6, "unlisted-source": 1}, {"removed", "new"}),
    "a new file in the newer format": Case(add_new_format_file, {"unlisted-source", "figure-missing", "unrecorded"},
                                           {"new": 3, "figure-missing": 2}, {"removed", "toc"}),
    "missing figures, one in a subfolder": Case(add_missing_figures, {"figure-missing"}, {"figure-missing": 2},
                                                {"removed", "new"}),
    "an emoji TOC heading": Case(emoji_toc, set(), absent={"removed", "new", "moved"}),
    "rules between entries and under a paragraph": Case(add_rules, set(), absent={"removed", "new"}),
    "an empty question": Case(empty_question, {"glossary-left"}, {"empty": 1, "removed": 1}, {"new"}),
    "a reworded title": Case(reword_title, set(), {"renamed": 2}, {"removed", "new"}),
}


@dataclass
class Built:
    returncode: int
    output: str
    site: Path
    strict_fails: bool
    pages: dict[str, BeautifulSoup | None] = field(default_factory=dict)

    def page(self, path: str) -> BeautifulSoup | None:
        if path not in self.pages:
            file = self.site / unquote(path) / "index.html"
            self.pages[path] = BeautifulSoup(file.read_text("utf-8"), "html.parser") if file.exists() else None
        return self.pages[path]

    def warnings(self) -> set[str]:
        return set(re.findall(r"^WARNING\s+-\s+\S+:\d+: \[([\w-]+)\]", self.output, re.M))

    def report_rows(self) -> list[tuple[str, str]]:
        """(kind, message) of every row of the 简体 content report."""
        soup = self.page("topics/content-report")
        kinds = {text: kind for kind, text in KIND_TEXTS.items()}
        rows = []
        for row in soup.select("article table tr"):
            cells = [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
            if len(cells) == 3:
                rows.append((kinds.get(cells[1], cells[1]), cells[2]))
        return rows


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Callable[[str], Built]:
    cache: dict[str, Built] = {}

    def build(name: str) -> Built:
        if name not in cache:
            root = copy_project(tmp_path_factory.mktemp("upstream") / "project")
            CASES[name].edit(root)
            plain = run_build(root, root / "site", strict=False)
            # `--strict` turns every WARNING into a failure (MkDocs' own rule); one case shows it for real.
            strict_fails = name == STRICT_CASE and run_build(root, root / "strict", strict=True).returncode != 0
            cache[name] = Built(plain.returncode, plain.output, root / "site", strict_fails)
        return cache[name]

    return build


def lands(build: Built, page: str, anchor: str, edition: str = "") -> str:
    """Where a link to /topics/<page>/#<anchor> ends, as the site's script follows it: the page that
    holds the anchor, or '' when it opens a page at its top (or no page)."""
    soup = build.page(f"{edition}topics/{page}")
    if soup is not None and soup.find(id=anchor):
        return page
    pages = json.loads((build.site / edition / "anchors.json").read_text("utf-8"))
    target = pages.get(anchor)
    if target is None:
        return ""
    soup = build.page(f"{edition}topics/{target}")
    if soup is None:
        return ""
    return target if soup.find(id=anchor) or target.startswith("removed-") else ""


@pytest.mark.parametrize("name", list(CASES))
def test_an_upstream_change_keeps_every_link(built, name):
    case = CASES[name]
    build = built(name)
    assert build.returncode == 0, build.output[-3000:]
    assert build.warnings() == case.warnings, build.output[-3000:]
    if name == STRICT_CASE:
        assert build.strict_fails  # CI asks the maintainer to act
    kinds = [kind for kind, _ in build.report_rows()]
    for kind, count in case.rows.items():
        assert kinds.count(kind) >= count, (kind, kinds)
    assert not case.absent & set(kinds), case.absent & set(kinds)
    for entry in RECORD:
        for edition in ("", "en/", "zh-TW/"):
            assert lands(build, entry.page, entry.anchor, edition), (edition, entry.page, entry.anchor)
            short = build.page(f"{edition}q/{entry.id}")
            target = short.find("meta", attrs={"http-equiv": "refresh"})["content"].split("url=", 1)[1]
            page, _, anchor = target.removeprefix("../../topics/").partition("/#")
            assert page and page.rstrip("/") != "", target
            assert build.page(f"{edition}topics/{page.rstrip('/')}") is not None, target


def test_a_renumbered_file_changes_nothing_readers_see(built):
    build = built("renumbering")
    soup = build.page("topics/video-generation")
    titles = [h.get_text(" ", strip=True) for h in soup.select("article h2")]
    assert titles and not any(re.match(r"\d", t) for t in titles)


def test_a_moved_question_is_on_its_new_page(built):
    build = built("a question moved across files")
    assert lands(build, "video-generation", "什么dit模型") == "models-and-frameworks"
    assert lands(build, "video-generation", "什么dit模型", "en/") == "models-and-frameworks"
    entry = next(e for e in RECORD if e.anchor == "什么dit模型")
    assert "models-and-frameworks/#" in build.page(f"q/{entry.id}").find("link", rel="canonical")["href"]


def test_a_file_in_the_newer_format_reads_as_its_authors_meant(built):
    build = built("a new file in the newer format")
    rows = build.report_rows()
    assert not [m for k, m in rows if k == "toc" and "video-temporal" in m]
    home = build.page("")
    section = home.find(string=re.compile("时序建模专题"))
    assert section is not None  # the file's own title names its section
    page = build.page("topics/时间注意力")
    titles = [h.get_text(" ", strip=True).rstrip("¶ ") for h in page.select("article h2")]
    assert titles == ["时间注意力与空间注意力如何分解？", "Q-Former 在视频模型里做什么？"]
    ids = [h["id"] for h in page.select("article h2")]
    assert not any("9.1" in i or "面试" in i for i in ids)
    assert page.find("h4", string=re.compile("Q1：分解后会丢失什么？")) is not None  # inside its answer
    assert "本章导语" in page.get_text()
    figure = page.select_one("figure.qa-figure-missing")
    assert figure is not None and "分解注意力示意图" in figure.get_text() and "此图尚未绘制" in figure.get_text()
    assert not page.select('img[src*="ch09"]')
    # A figure on several lines with its caption under it: the caption is the figure's, nothing raw is left.
    captions = [f.get_text(" ", strip=True) for f in page.select("figure.qa-figure-missing figcaption")]
    assert "图9-2 查询向量汇聚逐帧特征" in captions and "<img" not in page.select_one("article").decode_contents()
    assert build.page("topics/三维卷积").find(id="3d卷积的感受野怎样随层数增长") is not None
    english = build.page("en/topics/时间注意力").select_one("figure.qa-figure-missing")
    assert english is not None
    assert re.search(r"WARNING\s+-\s+video-temporal\.md:1: \[unlisted-source\].*sources: - \{\"file\": "
                     r"\"video-temporal\.md\"", build.output)


def test_missing_figures_are_placeholders_named_by_line(built):
    build = built("missing figures, one in a subfolder")
    lines = re.findall(r"WARNING\s+-\s+models-and-frameworks\.md:(\d+): \[figure-missing\] figure '([^']+)'",
                       build.output)
    assert [path for _, path in lines] == ["./imgs/新流程图.png", "./imgs/ch02/fig-02-03-新图.png"]
    project = build.site.parent
    source = (project / SOURCES / "models-and-frameworks.md").read_text("utf-8").split("\n")
    for line, path in lines:
        assert path in source[int(line) - 1]
    for edition in ("", "en/", "zh-TW/"):
        page = build.page(f"{edition}topics/models-and-frameworks")
        # The English page shows its translation, written before the figures came (and marked outdated).
        assert len(page.select("figure.qa-figure-missing")) == (0 if edition == "en/" else 2)
        assert not page.select('img[src*="新流程图"], img[src*="ch02"]')
    assert "此圖尚未繪製" in build.page("zh-TW/topics/models-and-frameworks").get_text()


def test_rules_are_not_parts(built):
    build = built("rules between entries and under a paragraph")
    home = build.page("").get_text()
    assert "（0 题）" not in home
    page = build.page("topics/video-generation")
    heading = page.find(string=re.compile("一段要强调的总结"))
    assert heading is not None and heading.find_parent(re.compile("h[2-6]")) is not None  # a setext heading


def test_a_removed_question_leads_to_a_notice(built):
    build = built("an empty question")
    entry = next(e for e in RECORD if e.anchor == "sora有哪些创新点")
    notice = f"removed-{entry.id}"
    for edition, title in (("", entry.title), ("en/", entry.english), ("zh-TW/", "Sora有哪些創新點")):
        assert lands(build, "models-and-frameworks", entry.anchor, edition) == notice
        page = build.page(f"{edition}topics/{notice}")
        assert title in page.select_one("article").get_text()
        assert len(page.select("article .qa-related li a")) == 5
        assert f"topics/{notice}/" in build.page(f"{edition}q/{entry.id}").find("link", rel="canonical")["href"]
    sitemap = (build.site / "sitemap.xml").read_text("utf-8")
    assert "removed-" not in sitemap
    _, questions = qa_search_shards.read(build.site / "search")
    assert questions and not [q for q in questions if "removed-" in q.location]
    assert entry.id in json.loads((build.site / "study.json").read_text("utf-8"))["removed"]


def test_a_reworded_question_keeps_its_address_and_translation(built):
    build = built("a reworded title")
    entry = next(e for e in RECORD if e.anchor == "什么dit模型")
    assert lands(build, entry.page, entry.anchor) == entry.page
    page = build.page(f"en/topics/{entry.page}")
    assert [h for h in page.select("article h2") if entry.english in h.get_text()]
    # Matched by the older copy of the question in ai-video-core-early.md, which kept the title.
    assert [m for k, m in build.report_rows() if k == "renamed" and "什么DiT模型？" in m and "same title" in m]
    # A question with no other copy is matched by its title and answer, with the score in the report.
    assert [m for k, m in build.report_rows() if k == "renamed" and "当下主流的视频大模型都有哪些？" in m and "score" in m]
    other = next(e for e in RECORD if e.title == "目前主流的AI视频大模型有哪些？")
    assert lands(build, other.page, other.anchor, "en/") == other.page
    study = json.loads((build.site / "study.json").read_text("utf-8"))
    assert entry.id in [q["id"] for section in study["sections"] for q in section["questions"]]


@pytest.mark.parametrize("edition, words", [("", ["已导入 1 道题", "另有 1 道题已从上游题库移除"]),
                                            ("en/", ["Imported the records of 1 questions", "1 more were"])])
def test_a_progress_export_naming_a_removed_question_still_imports(built, browser, tmp_path, edition, words):
    """Readers' marks follow the stable id; an export from before the removal imports, the removed
    question skipped and counted, and an old link to it opens its notice in Chromium."""
    build = built("an empty question")
    removed = next(e for e in RECORD if e.anchor == "sora有哪些创新点")
    kept = next(e for e in RECORD if e.anchor == "什么dit模型")
    export = tmp_path / "progress.json"
    export.write_text(json.dumps({"format": "ai-video-qa-study", "version": 1,
                                  "items": {removed.id: {"mark": "known"}, kept.id: {"mark": "review"}}}))
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    tab = context.new_page()
    errors = []
    tab.on("pageerror", lambda error: errors.append(error.message))
    with serve(build.site) as url:
        tab.goto(f"{url}{edition}topics/review/", wait_until="networkidle")
        tab.set_input_files(".qa-data input[type=file]", str(export))
        tab.wait_for_function("document.querySelector('.qa-data__message').textContent.length > 0")
        message = tab.locator(".qa-data__message").inner_text()
        assert all(word in message for word in words), message
        tab.wait_for_timeout(1200)
        state = tab.evaluate("JSON.parse(localStorage.getItem('qa-study'))")
        assert state["items"] == {kept.id: {"mark": "review"}}
        tab.goto(f"{url}{edition}topics/models-and-frameworks/#{removed.anchor}", wait_until="networkidle")
        tab.wait_for_url(f"**/topics/removed-{removed.id}/**")
        assert (removed.english if edition else removed.title) in tab.locator("article").inner_text()
    context.close()
    assert errors == []
