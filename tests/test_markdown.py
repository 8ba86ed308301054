"""Table-driven tests: GitHub Markdown rewritten for Python-Markdown renders with GitHub's structure."""

from __future__ import annotations

import re

import cmarkgfm
import markdown
import pytest
from bs4 import BeautifulSoup

import structure
from qa_markdown import centered_images_to_markdown, demote_headings, join_chinese_lines, reindent_lists, tighten_inline_math

# The Markdown extensions of mkdocs.yml that shape lists, tables and code.
EXTENSIONS = ["tables", "sane_lists", "attr_list", "md_in_html", "pymdownx.superfences"]


def shapes(source: str) -> tuple[structure.Shape, structure.Shape]:
    """(GitHub's shape of the source, Python-Markdown's shape of the rewritten source)."""
    github = cmarkgfm.github_flavored_markdown_to_html(source)
    rewritten, _ = reindent_lists(source)
    python = markdown.markdown(rewritten, extensions=EXTENSIONS)
    return tuple(structure.shape_of([n for n in BeautifulSoup(h, "html.parser").contents
                                     if getattr(n, "name", None)]) for h in (github, python))


@pytest.mark.parametrize("source", [
    pytest.param("说明：\n- 甲\n- 乙", id="list-after-paragraph"),
    pytest.param("框架：\n1. 文本\n2. 图像", id="ordered-after-paragraph"),
    pytest.param("- 时序增强：\n  - 帧采样\n  - 反向播放\n- 空间增强：\n  - 裁剪", id="nested-by-two"),
    pytest.param("1. 数据：\n   - 规范化\n   - 过滤\n2. 问题：\n   - 错位", id="nested-under-ordered"),
    pytest.param("1. **基于UNet**\n- 优点：\n  1. 高效\n\n2. Transformer\n\n- 缺点：\n  1. 慢", id="list-kind-switch"),
    pytest.param("- 视频生视频：逐帧、\n动态捕捉\n- 语音", id="lazy-continuation"),
    pytest.param("- 领域：\n  ```python\n  x = 1\n  # 注释\n  ```\n- 下一项", id="fence-in-item"),
    pytest.param("文字\n2. 不是列表", id="ordered-not-one-cannot-interrupt"),
    pytest.param("表：\n| a | b |\n|---|---|\n| 1 | 2 |", id="table-after-paragraph"),
    pytest.param("- **A**：\n    - 深\n        - 更深", id="nested-by-four"),
    pytest.param("3. 第三\n4. 第四", id="ordered-start"),
    pytest.param("1. 甲\n   - 子\n3. 技巧：\n```python\nx = 1\n```\n4. 评估", id="fence-ends-item"),
])
def test_lists_render_like_github(source):
    github, python = shapes(source)
    assert python == github


@pytest.mark.parametrize("source, expected", [
    ("$ x_T $", "$x_T$"),
    ("当前帧 $ x_t $ 和 $ t $", "当前帧 $x_t$ 和 $t$"),
    ("$x_i$ 不变", "$x_i$ 不变"),
    ("`$ code $`", "`$ code $`"),
    ("价格 $5 和 $10", "价格 $5 和 $10"),
])
def test_inline_math_spaces(source, expected):
    assert tighten_inline_math(source)[0] == expected


@pytest.mark.parametrize("source, expected", [
    ('<div align="center">\n    <img src="imgs/CDM.png" alt="CDM网络结构" >\n</div>', "![CDM网络结构](imgs/CDM.png)\n\n"),
    ("<div align=\"center\"><img src='imgs/a.png'></div>", "![](imgs/a.png)"),
    ('<div>\n<img alt="x">\n</div>', '<div>\n<img alt="x">\n</div>'),
])
def test_centered_images(source, expected):
    assert centered_images_to_markdown(source)[0] == expected


@pytest.mark.parametrize("source, expected", [
    ("# 一级", "### 一级"),
    ("## 二级", "### 二级"),
    ("#### 四级", "#### 四级"),
    ("```\n# 注释\n```", "```\n# 注释\n```"),
])
def test_demote_headings(source, expected):
    assert demote_headings(source)[0] == expected


def test_math_block_lines_are_kept_verbatim():
    source = "其目标函数：\n$$\nL = \\sum_{i} \\|f(x_i)\\|^2_2\n- \\sum_j x_j\n$$\n其中："
    rewritten, _ = reindent_lists(source)
    assert "$$\nL = \\sum_{i} \\|f(x_i)\\|^2_2\n- \\sum_j x_j\n$$" in rewritten
    assert rewritten.startswith("其目标函数：\n\n$$")


@pytest.mark.parametrize("body, expected", [
    ("段落\n\n要强调的总结\n---\n\n下文", "段落\n\n### 要强调的总结\n\n下文"),
    ("两行\n标题\n===", "### 两行标题"),
    ("two\nlines\n===", "### two lines"),
    ("1. 项目\n   说明\n   ===", "1. 项目\n   说明\n   ==="),  # inside a list item: left to the item
    ("段落\n\n---\n\n下文", "段落\n\n---\n\n下文"),  # after a blank line: a rule
    ("- 列表项\n---", "- 列表项\n---"),  # under a list item: a rule
    ("```\n代码\n---\n```", "```\n代码\n---\n```"),
])
def test_underlined_headings_sit_below_the_question(body, expected):
    assert demote_headings(body)[0] == expected


@pytest.mark.parametrize("body, expected", [
    ('<div align="center"><img src="imgs/a.png" alt="说明"></div>', "![说明](imgs/a.png)"),
    ('<div align="center">\n  <img src="./imgs/ch03/a.png" alt="长说明" width="760" />\n  <p>图3-1 标题</p>\n</div>',
     '![长说明](./imgs/ch03/a.png "图3-1 标题")\n\n\n'),
    ('<img src="imgs/b.png" alt="单独一行">', "![单独一行](imgs/b.png)"),
    ('文字中 <img src="imgs/b.png"> 的图', '文字中 <img src="imgs/b.png"> 的图'),
    ('<div align="center"><img src="imgs/a.png" alt="说明"/><p>图1 <b>加粗</b></p></div>', '![说明](imgs/a.png "图1 加粗")'),
    ('```html\n<img src="cat.png" alt="猫">\n```', '```html\n<img src="cat.png" alt="猫">\n```'),
])
def test_centered_figures_become_markdown_images(body, expected):
    assert centered_images_to_markdown(body)[0] == expected


# --- Chinese line breaks ----------------------------------------------------------------------------

@pytest.mark.parametrize("source, expected", [
    pytest.param("数据中，\n并随后", "数据中，并随后", id="punctuation-han"),
    pytest.param("扩散\n模型", "扩散模型", id="han-han"),
    pytest.param("- 第一项\n  续行\n  - 子项\n    子续", "- 第一项续行\n  - 子项子续", id="tight-list-items"),
    pytest.param("- **减少编辑溢出：**\n初始状态", "- **减少编辑溢出：**&#8203;初始状态", id="emphasis-closes-after-punctuation"),
    pytest.param("使用\nDiT 模型", "使用\nDiT 模型", id="han-latin-keeps-space"),
    pytest.param("DiT\n模型", "DiT\n模型", id="latin-han-keeps-space"),
    pytest.param("硬换行  \n下一行", "硬换行  \n下一行", id="hard-break-spaces"),
    pytest.param("硬换行\\\n下一行", "硬换行\\\n下一行", id="hard-break-backslash"),
    pytest.param("```\n代码\n代码\n```", "```\n代码\n代码\n```", id="fenced-code"),
    pytest.param("- 项目\n\n      缩进代码\n      代码", "- 项目\n\n      缩进代码\n      代码", id="indented-code-in-list"),
    pytest.param("## 标题\n正文", "## 标题\n正文", id="heading-then-paragraph"),
    pytest.param("| 甲 |\n|---|\n| 乙 |\n| 丙 |", "| 甲 |\n|---|\n| 乙 |\n| 丙 |", id="table"),
    pytest.param("段落\n\n另一段", "段落\n\n另一段", id="paragraphs"),
    pytest.param("`代码\n跨行`", "`代码\n跨行`", id="code-span-across-lines"),
])
def test_chinese_soft_breaks_join_without_a_space(source, expected):
    joined, _ = join_chinese_lines(source)
    assert joined == expected
    # What a reader sees: the same text as GitHub shows, without the break between Chinese characters,
    # and the same emphasis and list items.
    html = markdown.markdown(reindent_lists(joined)[0], extensions=EXTENSIONS + ["pymdownx.betterem"])
    github = cmarkgfm.github_flavored_markdown_to_html(source)
    shown = BeautifulSoup(html, "html.parser").get_text().replace("\u200b", "").replace("\\", "")
    assert "".join(shown.split()) == "".join(BeautifulSoup(github, "html.parser").get_text().split())
    if joined != source:
        assert not [t for t in BeautifulSoup(html, "html.parser").find_all(string=True)
                    if re.search(r"[\u4e00-\u9fff，：][ \n]+[\u4e00-\u9fff]", t)]
    assert (html.count("<strong>"), html.count("<li>")) == (github.count("<strong>"), github.count("<li>"))
