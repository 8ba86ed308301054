"""Reader-side benchmark: the share, study and reading-aid scripts' size (and the 404 page's), the short link pages' size, the practice
page's readiness with 100 questions due, and Lighthouse (mobile) on the reading pages.

Usage:  python bench/reader_bench.py [--runs 3] [--site DIR] [--skip-lighthouse]
Builds the site into a temporary folder (or measures a built one given with --site, e.g. an older
version for a before/after comparison). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench")]

from conftest import CHROMIUM_ARGS, find_chromium  # noqa: E402
from run import NOT_QUESTION_PAGES, print_lighthouse, serve, timed_build  # noqa: E402

SCRIPTS = ("javascripts/share.js", "javascripts/study.js", "javascripts/reader.js", "javascripts/offline.js", "sw.js")
OFFLINE_BUDGET = 3 * 1024  # the worker and the save control together, gzip
SAVED_BUDGET = 5 * 1024 * 1024  # a whole saved edition
DUE = 100


def sizes(site: Path) -> None:
    for name in SCRIPTS:
        path = site / name
        if path.exists():
            data = path.read_bytes()
            print(f"{name}: {len(data)} bytes, {len(gzip.compress(data, 9))} bytes gzip")
        else:
            print(f"{name}: not in this site")
    not_found = site / "404.html"
    if not_found.exists():  # the 404 page's own script (suggestions), inline in the page
        from bs4 import BeautifulSoup

        scripts = [tag.string or "" for tag in BeautifulSoup(not_found.read_text("utf-8"), "html.parser")
                   .select("article script")]
        data = "".join(scripts).encode()
        print(f"404 page script: {len(data)} bytes, {len(gzip.compress(data, 9))} bytes gzip")
    offline = [site / name for name in ("sw.js", "javascripts/offline.js")]
    if all(path.exists() for path in offline):
        size = sum(len(gzip.compress(path.read_bytes(), 9)) for path in offline)
        print(f"offline worker + save control: {size} bytes gzip ({size / OFFLINE_BUDGET:.2f} of 3 KB)")
    for prefix in ("", "zh-TW/", "en/"):
        listed = site / prefix / "offline.json"
        if listed.exists():
            saved = json.loads(listed.read_text("utf-8"))
            print(f"saved edition {prefix or 'zh/'}: {len(saved['files'])} files, {saved['bytes'] / 1024 / 1024:.2f} MB "
                  f"({saved['bytes'] / SAVED_BUDGET:.2f} of 5 MB)")
    for prefix in ("", "en/", "zh-TW/"):
        pages = sorted((site / prefix / "q").glob("*/index.html")) if (site / prefix / "q").is_dir() else []
        if pages:
            weights = [p.stat().st_size for p in pages]
            print(f"short link pages {prefix or 'zh/'}: {len(pages)}, median {statistics.median(weights):.0f} bytes, "
                  f"largest {max(weights)} bytes")


def practice_ready(browser, base: str, site: Path, runs: int) -> None:
    """Milliseconds from navigation to the practice form, and from Start to the first card, with DUE due."""
    catalog = site / "study.json"
    if not catalog.exists():
        print("practice page: not in this site")
        return
    ids = [q["id"] for s in json.loads(catalog.read_text("utf-8"))["sections"] for q in s["questions"]][:DUE]
    ready, first = [], []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        page = context.new_page()
        page.goto(base + "topics/practice/", wait_until="domcontentloaded")
        state = {"version": 1, "items": {i: {"mark": "review", "due": 0} for i in ids}}
        page.evaluate("s => localStorage.setItem('qa-study', JSON.stringify(s))", state)
        page.reload(wait_until="commit")
        page.wait_for_selector(".qa-practice__scope select")
        ready.append(page.evaluate("performance.now()"))
        page.select_option(".qa-practice__scope select", "due")
        start = page.evaluate("performance.now()")
        page.click(".qa-practice__scope button")
        page.wait_for_selector(".qa-card h2")
        first.append(page.evaluate("performance.now()") - start)
        left = page.locator(".qa-card__left").inner_text()
        context.close()
    print(f"practice page with {len(ids)} due ({left}): ready {statistics.median(ready):.0f} ms after navigation, "
          f"first card {statistics.median(first):.0f} ms after Start (medians of {runs})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--site", type=Path)
    parser.add_argument("--skip-lighthouse", action="store_true")
    args = parser.parse_args()
    chromium = find_chromium()
    if chromium is None:
        raise SystemExit("no Chromium found: apt-get install chromium")
    with tempfile.TemporaryDirectory() as folder:
        site = args.site
        if site is None:
            site = Path(folder) / "site"
            timed_build(ROOT, site)
        sizes(site)
        base, server = serve(site)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            practice_ready(browser, base, site, args.runs)
            browser.close()
        if not args.skip_lighthouse:
            largest = max((p for p in (site / "topics").glob("*/index.html")
                           if p.parent.name not in NOT_QUESTION_PAGES | {"practice", "review"}),
                          key=lambda p: p.stat().st_size)
            pages = {"home": base, f"largest question page ({largest.parent.name})": f"{base}topics/{largest.parent.name}/"}
            if (site / "topics" / "practice").is_dir():
                pages["practice"] = f"{base}topics/practice/"
            print_lighthouse(pages, chromium, args.runs)
        server.shutdown()


if __name__ == "__main__":
    main()
