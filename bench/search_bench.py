"""Search benchmark: index size, worker start-up and keystroke-to-results latency in Chromium.

Usage:  python bench/search_bench.py [--runs 3] [--site DIR] [--scale 30]
Builds the site into a temporary folder (or measures a built one given with --site, e.g. an older
version of the site for a before/after comparison), serves it locally and drives Debian's
Chromium, per edition. --scale N builds the site with N times the content (bench/run.py's
scaled copies) and measures its 简体 edition as well. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench")]

from conftest import CHROMIUM_ARGS, QuietHandler, find_chromium  # noqa: E402
import search_eval  # noqa: E402

# Records when Material's search worker reports it is ready (message type 1) and when the
# result list last changed, in the page's own clock.
PROBE = """
(() => {
  window.__qa = {ready: null, changed: 0, key: 0, latency: null};
  document.addEventListener("keyup", () => { window.__qa.key = performance.now(); }, true);
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
  new MutationObserver(() => {
    window.__qa.changed = performance.now();
    window.__qa.latency = window.__qa.changed - window.__qa.key;
  })
    .observe(document, {subtree: true, childList: true, characterData: true});
})();
"""
# Keystroke latency is timed over this many queries of each edition's part of the query set.
LATENCY_QUERIES = 40


def build(project: Path, site: Path) -> None:
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)],
                   cwd=project, check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


def serve(site: Path) -> str:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


def worker_ready_ms(browser, base_url: str) -> float:
    """Milliseconds from navigation start until the search worker has built its index."""
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(PROBE)
    page.goto(base_url, wait_until="load")
    page.wait_for_function("window.__qa.ready !== null", timeout=60000)
    ready = page.evaluate("window.__qa.ready")
    context.close()
    return ready


def keystroke_latencies(browser, base_url: str, queries: list[str]) -> list[float]:
    """For each query: milliseconds from the keystroke before the result list's last change to that change."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.add_init_script(PROBE)
    search_eval.open_search(page, base_url)
    page.wait_for_function("window.__qa.ready !== null", timeout=60000)
    box = page.locator("input.md-search__input")
    latencies = []
    for query in queries:
        box.fill("")
        page.keyboard.press("End")
        page.wait_for_timeout(300)
        start = page.evaluate("performance.now()")
        box.type(query)
        page.keyboard.press("End")  # Material reads the box on keyup; typed Han text sends none
        page.wait_for_function(f"window.__qa.changed > {start}", timeout=10000)
        page.wait_for_timeout(300)  # let the list settle; its last change is what counts
        latencies.append(page.evaluate("window.__qa.latency"))
    context.close()
    return latencies


def index_figures(site: Path, edition: str) -> str:
    data = (site / search_eval.EDITION_PATH[edition] / "search" / "search_index.json").read_bytes()
    index = json.loads(data)
    variants = json.dumps(index["config"].get("variants", {}), ensure_ascii=False).encode()
    return (f"{len(index['docs'])} entries, {len(data) / 1024:.1f} KiB raw, "
            f"{len(gzip.compress(data, 9)) / 1024:.1f} KiB gzip (variant table "
            f"{len(gzip.compress(variants, 9)) / 1024:.1f} KiB gzip)")


def measure(browser, site: Path, label: str, runs: int, editions=search_eval.EDITIONS) -> None:
    base_url = serve(site)
    for edition in editions:
        if not (site / search_eval.EDITION_PATH[edition] / "search" / "search_index.json").exists():
            continue
        url = base_url + search_eval.EDITION_PATH[edition]
        ready = [worker_ready_ms(browser, url) for _ in range(runs)]
        queries = [row["query"] for row in search_eval.rows_for(edition)][:LATENCY_QUERIES]
        latencies = keystroke_latencies(browser, url, queries)
        print(f"{label} {edition:5} index: {index_figures(site, edition)}")
        print(f"{label} {edition:5} worker ready after load: median {statistics.median(ready):.0f} ms "
              f"(runs: {', '.join(f'{r:.0f}' for r in ready)})")
        print(f"{label} {edition:5} keystroke to results: median {statistics.median(latencies):.0f} ms, "
              f"worst {max(latencies):.0f} ms over {len(latencies)} queries")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="page loads to time the worker over")
    parser.add_argument("--site", type=Path, help="measure this built site instead of building one")
    parser.add_argument("--scale", type=int, default=0, help="also measure the site with N times the content")
    args = parser.parse_args()
    chromium = find_chromium()
    if chromium is None:
        sys.exit("no Chromium found: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        site = args.site
        if site is None:
            site = Path(folder) / "site"
            build(ROOT, site)
        measure(browser, site, "x1 ", args.runs)
        if args.scale > 1:
            from run import scaled_project

            project = scaled_project(Path(folder), args.scale)
            scaled_site = Path(folder) / f"site-x{args.scale}"
            build(project, scaled_site)
            measure(browser, scaled_site, f"x{args.scale}", args.runs, editions=("zh",))
        browser.close()


if __name__ == "__main__":
    main()
