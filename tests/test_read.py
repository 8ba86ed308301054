"""Table-driven tests of the read step on tiny sources."""

from __future__ import annotations

import pytest

from qa_model import SourceError
from qa_read import decode_source, read_source, split_number

TOC_NESTED = """# 目录

- [第一部分：生成](#第一部分：生成)
  - [1.什么是DiT？](#1.什么是DiT？)
- [第二部分：理解](#第二部分：理解)

<h1 id="第一部分：生成">第一部分：生成</h1>

<h2 id="1.什么是DiT？">1.什么是DiT？</h2>

答案。
"""

TOC_HEADINGS = """## 目录

## 第一章：生成
- [1.甲？](#1.甲？)

## 第二章：理解
- [1.乙？](#1.乙？)

## 第一章 生成

章节导语。

<h2 id="1.甲？">1.甲？</h2>

甲的答案。

## 第二章：理解

<h2 id="1.乙？">1.乙？</h2>

```python
# 不是标题
```
"""

FLAT = """## 目录

- [1.甲](#1.甲)
- [2.乙] (#2.乙)

<h2 id="1.甲">1.甲</h2>

答。

## 2.乙
"""


@pytest.mark.parametrize("text, expected", [
    ("12.标题", ("12", "标题")),
    ("0.请简述", ("0", "请简述")),
    ("SAM v2", ("", "SAM v2")),
    ("3、顿号", ("3", "顿号")),
    ("2024年", ("", "2024年")),
    ("4.1.1.1 面试问题：某个问题？", ("4.1.1.1", "某个问题？")),
    ("4.1 章节标题", ("4.1", "章节标题")),
    ("3. 带空格", ("3", "带空格")),
    ("Q3 什么是DiT？", ("3", "什么是DiT？")),
    ("Q3: 什么是DiT？", ("3", "什么是DiT？")),
    ("Q3：什么是DiT？", ("3", "什么是DiT？")),
    ("Q3什么是DiT？", ("3", "什么是DiT？")),
    ("面试题：无编号", ("", "无编号")),
    ("Q-Former 的作用是什么？", ("", "Q-Former 的作用是什么？")),
    ("2.1.3 面试题：Q-Former 的作用？", ("2.1.3", "Q-Former 的作用？")),
    ("3D卷积如何建模时间？", ("", "3D卷积如何建模时间？")),
    ("Q3D 是什么", ("", "Q3D 是什么")),
    ("面试问题：", ("", "面试问题：")),
])
def test_split_number(text, expected):
    assert split_number(text) == expected


@pytest.mark.parametrize("source, parts", [
    (TOC_NESTED, [("第一部分：生成", ["什么是DiT？"])]),
    (TOC_HEADINGS, [("第一章 生成", ["甲？"]), ("第二章：理解", ["乙？"])]),
    (FLAT, [("", ["甲", "乙"])]),
])
def test_parts_and_questions(source, parts):
    doc, _ = read_source("t.md", source.encode())
    assert [(p.title, [q.title for q in p.questions]) for p in doc.parts] == parts


@pytest.mark.parametrize("source, toc", [
    (TOC_NESTED, [(True, "第一部分：生成", ""), (False, "1.什么是DiT？", "第一部分：生成"),
                  (True, "第二部分：理解", "")]),
    (FLAT, [(False, "1.甲", ""), (False, "2.乙", "")]),
])
def test_toc_entries(source, toc):
    doc, _ = read_source("t.md", source.encode())
    assert [(e.is_part, e.title, e.part_title) for e in doc.toc] == toc


def test_part_intro_and_code_comment_kept():
    doc, _ = read_source("t.md", TOC_HEADINGS.encode())
    assert doc.parts[0].intro == "章节导语。"
    assert "# 不是标题" in doc.parts[1].questions[0].body


def test_lines_are_one_based_source_lines():
    doc, _ = read_source("t.md", TOC_NESTED.encode())
    question = doc.parts[0].questions[0]
    assert (question.line, question.body_line) == (9, 11)


@pytest.mark.parametrize("line, title, html_id, kind", [
    ('<h2 id="6.保持"原始"内容">6.保持"原始"内容</h2>', '保持"原始"内容', '6.保持"原始"内容', "unescaped"),
    ('<h2 id="1.甲">1.甲', "甲", "1.甲", "malformed"),
    ("<h2 id='1.甲'>1.甲</h2>", "甲", "1.甲", "became"),
])
def test_html_headings(line, title, html_id, kind):
    doc, changes = read_source("t.md", f"{line}\n\n答。\n".encode())
    question = doc.parts[0].questions[0]
    assert (question.title, question.heading_id) == (title, html_id)
    assert any(kind in c.message and c.line == 1 for c in changes)


@pytest.mark.parametrize("data, message, line", [
    (b"", "empty", 1),
    (b"  \n\n", "empty", 1),
    (b"## 1.a\n\n\xff\xfe", "not valid UTF-8", 3),
    (b"## 1.a\n\n```\ncode\n", "never closed", 3),
    (b"<h2 id=\"x\"></h2>\n", "cannot read", 1),
    (b"just text\n", "no questions", 1),
])
def test_bad_input_names_file_and_line(data, message, line):
    with pytest.raises(SourceError) as error:
        read_source("bad.md", data)
    assert message in error.value.message and error.value.line == line and error.value.source == "bad.md"


@pytest.mark.parametrize("data, kinds", [
    (b"\xef\xbb\xbf## 1.a\n\nb\n", ["byte-order mark"]),
    (b"## 1.a\r\n\r\nb\r\n", ["CR/CRLF"]),
])
def test_bom_and_crlf_are_normalized(data, kinds):
    text, changes = decode_source("t.md", data)
    assert text == "## 1.a\n\nb\n"
    assert [k for k in kinds if any(k in c.message for c in changes)] == kinds


@pytest.mark.parametrize("source, titles", [
    # A question right after the TOC whose answer opens with a link stays a question.
    ("## 目录\n\n- [1.甲？](#1.甲？)\n- [2.乙？](#2.乙？)\n\n## 1.甲？\n[论文链接](https://example.org/a)\n\n甲的答案。\n\n"
     "## 2.乙？\n\n乙的答案。\n", ["甲？", "乙？"]),
    # A bare link that is not to a heading of the file ends the TOC: it is the lead text.
    ("# 目录导航\n\n[1 一章](#1_一章)\n  - [1.1 甲？](#1.1_甲？)\n\n[参考资料](https://example.org)\n\n"
     "<h1 id=\"1_一章\">1 一章</h1>\n\n<h2 id=\"1.1_甲？\">1.1 甲？</h2>\n\n答。\n", ["甲？"]),
])
def test_the_toc_ends_where_questions_and_text_begin(source, titles):
    doc, _ = read_source("t.md", source.encode())
    assert [q.title for p in doc.parts for q in p.questions] == titles
    assert "参考资料" in "".join(p.intro for p in doc.parts) or "参考资料" not in source
