"""Benchmark: build time against a plain Material build, serve rebuild, page weight, Lighthouse,
search, and scaling. Prints medians and ratios; asserts nothing.

Usage:  python bench/run.py [--runs 3] [--skip-lighthouse] [--skip-scaling]
Needs Debian's Chromium; Lighthouse (npm, pinned in bench/package.json) is installed on first use.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path[:0] = [str(ROOT / "tests"), str(BENCH)]

from conftest import CHROMIUM_ARGS, COPY_IGNORE, find_chromium  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")
NOT_QUESTION_PAGES = {"glossary", "content-report"}
EDITION_TIME = re.compile(r"edition (\S+): .*built in ([\d.]+) s")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files gzip-compressed when the browser accepts it, as GitHub Pages does."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file() or path.suffix not in COMPRESSIBLE or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        self.wfile.write(body)
        return None

    def log_message(self, *args):
        pass


def serve(site: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


def timed_build(project: Path, site: Path) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site)],
                            cwd=project, env=ENV, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(result.stdout + result.stderr)
    return time.perf_counter() - start, result.stdout + result.stderr


def plain_project(folder: Path) -> Path:
    """The raw source files as they are, built by Material with its default settings."""
    docs = folder / "docs"
    docs.mkdir(parents=True)
    for source in (ROOT / "docs" / "sources").glob("*.md"):
        shutil.copy(source, docs / source.name)
    (folder / "mkdocs.yml").write_text("site_name: plain\ntheme:\n  name: material\n", encoding="utf-8")
    return folder


def measure_builds(runs: int) -> dict:
    """Median full build and per-edition times of this site, and of the plain build, side by side."""
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        plain = plain_project(folder / "plain")
        ours, plains, editions = [], [], {}
        for run in range(runs):
            plains.append(timed_build(plain, folder / f"plain-site-{run}")[0])
            seconds, log = timed_build(ROOT, folder / f"site-{run}")
            ours.append(seconds)
            for code, value in EDITION_TIME.findall(log):
                editions.setdefault(code, []).append(float(value))
        return {"full": statistics.median(ours), "plain": statistics.median(plains),
                "editions": {code: statistics.median(values) for code, values in editions.items()}}


def measure_serve_rebuild(runs: int, all_editions: bool = True) -> list[float]:
    """Seconds from touching a source file until `mkdocs serve` has rebuilt the site."""
    env = {**ENV, "QA_ALL_EDITIONS": "true" if all_editions else "false"}
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder) / "project"
        shutil.copytree(ROOT, project, ignore=COPY_IGNORE)
        with socket.socket() as probe:  # a free port
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        process = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=project, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, start_new_session=True)
        lines: list[tuple[float, str]] = []
        threading.Thread(target=lambda: [lines.append((time.perf_counter(), l)) for l in process.stdout],
                         daemon=True).start()
        try:
            wait_for(lambda: any("Serving on" in l for _, l in lines), 120, lines)
            time.sleep(2)
            source = project / "docs" / "sources" / "models-and-frameworks.md"
            results = []
            for run in range(runs):
                seen = len(lines)
                start = time.perf_counter()
                # A maintainer's edit: one more sentence at the end of the file's last answer.
                source.write_text(source.read_text(encoding="utf-8") + f"\n补充说明第 {run + 1} 条。\n", encoding="utf-8")
                # The server says "Reloading browsers" once a rebuild is on disk.
                wait_for(lambda: any("Reloading browsers" in l for _, l in lines[seen:]), 120, lines)
                time.sleep(3)  # a rebuild that triggered another would show up here
                done = max(t for t, l in lines[seen:] if "Reloading browsers" in l)
                results.append(done - start)
            return results
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(10)


def wait_for(condition, seconds: float, lines: list) -> None:
    deadline = time.time() + seconds
    while not condition():
        if time.time() > deadline:
            raise SystemExit("timed out waiting for mkdocs serve:\n" + "".join(l for _, l in lines[-5:]))
        time.sleep(0.05)


def page_weight(browser, url: str) -> dict:
    """Bytes over the wire and requests of a first load, figures excluded and included (after scrolling)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True)
    page = context.new_page()
    client = context.new_cdp_session(page)
    client.send("Network.enable")
    responses: dict[str, dict] = {}
    client.on("Network.responseReceived", lambda e: responses.setdefault(
        e["requestId"], {"url": e["response"]["url"], "type": e["type"], "bytes": 0}))
    client.on("Network.loadingFinished", lambda e: responses.get(e["requestId"], {}).update(
        bytes=e["encodedDataLength"]))
    foreign = []
    page.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:")) else None)
    page.goto(url, wait_until="networkidle")
    first = dict(responses)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    for _ in range(40):
        page.mouse.wheel(0, -2000)
        page.wait_for_timeout(50)
    page.wait_for_load_state("networkidle")
    context.close()

    def total(entries, images: bool) -> tuple[int, int]:
        chosen = [e for e in entries.values() if images or e["type"] != "Image"]
        return sum(e["bytes"] for e in chosen), len(chosen)

    return {"without figures": total(first, False), "first load": total(first, True),
            "all figures loaded": total(responses, True), "third-party requests": len(foreign)}


def lighthouse(url: str, chromium: str, runs: int = 3) -> dict:
    """Median Lighthouse scores (mobile) for one page over several runs; simulated throttling varies."""
    results = [lighthouse_once(url, chromium) for _ in range(runs)]
    scores = {key: statistics.median(r["scores"][key] for r in results) for key in results[0]["scores"]}
    failing = sorted(set().union(*(r["failing"] for r in results)))
    return {"scores": scores, "failing": failing, "runs": [r["scores"]["performance"] for r in results]}


def print_lighthouse(pages: dict[str, str], chromium: str, runs: int) -> None:
    """One line of median Lighthouse scores per page, and the audits that fell short in some run."""
    for name, url in pages.items():
        result = lighthouse(url, chromium, runs)
        scores = ", ".join(f"{k} {v:g}" for k, v in result["scores"].items())
        print(f"lighthouse {name} (median of {runs}; performance runs {result['runs']}): {scores}")
        if result["failing"]:
            print(f"  audits below full marks in some run: {', '.join(result['failing'])}")


def lighthouse_once(url: str, chromium: str) -> dict:
    """Lighthouse scores (mobile) for one page, one run."""
    binary = BENCH / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        installed = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=BENCH, capture_output=True, text=True)
        if installed.returncode:
            raise SystemExit(f"npm ci in bench/ failed:\n{installed.stdout}{installed.stderr}")
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        subprocess.run([str(binary), url, "--quiet", "--form-factor=mobile", "--output=json",
                        f"--output-path={report}", "--only-categories=performance,accessibility,best-practices,seo",
                        "--chrome-flags=--headless=new " + " ".join(CHROMIUM_ARGS)],
                       env={**ENV, "CHROME_PATH": chromium}, check=True, capture_output=True)
        data = json.loads(report.read_text(encoding="utf-8"))
    scores = {key: round(category["score"] * 100) for key, category in data["categories"].items()}
    # Pass/fail checks of the categories whose budget is 100 (performance audits are graded).
    checked = {ref["id"] for key in ("accessibility", "best-practices", "seo")
               for ref in data["categories"].get(key, {}).get("auditRefs", [])}
    failing = sorted(audit["id"] for audit in data["audits"].values()
                     if audit["id"] in checked and audit.get("score") is not None and audit["score"] < 1
                     and audit.get("scoreDisplayMode") == "binary")
    return {"scores": scores, "failing": failing}


def rotate_han(text: str, shift: int) -> str:
    """Shift Han characters within the CJK block: new 'Chinese' text of the same shape, no duplicates."""
    def rotate(match: re.Match) -> str:
        return "".join(chr(0x4E00 + (ord(ch) - 0x4E00 + shift) % (0x9FA5 - 0x4E00)) for ch in match.group(0))

    # Figure paths and heading ids stay as they are; they must keep resolving.
    parts = re.split(r"(imgs/[^)\"\s]+)", text)
    return "".join(part if part.startswith("imgs/") else re.sub(r"[\u4e00-\u9fa5]+", rotate, part) for part in parts)


def scaled_project(folder: Path, factor: int) -> Path:
    """The site with factor copies of every source file, each copy's Han text shifted to be unique."""
    project = folder / f"x{factor}"
    shutil.copytree(ROOT, project, ignore=COPY_IGNORE)
    sources = project / "docs" / "sources"
    import yaml

    catalog = yaml.safe_load((sources / "catalog.yml").read_text(encoding="utf-8"))
    originals = list(catalog["sources"])
    for copy in range(1, factor):
        for entry in originals:
            name = entry["file"].replace(".md", f"-{copy}.md")
            text = (sources / entry["file"]).read_text(encoding="utf-8")
            (sources / name).write_text(rotate_han(text, 97 * copy), encoding="utf-8")
            catalog["sources"].append({"file": name, "parts": [{"match": "", "page": f"copy-{copy}-{entry['file'][:-3]}"}]})
    (sources / "catalog.yml").write_text(yaml.safe_dump(catalog, allow_unicode=True), encoding="utf-8")
    return project


def measure_scaling(factors: list[int]) -> dict:
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for factor in factors:
            project = scaled_project(Path(folder), factor) if factor > 1 else ROOT
            site = Path(folder) / f"site-x{factor}"
            seconds, _ = timed_build(project, site)
            size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
            index = sum(path.stat().st_size for path in (site / "search").rglob("*") if path.is_file())
            pages = sum(1 for _ in site.rglob("index.html"))
            results[factor] = {"seconds": seconds, "site MB": size / 1e6, "index KB": index / 1024, "pages": pages}
    return results


def cjk_font_installed() -> bool:
    """Whether fontconfig knows a Chinese font; without one Chromium draws boxes and lays out slowly."""
    try:
        found = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    except FileNotFoundError:
        return False
    return bool(found.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-lighthouse", action="store_true")
    parser.add_argument("--skip-scaling", action="store_true")
    args = parser.parse_args()
    chromium = find_chromium()
    if chromium is None:
        raise SystemExit("no Chromium found: apt-get install chromium")
    if not cjk_font_installed():
        raise SystemExit("no Chinese font found, so page figures would not be a reader's: "
                         "apt-get install fonts-wqy-microhei")

    builds = measure_builds(args.runs)
    print(f"build, full (3 editions):   {builds['full']:.2f} s   (median of {args.runs})")
    print(f"build, plain Material:      {builds['plain']:.2f} s   (the raw sources, default settings)")
    for code, seconds in builds["editions"].items():
        print(f"build, edition {code:6}      {seconds:.2f} s   ratio to plain {seconds / builds['plain']:.2f}")

    for all_editions, name in ((True, "3 editions"), (False, "简体 only, QA_ALL_EDITIONS=false")):
        rebuilds = measure_serve_rebuild(args.runs, all_editions)
        print(f"serve rebuild after a touch ({name}): median {statistics.median(rebuilds):.2f} s, "
              f"worst {max(rebuilds):.2f} s")

    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        timed_build(ROOT, site)
        base, server = serve(site)
        largest = max((p for p in (site / "topics").glob("*/index.html") if p.parent.name not in NOT_QUESTION_PAGES),
                      key=lambda p: p.stat().st_size)
        pages = {"home": base, f"largest question page ({largest.parent.name})": f"{base}topics/{largest.parent.name}/"}
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            for name, url in pages.items():
                weight = page_weight(browser, url)
                print(f"{name}: " + "; ".join(
                    f"{key} {value[0] / 1024:.0f} KB in {value[1]} requests" if isinstance(value, tuple)
                    else f"{key} {value}" for key, value in weight.items()))
            browser.close()
        if not args.skip_lighthouse:
            print_lighthouse(pages, chromium, args.runs)
        server.shutdown()

    search = [sys.executable, str(BENCH / "search_bench.py"), "--runs", str(args.runs)]
    subprocess.run(search + ([] if args.skip_scaling else ["--scale", "30"]), check=True, env=ENV)

    if not args.skip_scaling:
        for factor, result in measure_scaling([1, 10, 30]).items():
            print(f"scaling x{factor:<3} {result['pages']:4d} pages  build {result['seconds']:6.1f} s  "
                  f"site {result['site MB']:6.1f} MB  search index {result['index KB']:8.0f} KB")


if __name__ == "__main__":
    main()
