"""Hostile sources: realistic edits an attacker could send upstream, built for real in all editions.

Each case is one edit to a copy of the source files: a payload added to the answer of its own
question, a question title replaced, or a new chapter appended. All cases go into one copy (each in
a different question, so one build serves them all); the anchor takeover needs a catalog change and
gets a copy of its own. Per case: the build passes, the finding is reported with its source file and
line where the case says so, and nothing executable reaches any edition's HTML or search index
(checked by parsing). A sample runs in Chromium with a trap global that a payload would set.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup

import qa_search_shards
import search_eval
from conftest import copy_project, record_questions, run_build, serve

TRAP = "window.__pwned=1"


@dataclass(frozen=True)
class Case:
    """One hostile edit: where it goes, the text, and whether the build must report it by line."""

    name: str
    kind: str  # "answer": added to an answer; "title": a question's new title; "chapter": a new part
    text: str
    reported: bool = True


ANSWERS = [
    Case("script", "answer", f"<script>{TRAP}</script>"),
    Case("img-onerror", "answer", f'<img src=x onerror="{TRAP}">'),
    Case("figure-onerror", "answer", f'<img src="imgs/CDM.png" onerror="{TRAP}">'),
    Case("svg-onload", "answer", f'<svg onload="{TRAP}"></svg>'),
    Case("svg-script", "answer", f"<svg><script>{TRAP}</script></svg>"),
    Case("iframe-javascript", "answer", f'<iframe src="javascript:{TRAP}"></iframe>'),
    Case("iframe-srcdoc", "answer", '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>'),
    Case("object", "answer", f'<object data="javascript:{TRAP}"></object>'),
    Case("embed", "answer", f'<embed src="javascript:{TRAP}">'),
    Case("base", "answer", f'<base href="javascript:{TRAP}//">'),
    Case("form", "answer", f'<form action="javascript:{TRAP}"><button>提交</button></form>'),
    Case("meta-refresh", "answer", f'<meta http-equiv="refresh" content="0;url=javascript:{TRAP}">'),
    Case("style-element", "answer", "<style>body{display:none}</style>"),
    Case("style-attribute", "answer", '<div style="position:fixed;inset:0;background:red">遮住页面</div>'),
    Case("div-onclick", "answer", f'<div onclick="{TRAP}">点我</div>'),
    Case("span-onmouseover", "answer", f'<span onmouseover="{TRAP}">悬停</span>'),
    Case("p-align-onclick", "answer", f'<p align="center" onclick="{TRAP}">居中</p>'),
    Case("details-ontoggle", "answer", f'<details open ontoggle="{TRAP}"><summary>展开</summary>内容</details>'),
    Case("input-onfocus", "answer", f'<input autofocus onfocus="{TRAP}">'),
    Case("video-onerror", "answer", f'<video src=x onerror="{TRAP}"></video>'),
    Case("textarea-script", "answer", f"<textarea><script>{TRAP}</script></textarea>"),
    Case("noscript-mxss", "answer", f'<noscript><p title="</noscript><img src=x onerror={TRAP}>"></noscript>'),
    Case("raw-mathml", "answer", f'<math><mtext><img src=x onerror="{TRAP}"></mtext></math>'),
    Case("html-javascript-link", "answer", f'<a href="javascript:{TRAP}">点我</a>'),
    Case("html-mixed-case-scheme", "answer", f'<a href="JaVaScRiPt:{TRAP}">点我</a>'),
    Case("html-entity-scheme", "answer", f'<a href="&#106;avascript:{TRAP}">点我</a>'),
    Case("html-hex-entity-scheme", "answer",
         f'<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:{TRAP}">点我</a>'),
    Case("html-data-link", "answer", '<a href="data:text/html,<script>parent.__pwned=1</script>">点我</a>'),
    Case("html-vbscript-link", "answer", '<a href="vbscript:msgbox(1)">点我</a>'),
    Case("html-target-blank", "answer", '<a href="https://example.com/" target="_blank">外链</a>'),
    Case("markdown-javascript-link", "answer", f"[点我](javascript:{TRAP})"),
    Case("markdown-spaced-link", "answer", f"[点我]( javascript:{TRAP} )"),
    Case("markdown-entity-link", "answer", f"[点我](&#106;avascript:{TRAP})"),
    Case("markdown-newline-entity-link", "answer", f"[点我](java&#x0A;script:{TRAP})"),
    Case("markdown-control-character-link", "answer", f"[点我](\x01javascript:{TRAP})"),
    Case("markdown-nested-brackets", "answer", f"[点 [我] 这里](javascript:{TRAP})"),
    Case("markdown-angle-destination", "answer", f"[点我](<javascript:{TRAP}>)"),
    Case("markdown-link-with-title", "answer", f'[点我](javascript:{TRAP} "标题")'),
    Case("reference-link", "answer", f"[点我][r1]\n\n[r1]: javascript:{TRAP}"),
    Case("collapsed-reference-link", "answer", f"[点这里][]\n\n[点这里]: javascript:{TRAP}"),
    Case("autolink", "answer", f"<javascript:{TRAP}>"),
    Case("markdown-data-link", "answer",
         "[点我](data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX19wd25lZD0xPC9zY3JpcHQ+)"),
    Case("data-image", "answer", "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)"),
    Case("javascript-image", "answer", f"![x](javascript:{TRAP})"),
    Case("attr-list-image-onerror", "answer", f'![图](imgs/CDM.png){{: onerror="{TRAP}" }}'),
    Case("attr-list-paragraph-onclick", "answer", f'点我\n{{: onclick="{TRAP}" }}'),
    Case("attr-list-link-onclick", "answer", f'[链接](https://example.com/){{: onclick="{TRAP}" }}'),
    Case("attr-list-link-href", "answer", f'[链接](https://example.com/){{: href="javascript:{TRAP}" }}'),
    Case("attr-list-style-overlay", "answer", '覆盖\n{: style="position:fixed;inset:0;background:red" }'),
    Case("attr-list-anchor-id", "answer", "抢锚点\n{: #sora有哪些创新点 }"),
    Case("formula-text-entities", "answer", f"$\\text{{&lt;img/src/onerror={TRAP}&gt;}}$"),
    Case("formula-href", "answer", f"$\\href{{javascript:{TRAP}}}{{x}}$", reported=False),
    Case("formula-block-text", "answer", f"$$\n\\text{{&lt;img src=x onerror={TRAP}&gt;}}\n$$"),
    Case("protocol-relative-picture", "answer", "![x](//evil.example/x.png)"),
    Case("https-picture", "answer", "![x](https://evil.example/x.png)"),
    Case("html-https-picture", "answer", '<img src="https://evil.example/x.png">'),
    Case("centered-picture-onload", "answer", f'<div align="center"><img src="imgs/CDM.png" onload="{TRAP}"></div>'),
    Case("centered-picture-javascript", "answer", f'<div align="center"><img src="javascript:{TRAP}"></div>'),
    Case("comment", "answer", f"<!-- <script>{TRAP}</script> -->"),
    Case("footnote-link", "answer", f"脚注[^x1]\n\n[^x1]: [点我](javascript:{TRAP})"),
    Case("table-cell-img", "answer", f'| a | b |\n| --- | --- |\n| <img src=x onerror="{TRAP}"> | 2 |'),
    Case("list-item-link", "answer", f"- [点我](javascript:{TRAP})\n- 第二项"),
    Case("nul-byte", "answer", "空字符\x00在这里"),
    Case("inline-code-script", "answer", f"`<script>{TRAP}</script>`", reported=False),
    Case("fenced-code-script", "answer", f"```html\n<script>{TRAP}</script>\n```", reported=False),
]
TITLES = [
    Case("title-raw-html", "title", f'<img src=x onerror="{TRAP}">标题一', reported=False),
    Case("title-markdown-link", "title", f"[点我](javascript:{TRAP})标题二", reported=False),
    Case("title-attr-list-image", "title", f'![图](imgs/CDM.png){{: onerror="{TRAP}" }}标题三', reported=False),
    Case("title-attr-list", "title", f'标题四 {{: onclick="{TRAP}" }}', reported=False),
    Case("title-closes-title-element", "title", f"标题五 </title><script>{TRAP}</script>", reported=False),
    Case("title-formula", "title", f"$\\text{{<img src=x onerror={TRAP}>}}$标题六", reported=False),
    Case("title-invisible", "title", "标题\u202e七\u200b\u2066"),
    Case("title-control-character", "title", "标题\x01八"),
]
CHAPTERS = [
    Case("chapter-raw-html", "chapter", f'<img src=x onerror="{TRAP}">视频安全', reported=False),
    Case("chapter-yaml-colon-comment", "chapter", "第四章: 视频安全 #1", reported=False),
    Case("chapter-yaml-mapping", "chapter", "{x: 1}", reported=False),
    Case("chapter-yaml-list", "chapter", "[视频, 安全]", reported=False),
    Case("chapter-closes-title-element", "chapter", f"</title><script>{TRAP}</script>章节", reported=False),
    Case("chapter-markdown-link", "chapter", f"[点我](javascript:{TRAP})章节", reported=False),
]
CASES = ANSWERS + TITLES + CHAPTERS
# One question under each new chapter, each on its own subject so none is merged as a copy.
NEW_QUESTIONS = [
    ("深度伪造视频有哪些检测方法？", "可以从频域伪影、眨眼频率和唇形同步等线索入手。"),
    ("如何给生成的视频加上不可见水印？", "在潜空间或像素空间嵌入可被解码器读出的信号。"),
    ("视频模型的提示注入攻击是什么？", "攻击者在输入文本里藏入指令，诱导模型生成违规内容。"),
    ("怎样评估视频生成模型的版权风险？", "检查训练数据来源，并比对生成结果与受版权保护作品的相似度。"),
    ("视频内容审核系统通常由哪些模块组成？", "通常包括抽帧、分类模型、人工复核和申诉流程。"),
    ("对抗样本如何影响视频理解模型？", "微小的扰动就可能让动作识别模型给出完全错误的类别。"),
]
CHAPTER_SOURCE = "ai-video-core.md"
EDITIONS = ["", "zh-TW/", "en/"]


@dataclass
class HostileSite:
    """The build of the edited copy, where each case landed, and the clean site to compare with."""

    build: object
    lines: dict[str, tuple[str, int]]  # case name -> (source file, line of the edit)
    clean: Path


def targets(corpus) -> list:
    """The questions that receive the answer and title cases, one each, in case order: only
    questions with no merged copy, so an edit cannot change which copy of a question is kept; a
    title case never goes to a question that defines a glossary term (a title replaced by a payload
    is another question, and the term's defining question would leave)."""
    candidates = [q for q in corpus.questions if not q.merged_from]
    defining = {term.question for term in corpus.links.glossary}
    titled = [q for q in candidates if q.anchor not in defining][:len(TITLES)]
    answered = [q for q in candidates if q not in titled][:len(ANSWERS)]
    return answered + titled


def edit_sources(root: Path, corpus) -> dict[str, tuple[str, int]]:
    """Apply every case to the copy at `root`; return the file and line each one landed on."""
    edits: dict[str, list[tuple[int, Case]]] = {}
    for case, question in zip(ANSWERS + TITLES, targets(corpus)):
        edits.setdefault(question.source, []).append((question.line, case))
    landed = {}
    for source, cases in edits.items():
        path = root / "docs" / "sources" / source
        lines = path.read_text(encoding="utf-8").split("\n")
        shift = 0
        for heading_line, case in sorted(cases, key=lambda item: item[0]):
            index = heading_line - 1 + shift
            if case.kind == "title":
                number = re.match(r"(?:<h2[^>]*>|#+\s*)(\d+)", lines[index]).group(1)
                lines[index] = f"## {number}.{case.text}"
                landed[case.name] = (source, index + 1)
            else:
                added = ["", *case.text.split("\n"), ""]
                lines[index + 1:index + 1] = added
                landed[case.name] = (source, index + 3)
                shift += len(added)
        path.write_text("\n".join(lines), encoding="utf-8")
    path = root / "docs" / "sources" / CHAPTER_SOURCE
    text = path.read_text(encoding="utf-8").rstrip("\n")
    for number, case in enumerate([c for c in CASES if c.kind == "chapter"], start=1):
        landed[case.name] = (CHAPTER_SOURCE, text.count("\n") + 3)
        title, answer = NEW_QUESTIONS[number - 1]
        text += f"\n\n# {case.text}\n\n## 1.{title}\n\n{answer}"
    path.write_text(text + "\n", encoding="utf-8")
    return landed


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, corpus, site_build) -> HostileSite:
    tmp_path = tmp_path_factory.mktemp("hostile")
    root = copy_project(tmp_path / "project")
    landed = edit_sources(root, corpus)
    record_questions(root)  # the new questions, as a maintainer records them
    return HostileSite(run_build(root, tmp_path / "site"), landed, site_build.site)


def browser_scheme(url: str) -> str:
    """The scheme a browser would use for an attribute value (WHATWG URL parsing's clean-up)."""
    cleaned = re.sub(r"[\t\n\r]", "", url.strip("".join(map(chr, range(0x21)))))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", cleaned)
    return match.group(1).lower() if match else ""


def is_unsafe_url(url: str) -> bool:
    scheme = browser_scheme(url)
    return scheme in ("javascript", "vbscript") or (scheme == "data" and "text/html" in url.lower())


URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "xlink:href", "srcdoc", "poster", "background")
FORBIDDEN = ("iframe", "object", "embed", "base", "form", "frame", "frameset", "applet")


def scripts_of(soup: BeautifulSoup) -> set[str]:
    """Each script element as its address or its text."""
    return {element.get("src") or element.get_text() for element in soup.find_all("script")}


def executable_parts(soup: BeautifulSoup, theme_scripts: set[str]) -> list[str]:
    """What in a parsed page could run code, leave the site or cover the page."""
    found = []
    for element in soup.find_all(True):
        if element.name in FORBIDDEN:
            found.append(f"<{element.name}>")
        if element.name == "script" and (element.get("src") or element.get_text()) not in theme_scripts:
            found.append(f"script not from the theme: {str(element)[:80]}")
        if element.name == "meta" and element.get("http-equiv", "").lower() == "refresh":
            found.append("meta refresh")
        for attribute, value in element.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            if attribute.lower().startswith("on"):
                found.append(f"{element.name}[{attribute}]")
            if attribute.lower() in URL_ATTRIBUTES and is_unsafe_url(value):
                found.append(f"{element.name}[{attribute}={value[:30]}]")
        if element.find_parent("article") and element.get("style") is not None:
            found.append(f"style attribute on <{element.name}> in the content")
    return found


@pytest.fixture(scope="module")
def theme_scripts(hostile) -> set[str]:
    """Every script element of the unmodified site: the theme's and this project's own."""
    scripts = set()
    for page in hostile.clean.rglob("*.html"):
        scripts |= scripts_of(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser"))
    return scripts


def test_the_hostile_build_passes(hostile):
    assert hostile.build.returncode == 0, hostile.build.output[-3000:]
    assert len(CASES) >= 60


def new_findings(hostile, page: Path, theme_scripts: set[str]) -> list[str]:
    """What a hostile page has that the theme puts on every page too (its search form, its language
    menu's `javascript:void(0)`) taken out: the same page of the clean site, or for a page only the
    hostile site has, a page of the same kind and edition (a topic page, a short link page)."""
    relative = page.relative_to(hostile.build.site)
    clean = hostile.clean / relative
    if not clean.exists():
        kind = "introduction" if relative.parent.parent.name == "topics" else None
        siblings = sorted((hostile.clean / relative.parent.parent).glob("*/index.html"))
        clean = hostile.clean / relative.parent.parent / kind / "index.html" if kind else siblings[0]
    found = Counter(executable_parts(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser"), theme_scripts))
    found -= Counter(executable_parts(BeautifulSoup(clean.read_text(encoding="utf-8"), "html.parser"), theme_scripts))
    return sorted(found.elements())


def test_no_page_of_any_edition_carries_executable_content(hostile, theme_scripts):
    pages = sorted(hostile.build.site.rglob("*.html"))
    assert len(pages) > 30
    found = {}
    for page in pages:
        parts = new_findings(hostile, page, theme_scripts)
        if parts:
            found[str(page.relative_to(hostile.build.site))] = parts
    assert found == {}


@pytest.mark.parametrize("edition", EDITIONS)
def test_search_files_hold_text_only(hostile, corpus, edition):
    """The search worker shows titles and answers as text it escapes: its files hold no markup
    (tags in the source are the source's words, already sanitized out of the page)."""
    _, questions = qa_search_shards.read(hostile.build.site / edition / "search")
    assert len(questions) == len(corpus.questions) + len(CHAPTERS)
    for question in questions:
        assert all(isinstance(text, str) for text in (question.title, question.names, question.english,
                                                     *question.blocks)), question.location


@pytest.mark.parametrize("query", ["标题一", "标题五", "标题六", "点我", "视频安全", "水印", "script"])
def test_search_results_of_hostile_questions_run_nothing(browser, hostile, query):
    with serve(hostile.build.site) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        search_eval.open_search(page, url)
        hits, _ = search_eval.run_query(page, query)
        shown = page.eval_on_selector_all(
            ".md-search-result__list *", "els => els.map(e => [e.tagName.toLowerCase(), ...[...e.attributes].map(a => a.name)])")
        pwned = page.evaluate("window.__pwned === 1")
        page.close()
    assert hits, query
    assert not pwned
    assert {tag for tag, *_ in shown} <= {"li", "a", "article", "div", "h1", "h2", "p", "mark", "del", "details", "summary"}
    assert {name for _, *names in shown for name in names} <= {"class", "href", "tabindex", "data-md-score"}


def test_no_question_is_lost(hostile, corpus):
    expected = len(corpus.questions) + len(CHAPTERS)
    for edition in EDITIONS:
        anchors = set()
        for page in (hostile.build.site / edition / "topics").glob("*/index.html"):
            if page.parent.name in ("glossary", "content-report"):
                continue
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            anchors |= {h2["id"] for h2 in soup.select("article h2[id]")}
        assert len(anchors) == expected, edition


@pytest.mark.parametrize("case", [c for c in CASES if c.reported], ids=lambda c: c.name)
def test_each_finding_is_reported_with_its_source_line(hostile, case):
    source, line = hostile.lines[case.name]
    lines = "|".join(str(n) for n in range(line, line + case.text.count("\n") + 1))
    assert re.search(rf"DEBUG\s+-\s+{re.escape(source)}:({lines}): \[(html|heading|encoding)\]",
                     hostile.build.output), (case.name, source, line)


@pytest.mark.parametrize("case", ANSWERS, ids=lambda c: c.name)
def test_each_answer_payload_is_neutralized_in_its_own_answer(hostile, corpus, theme_scripts, case):
    question = targets(corpus)[ANSWERS.index(case)]
    page_id = next(p.spec.id for p in corpus.pages if question in p.questions)
    for edition in EDITIONS:
        soup = BeautifulSoup((hostile.build.site / edition / "topics" / page_id / "index.html")
                             .read_text(encoding="utf-8"), "html.parser")
        heading = soup.find(id=question.anchor)
        assert heading is not None and heading.name == "h2", (case.name, edition, "question lost")
        answer = BeautifulSoup("", "html.parser")
        for sibling in heading.find_next_siblings():
            if sibling.name == "h2":
                break
            answer.append(sibling.__copy__())
        assert executable_parts(answer, theme_scripts) == [], (case.name, edition)
        if edition == "":
            assert all(not img.get("src", "").startswith(("http", "//", "data:", "javascript"))
                       for img in answer.find_all("img")), case.name


@pytest.mark.parametrize("case", TITLES + CHAPTERS, ids=lambda c: c.name)
def test_titles_are_shown_as_text(hostile, case):
    """A hostile title is literal text in the page's heading, <title>, navigation and outline."""
    visible = re.sub(r"[\x00-\x1f\u200b-\u200f\u202a-\u202e\u2060-\u2069]", "", case.text)
    visible = visible.replace("\x01", "")
    found = []
    for page in hostile.build.site.glob("topics/*/index.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        texts = [h.get_text() for h in soup.select("article h1, article h2")]
        if any(visible in text.replace("\ufffd", "") for text in texts):
            found.append(soup)
    assert found, case.name
    if case.kind == "chapter":
        soup = found[0]
        assert visible in soup.title.get_text(), case.name
        assert any(visible in link.get_text() for link in soup.select(".md-nav__link")), case.name


def test_invisible_characters_leave_titles(hostile):
    for page in hostile.build.site.rglob("topics/*/index.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"[\u202a-\u202e\u2066-\u2069]", text), page


def test_content_report_shows_findings_as_text(hostile):
    soup = BeautifulSoup((hostile.build.site / "topics/content-report/index.html").read_text(encoding="utf-8"),
                         "html.parser")
    article = soup.find("article")
    assert not [a for a in article.find_all("a") if "javascript" in a.get("href", "").lower()]
    assert "onerror" in article.get_text()


@pytest.fixture(scope="module")
def anchor_takeover(tmp_path_factory):
    """A new source file, listed last but placed on the first page, with a title that exists already."""
    tmp_path = tmp_path_factory.mktemp("takeover")
    root = copy_project(tmp_path / "project")
    (root / "docs/sources/newcomer.md").write_text(
        "# 新来的一章\n\n## 1.Sora有哪些创新点？\n\n另一份完全不同的回答，讲的是别的事情。\n", encoding="utf-8")
    catalog = root / "docs/sources/catalog.yml"
    text = catalog.read_text(encoding="utf-8")
    text = re.sub(r"\nsections:", "\n  - file: newcomer.md\n    parts:\n      - {match: \"\", page: introduction}\nsections:",
                  text, count=1)
    catalog.write_text(text, encoding="utf-8")
    record_questions(root)
    return run_build(root, tmp_path / "site")


def test_an_existing_question_keeps_its_anchor(anchor_takeover):
    build = anchor_takeover
    assert build.returncode == 0, build.output[-3000:]
    pages = json.loads((build.site / "anchors.json").read_text(encoding="utf-8"))
    assert pages["sora有哪些创新点"] == "models-and-frameworks"
    assert pages["sora有哪些创新点-2"] == "introduction"
    assert re.search(r"DEBUG\s+-\s+newcomer\.md:3: \[anchor\]", build.output)


# --- In Chromium: the worst cases, with a trap a payload would set -----------------------------------

WORST = ["img-onerror", "attr-list-image-onerror", "formula-text-entities", "markdown-control-character-link",
         "reference-link", "markdown-nested-brackets", "raw-mathml"]


@pytest.fixture(scope="module")
def served_hostile(hostile):
    with serve(hostile.build.site) as url:
        yield url


def trapped(tab) -> bool:
    return bool(tab.evaluate("() => window.__pwned === 1"))


@pytest.mark.parametrize("edition", EDITIONS)
def test_worst_cases_run_nothing_in_chromium(browser, served_hostile, corpus, edition):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    tab = context.new_page()
    dialogs = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    pages = {}
    for name in WORST:
        question = targets(corpus)[[c.name for c in ANSWERS].index(name)]
        page_id = next(p.spec.id for p in corpus.pages if question in p.questions)
        pages.setdefault(page_id, []).append(question.anchor)
    for page_id, anchors in pages.items():
        url = f"{served_hostile}{edition}topics/{page_id}/"
        tab.goto(url, wait_until="networkidle")
        assert not trapped(tab), (edition, page_id, "on load")
        for anchor in anchors:
            links = tab.evaluate("""(id) => { const out = []; let node = document.getElementById(id);
                while ((node = node.nextElementSibling) && node.tagName !== 'H2')
                  node.querySelectorAll('a').forEach((a, i) => out.push(a.outerHTML)); return out; }""", anchor)
            for position in range(len(links)):
                tab.goto(f"{url}#{quote(anchor)}", wait_until="networkidle")
                tab.evaluate("""([id, n]) => { const found = []; let node = document.getElementById(id);
                    while ((node = node.nextElementSibling) && node.tagName !== 'H2')
                      node.querySelectorAll('a').forEach(a => found.push(a));
                    found[n].addEventListener('click', e => { if (!/^javascript:/i.test(e.currentTarget.href))
                      e.preventDefault(); });
                    found[n].click(); }""", [anchor, position])
                assert not trapped(tab), (edition, page_id, links[position])
    context.close()
    assert dialogs == []


@pytest.mark.parametrize("query", ["视频安全", "onerror", "点我", "pwned"])
def test_search_results_for_payload_words_run_nothing(browser, served_hostile, query):
    from search_eval import open_search, run_query

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    open_search(tab, served_hostile)
    run_query(tab, query)
    assert not trapped(tab), query
    tab.evaluate("() => document.querySelectorAll('.md-search-result__item').forEach(item => "
                 "item.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})))")
    assert not trapped(tab), query
    context.close()
