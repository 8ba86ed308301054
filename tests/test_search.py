"""Search, typed into the site's own search box in Chromium, finds the question a reader means."""

from __future__ import annotations

import sys
from collections import Counter
from urllib.parse import quote, urljoin

import pytest
from mkdocs.exceptions import PluginError

import qa_search
import search_eval

RECALL_AT_5 = 0.95
MEAN_RECIPROCAL_RANK = 0.80


@pytest.fixture(scope="module")
def outcomes(browser, served_site, corpus):
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    results = search_eval.evaluate(tab, served_site, {q.title: q.anchor for q in corpus.questions})
    tab.close()
    return results


def test_query_set_covers_every_section_and_kind(corpus):
    queries = search_eval.load_queries()
    assert len(queries) >= 50
    titles = {q.title: page.spec.id for page in corpus.pages for q in page.questions}
    assert all(row["expect"] in titles for row in queries), "an expected question is not on the site"
    assert {titles[row["expect"]] for row in queries} == {page.spec.id for page in corpus.pages}
    kinds = Counter(row["kind"] for row in queries)
    assert set(kinds) == {"term", "abbr", "english", "two", "near"} and min(kinds.values()) >= 5


def test_recall_and_mean_reciprocal_rank(outcomes):
    recall = search_eval.recall_at(outcomes, 5)
    mrr = search_eval.mean_reciprocal_rank(outcomes)
    misses = [o for o in outcomes if o.rank != 1]
    print(f"\nrecall@5 {recall:.3f}  MRR {mrr:.3f}  over {len(outcomes)} queries")
    for miss in misses:
        print(f"  rank {miss.rank or '-'}: {miss.query!r} -> {miss.expect}  (first: {miss.seen[:2]})")
    assert recall >= RECALL_AT_5 and mrr >= MEAN_RECIPROCAL_RANK


def test_results_show_question_titles(browser, served_site, corpus):
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    search_eval.open_search(tab, served_site)
    search_eval.run_query(tab, "LoRA")
    titles = [t.replace("\u200b", "").strip() for t in
              tab.locator(".md-search-result__article h2, .md-search-result__article h1").all_text_contents()]
    question_titles = {q.title for q in corpus.questions}
    assert any(t in question_titles for t in titles)
    assert not any(t in ("目录", "") or t.endswith(".md") for t in titles)
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
