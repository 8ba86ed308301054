"""Render step: Markdown for each topic page, the home page's section list and the content report."""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict

from qa_model import Change, Question
from qa_pipeline import Corpus, Page

GENERATED_NOTE = ("<!-- Generated at build time from docs/sources/{sources}. "
                  "Edit the source file, not this page. -->")
REPORT_KINDS = {
    "encoding": "编码", "heading": "标题", "toc-link": "目录链接", "toc": "目录", "title": "题目标题",
    "order": "顺序", "duplicate": "重复（已合并）", "empty": "空（未显示）", "truncated": "疑似截断",
    "markdown": "Markdown 兼容", "anchor": "锚点", "catalog": "分页",
}


def page_path(page: Page) -> str:
    """Where a topic page lives under docs/."""
    return f"topics/{page.spec.id}.md"


def heading(question: Question) -> str:
    """A question's Markdown heading: its title, alias anchors for old links, its own anchor."""
    aliases = "".join(f'<span class="qa-alias" id="{html.escape(a, quote=True)}"></span>'
                      for a in question.aliases)
    title = question.title.replace("#", "\\#")
    return f"## {title}{aliases} {{ #{question.anchor} }}"


def render_page(page: Page) -> str:
    """The Markdown of one topic page: its title, each part's intro, then its questions."""
    lines = ["---", f"title: {page.spec.title}", "---", "",
             GENERATED_NOTE.format(sources=", docs/sources/".join(page.sources)), "",
             f"# {page.spec.title}", ""]
    for part in page.parts:
        if part.intro.strip():
            lines += [part.intro, ""]
        for question in part.questions:
            lines += [heading(question), "", question.body, ""]
    return "\n".join(lines).replace("](imgs/", "](../imgs/")


def render_sections(corpus: Corpus) -> str:
    """The home page's list of sections: each with its summary, pages and question counts."""
    counts = {page.spec.id: len(page.questions) for page in corpus.pages}
    blocks = ['<div class="grid cards" markdown>', ""]
    for section in corpus.sections:
        pages = [p for p in section.pages if p.id in counts]
        if not pages:
            continue
        total = sum(counts[p.id] for p in pages)
        first = pages[0]
        blocks.append(f"-   **[{section.title}](topics/{first.id}.md)** · {total} 题")
        blocks.append("")
        blocks.append("    ---")
        blocks.append("")
        if section.summary:
            blocks.append(f"    {section.summary}")
            blocks.append("")
        for page in pages:
            blocks.append(f"    - [{page.title}](topics/{page.id}.md)（{counts[page.id]} 题）")
        blocks.append("")
    blocks.append("</div>")
    return "\n".join(blocks)


def render_report(corpus: Corpus) -> str:
    """The maintainers' content report: counts, then every change by source file and line."""
    by_source: dict[str, list[Change]] = defaultdict(list)
    for change in corpus.changes:
        by_source[change.source].append(change)
    kinds = Counter(change.kind for change in corpus.changes)
    lines = ["---", "title: 内容报告", "search:", "  exclude: true", "---", "",
             "# 内容报告", "",
             "构建时从源文件整理本站内容。下表列出每处修正、合并、未显示的空内容和疑似截断的回答，"
             "按源文件和行号排列；源文件本身保持原样。", "",
             f"- 源文件中的题目：{corpus.found}",
             f"- 站点上的题目（去重、去空之后）：{len(corpus.questions)}", ""]
    lines += ["| 类别 | 处数 |", "| --- | --- |"]
    lines += [f"| {REPORT_KINDS.get(kind, kind)} | {count} |" for kind, count in sorted(kinds.items())]
    for source in sorted(by_source):
        lines += ["", f"## {source}", "", "| 行 | 类别 | 说明 |", "| --- | --- | --- |"]
        for change in sorted(by_source[source], key=lambda c: c.line):
            message = change.message.replace("|", "\\|").replace("<", "&lt;")
            lines.append(f"| {change.line} | {REPORT_KINDS.get(change.kind, change.kind)} | {message} |")
    return "\n".join(lines) + "\n"


def navigation(corpus: Corpus) -> list:
    """MkDocs `nav`: home, one entry per section (a single page stands alone), the report last."""
    nav: list = [{"首页": "index.md"}]
    present = {page.spec.id for page in corpus.pages}
    for section in corpus.sections:
        pages = [p for p in section.pages if p.id in present]
        if len(pages) == 1:
            nav.append({section.title: f"topics/{pages[0].id}.md"})
        elif pages:
            nav.append({section.title: [{p.title: f"topics/{p.id}.md"} for p in pages]})
    nav.append({"关于": [{"内容报告": "topics/content-report.md"}]})
    return nav


SUBHEADING = re.compile(r'<h([3-6]) id="[^"]*">(.*?)<a class="headerlink" href="#[^"]*"[^>]*>[^<]*</a></h\1>',
                        re.DOTALL)


def fold_subheadings(page_html: str) -> str:
    """Headings inside an answer lose their anchors, so search shows each hit under its question."""
    return SUBHEADING.sub(r"<h\1>\2</h\1>", page_html)
