"""What the search dialog says about whole terms, typed in Chromium: the count counts the questions
that hold every term, those come before hits that hold only part of the query, and no hit is
marked missing a term it holds.

A term is a space-separated piece of the query (a run of Han characters is one term). A question
holds a term when the term's tokens follow one another in its title, text, glossary names or
English title, case folded; a Latin term only at the start of a word (qa_search_shards). Which
questions hold a term is read here, in Python, from the edition's own search files, independently
of the worker.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urljoin

import pytest

import qa_search_shards
import search_eval

# One-term and two-term queries in each edition's language and script, typed as a reader would:
# rare compounds that jieba splits (the count was the questions holding any of the pieces), English
# names with punctuation, abbreviations that are also parts of other words, a term in the other
# Chinese script, and pairs where few questions hold both.
QUERIES = {
    "zh": ["潜在扩散模型", "对比学习", "时间一致性", "Q-Former", "DiT", "LoRA", "光流", "數據增強",
           "扩散模型 LoRA", "GAN VAE", "Q-Former 缺点", "optical flow", "注意力 光流"],
    "zh-TW": ["潛在擴散模型", "對比學習", "Q-Former", "LoRA", "光流", "数据增强", "擴散模型 LoRA",
              "GAN VAE", "Q-Former 缺點"],
    "en": ["latent diffusion", "Q-Former", "DiT", "LoRA", "optical flow", "contrastive learning",
           "temporal consistency", "GAN VAE", "diffusion LoRA"],
}
COUNT = re.compile(r"\d+")
PARTIAL_OR_NONE = re.compile(r"没有|沒有|No ")


def haystacks(index) -> dict:
    """What each question is matched on: its tokens in order, with the gaps between texts."""
    _, questions = index
    return {unquote(q.location.split("#", 1)[-1]): q.stream()[0] for q in questions}


def holds(stream, term: str) -> bool:
    return qa_search_shards.holds(stream, qa_search_shards.tokens(term))


def terms_of(query: str, variants) -> list[str]:
    """The query's terms in the index's script."""
    return [variants(term) for term in query.split()]


def reader_of(index: dict):
    """The edition's variant table as the worker applies it (qa_search_index.read_variants)."""
    import qa_search_index

    table = index[0].get("variants")
    if not table:
        return lambda text: text
    chars = dict(zip(table["chars"][0::2], table["chars"][1::2]))
    return lambda text: qa_search_index.read_variants(text, chars, table["words"])


@pytest.fixture(scope="module")
def indexes(site_build):
    return {edition: qa_search_shards.read(site_build.site / search_eval.EDITION_PATH[edition] / "search")
            for edition in QUERIES}


@pytest.fixture(scope="module")
def tabs(browser, served_site):
    opened = {}
    for edition in QUERIES:
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        search_eval.open_search(tab, urljoin(served_site, search_eval.EDITION_PATH[edition]))
        opened[edition] = tab
    yield opened
    for tab in opened.values():
        tab.close()


@pytest.mark.parametrize("edition, query", [(e, q) for e, queries in QUERIES.items() for q in queries])
def test_count_whole_before_partial_and_no_false_notice(tabs, indexes, edition, query):
    index = indexes[edition]
    texts = haystacks(index)
    terms = terms_of(query, reader_of(index))
    holding = {anchor for anchor, text in texts.items() if all(holds(text, term) for term in terms)}
    tab = tabs[edition]
    hits, _ = search_eval.run_query(tab, query)
    meta = tab.locator(".md-search-result__meta").text_content()
    announced = COUNT.search(meta)
    if holding:
        assert announced and int(announced.group()) == len(holding), (meta, sorted(holding)[:5])
    else:
        assert not announced and PARTIAL_OR_NONE.search(meta), meta
    assert hits, "no hit at all"
    # Material draws the first ten hits, then more as the list scrolls.
    shown_whole = min(len(holding), len(hits))
    assert all(hit["anchor"] in holding and not hit["missing"] for hit in hits[:shown_whole]), \
        [(hit["anchor"], hit["missing"]) for hit in hits[:shown_whole]]
    for hit in hits[shown_whole:]:
        assert hit["anchor"] not in holding and hit["missing"], (hit["anchor"], hit["missing"])
    for hit in hits:
        false = [word for word in hit["missing"] if holds(texts[hit["anchor"]], reader_of(index)(word))]
        assert not false, f"{hit['anchor']} is marked missing {false}, which it holds"


def test_a_partial_hit_says_which_term_it_lacks_in_the_readers_language(tabs, indexes):
    """潜在扩散模型 is held by few questions; the others found through 扩散 or 模型 say they lack it."""
    tab = tabs["zh"]
    hits, _ = search_eval.run_query(tab, "潜在扩散模型")
    partial = [hit for hit in hits if hit["missing"]]
    assert partial and all(hit["missing"] == ["潜在扩散模型"] for hit in partial)
    assert "缺少" in tab.locator(".md-search-result__terms").first.text_content()
    tab = tabs["en"]
    hits, _ = search_eval.run_query(tab, "latent zebra")
    meta = tab.locator(".md-search-result__meta").text_content()
    assert hits and all(hit["missing"] == ["zebra"] for hit in hits)
    assert meta.startswith("No question holds every word")


@pytest.mark.parametrize("edition", QUERIES)
def test_count_and_first_hits_over_the_query_set(tabs, indexes, edition):
    """Over every one-term query of the edition's query set: the announced count against the
    questions holding the term, and how many of the first n visible hits hold it (n = questions
    holding it, at most 10). Prints both; asserts the count is exact and the first n all hold it."""
    index = indexes[edition]
    texts, read = haystacks(index), reader_of(index)
    ratios, precision = [], []
    for row in search_eval.rows_for(edition):
        if len(row["query"].split()) != 1:
            continue
        holding = {anchor for anchor, text in texts.items() if holds(text, read(row["query"]))}
        if not holding:
            continue
        hits, _ = search_eval.run_query(tabs[edition], row["query"])
        announced = COUNT.search(tabs[edition].locator(".md-search-result__meta").text_content())
        ratios.append(int(announced.group()) / len(holding) if announced else 0.0)
        first = hits[:min(len(holding), 10)]
        precision.append(sum(hit["anchor"] in holding for hit in first) / len(first) if first else 0.0)
    ratios.sort()
    print(f"\n{edition}: {len(ratios)} one-term queries; announced / holding: median {ratios[len(ratios) // 2]:.2f}, "
          f"max {ratios[-1]:.2f}; first n hits holding the term: mean {sum(precision) / len(precision):.2f}")
    assert set(ratios) == {1.0} and set(precision) == {1.0}


@pytest.mark.parametrize("edition, query, wanted, excluded", [
    ("zh", "模型 -LoRA", "模型", "lora"), ("en", "model -diffusion", "model", "diffusion")])
def test_an_excluded_term_is_not_counted(tabs, indexes, edition, query, wanted, excluded):
    texts = haystacks(indexes[edition])
    holding = {a for a, text in texts.items() if holds(text, wanted) and not holds(text, excluded)}
    hits, _ = search_eval.run_query(tabs[edition], query)
    meta = tabs[edition].locator(".md-search-result__meta").text_content()
    assert holding and int(COUNT.search(meta).group()) == len(holding), meta
    assert all(hit["anchor"] in holding for hit in hits[:len(holding)])
