"""Table-driven tests of the recorded state: how a build's questions match the questions the site
has published, whatever upstream did to them."""

from __future__ import annotations

import pytest

from qa_model import Question
from qa_normalize import slugify
from qa_pipeline import assign_anchors
from qa_record import (MATCH_SCORE, PART_MINIMUM, Recorded, add_recorded_aliases, answer_likeness, answer_sketch,
                       assign_ids, match_record, parse_record, record_text, title_likeness)

DIT = "DiT 是一种把 Transformer 用作扩散模型主干的架构，它把潜空间切成补丁序列，再用自注意力建模全局关系，因而扩展性好。"
GAN = "GAN 由生成器和判别器组成，两者对抗训练；训练不稳定、模式崩塌是它在视频生成中少用的主要原因。"
VAE = "VAE 把输入编码成潜变量的分布，再从中采样解码，训练目标是重建误差加 KL 散度，常用来压缩视频帧。"


def entry(sid: str, title: str, body: str, file: str = "a.md", **extra) -> Recorded:
    return Recorded(sid, title, slugify(title), "page", file, sketch=answer_sketch(body), **extra)


def question(title: str, body: str, source: str = "a.md", line: int = 1) -> Question:
    return Question(source=source, line=line, number="", title=title, body=body, body_line=line + 1)


CASES = {
    # id: (recorded entries, questions now, {title now: recorded id}, removed ids, report kinds)
    "renumbered: same title": (
        [entry("aaaaaa", "什么是DiT？", DIT)], [question("什么是DiT？", DIT, line=40)],
        {"什么是DiT？": "aaaaaa"}, [], []),
    "moved to another file": (
        [entry("aaaaaa", "什么是DiT？", DIT, file="a.md")], [question("什么是DiT？", DIT, source="b.md")],
        {"什么是DiT？": "aaaaaa"}, [], ["moved"]),
    "reworded title, same answer": (
        [entry("aaaaaa", "什么是DiT模型？", DIT)], [question("请介绍一下DiT模型？", DIT)],
        {"请介绍一下DiT模型？": "aaaaaa"}, [], ["renamed"]),
    "reworded title and answer moved across files": (
        [entry("aaaaaa", "什么是DiT模型？", DIT, file="a.md")],
        [question("请简要介绍DiT模型", DIT + "它也用于视频。", source="c.md")],
        {"请简要介绍DiT模型": "aaaaaa"}, [], ["moved", "renamed"]),
    "a different question with a like title is not taken": (
        [entry("aaaaaa", "GAN的训练有哪些挑战？", GAN)], [question("VAE的训练有哪些挑战？", VAE)],
        {}, ["aaaaaa"], ["new", "removed", "unrecorded"]),
    "removed: nothing like it": (
        [entry("aaaaaa", "什么是DiT？", DIT), entry("bbbbbb", "什么是GAN？", GAN)], [question("什么是DiT？", DIT)],
        {"什么是DiT？": "aaaaaa"}, ["bbbbbb"], ["removed"]),
    "new question": (
        [], [question("什么是VAE？", VAE)], {}, [], ["new", "unrecorded"]),
    "maintainer's match wins over the measure": (
        [entry("aaaaaa", "什么是GAN？", GAN, match="什么是VAE？")], [question("什么是VAE？", VAE)],
        {"什么是VAE？": "aaaaaa"}, [], ["renamed"]),
    "maintainer's match: none": (
        [entry("aaaaaa", "什么是DiT？", DIT, match="none")], [question("什么是DiT？", DIT)],
        {}, ["aaaaaa"], ["new", "unrecorded"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_matching(case):
    entries, questions, expected, removed, kinds = CASES[case]
    identity = match_record(entries, questions)
    assign_anchors(questions, identity.owners())
    ids, _, found = assign_ids(identity, entries)
    by_title = {q.title: ids[q.anchor] for q in questions if ids[q.anchor] in {e.id for e in entries}}
    assert by_title == expected
    assert sorted(identity.removed) == removed
    assert sorted({c.kind for c in identity.changes + found}) == kinds
    assert len(set(ids.values())) == len(ids)  # a new question never takes a recorded id


def test_a_same_titled_newcomer_never_takes_an_existing_anchor():
    entries = [entry("aaaaaa", "什么是DiT？", DIT)]
    questions = [question("什么是DiT？", DIT + "新的一份", source="new.md"), question("什么是DiT？", DIT, source="a.md")]
    identity = match_record(entries, questions)
    add_recorded_aliases(identity)
    assign_anchors([q for q, _ in identity.matched] + identity.unrecorded, identity.owners())
    kept = next(q for q, e in identity.matched if e.id == "aaaaaa")
    assert kept.source == "a.md" and kept.anchor == "什么是dit"
    assert identity.unrecorded[0].anchor == "什么是dit-2"


def test_a_removed_questions_anchor_stays_reserved():
    entries = [entry("aaaaaa", "什么是GAN？", GAN, anchors=["旧的锚点"])]
    newcomer = question("旧的锚点", VAE)
    identity = match_record(entries, [newcomer])
    assign_anchors([newcomer], identity.owners())
    assert "aaaaaa" in identity.removed and newcomer.anchor == "旧的锚点-2"


def test_recorded_anchors_become_aliases():
    entries = [entry("aaaaaa", "什么是DiT模型？", DIT, anchors=["更早的锚点"])]
    now = question("请介绍一下DiT模型？", DIT)
    identity = match_record(entries, [now])
    add_recorded_aliases(identity)
    assign_anchors([now], identity.owners())
    assert now.anchor == "请介绍一下dit模型" and {"什么是dit模型", "更早的锚点"} <= set(now.aliases)


@pytest.mark.parametrize("first, second, low, high", [
    (DIT, DIT, 1.0, 1.0),
    (DIT, DIT + "另外，它也常用于视频生成。", 0.6, 1.0),
    (DIT, GAN, 0.0, 0.2),
    ("", DIT, 0.0, 0.0),
])
def test_answer_likeness(first, second, low, high):
    assert low <= answer_likeness(answer_sketch(first), answer_sketch(second)) <= high


def test_record_file_round_trip():
    entries = [entry("aaaaaa", "什么是“DiT”？", DIT, english="What is DiT?", anchors=["旧"], match="none")]
    parsed = parse_record(record_text(entries).encode("utf-8"))
    assert [(e.id, e.title, e.anchor, e.english, e.anchors, e.match, e.sketch) for e in parsed] == \
        [(e.id, e.title, e.anchor, e.english, e.anchors, e.match, e.sketch) for e in entries]
    assert parsed[0].line == 5  # the entry's first field


def test_no_two_questions_of_the_site_match_each_other(corpus):
    """The threshold keeps apart the site's most alike questions (two U-ViT answers share text)."""
    questions = corpus.questions
    sketches = {q.anchor: answer_sketch(q.source_body) for q in questions}
    scores = []
    for position, first in enumerate(questions):
        for second in questions[position + 1:]:
            title = title_likeness(first.title, second.title)
            answer = answer_likeness(sketches[first.anchor], sketches[second.anchor])
            scores.append(((title + answer) / 2, title, answer))
    assert max(scores)[0] < MATCH_SCORE
    assert not [s for s in scores if s[0] >= MATCH_SCORE and min(s[1:]) >= PART_MINIMUM]


def test_a_merged_copys_entry_never_takes_the_question_from_its_own_entry():
    kept = question("什么是DiT？", DIT)
    kept.merged_from.append(question("DiT是什么？", DIT, source="old.md"))
    entries = [entry("aaaaaa", "DiT是什么？", DIT, file="old.md"), entry("zzzzzz", "什么是DiT？", DIT)]
    identity = match_record(entries, [kept])
    assert [e.id for _, e in identity.matched] == ["zzzzzz"] and [e.id for _, e in identity.merged] == ["aaaaaa"]
    assert not identity.removed


def test_a_match_names_a_title_or_its_anchor_and_is_dropped_once_recorded(corpus):
    from qa_record import updated_record
    now = question("什么是GAN？", GAN)
    for named in ("什么是GAN？", "什么是gan"):
        identity = match_record([entry("aaaaaa", "生成对抗网络是什么？", VAE, match=named)], [now])
        assert [e.id for _, e in identity.matched] == ["aaaaaa"], named
    question_now = corpus.questions[0]
    old = entry(corpus.short_ids[question_now.anchor], question_now.title, question_now.source_body,
                match=question_now.title)
    fresh = next(e for e in updated_record([old], corpus) if e.id == old.id)
    assert fresh.match == ""


@pytest.mark.parametrize("text, line, message", [
    ("aaaaaa:\n  title: t\n  anchor: a\n  page: p\n  file: f\n  sketch: abc\n", 2, "'sketch'"),
    ("AB-x!:\n  title: t\n  anchor: a\n  page: p\n  file: f\n", 2, "not a question id"),
    ("aaaaaa:\n  title: t\n  anchor: a\n  page: p\n", 2, "file"),
])
def test_a_bad_record_names_its_line(text, line, message):
    from qa_model import SourceError
    with pytest.raises(SourceError) as error:
        parse_record(text.encode("utf-8"))
    assert error.value.line == line and message in error.value.message and error.value.source == "data/questions.yml"
