"""Search benchmark: index size, worker start-up and keystroke-to-results latency in Chromium.

Usage:  python bench/search_bench.py [--runs 3]
Builds the site into a temporary folder, serves it locally and drives Debian's Chromium.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests")]

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


def build(site: Path) -> None:
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)],
                   cwd=ROOT, check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


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
    page.wait_for_function("window.__qa.ready !== null", timeout=30000)
    ready = page.evaluate("window.__qa.ready")
    context.close()
    return ready


def keystroke_latencies(browser, base_url: str, queries: list[str]) -> list[float]:
    """For each query: milliseconds from the keystroke before the result list's last change to that change."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.add_init_script(PROBE)
    search_eval.open_search(page, base_url)
    page.wait_for_function("window.__qa.ready !== null", timeout=30000)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="page loads to time the worker over")
    args = parser.parse_args()
    chromium = find_chromium()
    if chromium is None:
        sys.exit("no Chromium found: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        build(site)
        index = (site / "search" / "search_index.json").read_bytes()
        base_url = serve(site)
        queries = [row["query"] for row in search_eval.load_queries()]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            ready = [worker_ready_ms(browser, base_url) for _ in range(args.runs)]
            latencies = keystroke_latencies(browser, base_url, queries)
            browser.close()
    print(f"search index:            {len(index) / 1024:.1f} KiB raw, "
          f"{len(gzip.compress(index, 9)) / 1024:.1f} KiB gzip")
    print(f"worker ready after load: median {statistics.median(ready):.0f} ms "
          f"(runs: {', '.join(f'{r:.0f}' for r in ready)})")
    print(f"keystroke to results:    median {statistics.median(latencies):.0f} ms, "
          f"worst {max(latencies):.0f} ms over {len(latencies)} queries")


if __name__ == "__main__":
    main()
