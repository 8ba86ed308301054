"""Property-based: whatever titles, bodies and TOC damage a source file has, the normalizer keeps
every question, never raises, and gives unique, valid anchors."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa_model import SourceError
from qa_normalize import normalize_document
from qa_pipeline import assign_anchors
from qa_read import read_source

TITLE_CHARACTERS = st.characters(
    blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\n\r<>")
TITLE_PIECES = st.sampled_from(["什么是", "DiT", "（全角）", "“引号”", '"quote"', "#", "%", "😀", "？", "?", " ",
                                "Q-Former", "[x]", "(y)", "*", "_", "`", "{#id}", "—", "、", "…"])
TITLES = st.lists(st.one_of(TITLE_PIECES, st.text(TITLE_CHARACTERS, min_size=1, max_size=8)),
                  min_size=1, max_size=40).map("".join).filter(lambda t: any(ch.isalnum() for ch in t))
BODY_LINES = st.sampled_from([
    "普通的一段回答。", "- 列表项", "  - 嵌套两格", "1. 有序", "**加粗**：说明", "| a | b |", "|---|---|",
    "| 1 | 2 |", "$ x_t $ 公式", "$$", "x^2", "$$", "![](imgs/missing-is-fine.png)".replace("imgs/", "img/"),
    "> 引用", "", "text with <br> tag", "### 小标题", "中文English混排400万token",
])
BODIES = st.lists(BODY_LINES, min_size=1, max_size=12).map("\n".join)
TOC_DAMAGE = st.sampled_from(["ok", "no-hash", "spaces", "space-before-paren", "missing", "older-title"])


def toc_line(number: int, title: str, damage: str) -> str:
    target = f"{number}.{title}".replace(" ", "-")
    if damage == "missing":
        return ""
    if damage == "no-hash":
        return f"- [{number}.{title}]({target})"
    if damage == "spaces":
        return f"- [{number}.{title}](#{number}.{title})"
    if damage == "space-before-paren":
        return f"- [{number}.{title}] (#{target})"
    if damage == "older-title":
        return f"- [{number}.旧的{title}](#{number}.旧的{title})"
    return f"- [{number}.{title}](#{target})"


def heading(number: int, title: str, style: int) -> str:
    if style == 0:
        return f'<h2 id="{number}.{title}">{number}.{title}</h2>'
    return f"## {number}.{title}"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(TITLES, BODIES, TOC_DAMAGE, st.integers(0, 1)), min_size=1, max_size=8))
def test_normalizer_keeps_every_question_with_unique_valid_anchors(questions):
    toc = ["## 目录", ""] + [toc_line(i + 1, t, d) for i, (t, _, d, _) in enumerate(questions)] + [""]
    parts = []
    for i, (title, body, _, style) in enumerate(questions):
        parts += [heading(i + 1, title, style), "", body, ""]
    source = "\n".join(toc + parts)
    try:
        doc, _ = read_source("random.md", source.encode("utf-8"))
    except SourceError as error:
        # The only input the reader may refuse here: a heading it cannot read (named with its line).
        assert error.line >= 1 and "heading" in error.message
        return
    normalized, _ = normalize_document(doc)
    found = [q for part in normalized for q in part.questions]
    assert len(found) == len(questions)
    assign_anchors(found)
    anchors = [q.anchor for q in found]
    assert len(set(anchors)) == len(anchors)
    assert all(re.fullmatch(r"[\w-]+", a) and not a.startswith("-") for a in anchors)
    for question in found:
        assert question.anchor not in question.aliases
