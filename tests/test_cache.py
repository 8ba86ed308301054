"""Tests of the caches that outlive one build: they must give what the uncached work gives."""

from __future__ import annotations

import jieba
import pytest
from jinja2 import DictLoader, Environment

import qa_cache


def test_templates_compile_once_across_environments_and_again_when_changed():
    cache = qa_cache.TemplateCache()
    sources = {"page.html": "<p>{{ title }}</p>"}
    first = Environment(loader=DictLoader(sources), bytecode_cache=cache)
    assert first.get_template("page.html").render(title="甲") == "<p>甲</p>"
    assert len(cache.compiled) == 1

    # A new environment (MkDocs makes one per build) loads the compiled code instead of compiling.
    second = Environment(loader=DictLoader(sources), bytecode_cache=cache)
    compiled = dict(cache.compiled)
    assert second.get_template("page.html").render(title="乙") == "<p>乙</p>"
    assert cache.compiled == compiled

    sources["page.html"] = "<h1>{{ title }}</h1>"
    third = Environment(loader=DictLoader(sources), bytecode_cache=cache)
    assert third.get_template("page.html").render(title="丙") == "<h1>丙</h1>"


@pytest.fixture
def segmenter(tmp_path):
    """A cache around jieba's real tokenizer, with two small dictionaries; jieba is restored after."""
    original_cut, tokenizer = jieba.cut, jieba.dt
    jieba.dt = jieba.Tokenizer()
    cache = qa_cache.SegmenterCache(jieba)
    dictionaries = {}
    for name, words in {"short": "视频 10\n生成 10\n模型 10\n", "long": "视频生成 10\n模型 10\n"}.items():
        path = tmp_path / f"{name}.txt"
        path.write_text(words, encoding="utf-8")
        dictionaries[name] = str(path)
    yield cache, dictionaries
    jieba.cut, jieba.dt = original_cut, tokenizer


@pytest.mark.parametrize("dictionary, text, words", [
    ("short", "视频生成模型", ("视频", "生成", "模型")),
    ("long", "视频生成模型", ("视频生成", "模型")),
    ("short", "DiT模型", ("DiT", "模型")),
])
def test_segmentation_matches_jieba_with_each_dictionary(segmenter, dictionary, text, words):
    cache, dictionaries = segmenter
    cache.use_dictionary(dictionaries[dictionary])
    assert tuple(cache.cut(text)) == words
    assert tuple(cache.cut(text.encode("utf-8"))) == words  # Material passes bytes


def test_switching_dictionaries_loads_each_from_disk_once(segmenter, monkeypatch):
    cache, dictionaries = segmenter
    loads = []
    initialize = jieba.dt.initialize
    monkeypatch.setattr(jieba.dt, "initialize", lambda *a: (loads.append(jieba.dt.dictionary), initialize(*a)))
    for name in ["short", "long", "short", "long", "short"]:
        cache.use_dictionary(dictionaries[name])
        assert tuple(cache.cut("视频生成")) == (("视频", "生成") if name == "short" else ("视频生成",))
    assert loads == [dictionaries["short"], dictionaries["long"]]


def test_new_build_keeps_only_what_the_last_build_used(segmenter):
    cache, dictionaries = segmenter
    cache.use_dictionary(dictionaries["short"])
    cache.cut("视频")
    cache.new_build()
    cache.cut("模型")
    cache.new_build()
    assert {text for _, text in cache.segments} == set()
    assert {text for _, text in cache.previous} == {"模型"}


def test_install_routes_jieba_cut_through_the_cache(segmenter):
    cache, dictionaries = segmenter
    cache.install()
    cache.install()
    cache.use_dictionary(dictionaries["short"])
    assert jieba.cut == cache.cut
    assert "".join(jieba.cut("视频生成")) == "视频生成"
    assert list(jieba.cut("视频生成", cut_all=True))  # other modes go to jieba itself
