"""The sanitizer's tables: what the output allowlist keeps and drops, and what the source pass reports."""

from __future__ import annotations

import pytest

from qa_sanitize import (clean_html, clean_inline, clean_search_text, markdown_text, neutralize_source,
                         url_scheme)


@pytest.mark.parametrize("fragment, expected", [
    # The site's own markup passes unchanged.
    ('<h2 id="a">标题<a class="headerlink" href="#a" title="链接到这道题">¶</a></h2>',
     '<h2 id="a">标题<a class="headerlink" href="#a" title="链接到这道题">¶</a></h2>'),
    ('<a class="glightbox" href="../../imgs/CDM.svg" data-type="image">x</a>',
     '<a class="glightbox" href="../../imgs/CDM.svg" data-type="image">x</a>'),
    ('<img alt="图" src="../../imgs/%E5%9B%BE.svg" width="900" height="400" loading="lazy">',
     '<img alt="图" src="../../imgs/%E5%9B%BE.svg" width="900" height="400" loading="lazy">'),
    ('<div class="qa-math" role="math"><math display="block"><mi>x</mi></math></div>',
     '<div class="qa-math" role="math"><math display="block"><mi>x</mi></math></div>'),
    ('<span class="k">def</span>', '<span class="k">def</span>'),
    # Anything else goes.
    ("<script>alert(1)</script>文字", "文字"),
    ('<img src="x" onerror="alert(1)">', "<img>"),
    ('<img src="https://evil.example/x.png">', "<img>"),
    ('<img src="//evil.example/x.png">', "<img>"),
    ('<img src="data:image/png;base64,AAAA">', "<img>"),
    ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="java&#x0A;script:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="&#1;javascript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="https://example.com/" target="_blank">x</a>', '<a href="https://example.com/">x</a>'),
    ('<p style="position:fixed">x</p>', "<p>x</p>"),
    ('<p class="md-dialog qa-figure">x</p>', '<p class="qa-figure">x</p>'),
    ("<iframe src=x></iframe><object></object><embed><base href=x><form><input></form>", ""),
    ('<math><mtext><img src=x onerror="alert(1)"></mtext></math>', "<math><mtext><img></mtext></math>"),
    ('<math><mrow href="javascript:alert(1)"><mi>x</mi></mrow></math>', "<math><mrow><mi>x</mi></mrow></math>"),
])
def test_page_allowlist(fragment, expected):
    assert clean_html(fragment) == expected


@pytest.mark.parametrize("fragment, expected", [
    ("&lt;img src=x&gt; 标题", "&lt;img src=x&gt; 标题"),
    ('<img src=x onerror="alert(1)">标题', "标题"),
    ("<strong>粗</strong><a href='#x'>链接</a>", "<strong>粗</strong>链接"),
])
def test_outline_titles(fragment, expected):
    assert clean_inline(fragment) == expected


@pytest.mark.parametrize("fragment, expected", [
    ("<p>文本 <code>x</code></p>", "<p>文本 <code>x</code></p>"),
    ('<img src=x onerror="alert(1)">视频安全', "视频安全"),
    ("a &lt; b", "a &lt; b"),
    ('<p class="x" onclick="y">t</p>', "<p>t</p>"),
])
def test_search_text(fragment, expected):
    assert clean_search_text(fragment) == expected


@pytest.mark.parametrize("url, scheme", [
    ("javascript:x", "javascript"), (" JaVaScript:x", "javascript"), ("&#106;avascript:x", "javascript"),
    ("java&#x0A;script:x", "javascript"), ("\x01javascript:x", "javascript"), ("java\tscript:x", "javascript"),
    ("https://example.com/", "https"), ("imgs/a.png", ""), ("#anchor", ""), ("//host/x", ""),
    ("data:text/html,x", "data"),
])
def test_url_scheme_as_a_browser_sees_it(url, scheme):
    assert url_scheme(url) == scheme


@pytest.mark.parametrize("body, result, reported", [
    ('<div align="center">\n    <img src="imgs/CDM.png" alt="CDM" >\n</div>', None, False),
    ("FPS<24会卡顿", None, False),
    ("<br>", None, False),
    ("[a](https://example.com)", None, False),
    ("[a](#锚点) ![b](imgs/a.png)", None, False),
    ("`<script>` in code", None, False),
    ("$\\sum_{t=1}^T x_t$", None, False),
    ("<script>x</script>", "&lt;script&gt;x&lt;/script&gt;", True),
    ('<img src="a.png" style="x">', '&lt;img src="a.png" style="x"&gt;', True),
    ("[a]( javascript:alert(1))", "[a\\]( javascript:alert(1))", True),
    ("[点 [我] 这里](javascript:x)", "[点 [我] 这里\\](javascript:x)", True),
    ("[r]: javascript:x", "\\[r]: javascript:x", True),
    ("[a](&#106;avascript:x)", "[a\\](&#106;avascript:x)", True),
    ("![x](//evil.example/x.png)", "[x](//evil.example/x.png)", True),
    ('![图](imgs/CDM.png){: onerror="x" }', '![图](imgs/CDM.png)\\{: onerror="x" }', True),
    ("点我\n{: .md-dialog }", "点我\n\\{: .md-dialog }", True),
    ("<javascript:alert(1)>", "&lt;javascript:alert(1)&gt;", True),
    ("$\\text{&lt;img&gt;}$", None, True),
])
def test_source_pass(body, result, reported):
    shown, changes = neutralize_source(body, "t.md", 1)
    assert shown == (body if result is None else result)
    assert bool(changes) is reported


def test_closing_tag_of_an_escaped_element_is_escaped_too():
    result, _ = neutralize_source('<div onclick="x">a</div>\n\n<div align="center">b</div>', "t.md", 1)
    assert result == '&lt;div onclick="x"&gt;a&lt;/div&gt;\n\n<div align="center">b</div>'


def test_findings_name_their_line():
    _, changes = neutralize_source("第一行\n第二行\n[a](javascript:x)\n<script>y</script>", "t.md", 10)
    assert sorted(change.line for change in changes) == [12, 13]


@pytest.mark.parametrize("title, markdown", [
    ("[点我](javascript:x)", "\\[点我\\](javascript:x)"),
    ("<img src=x>", "&lt;img src=x&gt;"),
    ("标题 {: onclick=x }", "标题 \\{: onclick=x \\}"),
    ("a*b*_c_ `d` $e$ #1 ~~f~~", "a\\*b\\*\\_c\\_ \\`d\\` \\$e\\$ \\#1 \\~\\~f\\~\\~"),
    ("交叉注意力(Cross-Attention)", "交叉注意力(Cross-Attention)"),
])
def test_titles_become_literal_markdown(title, markdown):
    assert markdown_text(title) == markdown
