"""The sharded search index (hooks/qa_search_shards.py) and the site's search worker
(hooks/qa_search_worker.js): the same tokens on both sides, the files round-trip, and the worker's
reading of queries and its output, run in Chromium."""

from __future__ import annotations

import json

import pytest

import qa_search_shards as shards
import qa_search_worker

# --- tokens, shared by the index and the worker --------------------------------------------------

TOKEN_CASES = [
    ("潜在扩散模型", ["潜", "在", "扩", "散", "模", "型"]),
    ("Q-Former", ["q", "former"]),
    ("3D卷积", ["3d", "卷", "积"]),
    ("ＬｏＲＡ（低秩）", ["lora", "低", "秩"]),
    ("Fréchet Video Distance", ["fréchet", "video", "distance"]),
    ("KV Range>1。", ["kv", "range", "1"]),
    ("𠀀 DiT", ["𠀀", "dit"]),
    ("C++ / C#", ["c", "c"]),
    ("", []),
]


@pytest.mark.parametrize("text, expected", TOKEN_CASES)
def test_tokens(text, expected):
    assert shards.tokens(text) == expected


@pytest.mark.parametrize("stream, term, expected", [
    (["扩", "散", "模", "型"], "扩散", True),
    (["扩", None, "散"], "扩散", False),  # not across a gap between texts
    (["用", "光", "流"], "光流", True),
    (["transformer"], "transfo", True),  # the last Latin word is a prefix
    (["edit"], "dit", False),  # a word starts where the term starts
    (["optical", "flow"], "optical flow", True),
    (["optically", "flow"], "optical flow", False),  # only the last word may be longer
    (["q", "former"], "Q-Former", True),
    ([], "x", False),
])
def test_holds(stream, term, expected):
    assert shards.holds(stream, shards.tokens(term)) is expected


@pytest.mark.parametrize("html, expected", [
    ("<p>​通过​调整</p> <ul> <li>高</li><li>低 &gt; 1</li> </ul>", ["通过调整", "高", "低 > 1"]),
    ("<p>a <code>b</code> c</p><pre><code>x = 1\ny</code></pre>", ["a b c", "x = 1 y"]),
    ("", []),
    ("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>", ["<script>alert(1)</script>"]),
])
def test_blocks(html, expected):
    assert shards.blocks(html) == expected


INDEX = {
    "config": {"lang": ["en"], "separator": "[\\s]+", "pipeline": [],
               "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}, "names": {"boost": 1500.0}}},
    "docs": [{"location": f"topics/t/#q{n}", "title": f"问题\u200b{n}号 LoRA", "text": f"<p>答案 {n} 光流</p><p>第二段</p>",
              **({"names": "LoRA ; 低秩适配"} if n == 3 else {})} for n in range(40)],
}


def test_files_round_trip_and_every_token_is_in_its_file(tmp_path):
    files = shards.sharded(INDEX, "en/")
    assert shards.write(tmp_path, files) == len(files)
    config, questions = shards.read(tmp_path)
    meta = config["questions"]
    assert meta["count"] == 40 and meta["path"] == "en/search/" and len(meta["lengths"]) == 160
    assert [q.location for q in questions] == [doc["location"] for doc in INDEX["docs"]]
    assert questions[3].title == "问题3号 LoRA" and questions[3].names == "LoRA ; 低秩适配"
    assert questions[0].blocks == ["答案 0 光流", "第二段"]
    assert json.loads(files[shards.MANIFEST])["docs"] == []
    for path, text in files.items():
        if path.startswith(shards.TERMS_DIR + "/"):
            for token in json.loads(text):
                assert path == f"{shards.TERMS_DIR}/{shards.term_key(token, meta['han_files'], meta['word_files'])}.json"
    assert shards.holding(questions, "光流") == [q.location for q in questions]
    assert shards.holding(questions, "低秩适配") == ["topics/t/#q3"]
    # Writing again with fewer files leaves no stale one behind.
    small = shards.sharded({**INDEX, "docs": INDEX["docs"][:2]}, "")
    shards.write(tmp_path, small)
    assert {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.json")} == set(small)


def test_name_edges_surround_each_glossary_name():
    where, lengths = shards.postings([shards.Question("a", "标题", "LoRA ; 低秩", "", ["答"])])
    # 标 题 _ lora _ 低 秩 _ 答: the names span four positions, with edges at 2, 4 and 7.
    assert lengths == [2, 4, 0, 1]
    assert where[shards.NAME_EDGE] == [0, 3, 2, 2, 3]  # question 0, three positions, as gaps
    assert where["lora"] == [0, 1, 3] and where["答"] == [0, 1, 9]


# --- the worker, in the browser ------------------------------------------------------------------

@pytest.fixture(scope="module")
def worker_page(browser):
    page = browser.new_page()
    page.add_script_tag(content=qa_search_worker.WORKER_SOURCE.read_text(encoding="utf-8"))
    yield page
    page.close()


def test_the_worker_splits_text_into_the_same_tokens(worker_page):
    texts = [text for text, _ in TOKEN_CASES]
    assert worker_page.evaluate("texts => texts.map(tokens)", texts) == [shards.tokens(t) for t in texts]


@pytest.mark.parametrize("query, wanted, absent", [
    ("潜在扩散模型", ["潜在扩散模型"], []),
    ("optical flow", ["optical", "flow"], []),
    ('"optical flow"', ["optical flow"], []),
    ("注意力 光流", ["注意力", "光流"], []),
    ("模型 -LoRA", ["模型"], ["LoRA"]),
    ("+LoRA~1 dit*", ["LoRA", "dit"], []),
    ("LoRA lora", ["LoRA"], []),
    ("-- ？", [], []),
    ('-"optical flow" LoRA', ["LoRA"], ["optical flow"]),
    ('flow" +"光流"', ["flow", "光流"], []),
])
def test_the_worker_reads_a_query_into_terms(worker_page, query, wanted, absent):
    parsed = worker_page.evaluate("q => terms(q)", query)
    assert [t["shown"] for t in parsed["wanted"]] == wanted
    assert [t["shown"] for t in parsed["absent"]] == absent


@pytest.mark.parametrize("term, expected", [
    ("潜在扩散模型", ["潜在", "扩散", "模型"]),
    ("文生视频", ["文生", "视频"]),
    ("扩散transformer", ["扩散", "transformer"]),
    ("时间一致性", ["时间", "一致", "致性"]),
    ("光流", []),
    ("LoRA", []),
])
def test_pieces_of_a_term_a_partial_hit_may_hold(worker_page, term, expected):
    found = worker_page.evaluate("q => pieces(terms(q).wanted[0]).map(p => p.shown)", term)
    assert found == expected


@pytest.mark.parametrize("variants, query, expected", [
    ({"chars": "擴扩", "words": {}}, "擴散模型", "扩散模型"),
    ({"chars": "視视頻频", "words": {"影片": "视频"}}, "影片生成 視頻", "视频生成 视频"),
    ({"chars": "视視频頻", "words": {"视频": "影片", "視頻": "影片"}}, "视频 LoRA 视", "影片 LoRA 視"),
    ({"chars": "", "words": {}}, "𠀀 DiT", "𠀀 DiT"),
])
def test_variant_reader(worker_page, variants, query, expected):
    assert worker_page.evaluate("([v, q]) => readVariants(v)(q)", [variants, query]) == expected


@pytest.mark.parametrize("text, term, expected", [
    ('<img src=x onerror="window.__pwned=1">标题', "标题", '&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;<mark>标题</mark>'),
    ("Q-Former 与 q former", "Q-Former", "<mark>Q-Former</mark> 与 <mark>q former</mark>"),
    ("edit DiT", "dit", "edit <mark>DiT</mark>"),
    ("卷积DiT", "dit", "卷积<mark>DiT</mark>"),
    ("a & b", "b", "a &amp; <mark>b</mark>"),
])
def test_shown_text_is_escaped_and_marked(worker_page, text, term, expected):
    assert worker_page.evaluate("([t, q]) => marked(t, [pattern(terms(q).wanted[0])])", [text, term]) == expected


def test_a_snippet_starts_at_the_sentence_holding_the_term(worker_page):
    block = "第一句话讲的是别的事情，而且" + "很长" * 40 + "。第二句提到光流。"
    snippet = worker_page.evaluate(
        "b => { const p = [pattern(terms('光流').wanted[0])]; return snippet(['无关', b], p, p); }", block)
    assert snippet == "<p>第二句提到<mark>光流</mark>。</p>"
