"""Type queries into the site's own search box in Chromium and read the result list."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import yaml

QUERIES = Path(__file__).with_name("search_queries.yml")
RESULT_LINKS = ".md-search-result__list a.md-search-result__link"


@dataclass
class Outcome:
    """Where one query's expected question landed among the result anchors (0 = not found)."""

    query: str
    expect: str
    kind: str
    rank: int
    seen: list[str]
    milliseconds: float


def load_queries() -> list[dict]:
    return yaml.safe_load(QUERIES.read_text(encoding="utf-8"))


def open_search(page, base_url: str) -> None:
    """Load the home page and wait until the search worker has its index."""
    page.goto(base_url, wait_until="networkidle")
    page.locator("label.md-header__button[for='__search']").first.click() \
        if page.locator("input.md-search__input").is_hidden() else None
    page.locator("input.md-search__input").click()


# A reader scans the visible hits first and opens "N more on this page" only after that.
HREFS = """links => [...links.filter(a => !a.closest('details')), ...links.filter(a => a.closest('details'))]
                  .map(a => a.getAttribute('href'))"""


def result_anchors(page, questions: set[str] | None = None) -> list[str]:
    """The anchors of the results as a reader meets them: visible hits, then folded ones;
    only question anchors if given."""
    anchors = []
    for href in page.eval_on_selector_all(RESULT_LINKS, HREFS):
        fragment = unquote(urlparse(href).fragment)
        if fragment and fragment not in anchors and (questions is None or fragment in questions):
            anchors.append(fragment)
    return anchors


def run_query(page, query: str, questions: set[str] | None = None) -> tuple[list[str], float]:
    """Enter a query in the search box and return the anchors once the list has settled."""
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
                  (document.querySelector('.md-search-result__meta')?.textContent || '').includes('没有')""",
        timeout=10000)
    elapsed = (time.perf_counter() - start) * 1000
    previous, stable_since = None, time.perf_counter()
    while time.perf_counter() - stable_since < 0.15:
        current = result_anchors(page, questions)
        if current != previous:
            previous, stable_since = current, time.perf_counter()
        time.sleep(0.02)
    return previous or [], elapsed


def evaluate(page, base_url: str, anchors_by_title: dict[str, str]) -> list[Outcome]:
    """Run every query of the query set and say where its question ranked among the questions shown.

    Material lists results by page: the page's own entry, its best hit, and the other hits folded
    under "N more on this page". Ranks count question results as a reader meets them (visible ones
    top to bottom, then the folded ones); page entries are skipped.
    """
    open_search(page, base_url)
    outcomes = []
    questions = set(anchors_by_title.values())
    for row in load_queries():
        seen, elapsed = run_query(page, row["query"], questions)
        target = anchors_by_title[row["expect"]]
        rank = seen.index(target) + 1 if target in seen else 0
        outcomes.append(Outcome(row["query"], row["expect"], row["kind"], rank, seen[:5], elapsed))
    return outcomes


def recall_at(outcomes: list[Outcome], k: int) -> float:
    return sum(1 for o in outcomes if 0 < o.rank <= k) / len(outcomes)


def mean_reciprocal_rank(outcomes: list[Outcome]) -> float:
    return sum(1 / o.rank for o in outcomes if o.rank) / len(outcomes)
