"""Untrusted sources: raw HTML outside a small allowlist is shown as text, never executed."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from conftest import copy_project, run_build
from qa_sanitize import sanitize

SOURCE = "models-and-frameworks.md"
ANCHOR_LINE = "5. 让AI视频领域的Scaling Law成立"
PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "iframe": '<iframe src="https://evil.example/"></iframe>',
    "style": "<style>body{display:none}</style>",
    "img-onerror": '<img src="imgs/CDM.png" onerror="alert(1)">',
    "div-onclick": '<div onclick="alert(1)">点我</div>',
    "markdown-javascript-link": "[点我](javascript:alert(1))",
    "html-javascript-link": '<a href="javascript:alert(1)">点我</a>',
    "data-image": "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    "img-data-src": '<img src="data:image/png;base64,AAAA">',
    "autolink": "<javascript:alert(1)>",
    "comment": "<!-- <script>alert(1)</script> -->",
    "object": '<object data="x.swf"></object>',
}
TITLE_PAYLOAD = '## 6.<b onmouseover="alert(1)">悬停</b><script>alert(2)</script>标题'


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    """The project with every payload added to one answer, and a hostile question title."""
    tmp_path = tmp_path_factory.mktemp("hostile")
    root = copy_project(tmp_path / "project")
    path = root / "docs" / "sources" / SOURCE
    text = path.read_text(encoding="utf-8")
    injected = "\n\n".join(PAYLOADS.values())
    text = text.replace(ANCHOR_LINE, ANCHOR_LINE + "\n\n" + injected + "\n", 1)
    text = text.replace("## 6.SAM v2", TITLE_PAYLOAD + "\n\n答案。", 1)
    path.write_text(text, encoding="utf-8")
    build = run_build(root, tmp_path / "site")
    lines = text.split("\n")
    return build, lines


def executable_parts(soup: BeautifulSoup) -> list[str]:
    """Anything in the article that could run code or load a foreign resource."""
    found = []
    article = soup.find("article")
    for element in article.find_all(True):
        if element.name in ("script", "iframe", "style", "object", "embed", "frame", "link", "meta", "base"):
            found.append(element.name)
        for attribute, value in element.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            if attribute.lower().startswith("on"):
                found.append(f"{element.name}[{attribute}]")
            if attribute in ("href", "src", "action", "formaction", "data") and \
                    re.match(r"\s*(javascript|vbscript|data):", value, re.I):
                found.append(f"{element.name}[{attribute}={value[:20]}]")
    return found


@pytest.mark.parametrize("prefix", ["", "zh-TW/", "en/"])
def test_nothing_executable_reaches_the_site(hostile_build, prefix):
    build, _ = hostile_build
    assert build.returncode == 0, build.output
    for page in (build.site / prefix / "topics").glob("*/index.html"):
        assert not executable_parts(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")), page


@pytest.mark.parametrize("name", PAYLOADS)
def test_each_payload_is_shown_as_text_and_reported_with_its_line(hostile_build, name):
    build, lines = hostile_build
    payload = PAYLOADS[name]
    line = next(i for i, text in enumerate(lines, start=1) if text == payload)
    assert re.search(rf"INFO\s+-\s+{SOURCE}:{line}: \[html\] .*shown as text", build.output), name
    page = BeautifulSoup((build.site / "topics/models-and-frameworks/index.html").read_text(encoding="utf-8"),
                         "html.parser")
    visible = page.find("article").get_text()
    assert re.sub(r"\s", "", payload)[:12] in re.sub(r"\s", "", visible), name


def test_hostile_title_is_text(hostile_build):
    build, _ = hostile_build
    page = BeautifulSoup((build.site / "topics/models-and-frameworks/index.html").read_text(encoding="utf-8"),
                         "html.parser")
    titles = [h2.get_text() for h2 in page.select("article h2")]
    assert any("onmouseover" in title and "<script>" in title for title in titles)


@pytest.mark.parametrize("body, kept", [
    ('<div align="center">\n    <img src="imgs/CDM.png" alt="CDM" >\n</div>', True),
    ("FPS<24会卡顿", True),
    ("<br>", True),
    ("<script>x</script>", False),
    ('<img src="a.png" style="x">', False),
    ("[a](https://example.com)", True),
    ("[a]( javascript:alert(1))", False),
    ("`<script>` in code", True),
])
def test_allowlist(body, kept):
    result, changes = sanitize(body, "t.md", 1)
    assert (result == body and not changes) is kept


def test_closing_tag_of_an_escaped_element_is_escaped_too():
    result, _ = sanitize('<div onclick="x">a</div>\n\n<div align="center">b</div>', "t.md", 1)
    assert result == '&lt;div onclick="x"&gt;a&lt;/div&gt;\n\n<div align="center">b</div>'
