"""Table-driven tests of the normalize step on tiny sources."""

from __future__ import annotations

import pytest

from qa_model import Question
from qa_normalize import (is_duplicate, looks_truncated, merge_duplicates, normalize_document,
                          slugify)
from qa_read import read_source


def normalized(source: str):
    doc, _ = read_source("t.md", source.encode())
    return normalize_document(doc)


def question(title: str, body: str, source: str = "a.md", line: int = 1) -> Question:
    return Question(source=source, line=line, number="1", title=title, body=body, body_line=line + 1)


@pytest.mark.parametrize("title, slug", [
    ("1.什么DiT模型？", "什么dit模型"),
    ("11.请介绍下什么是交叉注意力(Cross Attention),与自注意力机制有什么区别？",
     "请介绍下什么是交叉注意力cross-attention与自注意力机制有什么区别"),
    ("SAM v2", "sam-v2"),
    ("为何选择FVD而非传统的PSNR/SSIM评估视频质量？", "为何选择fvd而非传统的psnrssim评估视频质量"),
    ("？？？", "q"),
])
def test_slugify(title, slug):
    assert slugify(title) == slug


@pytest.mark.parametrize("toc_line, defect", [
    ("- [1.甲 乙](1.甲-乙)", "lacks its leading '#'"),
    ("- [1.甲 乙] (#1.甲-乙)", "space between"),
    ("- [1.甲 乙](#1.甲 乙)", "spaces and hyphens"),
    ("- [1.旧标题](#1.旧标题)", "no heading has the id"),
])
def test_toc_link_defects(toc_line, defect):
    _, changes = normalized(f"## 目录\n\n{toc_line}\n\n<h2 id=\"1.甲-乙\">1.甲 乙</h2>\n\n答。\n")
    assert any(c.kind == "toc-link" and defect in c.message and c.line == 3 for c in changes)


def test_heading_copying_next_title_takes_toc_title():
    source = """## 目录

- [1.长视频表现如何？](#1.长视频表现如何？)
- [2.使用哪些指标？](#2.使用哪些指标？)

<h2 id="1.使用哪些指标？">1.使用哪些指标？</h2>

长视频的答案。

<h2 id="2.使用哪些指标？">2.使用哪些指标？</h2>

指标的答案。
"""
    parts, changes = normalized(source)
    assert [q.title for q in parts[0].questions] == ["长视频表现如何？", "使用哪些指标？"]
    assert any(c.kind == "title" and c.line == 6 for c in changes)


def test_older_toc_title_keeps_heading_and_becomes_alias():
    parts, changes = normalized("## 目录\n\n- [1.旧的说法](#1.旧的说法)\n\n<h2 id=\"1.新的说法\">1.新的说法</h2>\n\n答。\n")
    only = parts[0].questions[0]
    assert only.title == "新的说法" and "旧的说法" in only.aliases and "1.旧的说法" in only.aliases


def test_order_and_part_follow_the_toc():
    source = """# 目录

- [第一部分](#第一部分)
  - [1.甲](#1.甲)
  - [2.丙](#2.丙)
- [第二部分](#第二部分)
  - [1.乙](#1.乙)

<h1 id="第一部分">第一部分</h1>

<h2 id="1.甲">1.甲</h2>

a

<h1 id="第二部分">第二部分</h1>

<h2 id="1.乙">1.乙</h2>

b

<h2 id="2.丙">2.丙</h2>

c
"""
    parts, changes = normalized(source)
    assert [(p.title, [q.title for q in p.questions]) for p in parts] == [
        ("第一部分", ["甲", "丙"]), ("第二部分", ["乙"])]
    assert any(c.kind == "order" and c.line == 21 for c in changes)


@pytest.mark.parametrize("a, b, duplicate", [
    (question("什么DiT模型？", "DiT是扩散模型。"), question("什么DiT模型？", "DiT是扩散模型。"), True),
    (question("主流AI视频技术框架", "同样的答案文字很长"), question("主流AI视频生成技术框架", "同样的答案文字很长"), True),
    (question("评测指标？", "主观指标与客观指标。"), question("评测指标？", "支持最长400万token。"), False),
    (question("U-ViT的模型特点", "U-ViT把时间和条件当作token。"),
     question("U-ViT的应用和性能", "U-ViT在视频生成中表现好。"), False),
])
def test_is_duplicate(a, b, duplicate):
    assert is_duplicate(a, b) is duplicate


def test_merge_keeps_most_complete_copy_and_aliases_the_rest():
    short = question("什么是扩散模型？", "扩散模型逐步加噪并学习去噪。", "old.md", 5)
    full = question("什么是扩散模型？", "扩散模型逐步加噪并学习去噪。它是主流生成模型。", "new.md", 9)
    short.aliases.append("6.什么是扩散模型？")
    kept, changes = merge_duplicates([short, full])
    assert kept == [full] and "6.什么是扩散模型？" in full.aliases
    assert changes[0].source == "old.md" and changes[0].line == 5


def test_merge_tie_keeps_the_earlier_file():
    first, second = question("甲？", "一样的答案。", "a.md"), question("甲？", "一样的答案。", "b.md")
    kept, _ = merge_duplicates([first, second])
    assert kept == [first]


@pytest.mark.parametrize("body, truncated", [
    ("如：\n- **广告营销**：利用视频生成技术制作吸引人的广告视频，提高广告效果。\n"
     "- **教育**：利用视频生成技术制作生动的课程视频，提高学习效果。\n- **娱乐**：利用视频生成技术制作", True),
    ("如：\n- **广告**：提高广告效果。\n- **教育**：提高学习兴趣。", False),
    ("1. Stable Video Diffusion\n2. Sora\n3. 可灵AI", False),
    ("- 分析视频内容结构\n- 生成编辑操作热图\n- 时空一致性后处理", False),
    ("```python\nx = 1\n```", False),
    # The last line is as long as its finished peers: a complete item written without a full stop.
    ("如：\n- **广告**：提高广告效果。\n- **教育**：提高学习兴趣。\n- **娱乐**：为观众生成风格多样的短视频内容并持续提高用户的参与度", False),
])
def test_looks_truncated(body, truncated):
    assert looks_truncated(question("t", body)) is truncated
