"""Type queries into the site's own search box in Chromium and score what a reader sees.

Only visible hits count: a hit folded under "N more on this page" is not seen. For each query the
evaluation records where the expected question is among the visible question hits, which visible
hits say a query word is missing although their entry contains it (a false notice), and which
snippets begin with punctuation instead of a word.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse
from urllib.request import urlopen

import yaml

import qa_search_shards

QUERIES = Path(__file__).with_name("search_queries.yml")
RESULT_LINKS = ".md-search-result__list a.md-search-result__link"
EDITIONS = ("zh", "zh-TW", "en")
EDITION_PATH = {"zh": "", "zh-TW": "zh-TW/", "en": "en/"}
KIND_EDITIONS = {
    "term": ("zh", "zh-TW"), "traditional": ("zh", "zh-TW"), "abbr": ("zh", "zh-TW", "en"),
    "english": ("zh", "en"), "two": ("zh", "zh-TW"), "near": ("zh", "zh-TW"),
}
HAN = re.compile(r"[\u3400-\u9fff]")
NO_RESULTS = re.compile(r"没有|沒有|No matching")


@dataclass
class Outcome:
    """What a reader saw for one query in one edition."""

    query: str
    expect: str
    kind: str
    edition: str
    rank: int  # of the expected question among visible question hits; 0 = not visible
    seen: list[str]
    false_notices: list[str] = field(default_factory=list)
    bad_snippets: list[str] = field(default_factory=list)
    milliseconds: float = 0.0

    @property
    def cross_script(self) -> bool:
        """Typed in the other Chinese script than the edition's."""
        if self.edition == "zh":
            return self.kind == "traditional"
        return self.edition == "zh-TW" and self.kind in ("term", "two", "near") and bool(HAN.search(self.query))


def load_queries() -> list[dict]:
    return yaml.safe_load(QUERIES.read_text(encoding="utf-8"))


def rows_for(edition: str) -> list[dict]:
    return [row for row in load_queries() if edition in KIND_EDITIONS[row["kind"]]]


def open_search(page, base_url: str) -> None:
    """Load the page and open the search box."""
    page.goto(base_url, wait_until="networkidle")
    opener = page.locator("label.md-header__button[for='__search']").first
    if opener.is_visible():  # a phone: the search box opens from the header's button
        opener.click()
    page.locator("input.md-search__input").click()


# The visible hits, top to bottom: anchor, the words a hit says are missing, its snippet text.
VISIBLE_HITS = """links => links.filter(a => !a.closest('details')).map(a => {
  const article = a.querySelector('article');
  const heading = article.querySelector('h1, h2');
  const notice = article.querySelector('.md-search-result__terms');
  let snippet = '';
  for (const node of article.childNodes)
    if (node !== heading && node !== notice && !(node.classList && node.classList.contains('md-search-result__icon')))
      snippet += node.textContent;
  return {href: a.getAttribute('href'), missing: notice ? [...notice.querySelectorAll('del')].map(d => d.textContent) : [],
          snippet: snippet.replace(/\\u200b/g, '').trim()};
})"""


def visible_hits(page) -> list[dict]:
    hits = page.eval_on_selector_all(RESULT_LINKS, VISIBLE_HITS)
    for hit in hits:
        hit["anchor"] = unquote(urlparse(hit["href"]).fragment)
    return hits


def run_query(page, query: str) -> tuple[list[dict], float]:
    """Enter a query in the search box and return the visible hits once the list has settled."""
    box = page.locator("input.md-search__input")
    box.fill("")
    page.wait_for_function(f"document.querySelectorAll({RESULT_LINKS!r}).length === 0")
    start = time.perf_counter()
    # The whole query lands in the box at once, then one key: the search runs on the final text
    # only, so a slow machine cannot leave the results of a partial query on screen.
    box.fill(query)
    page.keyboard.press("End")
    page.wait_for_function(
        f"""() => document.querySelectorAll({RESULT_LINKS!r}).length > 0 ||
                  {NO_RESULTS.pattern!r}.split('|').some(t =>
                    (document.querySelector('.md-search-result__meta')?.textContent || '').includes(t))""",
        timeout=10000)
    elapsed = (time.perf_counter() - start) * 1000
    previous, stable_since = None, time.perf_counter()
    while time.perf_counter() - stable_since < 0.12:
        current = visible_hits(page)
        if current != previous:
            previous, stable_since = current, time.perf_counter()
        time.sleep(0.02)
    return previous or [], elapsed


def entry_streams(base_url: str) -> dict[str, list]:
    """Every question of an edition's search files, fetched as the worker fetches them: anchor ->
    its tokens (qa_search_shards)."""
    def fetched(path):
        with urlopen(urljoin(base_url, "search/" + path)) as response:
            return json.load(response)

    meta = fetched(qa_search_shards.MANIFEST)["config"]["questions"]
    entries = [entry for number in range(-(-meta["count"] // meta["per_file"]))
               for entry in fetched(f"{qa_search_shards.QUESTIONS_DIR}/{number}.json")]
    return {unquote(entry[0].split("#", 1)[-1]): qa_search_shards.Question(*entry).stream()[0] for entry in entries}


# Punctuation that never begins a sentence: a snippet starting with it starts mid-sentence.
MID_SENTENCE = set("，。、；：！？,.;:!?）)」』】》”’")


def evaluate(page, site_url: str, edition: str, anchors_by_title: dict[str, str]) -> list[Outcome]:
    """Run the edition's queries and score what is visible."""
    base_url = urljoin(site_url, EDITION_PATH[edition])
    streams = entry_streams(base_url)
    open_search(page, base_url)
    questions = set(anchors_by_title.values())
    outcomes = []
    for row in rows_for(edition):
        hits, elapsed = run_query(page, row["query"])
        seen = [hit["anchor"] for hit in hits if hit["anchor"] in questions]
        target = anchors_by_title[row["expect"]]
        rank = seen.index(target) + 1 if target in seen else 0
        false_notices, bad_snippets = [], []
        for hit in hits[:5]:
            # A notice that says a word is missing from a hit that holds that very word is false
            # (Material's worker showed "缺少: 对比*").
            for word in hit["missing"]:
                if qa_search_shards.holds(streams.get(hit["anchor"], []), qa_search_shards.tokens(word.rstrip("*"))):
                    false_notices.append(f"{hit['anchor']}: {word}")
            if hit["snippet"] and hit["snippet"][0] in MID_SENTENCE:
                bad_snippets.append(hit["snippet"][:20])
        outcomes.append(Outcome(row["query"], row["expect"], row["kind"], edition, rank, seen[:5],
                                false_notices, bad_snippets, elapsed))
    return outcomes


def first_visible(outcomes: list[Outcome]) -> float:
    return sum(1 for o in outcomes if o.rank == 1) / len(outcomes)


def recall_at(outcomes: list[Outcome], k: int) -> float:
    return sum(1 for o in outcomes if 0 < o.rank <= k) / len(outcomes)


def mean_reciprocal_rank(outcomes: list[Outcome]) -> float:
    return sum(1 / o.rank for o in outcomes if o.rank) / len(outcomes)


def summary(outcomes: list[Outcome]) -> dict[str, float]:
    """The figures the targets are set on, for one edition's outcomes."""
    cross = [o for o in outcomes if o.cross_script]
    english = [o for o in outcomes if o.kind == "english"]
    return {
        "queries": len(outcomes),
        "first visible": first_visible(outcomes),
        "recall@5 visible": recall_at(outcomes, 5),
        "MRR": mean_reciprocal_rank(outcomes),
        "false notices": sum(len(o.false_notices) for o in outcomes),
        "snippets not at a word": sum(len(o.bad_snippets) for o in outcomes),
        "cross-script recall@5": recall_at(cross, 5) if cross else float("nan"),
        "english recall@5": recall_at(english, 5) if english else float("nan"),
        "english first": first_visible(english) if english else float("nan"),
    }
