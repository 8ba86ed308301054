"""The block scanner reads code blocks as GitHub does, and no step rewrites a line of code."""

from __future__ import annotations

import pytest

from qa_blocks import code_blocks, code_lines
from qa_markdown import demote_headings, outside_code
from qa_model import SourceError
from qa_read import heading_lines

CASES = {
    # A line with an info string never closes a fence: it is content.
    "info string inside": ("```\ncode\n```python\n# 注释\n```\n# 标题", {0, 1, 2, 3, 4}),
    "tilde fence holds backticks": ("~~~\n```\n# a\n~~~\n# b", {0, 1, 2, 3}),
    "shorter fence inside longer": ("````\n```\n# a\n```\n````\n# b", {0, 1, 2, 3, 4}),
    "fence in a list item": ("- 项\n\n  ```\n  # c\n  ```\n\n# d", {2, 3, 4}),
    "closing fence with trailing spaces": ("```js\nx\n```   \n# e", {0, 1, 2}),
    "backtick in info string is no fence": ("``` a`b\n# f", set()),
    "indented code block": ("段落\n\n    # g\n\n# h", {2}),
    "indented continuation is a paragraph": ("段落\n    # i", set()),
    "no code": ("# j\n正文", set()),
}


@pytest.mark.parametrize("text, lines", CASES.values(), ids=CASES.keys())
def test_code_lines_as_github_reads_them(text, lines):
    assert code_lines(text) == lines


@pytest.mark.parametrize("text, demoted, count", [
    ("```\n```python\n# 注释\n```\n# 标题", "```\n```python\n# 注释\n```\n### 标题", 1),
    ("~~~\n# a\n~~~\n## b", "~~~\n# a\n~~~\n### b", 1),
    ("- 项\n\n  ```\n  # c\n  ```", "- 项\n\n  ```\n  # c\n  ```", 0),
    ("段落\n\n    # 代码\n\n#### 深", "段落\n\n    # 代码\n\n#### 深", 0),
])
def test_demote_headings_never_touches_code(text, demoted, count):
    assert demote_headings(text) == (demoted, count)


def test_outside_code_rewrites_text_only():
    text = "a `b`\n```\n```python\nc\n```\nd"
    assert outside_code(text, str.upper) == "A `b`\n```\n```python\nc\n```\nD"


@pytest.mark.parametrize("lines, found", [
    (["## 1. 问题", "```", "```python", "## 2. 不是问题", "```", "## 3. 问题"], [0, 5]),
    (["## 1. 问题", "~~~", "## 2. 不是问题", "~~~"], [0]),
])
def test_headings_are_found_outside_code_only(lines, found):
    headings, _ = heading_lines("a.md", lines)
    assert sorted(headings) == found


def test_a_fence_left_open_fails_naming_its_line():
    with pytest.raises(SourceError, match="never closed") as error:
        heading_lines("a.md", ["## 1. 问题", "正文", "```python", "x = 1"])
    assert error.value.line == 3
    assert not code_blocks("```python\nx = 1")[0].closed
