"""Search benchmark: index bytes, bytes before the first results, start-up and keystroke-to-results
latency in Chromium, per edition, at 1, 10 and 30 times today's content.

Usage:  python bench/search_bench.py [--runs 3] [--scales 1,10,30] [--project DIR | --site DIR]
Builds the site (and its scaled copies) into a temporary folder, serves it gzip-compressed as
GitHub Pages does and drives Debian's Chromium. The scaled copies are made of real words: each
copy of a source file keeps its structure, its answers' sentences are drawn from all the answers
of the sources, and its titles are shifted within the CJK block so that every question stays a
question of its own. --project DIR measures another checkout of the project (e.g. an older
version, for a before/after comparison; its sources scale the same way); --site DIR measures one
built site at x1 only. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench")]

from conftest import CHROMIUM_ARGS, COPY_IGNORE, find_chromium  # noqa: E402
from run import GzipHandler, rotate_han  # noqa: E402
import search_eval  # noqa: E402

# Records when Material's search worker reports it is ready (message type 1) and when the
# result list last changed, in the page's own clock.
PROBE = """
(() => {
  window.__qa = {ready: null, changed: 0, key: 0, latency: null, waiting: false};
  document.addEventListener("keyup", () => { window.__qa.key = performance.now(); window.__qa.waiting = true; }, true);
  const Original = window.Worker;
  window.Worker = function (url, options) {
    const worker = new Original(url, options);
    worker.addEventListener("message", event => {
      if (event.data && event.data.type === 1 && window.__qa.ready === null)
        window.__qa.ready = performance.now();
    });
    return worker;
  };
  window.Worker.prototype = Original.prototype;
  // The first change of the result list after a key is that key's results (a longer list may
  // follow once typing stops).
  new MutationObserver(() => {
    window.__qa.changed = performance.now();
    if (window.__qa.waiting) {
      window.__qa.waiting = false;
      window.__qa.latency = window.__qa.changed - window.__qa.key;
    }
  })
    .observe(document, {subtree: true, childList: true, characterData: true});
})();
"""
# Keystroke latency is timed over this many queries of each edition's part of the query set.
LATENCY_QUERIES = 40


# Bytes before the first results are taken over these queries, each in a fresh browser.
FIRST_RESULT_QUERIES = 3
# ...and over a query of common words, whose hits fill the list.
COMMON_QUERY = {"zh": "模型", "zh-TW": "模型", "en": "model"}
HAN = re.compile(r"[\u4e00-\u9fa5]")
SENTENCE_END = re.compile(r"(?<=[。！？；])")
# Sentences with markup stay where they are: moved, they could open a formula, a link or a table.
MARKUP = re.compile(r"[$|<>\[\]`#\\]")
LIST_LEAD = re.compile(r"^\s*(?:(?:[-*+]|\d+[.)])\s+)?")
# Headings and table-of-contents lines carry the titles: shifted, so each copy's questions are new.
TITLE_LINE = re.compile(r"^\s*(?:#|<h\d|(?:[-*+]|\d+\.)?\s*\[)|\]\s*\(#")


def movable(sentence: str) -> bool:
    """Plain text with Han characters, whose emphasis opens and closes within it."""
    return (bool(HAN.search(sentence)) and not MARKUP.search(sentence)
            and sentence.count("*") % 2 == 0 and sentence.count("_") % 2 == 0)


def answer_sentences(texts: list[str]) -> list[str]:
    """Every plain sentence of the sources' answers (no markup, some Han text)."""
    pool = []
    for text in texts:
        fenced = False
        for line in text.splitlines():
            if line.lstrip().startswith(("```", "~~~")):
                fenced = not fenced
            if fenced or TITLE_LINE.search(line) or "<" in line:
                continue
            body = line[LIST_LEAD.match(line).end():]
            pool += [part.strip() for part in SENTENCE_END.split(body) if movable(part) and len(part.strip()) >= 4]
    return sorted(set(pool))


def recombined(text: str, pool: list[str], rng: random.Random, shift: int) -> str:
    """A copy of a source file: the same questions and structure, titles shifted, answer sentences
    drawn from the pool."""
    out, fenced = [], False
    for line in text.splitlines(keepends=True):
        ending = line[len(line.rstrip("\r\n")):]
        line = line[:len(line) - len(ending)]
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if not fenced and TITLE_LINE.search(line):
            line = rotate_han(line, shift)
        elif not fenced and "<" not in line:
            lead = LIST_LEAD.match(line).end()
            parts = SENTENCE_END.split(line[lead:])
            line = line[:lead] + "".join(rng.choice(pool) if movable(part) else part
                                         for part in parts)
        out.append(line + ending)
    return "".join(out)


def scaled_project(folder: Path, source: Path, factor: int) -> Path:
    """A copy of the project at `source` with factor copies of every source file (see recombined)."""
    import yaml

    project = folder / f"x{factor}"
    shutil.copytree(source, project, ignore=COPY_IGNORE)
    sources = project / "docs" / "sources"
    catalog = yaml.safe_load((sources / "catalog.yml").read_text(encoding="utf-8"))
    originals = list(catalog["sources"])
    texts = {entry["file"]: (sources / entry["file"]).read_text(encoding="utf-8") for entry in originals}
    pool = answer_sentences(list(texts.values()))
    rng = random.Random(factor)
    for copy in range(1, factor):
        for entry in originals:
            name = entry["file"].replace(".md", f"-{copy}.md")
            (sources / name).write_text(recombined(texts[entry["file"]], pool, rng, 97 * copy), encoding="utf-8")
            catalog["sources"].append({"file": name, "parts": [{"match": "", "page": f"copy-{copy}-{entry['file'][:-3]}"}]})
    (sources / "catalog.yml").write_text(yaml.safe_dump(catalog, allow_unicode=True), encoding="utf-8")
    return project


def build(project: Path, site: Path) -> None:
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)],
                   cwd=project, check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


class CountingHandler(GzipHandler):
    """Serves as GitHub Pages does and records the bytes of each response body by path."""

    sent: list[tuple[str, int]] = []

    def send_header(self, keyword, value):
        if keyword.lower() == "content-length":
            self.sent.append((self.path.split("?", 1)[0], int(value)))
        super().send_header(keyword, value)


def serve(site: Path) -> str:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(CountingHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


def worker_ready_ms(browser, base_url: str) -> tuple[float, float]:
    """Milliseconds until the search worker says it can answer: from navigation start, and from
    the page's load event (negative when it is ready before the page has loaded)."""
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(PROBE)
    page.goto(base_url, wait_until="load")
    page.wait_for_function("window.__qa.ready !== null", timeout=120000)
    ready, loaded = page.evaluate("[window.__qa.ready, performance.getEntriesByType('navigation')[0].loadEventEnd]")
    context.close()
    return ready, ready - loaded


def index_bytes_before_results(browser, base_url: str, index_path: str, query: str) -> tuple[int, int]:
    """Bytes of the search index (every file under the edition's search/) sent from the page's
    load until the first results of `query` are on screen, and until the list has settled (the
    rest of a long list follows the first results), in a browser with an empty cache. Taken when
    the first results are seen, so a file fetched right after them may be counted too: the figure
    errs high, never low."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    CountingHandler.sent.clear()
    search_eval.open_search(page, base_url)
    page.locator("input.md-search__input").fill(query)
    page.keyboard.press("End")
    page.wait_for_function(f"document.querySelectorAll({search_eval.RESULT_LINKS!r}).length > 0", timeout=60000,
                           polling=5)
    first = sum(size for path, size in list(CountingHandler.sent) if path.startswith(index_path))
    page.wait_for_timeout(1000)
    settled = sum(size for path, size in list(CountingHandler.sent) if path.startswith(index_path))
    context.close()
    return first, settled


def keystroke_latencies(browser, base_url: str, queries: list[str]) -> list[float]:
    """For each query typed key by key: milliseconds from its last key to the first change of the
    result list after it (its results; the rest of a long list may follow once typing stops)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.add_init_script(PROBE)
    search_eval.open_search(page, base_url)
    page.wait_for_function("window.__qa.ready !== null", timeout=120000)
    box = page.locator("input.md-search__input")
    latencies = []
    for query in queries:
        box.fill("")
        page.keyboard.press("End")
        page.wait_for_timeout(300)
        start = page.evaluate("performance.now()")
        box.type(query)
        if not query.isascii():
            page.keyboard.press("End")  # Material reads the box on keyup; typed Han text sends none
        page.wait_for_function(f"window.__qa.changed > {start}", timeout=10000)
        page.wait_for_timeout(500)  # let the list settle before the next query
        latencies.append(page.evaluate("window.__qa.latency"))
    context.close()
    return latencies


def index_files(site: Path, edition: str) -> list[Path]:
    """The edition's search index: every file under its search/ folder."""
    return sorted(path for path in (site / search_eval.EDITION_PATH[edition] / "search").rglob("*") if path.is_file())


def kib(size: float) -> str:
    return f"{size / 1024:.0f} KiB" if size >= 10240 else f"{size / 1024:.1f} KiB"


def measure(browser, site: Path, label: str, runs: int, editions=search_eval.EDITIONS) -> None:
    base_url = serve(site)
    for edition in editions:
        files = index_files(site, edition)
        if not files:
            continue
        url = base_url + search_eval.EDITION_PATH[edition]
        raw = sum(path.stat().st_size for path in files)
        packed = sum(len(gzip.compress(path.read_bytes(), 6, mtime=0)) for path in files)
        queries = [row["query"] for row in search_eval.rows_for(edition)]
        transfers = [index_bytes_before_results(browser, url, "/" + search_eval.EDITION_PATH[edition] + "search/", query)
                     for query in queries[:FIRST_RESULT_QUERIES] + [COMMON_QUERY[edition]]]
        before, settled = [first for first, _ in transfers], [total for _, total in transfers]
        timings = [worker_ready_ms(browser, url) for _ in range(runs)]
        ready, after_load = [start for start, _ in timings], [late for _, late in timings]
        latencies = keystroke_latencies(browser, url, queries[:LATENCY_QUERIES])
        print(f"{label} {edition:5} index {kib(raw)} raw, {kib(packed)} gzip in {len(files)} files; "
              f"before first results {kib(max(before))} (max over {len(before)} queries, one of common words; {kib(max(settled))} once "
              f"the list settled); "
              f"ready {statistics.median(ready):.0f} ms from navigation start (runs {', '.join(f'{r:.0f}' for r in ready)}), "
              f"{statistics.median(after_load):.0f} ms after load; "
              f"keystroke to results median {statistics.median(latencies):.0f} ms, worst {max(latencies):.0f} ms "
              f"over {len(latencies)} queries", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="page loads to time the worker over")
    parser.add_argument("--scales", default="1,10,30", help="content factors to measure, e.g. 1 or 1,30")
    parser.add_argument("--project", type=Path, default=ROOT, help="build and measure this checkout of the project")
    parser.add_argument("--site", type=Path, help="measure this built site (x1 only) instead of building one")
    parser.add_argument("--editions", default=",".join(search_eval.EDITIONS), help="e.g. zh or zh,en")
    args = parser.parse_args()
    chromium = find_chromium()
    if chromium is None:
        sys.exit("no Chromium found: apt-get install chromium")
    editions = tuple(args.editions.split(","))
    scales = [int(factor) for factor in args.scales.split(",")]
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        if args.site:
            measure(browser, args.site, "x1 ", args.runs, editions)
            scales = []
        for factor in scales:
            project = args.project.resolve() if factor == 1 else scaled_project(Path(folder), args.project.resolve(), factor)
            site = Path(folder) / f"site-x{factor}"
            build(project, site)
            measure(browser, site, f"x{factor:<2}", args.runs, editions)
            shutil.rmtree(site)
        browser.close()


if __name__ == "__main__":
    main()
