"""Search, typed into the site's own search box in Chromium, finds the question a reader means,
in every edition and in either Chinese script, and shows it without false notices."""

from __future__ import annotations

import json
import math
import sys
from collections import Counter
from urllib.parse import parse_qs, quote, unquote, urljoin, urlparse

import pytest
from mkdocs.exceptions import PluginError

import qa_search
import qa_search_shards
import search_eval

# Targets over what a reader sees (visible hits only).
FIRST_VISIBLE = 0.90
RECALL_AT_5 = 0.97
CROSS_SCRIPT = 0.95
ENGLISH_NAMES = 0.90
MINIMUM_QUERIES = 150


@pytest.fixture(scope="module")
def outcomes(browser, served_site, corpus):
    """Every edition's outcomes over its part of the query set."""
    anchors = {q.title: q.anchor for q in corpus.questions}
    results = {}
    for edition in search_eval.EDITIONS:
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        results[edition] = search_eval.evaluate(tab, served_site, edition, anchors)
        tab.close()
    return results


def report(edition: str, outcomes: list[search_eval.Outcome]) -> dict:
    figures = search_eval.summary(outcomes)
    print(f"\n{edition}: " + ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}"
                                     for k, v in figures.items()))
    for o in outcomes:
        if o.rank != 1 or o.false_notices or o.bad_snippets:
            print(f"  rank {o.rank or '-'} [{o.kind}] {o.query!r} -> {o.expect}  "
                  f"(first: {o.seen[:2]}) {o.false_notices} {o.bad_snippets}")
    return figures


def test_query_set_covers_every_section_kind_and_edition(corpus):
    queries = search_eval.load_queries()
    assert len(queries) >= MINIMUM_QUERIES
    assert len({row["query"].lower() for row in queries}) == len(queries), "a query is listed twice"
    titles = {q.title: page.spec.id for page in corpus.pages for q in page.questions}
    assert all(row["expect"] in titles for row in queries), "an expected question is not on the site"
    assert {titles[row["expect"]] for row in queries} == {page.spec.id for page in corpus.pages}
    kinds = Counter(row["kind"] for row in queries)
    assert set(kinds) == set(search_eval.KIND_EDITIONS) and min(kinds.values()) >= 10
    defining = {term.question for term in corpus.links.glossary}
    anchors = {q.title: q.anchor for q in corpus.questions}
    assert defining <= {anchors[row["expect"]] for row in queries}, "a glossary term's question is never searched for"


@pytest.mark.parametrize("edition", search_eval.EDITIONS)
def test_defining_question_first_and_found_in_the_visible_hits(outcomes, edition):
    figures = report(edition, outcomes[edition])
    assert figures["first visible"] >= FIRST_VISIBLE
    assert figures["recall@5 visible"] >= RECALL_AT_5


@pytest.mark.parametrize("edition", search_eval.EDITIONS)
def test_no_false_missing_notices_and_snippets_start_at_a_word(outcomes, edition):
    notices = [(o.query, n) for o in outcomes[edition] for n in o.false_notices]
    snippets = [(o.query, s) for o in outcomes[edition] for s in o.bad_snippets]
    assert not notices and not snippets


@pytest.mark.parametrize("edition", ["zh", "zh-TW"])
def test_either_chinese_script_finds_the_question(outcomes, edition):
    figures = search_eval.summary(outcomes[edition])
    assert figures["cross-script recall@5"] >= CROSS_SCRIPT


@pytest.mark.parametrize("edition", ["zh", "en"])
def test_english_names_find_the_question(outcomes, edition):
    figures = search_eval.summary(outcomes[edition])
    assert not math.isnan(figures["english recall@5"]) and figures["english recall@5"] >= ENGLISH_NAMES


def search_tab(browser, served_site, edition="zh"):
    tab = browser.new_page(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    search_eval.open_search(tab, urljoin(served_site, search_eval.EDITION_PATH[edition]))
    return tab


def test_last_word_of_a_query_is_searched_and_highlighted(browser, served_site):
    """Material's worker looked 对比学习 up as 对比 + 学, and ?h= carried only 对比."""
    tab = search_tab(browser, served_site)
    hits, _ = search_eval.run_query(tab, "对比学习")
    assert hits and not hits[0]["missing"]
    highlight = parse_qs(urlparse(hits[0]["href"]).query)["h"][0].split()
    assert highlight == ["对比学习"]
    tab.close()


@pytest.mark.parametrize("edition, count_word", [("zh", "道题"), ("zh-TW", "道題"), ("en", "question")])
def test_count_counts_questions_and_each_hit_is_a_question(browser, served_site, corpus, edition, count_word):
    tab = search_tab(browser, served_site, edition)
    hits, _ = search_eval.run_query(tab, "LoRA")
    meta = tab.locator(".md-search-result__meta").text_content()
    anchors = {q.anchor for q in corpus.questions}
    assert count_word in meta and str(len(hits)) in meta
    assert all(hit["anchor"] in anchors for hit in hits), "a page, home or report entry among the hits"
    assert tab.locator(".md-search-result details").count() == 0, "hits folded under 'N more'"
    tab.close()


def test_index_holds_questions_only_with_names_and_variants(site_build, corpus):
    anchors = {q.anchor for q in corpus.questions}
    for edition in search_eval.EDITIONS:
        config, questions = qa_search_shards.read(site_build.site / search_eval.EDITION_PATH[edition] / "search")
        located = [unquote(q.location.split("#", 1)[-1]) for q in questions]
        assert sorted(located) == sorted(anchors), edition
        assert "names" in config["fields"]
        assert ("variants" in config) == (edition != "en")


def test_results_show_question_titles(browser, served_site, corpus):
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    search_eval.open_search(tab, served_site)
    search_eval.run_query(tab, "LoRA")
    titles = [t.replace("\u200b", "").strip() for t in
              tab.locator(".md-search-result__article h2, .md-search-result__article h1").all_text_contents()]
    question_titles = {q.title for q in corpus.questions}
    assert titles and all(t in question_titles for t in titles)
    tab.close()


def test_clicking_a_result_highlights_the_words(browser, served_site):
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    search_eval.open_search(tab, served_site)
    search_eval.run_query(tab, "Q-Former")
    tab.locator("a.md-search-result__link[href*='#']").first.click()
    tab.wait_for_load_state("networkidle")
    marks = tab.locator("article mark").all_text_contents()
    assert any("q" in m.lower() or "former" in m.lower() for m in marks)
    tab.close()


def test_shared_search_link_opens_with_results(browser, served_site):
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    tab.goto(urljoin(served_site, f"?q={quote('光流')}"), wait_until="networkidle")
    tab.wait_for_selector(search_eval.RESULT_LINKS, timeout=10000)
    assert tab.locator("input.md-search__input").input_value() == "光流"
    tab.close()


def test_search_suggests_a_completion(browser, served_site):
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    search_eval.open_search(tab, served_site)
    tab.locator("input.md-search__input").type("transfo")
    tab.wait_for_function("(document.querySelector('.md-search__suggest')?.textContent || '').length > 7",
                          timeout=10000)
    assert "transformer" in tab.locator(".md-search__suggest").text_content().lower()
    tab.close()


@pytest.mark.parametrize("line, kept", [
    ("数据 100 n\n", True),
    ("数据增强 5 n\n", False),
    ("AI 3 eng\n", True),
    ("光 9 n\n", True),
    ("\n", False),
])
def test_short_words(line, kept):
    assert (qa_search.short_words([line]) == [line]) is kept


def test_missing_jieba_fails_the_build(monkeypatch):
    import qa_hooks

    monkeypatch.setitem(sys.modules, "jieba", None)
    with pytest.raises(PluginError, match="jieba is not installed"):
        qa_hooks.use_search_dictionary()
